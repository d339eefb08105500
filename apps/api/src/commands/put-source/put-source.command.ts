import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { PutSourceRequest } from './put-source.request.dto';

export class PutSourceCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly sourceCode: string,
    readonly body: PutSourceRequest,
  ) {
    super();
  }
}
