import type { ProblemCategory } from '../categories';
import { unknownEvent, type IsoDateTime } from '../event';
import type { IncidentChannel, IncidentEvent } from './incident.events';

export type NoIncident = { status: 'none'; revision: number };

/** How triage left it: linked to a problem, marked a duplicate of another incident, or dismissed. */
export type IncidentDisposition = { kind: 'linked'; problemId: string } | { kind: 'duplicate'; of: string } | { kind: 'dismissed' };

export type ExistingIncident = {
  /** `withdrawn`: its import took it back; it refuses triage. */
  status: 'recorded' | 'withdrawn';
  /** 0-based index of the last event folded. */
  revision: number;
  incidentId: string;
  partnership: string;
  source: string;
  externalId: string;
  channel: IncidentChannel;
  category: ProblemCategory;
  areaCode?: string;
  /** Whether it waits for triage (its source's flag when recorded). */
  triage: boolean;
  contentHash: string;
  disposition?: IncidentDisposition;
  /** When IncidentRecorded was recorded (absent when the fold did not know); retention counts from it. */
  recordedAt?: IsoDateTime;
  personalDataErased: boolean;
};

export type IncidentState = NoIncident | ExistingIncident;

export const initialIncidentState: IncidentState = { status: 'none', revision: -1 };

export function evolveIncident(state: IncidentState, event: IncidentEvent): IncidentState {
  const revision = state.revision + 1;
  if (event.type === 'IncidentRecorded') {
    const { incidentId, partnership, source, externalId, channel, category, location, triage, contentHash } = event.data;
    return {
      status: 'recorded',
      revision,
      incidentId,
      partnership,
      source,
      externalId,
      channel,
      category,
      ...(location.areaCode === undefined ? {} : { areaCode: location.areaCode }),
      triage,
      contentHash,
      ...(event.recordedAt === undefined ? {} : { recordedAt: event.recordedAt }),
      personalDataErased: false,
    };
  }
  // Events before IncidentRecorded cannot be produced by the decider; count them and move on.
  if (state.status === 'none') return { ...state, revision };

  switch (event.type) {
    case 'IncidentUpdated': {
      const { category, location, contentHash } = event.data;
      const areaCode = location === undefined ? state.areaCode : location.areaCode;
      const { areaCode: _previous, ...rest } = state;
      return { ...rest, revision, category: category ?? state.category, ...(areaCode === undefined ? {} : { areaCode }), contentHash };
    }
    case 'IncidentWithdrawn':
      return { ...state, revision, status: 'withdrawn' };
    case 'IncidentLinked':
      return { ...state, revision, disposition: { kind: 'linked', problemId: event.data.problemId } };
    case 'IncidentUnlinked': {
      const { disposition: _linked, ...rest } = state;
      return { ...rest, revision };
    }
    case 'IncidentMarkedDuplicate':
      return { ...state, revision, disposition: { kind: 'duplicate', of: event.data.of } };
    case 'IncidentDismissed':
      return { ...state, revision, disposition: { kind: 'dismissed' } };
    case 'IncidentPersonalDataErased':
      return { ...state, revision, personalDataErased: true };
    default:
      unknownEvent(event);
      return { ...state, revision };
  }
}
