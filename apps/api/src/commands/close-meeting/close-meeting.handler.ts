import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideMeeting, evolveMeeting, initialMeetingState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { CloseMeetingCommand } from './close-meeting.command';

@CommandHandler(CloseMeetingCommand)
export class CloseMeetingHandler implements ICommandHandler<CloseMeetingCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, meetingId, body }: CloseMeetingCommand): Promise<CommandResult> {
    const stream = streamName('meeting', meetingId);
    return this.runner.run(context, { name: 'CloseMeeting', targetStream: stream }, async (reader) => {
      const meeting = await reader.load(stream, evolveMeeting, initialMeetingState);
      const decision = decideMeeting({ type: 'CloseMeeting', actor: actorOf(context), now: nowOf(context), minutesNote: body.minutesNote }, meeting);
      return planOf(decision, { id: meetingId, stream });
    });
  }
}
