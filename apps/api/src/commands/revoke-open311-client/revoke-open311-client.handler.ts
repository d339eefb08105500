import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideOpen311Client, evolveOpen311Client, initialOpen311ClientState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { RevokeOpen311ClientCommand } from './revoke-open311-client.command';

@CommandHandler(RevokeOpen311ClientCommand)
export class RevokeOpen311ClientHandler implements ICommandHandler<RevokeOpen311ClientCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, clientId }: RevokeOpen311ClientCommand): Promise<CommandResult> {
    const stream = streamName('open311client', clientId);
    return this.runner.run(context, { name: 'RevokeOpen311Client', targetStream: stream }, async (reader) => {
      const client = await reader.load(stream, evolveOpen311Client, initialOpen311ClientState);
      const decision = decideOpen311Client({ type: 'RevokeOpen311Client', actor: actorOf(context), now: nowOf(context) }, client);
      return planOf(decision, { id: clientId, stream });
    });
  }
}
