import { Command } from '@nestjs/cqrs';
import type { Priority } from '@tasking/domain';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface PrioritiseProblemInput {
  priority: Priority;
  harmScore?: number;
  rationale: string;
}

export class PrioritiseProblemCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly input: PrioritiseProblemInput,
  ) {
    super();
  }
}
