import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideIncident, evolveIncident, initialIncidentState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { DismissIncidentCommand } from './dismiss-incident.command';

@CommandHandler(DismissIncidentCommand)
export class DismissIncidentHandler implements ICommandHandler<DismissIncidentCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, incidentId, body }: DismissIncidentCommand): Promise<CommandResult> {
    const stream = streamName('incident', incidentId);
    return this.runner.run(context, { name: 'DismissIncident', targetStream: stream }, async (reader) => {
      const incident = await reader.load(stream, evolveIncident, initialIncidentState);
      const decision = decideIncident(
        { type: 'DismissIncident', actor: actorOf(context), now: nowOf(context), reasonCode: body.reasonCode, note: body.note },
        incident,
      );
      return planOf(decision, { id: incidentId, stream });
    });
  }
}
