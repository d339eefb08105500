import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideIncident, evolveIncident, initialIncidentState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { MarkIncidentDuplicateCommand } from './mark-incident-duplicate.command';

/** The original's state is read for the rules (another incident of the same partnership); only the duplicate's stream is written. */
@CommandHandler(MarkIncidentDuplicateCommand)
export class MarkIncidentDuplicateHandler implements ICommandHandler<MarkIncidentDuplicateCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, incidentId, body }: MarkIncidentDuplicateCommand): Promise<CommandResult> {
    const stream = streamName('incident', incidentId);
    const originalStream = streamName('incident', body.of);
    return this.runner.run(context, { name: 'MarkIncidentDuplicate', targetStream: stream }, async (reader) => {
      await reader.prefetch([stream, originalStream]);
      const incident = await reader.load(stream, evolveIncident, initialIncidentState);
      const original = await reader.load(originalStream, evolveIncident, initialIncidentState);
      const decision = decideIncident({ type: 'MarkIncidentDuplicate', actor: actorOf(context), now: nowOf(context), of: body.of, original }, incident);
      return planOf(decision, { id: incidentId, stream });
    });
  }
}
