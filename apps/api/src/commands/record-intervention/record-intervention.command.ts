import { Command } from '@nestjs/cqrs';
import type { TacticInput } from '@tasking/domain';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface RecordInterventionInput {
  tactic: TacticInput;
  description: string;
  occurredAt: string;
}

/** The action's id and revision, and the id of the intervention recorded. */
export type RecordInterventionResult = CommandResult & { interventionId: string };

export class RecordInterventionCommand extends Command<RecordInterventionResult> {
  constructor(
    readonly context: CommandContext,
    readonly actionId: string,
    readonly input: RecordInterventionInput,
  ) {
    super();
  }
}
