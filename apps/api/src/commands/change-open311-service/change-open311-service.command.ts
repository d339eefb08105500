import { Command } from '@nestjs/cqrs';
import type { ProblemCategory } from '@tasking/domain';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { ChangeOpen311ServiceRequest } from './change-open311-service.request.dto';

export class ChangeOpen311ServiceCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly category: ProblemCategory,
    readonly body: ChangeOpen311ServiceRequest,
  ) {
    super();
  }
}
