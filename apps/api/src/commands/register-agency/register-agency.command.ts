import { Command } from '@nestjs/cqrs';
import type { AgencyKind } from '@tasking/domain';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface RegisterAgencyInput {
  code: string;
  name: string;
  kind: AgencyKind;
  webhookUrl?: string;
  /** Kept encrypted outside the log; never in an event. */
  webhookSecret?: string;
  /** The partnership the webhook serves (default: the admin's only one). */
  partnership?: string;
}

export class RegisterAgencyCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly input: RegisterAgencyInput,
  ) {
    super();
  }
}
