import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';

export class ReopenProblemCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly input: { reason: string },
  ) {
    super();
  }
}
