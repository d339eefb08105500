import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { UnlinkIncidentRequest } from './unlink-incident.request.dto';

export class UnlinkIncidentCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly incidentId: string,
    readonly body: UnlinkIncidentRequest,
  ) {
    super();
  }
}
