import type { AgencyKind } from '../categories';
import type { Event } from '../event';

export type AgencyRegistered = Event<
  'AgencyRegistered',
  {
    /** `POLICE`, `COUNCIL-ASB`, `FIRE`... */
    code: string;
    name: string;
    kind: AgencyKind;
  }
>;

/** http or https, no credentials in it; the secret is never in an event. */
export type AgencyWebhookSet = Event<'AgencyWebhookSet', { url: string }>;

export type AgencyDeactivated = Event<'AgencyDeactivated', { reason: string }>;

export type AgencyEvent = AgencyRegistered | AgencyWebhookSet | AgencyDeactivated;

const agencyEventTypes: Record<AgencyEvent['type'], true> = {
  AgencyRegistered: true,
  AgencyWebhookSet: true,
  AgencyDeactivated: true,
};
export const AGENCY_EVENT_TYPES = Object.keys(agencyEventTypes) as readonly AgencyEvent['type'][];
