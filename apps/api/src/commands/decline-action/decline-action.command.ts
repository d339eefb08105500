import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { DeclineActionRequest } from './decline-action.request.dto';

export class DeclineActionCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly actionId: string,
    readonly body: DeclineActionRequest,
  ) {
    super();
  }
}
