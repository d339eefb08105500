import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { RecordIncidentRequest } from './record-incident.request.dto';

export class RecordIncidentCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly body: RecordIncidentRequest,
  ) {
    super();
  }
}
