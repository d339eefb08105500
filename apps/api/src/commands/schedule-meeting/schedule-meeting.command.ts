import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { ScheduleMeetingRequest } from './schedule-meeting.request.dto';

export class ScheduleMeetingCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly body: ScheduleMeetingRequest,
  ) {
    super();
  }
}
