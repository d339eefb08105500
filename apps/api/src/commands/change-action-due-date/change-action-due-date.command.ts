import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { ChangeActionDueDateRequest } from './change-action-due-date.request.dto';

export class ChangeActionDueDateCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly actionId: string,
    readonly body: ChangeActionDueDateRequest,
  ) {
    super();
  }
}
