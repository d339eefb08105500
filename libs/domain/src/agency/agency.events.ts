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

/**
 * The agency's webhook for one partnership: http or https, no credentials in it; the secret is
 * never in an event. Deliveries of an event go to the webhook of the event's partnership only.
 * `partnership` is absent from events written before webhooks were per partnership: such a
 * webhook serves the deployment's default partnership (`DEFAULT_PARTNERSHIP`), and no other.
 */
export type AgencyWebhookSet = Event<'AgencyWebhookSet', { url: string; partnership?: string }>;

export type AgencyDeactivated = Event<'AgencyDeactivated', { reason: string }>;

export type AgencyEvent = AgencyRegistered | AgencyWebhookSet | AgencyDeactivated;

const agencyEventTypes: Record<AgencyEvent['type'], true> = {
  AgencyRegistered: true,
  AgencyWebhookSet: true,
  AgencyDeactivated: true,
};
export const AGENCY_EVENT_TYPES = Object.keys(agencyEventTypes) as readonly AgencyEvent['type'][];
