import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { CancelActionRequest } from './cancel-action.request.dto';

export class CancelActionCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly actionId: string,
    readonly body: CancelActionRequest,
  ) {
    super();
  }
}
