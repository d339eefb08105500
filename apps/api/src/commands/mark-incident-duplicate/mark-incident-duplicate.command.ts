import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { MarkIncidentDuplicateRequest } from './mark-incident-duplicate.request.dto';

export class MarkIncidentDuplicateCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly incidentId: string,
    readonly body: MarkIncidentDuplicateRequest,
  ) {
    super();
  }
}
