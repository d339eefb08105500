import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideAgency, evolveAgency, initialAgencyState, streamName } from '@tasking/domain';
import { ApiError } from '@tasking/shared';
import { CommandRunner, actorOf, nowOf, partnershipOf, planOf, type CommandResult } from '@tasking/application';
import { WebhookSecrets } from '@tasking/personal-data';
import { RegisterAgencyCommand } from './register-agency.command';

@CommandHandler(RegisterAgencyCommand)
export class RegisterAgencyHandler implements ICommandHandler<RegisterAgencyCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly secrets: WebhookSecrets,
  ) {}

  async execute({ context, body }: RegisterAgencyCommand): Promise<CommandResult> {
    // Deliveries are signed with the secret: a URL without one (or a secret without a URL) is no webhook.
    if ((body.webhookUrl === undefined) !== (body.webhookSecret === undefined)) {
      const missing = body.webhookUrl === undefined ? 'webhookUrl' : 'webhookSecret';
      throw new ApiError('VALIDATION_FAILED', 'give webhookUrl and webhookSecret together, or neither', [
        { field: missing, message: `${missing} is required with ${missing === 'webhookUrl' ? 'webhookSecret' : 'webhookUrl'}` },
      ]);
    }
    const webhookPartnership = body.webhookUrl === undefined ? undefined : partnershipOf(context.principal, body.partnership);
    const stream = streamName('agency', body.code);
    const result = await this.runner.run(context, { name: 'RegisterAgency' }, async (reader) => {
      const agency = await reader.load(stream, evolveAgency, initialAgencyState);
      const decision = decideAgency(
        {
          type: 'RegisterAgency',
          actor: actorOf(context),
          now: nowOf(context),
          code: body.code,
          name: body.name,
          kind: body.kind,
          webhookUrl: body.webhookUrl,
          webhookPartnership,
        },
        agency,
      );
      return planOf(decision, { id: body.code, stream });
    });
    // After the append (a refused registration stores nothing); a replay stores the same secret again.
    if (body.webhookSecret !== undefined && webhookPartnership !== undefined) {
      await this.secrets.save(body.code, webhookPartnership, body.webhookSecret, context.now);
    }
    return result;
  }
}
