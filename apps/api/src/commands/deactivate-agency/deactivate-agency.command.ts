import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';

export class DeactivateAgencyCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly agencyCode: string,
    readonly input: { reason: string },
  ) {
    super();
  }
}
