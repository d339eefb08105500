import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideOpen311Client, evolveOpen311Client, initialOpen311ClientState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, newIdFor, nowOf, partnershipOf, planOf, type CommandResult } from '@tasking/application';
import { issueApiKey } from '../../open311/api-keys';
import { RegisterOpen311ClientCommand } from './register-open311-client.command';

@CommandHandler(RegisterOpen311ClientCommand)
export class RegisterOpen311ClientHandler implements ICommandHandler<RegisterOpen311ClientCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ context, body }: RegisterOpen311ClientCommand): Promise<CommandResult & { apiKey?: string }> {
    const clientId = newIdFor(context, 'open311client');
    const stream = streamName('open311client', clientId);
    const partnership = partnershipOf(context.principal, body.partnership);
    const key = issueApiKey();
    // Only the run that decides the registration has a key to show: a repeat answers from the log,
    // which holds the hash alone.
    let registeredNow = false;
    const result = await this.runner.run(context, { name: 'RegisterOpen311Client' }, async (reader) => {
      const client = await reader.load(stream, evolveOpen311Client, initialOpen311ClientState);
      const decision = decideOpen311Client(
        {
          type: 'RegisterOpen311Client',
          actor: actorOf(context),
          now: nowOf(context),
          clientId,
          partnership,
          name: body.name,
          externalIdAttribute: body.externalIdAttribute,
          keyPrefix: key.keyPrefix,
          keyHash: key.keyHash,
        },
        client,
      );
      registeredNow = decision.ok;
      return planOf(decision, { id: clientId, stream });
    });
    return registeredNow ? { ...result, apiKey: key.apiKey } : result;
  }
}
