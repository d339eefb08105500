import type { ProblemCategory } from '../categories';
import type { Event } from '../event';

/**
 * A source of incidents, registered per partnership (evidence.md, "Sources"). Stream
 * `source-<partnership>.<code>`. Every partnership also has the built-in `open311` source (kind
 * `community`, triage on) without registering it.
 */

export const SOURCE_KINDS = ['community', 'police', 'council', 'fire', 'other'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** The source's own category (as given, compared without regard to case) → a problem category. */
export type CategoryMap = Readonly<Record<string, ProblemCategory>>;

export type SourceRegistered = Event<
  'SourceRegistered',
  {
    code: string;
    partnership: string;
    name: string;
    kind: SourceKind;
    /** Default: true for `community`, false otherwise. */
    triage: boolean;
    categoryMap: CategoryMap;
  }
>;

/** Only the fields that changed (a repeated PUT). */
export type SourceUpdated = Event<
  'SourceUpdated',
  {
    name?: string;
    kind?: SourceKind;
    triage?: boolean;
    categoryMap?: CategoryMap;
  }
>;

export type SourceEvent = SourceRegistered | SourceUpdated;

const sourceEventTypes: Record<SourceEvent['type'], true> = { SourceRegistered: true, SourceUpdated: true };
export const SOURCE_EVENT_TYPES = Object.keys(sourceEventTypes) as readonly SourceEvent['type'][];
