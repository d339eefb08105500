import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { ReviewProblemRequest } from './review-problem.request.dto';

export class ReviewProblemCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly body: ReviewProblemRequest,
  ) {
    super();
  }
}
