import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';

/** Answers with the problem's id and revision (ProblemTabled goes to the problem's stream). */
export class TableProblemCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly meetingId: string,
    readonly input: { problemId: string },
  ) {
    super();
  }
}
