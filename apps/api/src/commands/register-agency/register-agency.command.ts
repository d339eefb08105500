import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { RegisterAgencyRequest } from './register-agency.request.dto';

export class RegisterAgencyCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly body: RegisterAgencyRequest,
  ) {
    super();
  }
}
