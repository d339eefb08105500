import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';

export class RevokeOpen311ClientCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly clientId: string,
  ) {
    super();
  }
}
