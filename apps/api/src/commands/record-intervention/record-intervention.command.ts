import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { RecordInterventionRequest } from './record-intervention.request.dto';

/** The action's id and revision, and the id of the intervention recorded. */
export type RecordInterventionResult = CommandResult & { interventionId: string };

export class RecordInterventionCommand extends Command<RecordInterventionResult> {
  constructor(
    readonly context: CommandContext,
    readonly actionId: string,
    readonly body: RecordInterventionRequest,
  ) {
    super();
  }
}
