import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { RaiseProblemRequest } from './raise-problem.request.dto';

export class RaiseProblemCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly body: RaiseProblemRequest,
  ) {
    super();
  }
}
