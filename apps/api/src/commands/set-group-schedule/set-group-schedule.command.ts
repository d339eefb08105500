import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { SetGroupScheduleRequest } from './set-group-schedule.request.dto';

export class SetGroupScheduleCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly groupCode: string,
    readonly body: SetGroupScheduleRequest,
  ) {
    super();
  }
}
