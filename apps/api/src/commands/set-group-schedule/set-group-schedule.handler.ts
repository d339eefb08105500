import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideGroup } from '@tasking/domain';
import { CommandRunner, actorOf, groupStreams, loadGroupStream, nowOf, partnershipOf, planOf, type CommandResult } from '@tasking/application';
import { SetGroupScheduleCommand } from './set-group-schedule.command';

@CommandHandler(SetGroupScheduleCommand)
export class SetGroupScheduleHandler implements ICommandHandler<SetGroupScheduleCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, groupCode, body }: SetGroupScheduleCommand): Promise<CommandResult> {
    const partnership = partnershipOf(context.principal, body.partnership);
    return this.runner.run(context, { name: 'SetGroupSchedule' }, async (reader) => {
      await reader.prefetch(groupStreams(partnership, groupCode));
      const { group, stream } = await loadGroupStream(reader, partnership, groupCode);
      const decision = decideGroup({ type: 'SetGroupSchedule', actor: actorOf(context), now: nowOf(context), everyDays: body.everyDays, from: body.from, time: body.time }, group);
      return planOf(decision, { id: groupCode, stream });
    });
  }
}
