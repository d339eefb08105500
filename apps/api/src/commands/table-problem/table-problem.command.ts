import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { TableProblemRequest } from './table-problem.request.dto';

/** Answers with the problem's id and revision (ProblemTabled goes to the problem's stream). */
export class TableProblemCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly meetingId: string,
    readonly body: TableProblemRequest,
  ) {
    super();
  }
}
