import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';

export class CloseMeetingCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly meetingId: string,
    readonly input: { minutesNote: string },
  ) {
    super();
  }
}
