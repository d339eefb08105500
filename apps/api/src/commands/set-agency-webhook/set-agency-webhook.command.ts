import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface SetAgencyWebhookInput {
  webhookUrl: string;
  /** Kept encrypted outside the log; never in an event. */
  webhookSecret: string;
  /** The partnership the webhook serves (default: the admin's only one). */
  partnership?: string;
}

export class SetAgencyWebhookCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly agencyCode: string,
    readonly input: SetAgencyWebhookInput,
  ) {
    super();
  }
}
