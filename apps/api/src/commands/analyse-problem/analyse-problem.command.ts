import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { AnalyseProblemRequest } from './analyse-problem.request.dto';

export class AnalyseProblemCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly body: AnalyseProblemRequest,
  ) {
    super();
  }
}
