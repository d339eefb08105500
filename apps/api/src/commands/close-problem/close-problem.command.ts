import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { CloseProblemRequest } from './close-problem.request.dto';

export class CloseProblemCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly body: CloseProblemRequest,
  ) {
    super();
  }
}
