import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { evolveArea, evolveIncident, evolveProblem, initialAreaState, initialIncidentState, initialProblemState, raiseFromIncidents, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, groupStreams, loadGroup, newIdFor, nowOf, partnershipOf, refusalOf, type CommandResult } from '@tasking/application';
import { RaiseProblemCommand } from './raise-problem.command';

/**
 * The case reference is issued on the first attempt and kept by any retry after a conflict; a
 * repeat of an earlier request (Idempotency-Key) is answered before it and issues none. A raise
 * refused after it leaves a gap in the partnership's numbers (libs/domain, problem/reference.ts).
 * The incidents named in `incidentIds` are linked in the same append, each expected at the
 * revision read (raiseFromIncidents).
 */
@CommandHandler(RaiseProblemCommand)
export class RaiseProblemHandler implements ICommandHandler<RaiseProblemCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ context, body }: RaiseProblemCommand): Promise<CommandResult> {
    const partnership = partnershipOf(context.principal, body.partnership);
    const problemId = newIdFor(context, 'problem');
    const stream = streamName('problem', problemId);
    const now = nowOf(context);
    const incidentIds = body.incidentIds ?? [];
    const incidentStreams = incidentIds.map((id) => streamName('incident', id));
    let issued: Promise<string | undefined> | undefined;
    return this.runner.run(context, { name: 'RaiseProblem' }, async (reader) => {
      const reference = await (issued ??= this.runner.issueReference(partnership, now));
      await reader.prefetch([
        streamName('area', body.location.areaCode),
        ...(body.groupCode === undefined ? [] : groupStreams(partnership, body.groupCode)),
        stream,
        ...incidentStreams,
      ]);
      const area = await reader.load(streamName('area', body.location.areaCode), evolveArea, initialAreaState);
      const group = body.groupCode === undefined ? undefined : await loadGroup(reader, partnership, body.groupCode);
      const problem = await reader.load(stream, evolveProblem, initialProblemState);
      const incidents = await Promise.all(incidentStreams.map((incidentStream) => reader.load(incidentStream, evolveIncident, initialIncidentState)));
      const decision = raiseFromIncidents({
        problem,
        incidents,
        incidentIds,
        command: {
          type: 'RaiseProblem',
          actor: actorOf(context),
          now,
          timeZone: this.runner.timeZone,
          problemId,
          partnership,
          title: body.title,
          description: body.description,
          category: body.category,
          location: body.location,
          priority: body.priority,
          source: body.source,
          groupCode: body.groupCode,
          raisedAt: body.raisedAt,
          reference,
          area,
          group,
        },
      });
      if (!decision.ok) return refusalOf(decision.error);
      return {
        target: { id: problemId, stream },
        appends: [
          { stream, events: decision.events.problem },
          ...decision.events.incidents.map(({ incidentId, events }) => ({ stream: streamName('incident', incidentId), events })),
        ],
      };
    });
  }
}
