import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { ReopenProblemRequest } from './reopen-problem.request.dto';

export class ReopenProblemCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly body: ReopenProblemRequest,
  ) {
    super();
  }
}
