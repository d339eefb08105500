import type { ProblemCategory } from '../categories';
import type { Event, IsoDateTime } from '../event';

/**
 * Incidents (evidence.md, "Incidents"): one record of something that happened at a place and time,
 * reported by a resident or imported from an agency's records. Evidence only: counted, mapped and
 * linked to problems; no actions. Stream `incident-<id>`, the id a UUID v5 over (partnership,
 * source, externalId) (`incidentIdOf`), so a record posted or imported twice is one incident.
 */

export const INCIDENT_CHANNELS = ['open311', 'console', 'import'] as const;
export type IncidentChannel = (typeof INCIDENT_CHANNELS)[number];

/** `exact`: a time; `day`: a date in TIME_ZONE; `month`: a calendar month. */
export const OCCURRED_PRECISIONS = ['exact', 'day', 'month'] as const;
export type OccurredPrecision = (typeof OCCURRED_PRECISIONS)[number];

export const DISMISS_REASON_CODES = ['not-a-problem', 'out-of-area', 'test', 'other'] as const;
export type DismissReasonCode = (typeof DISMISS_REASON_CODES)[number];

export const WITHDRAW_REASONS = ['absent-from-complete-import', 'import-withdrawn'] as const;
export type WithdrawReason = (typeof WITHDRAW_REASONS)[number];

/** Where an incident happened, resolved to an area at record time (projections need no geometry). */
export type IncidentLocation = {
  lat?: number;
  lng?: number;
  /** Upper-case as given. */
  lsoaCode?: string;
  /** Personal. */
  address?: string;
  areaCode?: string;
};

/** One Open311 attribute (`attribute[name]`, or `device_id`, `account_id`, `media_url`). */
export type IncidentAttribute = { name: string; /** Personal. */ value: string };

/** Personal: who reported it. */
export type IncidentReporter = { name?: string; email?: string; phone?: string };

export type IncidentRecorded = Event<
  'IncidentRecorded',
  {
    incidentId: string;
    partnership: string;
    source: string;
    externalId: string;
    category: ProblemCategory;
    sourceCategory: string;
    occurredAt: IsoDateTime;
    occurredPrecision: OccurredPrecision;
    reportedAt?: IsoDateTime;
    location: IncidentLocation;
    /** No area of the partnership holds it (reported incidents only; imported ones are not recorded). */
    unmapped: boolean;
    outcome?: string;
    context?: string;
    /** Personal. */
    description?: string;
    /** Personal. */
    reporter?: IncidentReporter;
    /** Open311 `attribute[...]`, `device_id`, `account_id`, `media_url`: the names as given, the values personal. */
    attributes?: IncidentAttribute[];
    channel: IncidentChannel;
    importId?: string;
    /** Whether it waits for triage (its source's `triage` flag when recorded). */
    triage: boolean;
    contentHash: string;
  }
>;

/** Only the changed mapped fields, with the new hash. */
export type IncidentUpdated = Event<
  'IncidentUpdated',
  {
    category?: ProblemCategory;
    sourceCategory?: string;
    occurredAt?: IsoDateTime;
    occurredPrecision?: OccurredPrecision;
    location?: IncidentLocation;
    unmapped?: boolean;
    outcome?: string;
    context?: string;
    /** Personal. */
    description?: string;
    contentHash: string;
    /** The import's time. */
    sourceUpdatedAt: IsoDateTime;
    importId?: string;
  }
>;

export type IncidentWithdrawn = Event<'IncidentWithdrawn', { reason: WithdrawReason; importId: string }>;

export type IncidentLinked = Event<'IncidentLinked', { problemId: string }>;

export type IncidentUnlinked = Event<'IncidentUnlinked', { problemId: string; /** Personal. */ reason: string }>;

export type IncidentMarkedDuplicate = Event<'IncidentMarkedDuplicate', { of: string }>;

export type IncidentDismissed = Event<'IncidentDismissed', { reasonCode: DismissReasonCode; /** Personal. */ note?: string }>;

/** The end of an incident's retention: its key destroyed, its personal fields read as ERASED. */
export type IncidentPersonalDataErased = Event<'IncidentPersonalDataErased', { erasedAt: IsoDateTime }>;

export type IncidentEvent =
  | IncidentRecorded
  | IncidentUpdated
  | IncidentWithdrawn
  | IncidentLinked
  | IncidentUnlinked
  | IncidentMarkedDuplicate
  | IncidentDismissed
  | IncidentPersonalDataErased;

const incidentEventTypes: Record<IncidentEvent['type'], true> = {
  IncidentRecorded: true,
  IncidentUpdated: true,
  IncidentWithdrawn: true,
  IncidentLinked: true,
  IncidentUnlinked: true,
  IncidentMarkedDuplicate: true,
  IncidentDismissed: true,
  IncidentPersonalDataErased: true,
};
export const INCIDENT_EVENT_TYPES = Object.keys(incidentEventTypes) as readonly IncidentEvent['type'][];
