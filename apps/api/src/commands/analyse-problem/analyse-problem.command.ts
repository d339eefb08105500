import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';

/** Problem-analysis-triangle notes. */
export interface AnalyseProblemInput {
  victim?: string;
  offender?: string;
  location?: string;
  hypotheses?: string[];
}

export class AnalyseProblemCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly input: AnalyseProblemInput,
  ) {
    super();
  }
}
