import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideMeeting, evolveMeeting, initialMeetingState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { RecordAttendanceCommand } from './record-attendance.command';

@CommandHandler(RecordAttendanceCommand)
export class RecordAttendanceHandler implements ICommandHandler<RecordAttendanceCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, meetingId, body }: RecordAttendanceCommand): Promise<CommandResult> {
    const stream = streamName('meeting', meetingId);
    return this.runner.run(context, { name: 'RecordAttendance', targetStream: stream }, async (reader) => {
      const meeting = await reader.load(stream, evolveMeeting, initialMeetingState);
      const decision = decideMeeting(
        { type: 'RecordAttendance', actor: actorOf(context), now: nowOf(context), attendees: body.attendees.map(({ name, agency }) => ({ name, agency })) },
        meeting,
      );
      return planOf(decision, { id: meetingId, stream });
    });
  }
}
