import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { PutAreaRequest } from './put-area.request.dto';

export class PutAreaCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly areaCode: string,
    readonly body: PutAreaRequest,
  ) {
    super();
  }
}
