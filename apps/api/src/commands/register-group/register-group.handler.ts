import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideGroup, evolveArea, groupStreamName, initialAreaState, streamName, type AreaState } from '@tasking/domain';
import { CommandRunner, actorOf, groupStreams, loadGroup, nowOf, partnershipOf, planOf, type CommandResult } from '@tasking/application';
import { RegisterGroupCommand } from './register-group.command';

@CommandHandler(RegisterGroupCommand)
export class RegisterGroupHandler implements ICommandHandler<RegisterGroupCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, body }: RegisterGroupCommand): Promise<CommandResult> {
    const partnership = partnershipOf(context.principal, body.partnership);
    // Codes are per partnership: another partnership's group of the same code is not this one.
    const stream = groupStreamName(partnership, body.code);
    return this.runner.run(context, { name: 'RegisterGroup' }, async (reader) => {
      const areas: Record<string, AreaState> = {};
      await reader.prefetch([...body.areaCodes.map((code) => streamName('area', code)), ...groupStreams(partnership, body.code)]);
      for (const code of new Set(body.areaCodes)) areas[code] = await reader.load(streamName('area', code), evolveArea, initialAreaState);
      const group = await loadGroup(reader, partnership, body.code);
      const decision = decideGroup(
        { type: 'RegisterGroup', actor: actorOf(context), now: nowOf(context), code: body.code, partnership, name: body.name, areaCodes: body.areaCodes, areas },
        group,
      );
      return planOf(decision, { id: body.code, stream });
    });
  }
}
