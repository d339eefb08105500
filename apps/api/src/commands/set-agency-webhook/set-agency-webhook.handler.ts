import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideAgency, evolveAgency, initialAgencyState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, partnershipOf, planOf, type CommandResult } from '@tasking/application';
import { WebhookSecrets } from '@tasking/personal-data';
import { SetAgencyWebhookCommand } from './set-agency-webhook.command';

@CommandHandler(SetAgencyWebhookCommand)
export class SetAgencyWebhookHandler implements ICommandHandler<SetAgencyWebhookCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly secrets: WebhookSecrets,
  ) {}

  async execute({ context, agencyCode, body }: SetAgencyWebhookCommand): Promise<CommandResult> {
    const partnership = partnershipOf(context.principal, body.partnership);
    const stream = streamName('agency', agencyCode);
    const result = await this.runner.run(context, { name: 'SetAgencyWebhook', targetStream: stream }, async (reader) => {
      const agency = await reader.load(stream, evolveAgency, initialAgencyState);
      const decision = decideAgency({ type: 'SetAgencyWebhook', actor: actorOf(context), now: nowOf(context), url: body.webhookUrl, partnership }, agency);
      return planOf(decision, { id: agencyCode, stream });
    });
    // The event records the URL only; the secret goes to its encrypted table once the event is in.
    await this.secrets.save(agencyCode, partnership, body.webhookSecret, context.now);
    return result;
  }
}
