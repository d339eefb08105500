import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideIncident, evolveIncident, evolveProblem, initialIncidentState, initialProblemState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { LinkIncidentCommand } from './link-incident.command';

/** The problem's state is read for the rules (same partnership, open); only the incident's stream is written. */
@CommandHandler(LinkIncidentCommand)
export class LinkIncidentHandler implements ICommandHandler<LinkIncidentCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, incidentId, body }: LinkIncidentCommand): Promise<CommandResult> {
    const stream = streamName('incident', incidentId);
    const problemStream = streamName('problem', body.problemId);
    return this.runner.run(context, { name: 'LinkIncident', targetStream: stream }, async (reader) => {
      await reader.prefetch([stream, problemStream]);
      const incident = await reader.load(stream, evolveIncident, initialIncidentState);
      const problem = await reader.load(problemStream, evolveProblem, initialProblemState);
      const decision = decideIncident({ type: 'LinkIncident', actor: actorOf(context), now: nowOf(context), problemId: body.problemId, problem }, incident);
      return planOf(decision, { id: incidentId, stream });
    });
  }
}
