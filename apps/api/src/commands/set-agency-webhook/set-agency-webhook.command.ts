import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '../command-runner';

export interface SetAgencyWebhookInput {
  webhookUrl: string;
  /** Kept encrypted outside the log; never in an event. */
  webhookSecret: string;
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
