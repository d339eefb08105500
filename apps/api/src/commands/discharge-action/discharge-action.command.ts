import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { DischargeActionRequest } from './discharge-action.request.dto';

export class DischargeActionCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly actionId: string,
    readonly body: DischargeActionRequest,
  ) {
    super();
  }
}
