import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { LinkIncidentRequest } from './link-incident.request.dto';

export class LinkIncidentCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly incidentId: string,
    readonly body: LinkIncidentRequest,
  ) {
    super();
  }
}
