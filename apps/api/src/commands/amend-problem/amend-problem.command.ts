import { Command } from '@nestjs/cqrs';
import type { ProblemCategory, ProblemLocation } from '@tasking/domain';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface AmendProblemInput {
  title?: string;
  description?: string;
  category?: ProblemCategory;
  location?: ProblemLocation;
}

export class AmendProblemCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly input: AmendProblemInput,
  ) {
    super();
  }
}
