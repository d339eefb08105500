import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { ChangePartnershipSettingsRequest } from './change-partnership-settings.request.dto';

export class ChangePartnershipSettingsCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly partnership: string,
    readonly body: ChangePartnershipSettingsRequest,
  ) {
    super();
  }
}
