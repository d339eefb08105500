import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { AmendProblemRequest } from './amend-problem.request.dto';

export class AmendProblemCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly body: AmendProblemRequest,
  ) {
    super();
  }
}
