import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideMeeting, evolveMeeting, initialMeetingState, streamName, type Attendee } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { RecordAttendanceCommand } from './record-attendance.command';
import type { AttendeeRequest } from './record-attendance.request.dto';

/** The attendee as the domain takes it: the fields given, and no others. */
const attendeeOf = ({ name, agency, status, deputisingFor }: AttendeeRequest): Attendee => ({
  name,
  agency,
  ...(status !== undefined ? { status } : {}),
  ...(deputisingFor !== undefined ? { deputisingFor } : {}),
});

@CommandHandler(RecordAttendanceCommand)
export class RecordAttendanceHandler implements ICommandHandler<RecordAttendanceCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, meetingId, body }: RecordAttendanceCommand): Promise<CommandResult> {
    const stream = streamName('meeting', meetingId);
    return this.runner.run(context, { name: 'RecordAttendance', targetStream: stream }, async (reader) => {
      const meeting = await reader.load(stream, evolveMeeting, initialMeetingState);
      const decision = decideMeeting(
        { type: 'RecordAttendance', actor: actorOf(context), now: nowOf(context), attendees: body.attendees.map(attendeeOf) },
        meeting,
      );
      return planOf(decision, { id: meetingId, stream });
    });
  }
}
