import type { ActionEvent } from './action/action.events';
import { ACTION_EVENT_TYPES } from './action/action.events';
import type { AgencyEvent } from './agency/agency.events';
import { AGENCY_EVENT_TYPES } from './agency/agency.events';
import type { AreaEvent } from './area/area.events';
import { AREA_EVENT_TYPES } from './area/area.events';
import type { GroupEvent } from './group/group.events';
import { GROUP_EVENT_TYPES } from './group/group.events';
import type { MeetingEvent } from './meeting/meeting.events';
import { MEETING_EVENT_TYPES } from './meeting/meeting.events';
import type { ProblemEvent } from './problem/problem.events';
import { PROBLEM_EVENT_TYPES } from './problem/problem.events';
import type { IncidentEvent } from './incident/incident.events';
import { INCIDENT_EVENT_TYPES } from './incident/incident.events';
import type { SourceEvent } from './source/source.events';
import { SOURCE_EVENT_TYPES } from './source/source.events';
import type { Open311ClientEvent } from './open311/open311-client.events';
import { OPEN311_CLIENT_EVENT_TYPES } from './open311/open311-client.events';
import type { PartnershipEvent } from './partnership/partnership.events';
import { PARTNERSHIP_EVENT_TYPES } from './partnership/partnership.events';

import type { ImportEvent } from './import/import.events';
import { IMPORT_EVENT_TYPES } from './import/import.events';

/** Every event of every aggregate. */
export type DomainEvent =
  | (ProblemEvent | ActionEvent | MeetingEvent | GroupEvent | AgencyEvent | AreaEvent | IncidentEvent | SourceEvent | ImportEvent)
  // Open311 clients and partnership settings.
  | Open311ClientEvent
  | PartnershipEvent;
export type DomainEventType = DomainEvent['type'];
/** The event of one type, e.g. `EventOfType<'ActionClaimed'>`. */
export type EventOfType<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;
/** The data of one event type, e.g. `EventData<'ProblemRaised'>`. */
export type EventData<T extends DomainEventType> = EventOfType<T>['data'];

export type AggregateKind =
  | ('problem' | 'action' | 'meeting' | 'group' | 'agency' | 'area' | 'incident' | 'source' | 'import')
  // Open311 clients and partnership settings.
  | 'open311client'
  | 'partnership';

/** The event types each aggregate's stream holds. */
export const EVENT_TYPES_BY_AGGREGATE: Readonly<Record<AggregateKind, readonly DomainEventType[]>> = {
  problem: PROBLEM_EVENT_TYPES,
  action: ACTION_EVENT_TYPES,
  meeting: MEETING_EVENT_TYPES,
  group: GROUP_EVENT_TYPES,
  agency: AGENCY_EVENT_TYPES,
  area: AREA_EVENT_TYPES,
  incident: INCIDENT_EVENT_TYPES,
  source: SOURCE_EVENT_TYPES,
  import: IMPORT_EVENT_TYPES,
  // Open311 clients and partnership settings.
  open311client: OPEN311_CLIENT_EVENT_TYPES,
  partnership: PARTNERSHIP_EVENT_TYPES,
};

export const DOMAIN_EVENT_TYPES: readonly DomainEventType[] = Object.values(EVENT_TYPES_BY_AGGREGATE).flat();

export const isDomainEventType = (type: string): type is DomainEventType => (DOMAIN_EVENT_TYPES as readonly string[]).includes(type);

/**
 * Narrows an event read from the store (type and data as stored) to a domain event. Only the type
 * string is checked: the store holds nothing but events the deciders produced.
 */
export const asDomainEvent = (event: { type: string; data: unknown }): DomainEvent | undefined =>
  isDomainEventType(event.type) ? ({ type: event.type, data: event.data } as DomainEvent) : undefined;

/**
 * Stream names: `problem-<uuid>`, `action-<uuid>`, `meeting-<uuid>`, `group-<partnership>.<code>`
 * (`groupStreamName`; `group-<code>` for groups registered before codes were per partnership),
 * `agency-<code>`, `area-<code>`, `incident-<uuid>` (UUID v5: `incidentIdOf`), `source-<partnership>.<code>`
 * (`sourceStreamName`), `import-<uuid>`, `open311client-<uuid>`, `partnership-<code>`.
 */
export const streamName = (kind: AggregateKind, id: string): string => `${kind}-${id}`;

/** The aggregate kind and id of a stream name, or undefined for a stream the domain does not know. */
export const parseStreamName = (stream: string): { kind: AggregateKind; id: string } | undefined => {
  const dash = stream.indexOf('-');
  if (dash < 0) return undefined;
  const kind = stream.slice(0, dash);
  const id = stream.slice(dash + 1);
  if (id === '' || !(kind in EVENT_TYPES_BY_AGGREGATE)) return undefined;
  return { kind: kind as AggregateKind, id };
};
