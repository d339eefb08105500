import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface ChangeActionDueDateInput {
  dueBy: string;
  reason: string;
}

export class ChangeActionDueDateCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly actionId: string,
    readonly input: ChangeActionDueDateInput,
  ) {
    super();
  }
}
