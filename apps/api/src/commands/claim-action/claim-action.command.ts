import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';

export class ClaimActionCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly actionId: string,
  ) {
    super();
  }
}
