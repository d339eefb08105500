import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { AssignActionRequest } from './assign-action.request.dto';

/** Answers with the new action's id and revision. */
export class AssignActionCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly body: AssignActionRequest,
  ) {
    super();
  }
}
