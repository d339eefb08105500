import type { Event } from '../event';

/**
 * An application that reports to one partnership over Open311 (evidence.md, "Clients"). Stream
 * `open311client-<id>`. The API key itself is never recorded: only its SHA-256 and the short
 * prefix it is looked up by.
 */
export type Open311ClientRegistered = Event<
  'Open311ClientRegistered',
  {
    clientId: string;
    partnership: string;
    name: string;
    /** The `attribute[...]` whose value, with the client's id, is a report's externalId. */
    externalIdAttribute?: string;
    keyPrefix: string;
    /** Hex SHA-256 of the key. */
    keyHash: string;
  }
>;

export type Open311ClientRevoked = Event<'Open311ClientRevoked', Record<string, never>>;

export type Open311ClientEvent = Open311ClientRegistered | Open311ClientRevoked;

const open311ClientEventTypes: Record<Open311ClientEvent['type'], true> = { Open311ClientRegistered: true, Open311ClientRevoked: true };
export const OPEN311_CLIENT_EVENT_TYPES = Object.keys(open311ClientEventTypes) as readonly Open311ClientEvent['type'][];
