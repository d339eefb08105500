import { Command } from '@nestjs/cqrs';
import type { Displacement, Outcome } from '@tasking/domain';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface CloseProblemInput {
  outcome: Outcome;
  assessment: string;
  displacement?: Displacement;
  diffusionOfBenefits?: boolean;
  override?: boolean;
  overrideReason?: string;
  closedAt?: string;
}

export class CloseProblemCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly input: CloseProblemInput,
  ) {
    super();
  }
}
