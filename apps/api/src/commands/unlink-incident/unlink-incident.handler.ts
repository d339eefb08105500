import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideIncident, evolveIncident, initialIncidentState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { UnlinkIncidentCommand } from './unlink-incident.command';

@CommandHandler(UnlinkIncidentCommand)
export class UnlinkIncidentHandler implements ICommandHandler<UnlinkIncidentCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, incidentId, body }: UnlinkIncidentCommand): Promise<CommandResult> {
    const stream = streamName('incident', incidentId);
    return this.runner.run(context, { name: 'UnlinkIncident', targetStream: stream }, async (reader) => {
      const incident = await reader.load(stream, evolveIncident, initialIncidentState);
      const decision = decideIncident({ type: 'UnlinkIncident', actor: actorOf(context), now: nowOf(context), reason: body.reason }, incident);
      return planOf(decision, { id: incidentId, stream });
    });
  }
}
