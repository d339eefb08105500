import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideIncident, evolveArea, evolveIncident, initialAreaState, initialIncidentState, streamName, type IncidentLocation } from '@tasking/domain';
import { CommandRunner, actorOf, contentHashOf, incidentIdOf, newIdFor, nowOf, partnershipOf, planOf, type CommandResult } from '@tasking/application';
import { RecordIncidentCommand } from './record-incident.command';

/** Sources every partnership has without registering them (evidence.md, "Sources"): residents' reports, triaged. */
const BUILT_IN_SOURCES: readonly string[] = ['console', 'open311'];

/**
 * A report taken by phone or at a counter. Its external id is new (derived from the
 * Idempotency-Key when there is one, so a repeat names the same incident); the id and the
 * content hash derive from it and from the mapped fields. The area is the one the caller names;
 * a report without one is recorded `unmapped`.
 */
@CommandHandler(RecordIncidentCommand)
export class RecordIncidentHandler implements ICommandHandler<RecordIncidentCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, body }: RecordIncidentCommand): Promise<CommandResult> {
    const partnership = partnershipOf(context.principal, body.partnership);
    const externalId = newIdFor(context, 'incident');
    const incidentId = incidentIdOf(partnership, body.source, externalId);
    const stream = streamName('incident', incidentId);
    const sourceStream = streamName('source', `${partnership}.${body.source}`);
    const areaCode = body.location.areaCode;
    const areaStream = areaCode === undefined ? undefined : streamName('area', areaCode);
    const location: IncidentLocation = { ...body.location };
    const occurredPrecision = /^\d{4}-\d{2}-\d{2}$/.test(body.occurredAt) ? 'day' : 'exact';
    const content = { category: body.category, sourceCategory: body.category, occurredAt: body.occurredAt, occurredPrecision, location, description: body.description } as const;
    return this.runner.run(context, { name: 'RecordIncident' }, async (reader) => {
      await reader.prefetch([stream, sourceStream, ...(areaStream === undefined ? [] : [areaStream])]);
      const builtIn = BUILT_IN_SOURCES.includes(body.source);
      // A registered source's latest triage flag (SourceRegistered, then SourceUpdated when it changed it).
      const sourceEvents = builtIn ? [] : await reader.events(sourceStream);
      const triage = builtIn || sourceEvents.reduce((flag, event) => (event.data as { triage?: boolean }).triage ?? flag, false);
      const area = areaStream === undefined ? undefined : await reader.load(areaStream, evolveArea, initialAreaState);
      const incident = await reader.load(stream, evolveIncident, initialIncidentState);
      const decision = decideIncident(
        {
          type: 'RecordIncident',
          actor: actorOf(context),
          now: nowOf(context),
          sourceKnown: builtIn || sourceEvents.length > 0,
          area,
          incidentId,
          partnership,
          source: body.source,
          externalId,
          ...content,
          unmapped: areaCode === undefined,
          reporter: body.reporter === undefined ? undefined : { ...body.reporter },
          channel: 'console',
          triage,
          contentHash: contentHashOf(content),
        },
        incident,
      );
      return planOf(decision, { id: incidentId, stream });
    });
  }
}
