import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { CloseMeetingRequest } from './close-meeting.request.dto';

export class CloseMeetingCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly meetingId: string,
    readonly body: CloseMeetingRequest,
  ) {
    super();
  }
}
