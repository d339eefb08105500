import type { ProblemCategory } from '../categories';
import type { Event } from '../event';

/**
 * A partnership's own settings (evidence.md, "Open311"). Stream `partnership-<code>`; a partnership
 * without events has the defaults (`partnershipSettingsOf`).
 */

/** Only the settings given. */
export type PartnershipSettingsChanged = Event<
  'PartnershipSettingsChanged',
  {
    /** Other `jurisdiction_id` values Open311 clients may send for this partnership. */
    open311Jurisdictions?: string[];
    /** Whether `GET requests` shows reports' descriptions. */
    publicDescriptions?: boolean;
  }
>;

/** Whether a problem category is an Open311 service of the partnership, and what it is called there. */
export type Open311ServiceChanged = Event<
  'Open311ServiceChanged',
  { category: ProblemCategory; reportable: boolean; name?: string; description?: string }
>;

export type PartnershipEvent = PartnershipSettingsChanged | Open311ServiceChanged;

const partnershipEventTypes: Record<PartnershipEvent['type'], true> = { PartnershipSettingsChanged: true, Open311ServiceChanged: true };
export const PARTNERSHIP_EVENT_TYPES = Object.keys(partnershipEventTypes) as readonly PartnershipEvent['type'][];
