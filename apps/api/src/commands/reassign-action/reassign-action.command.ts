import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { ReassignActionRequest } from './reassign-action.request.dto';

export class ReassignActionCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly actionId: string,
    readonly body: ReassignActionRequest,
  ) {
    super();
  }
}
