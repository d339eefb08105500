import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { ReleaseActionRequest } from './release-action.request.dto';

export class ReleaseActionCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly actionId: string,
    readonly body: ReleaseActionRequest,
  ) {
    super();
  }
}
