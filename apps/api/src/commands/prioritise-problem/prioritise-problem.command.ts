import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { PrioritiseProblemRequest } from './prioritise-problem.request.dto';

export class PrioritiseProblemCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly body: PrioritiseProblemRequest,
  ) {
    super();
  }
}
