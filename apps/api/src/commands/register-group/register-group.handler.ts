import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideGroup, evolveArea, groupStreamName, initialAreaState, streamName, type AreaState } from '@tasking/domain';
import { CommandRunner, actorOf, groupStreams, loadGroup, nowOf, partnershipOf, planOf, type CommandResult } from '@tasking/application';
import { RegisterGroupCommand } from './register-group.command';

@CommandHandler(RegisterGroupCommand)
export class RegisterGroupHandler implements ICommandHandler<RegisterGroupCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, input }: RegisterGroupCommand): Promise<CommandResult> {
    const partnership = partnershipOf(context.principal, input.partnership);
    // Codes are per partnership: another partnership's group of the same code is not this one.
    const stream = groupStreamName(partnership, input.code);
    return this.runner.run(context, { name: 'RegisterGroup' }, async (reader) => {
      const areas: Record<string, AreaState> = {};
      await reader.prefetch([...input.areaCodes.map((code) => streamName('area', code)), ...groupStreams(partnership, input.code)]);
      for (const code of new Set(input.areaCodes)) areas[code] = await reader.load(streamName('area', code), evolveArea, initialAreaState);
      const group = await loadGroup(reader, partnership, input.code);
      const decision = decideGroup(
        { type: 'RegisterGroup', actor: actorOf(context), now: nowOf(context), code: input.code, partnership, name: input.name, areaCodes: input.areaCodes, areas },
        group,
      );
      return planOf(decision, { id: input.code, stream });
    });
  }
}
