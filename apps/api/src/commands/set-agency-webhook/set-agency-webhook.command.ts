import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { SetAgencyWebhookRequest } from './set-agency-webhook.request.dto';

export class SetAgencyWebhookCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly agencyCode: string,
    readonly body: SetAgencyWebhookRequest,
  ) {
    super();
  }
}
