import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';

export class CancelActionCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly actionId: string,
    readonly input: { reason: string },
  ) {
    super();
  }
}
