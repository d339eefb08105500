import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { RecordAttendanceRequest } from './record-attendance.request.dto';

export class RecordAttendanceCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly meetingId: string,
    readonly body: RecordAttendanceRequest,
  ) {
    super();
  }
}
