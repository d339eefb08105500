import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { DismissIncidentRequest } from './dismiss-incident.request.dto';

export class DismissIncidentCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly incidentId: string,
    readonly body: DismissIncidentRequest,
  ) {
    super();
  }
}
