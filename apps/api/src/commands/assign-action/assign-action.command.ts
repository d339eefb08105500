import { Command } from '@nestjs/cqrs';
import type { TacticInput } from '@tasking/domain';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface AssignActionInput {
  agency: string;
  description: string;
  tactic: TacticInput;
  dueBy: string;
  meetingId?: string;
  agreedEarlier?: boolean;
}

/** Answers with the new action's id and revision. */
export class AssignActionCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly input: AssignActionInput,
  ) {
    super();
  }
}
