import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideMeeting, evolveMeeting, initialMeetingState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, groupStreams, loadGroup, newIdFor, nowOf, partnershipOf, planOf, type CommandResult } from '@tasking/application';
import { ScheduleMeetingCommand } from './schedule-meeting.command';

@CommandHandler(ScheduleMeetingCommand)
export class ScheduleMeetingHandler implements ICommandHandler<ScheduleMeetingCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, body }: ScheduleMeetingCommand): Promise<CommandResult> {
    const partnership = partnershipOf(context.principal, body.partnership);
    const meetingId = newIdFor(context, 'meeting');
    const stream = streamName('meeting', meetingId);
    return this.runner.run(context, { name: 'ScheduleMeeting' }, async (reader) => {
      await reader.prefetch([...groupStreams(partnership, body.groupCode), stream]);
      const group = await loadGroup(reader, partnership, body.groupCode);
      const meeting = await reader.load(stream, evolveMeeting, initialMeetingState);
      const decision = decideMeeting(
        {
          type: 'ScheduleMeeting',
          actor: actorOf(context),
          now: nowOf(context),
          timeZone: this.runner.timeZone,
          meetingId,
          partnership,
          groupCode: body.groupCode,
          heldOn: body.heldOn,
          chair: body.chair,
          group,
        },
        meeting,
      );
      return planOf(decision, { id: meetingId, stream });
    });
  }
}
