import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  OPEN311_ACTOR,
  OPEN311_SOURCE,
  accept,
  decideIncident,
  evolveIncident,
  initialIncidentState,
  streamName,
  type IncidentAttribute,
  type IncidentEvent,
  type IncidentLocation,
  type IncidentReporter,
  type ProblemCategory,
} from '@tasking/domain';
import { CommandRunner, contentHashOf, incidentIdOf, planOf, resolveArea } from '@tasking/application';
import { PartnershipAreasQuery } from '@tasking/projections';
import { newId } from '@tasking/shared';
import type { Open311Client } from './open311-access';
import type { ServiceRequestPost } from './service-request-post';

/** The parameters kept as attributes beside `attribute[...]` (personal, like the rest of a report). */
const ATTRIBUTE_PARAMETERS = [
  ['deviceId', 'device_id'],
  ['accountId', 'account_id'],
  ['mediaUrl', 'media_url'],
] as const;

/**
 * Records an Open311 post as an incident (evidence.md, "Open311"): channel and source `open311`,
 * by the `open311` system; its externalId is the client's id with the value of the client's
 * `externalIdAttribute` when the post has it (so a repeated post is the same incident), else with
 * a new id. Coordinates resolve to the partnership's area that holds them; a report in none is
 * recorded `unmapped`.
 */
@Injectable()
export class Open311Reports {
  constructor(
    private readonly runner: CommandRunner,
    private readonly queryBus: QueryBus,
  ) {}

  async record(client: Open311Client, partnership: string, category: ProblemCategory, post: ServiceRequestPost, now: Date, correlationId: string): Promise<string> {
    const ownId = client.externalIdAttribute === undefined ? undefined : post.attributes.find((a) => a.name === client.externalIdAttribute)?.value;
    const externalId = `${client.clientId}:${ownId ?? newId()}`;
    const incidentId = incidentIdOf(partnership, OPEN311_SOURCE.code, externalId);
    const stream = streamName('incident', incidentId);
    const areaCode =
      post.lat === undefined || post.long === undefined ? undefined : resolveArea({ lat: post.lat, lng: post.long }, await this.queryBus.execute(new PartnershipAreasQuery(partnership)));
    const location: IncidentLocation = {
      ...(post.lat === undefined || post.long === undefined ? {} : { lat: post.lat, lng: post.long }),
      ...(post.addressString === undefined ? {} : { address: post.addressString }),
      ...(areaCode === undefined ? {} : { areaCode }),
    };
    const at = now.toISOString();
    const content = { category, sourceCategory: category, occurredAt: at, occurredPrecision: 'exact', location, description: post.description } as const;
    const name = [post.firstName, post.lastName].filter((part) => part !== undefined).join(' ');
    const reporter: IncidentReporter = {
      ...(name === '' ? {} : { name }),
      ...(post.email === undefined ? {} : { email: post.email }),
      ...(post.phone === undefined ? {} : { phone: post.phone }),
    };
    const attributes: IncidentAttribute[] = [
      ...post.attributes,
      ...ATTRIBUTE_PARAMETERS.flatMap(([field, parameter]) => (post[field] === undefined ? [] : [{ name: parameter, value: post[field] }])),
    ];
    await this.runner.run({ system: OPEN311_ACTOR.system, now, correlationId }, { name: 'RecordIncident' }, async (reader) => {
      const incident = await reader.load(stream, evolveIncident, initialIncidentState);
      // The client's own id posted again: the incident it recorded the first time.
      if (incident.status !== 'none') return planOf(accept<IncidentEvent>(), { id: incidentId, stream });
      const decision = decideIncident(
        {
          type: 'RecordIncident',
          actor: OPEN311_ACTOR,
          now: at,
          sourceKnown: true,
          incidentId,
          partnership,
          source: OPEN311_SOURCE.code,
          externalId,
          ...content,
          reportedAt: at,
          unmapped: areaCode === undefined,
          ...(post.description === undefined ? {} : { description: post.description }),
          ...(Object.keys(reporter).length === 0 ? {} : { reporter }),
          ...(attributes.length === 0 ? {} : { attributes }),
          channel: 'open311',
          triage: OPEN311_SOURCE.triage,
          contentHash: contentHashOf(content),
        },
        incident,
      );
      return planOf(decision, { id: incidentId, stream });
    });
    return incidentId;
  }
}
