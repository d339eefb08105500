import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideGroup } from '@tasking/domain';
import { CommandRunner, actorOf, groupStreams, loadGroupStream, nowOf, partnershipOf, planOf, type CommandResult } from '@tasking/application';
import { SetGroupMembersCommand } from './set-group-members.command';

@CommandHandler(SetGroupMembersCommand)
export class SetGroupMembersHandler implements ICommandHandler<SetGroupMembersCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, groupCode, body }: SetGroupMembersCommand): Promise<CommandResult> {
    const partnership = partnershipOf(context.principal, body.partnership);
    return this.runner.run(context, { name: 'SetGroupMembers' }, async (reader) => {
      await reader.prefetch(groupStreams(partnership, groupCode));
      const { group, stream } = await loadGroupStream(reader, partnership, groupCode);
      const members = body.members.map(({ name, agency, role }) => (role === undefined ? { name, agency } : { name, agency, role }));
      const decision = decideGroup({ type: 'SetGroupMembers', actor: actorOf(context), now: nowOf(context), members }, group);
      return planOf(decision, { id: groupCode, stream });
    });
  }
}
