import { Command } from '@nestjs/cqrs';
import type { Attendee } from '@tasking/domain';
import type { CommandContext, CommandResult } from '@tasking/application';

export class RecordAttendanceCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly meetingId: string,
    readonly input: { attendees: Attendee[] },
  ) {
    super();
  }
}
