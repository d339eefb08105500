import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import {
  OPEN311_SOURCE,
  decideIncident,
  evolveArea,
  evolveIncident,
  evolveSource,
  initialAreaState,
  initialIncidentState,
  initialSourceState,
  sourceStreamName,
  streamName,
  type IncidentLocation,
} from '@tasking/domain';
import { CommandRunner, actorOf, contentHashOf, incidentIdOf, newIdFor, nowOf, partnershipOf, planOf, resolveArea, type CommandResult } from '@tasking/application';
import { PartnershipAreasQuery } from '@tasking/projections';
import { RecordIncidentCommand } from './record-incident.command';

/** Sources every partnership has without registering them (evidence.md, "Sources"): residents' reports, triaged. */
const BUILT_IN_SOURCES: readonly string[] = ['console', OPEN311_SOURCE.code];

/**
 * A report taken by phone or at a counter. Its external id is new (derived from the
 * Idempotency-Key when there is one, so a repeat names the same incident); the id and the
 * content hash derive from it and from the mapped fields. The area is the one the caller names,
 * else the partnership's area that holds the point (`resolveArea`, over the areas as the read
 * model has them); a report in no area is recorded `unmapped`. The triage flag is the source's.
 */
@CommandHandler(RecordIncidentCommand)
export class RecordIncidentHandler implements ICommandHandler<RecordIncidentCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly queryBus: QueryBus,
  ) {}

  async execute({ context, body }: RecordIncidentCommand): Promise<CommandResult> {
    const partnership = partnershipOf(context.principal, body.partnership);
    const externalId = newIdFor(context, 'incident');
    const incidentId = incidentIdOf(partnership, body.source, externalId);
    const stream = streamName('incident', incidentId);
    const sourceStream = sourceStreamName(partnership, body.source);
    const named = body.location.areaCode;
    const { lat, lng } = body.location;
    const areaCode =
      named ?? (lat === undefined || lng === undefined ? undefined : resolveArea({ lat, lng }, await this.queryBus.execute(new PartnershipAreasQuery(partnership))));
    const areaStream = named === undefined ? undefined : streamName('area', named);
    const location: IncidentLocation = { ...body.location, ...(areaCode === undefined ? {} : { areaCode }) };
    const occurredPrecision = /^\d{4}-\d{2}-\d{2}$/.test(body.occurredAt) ? 'day' : 'exact';
    const content = { category: body.category, sourceCategory: body.category, occurredAt: body.occurredAt, occurredPrecision, location, description: body.description } as const;
    return this.runner.run(context, { name: 'RecordIncident' }, async (reader) => {
      await reader.prefetch([stream, sourceStream, ...(areaStream === undefined ? [] : [areaStream])]);
      const builtIn = BUILT_IN_SOURCES.includes(body.source);
      const source = builtIn ? initialSourceState : await reader.load(sourceStream, evolveSource, initialSourceState);
      const area = areaStream === undefined ? undefined : await reader.load(areaStream, evolveArea, initialAreaState);
      const incident = await reader.load(stream, evolveIncident, initialIncidentState);
      const decision = decideIncident(
        {
          type: 'RecordIncident',
          actor: actorOf(context),
          now: nowOf(context),
          sourceKnown: builtIn || source.status === 'registered',
          area,
          incidentId,
          partnership,
          source: body.source,
          externalId,
          ...content,
          unmapped: areaCode === undefined,
          reporter: body.reporter === undefined ? undefined : { ...body.reporter },
          channel: 'console',
          triage: builtIn || (source.status === 'registered' && source.triage),
          contentHash: contentHashOf(content),
        },
        incident,
      );
      return planOf(decision, { id: incidentId, stream });
    });
  }
}
