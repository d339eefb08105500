import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { RegisterGroupRequest } from './register-group.request.dto';

export class RegisterGroupCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly body: RegisterGroupRequest,
  ) {
    super();
  }
}
