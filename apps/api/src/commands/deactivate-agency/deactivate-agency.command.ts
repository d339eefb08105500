import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { DeactivateAgencyRequest } from './deactivate-agency.request.dto';

export class DeactivateAgencyCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly agencyCode: string,
    readonly body: DeactivateAgencyRequest,
  ) {
    super();
  }
}
