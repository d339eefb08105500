import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { SetGroupMembersRequest } from './set-group-members.request.dto';

export class SetGroupMembersCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly groupCode: string,
    readonly body: SetGroupMembersRequest,
  ) {
    super();
  }
}
