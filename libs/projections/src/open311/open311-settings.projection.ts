import type { EntityManager } from 'typeorm';
import { asDomainEvent, evolvePartnership, initialPartnershipState, parseStreamName, type Open311Service, type PartnershipState } from '@tasking/domain';
import type { RecordedEvent } from '@tasking/event-store';
import type { Projection } from '../projection';
import { RowBatch } from '../sql';
import { streamsToLoad, touchesKinds } from '../streams';

export interface Open311ClientRow {
  [column: string]: unknown;
  client_id: string;
  partnership: string;
  name: string;
  external_id_attribute: string | null;
  key_prefix: string;
  key_hash: string;
  revoked: boolean;
  revision: number;
  position: string;
}

export interface PartnershipSettingsRow {
  [column: string]: unknown;
  partnership: string;
  open311_jurisdictions: string[];
  public_descriptions: boolean;
  /** The services changed from their defaults, by category. */
  services: Record<string, Open311Service>;
  revision: number;
  position: string;
}

const stateOf = (row: PartnershipSettingsRow | undefined): PartnershipState =>
  row === undefined
    ? initialPartnershipState
    : { revision: row.revision, open311Jurisdictions: row.open311_jurisdictions, publicDescriptions: row.public_descriptions, services: row.services };

/** Open311 clients and partnership settings, folded with the domain's own `evolvePartnership`. */
export const open311SettingsProjection: Projection = {
  name: 'open311-settings',
  tables: ['open311_clients', 'partnership_settings'],
  async apply(tx: EntityManager, events: readonly RecordedEvent[]): Promise<void> {
    if (!touchesKinds(events, ['open311client', 'partnership'])) return;
    const toLoad = streamsToLoad(events);
    const clients = new RowBatch<Open311ClientRow>({ name: 'open311_clients', key: 'client_id', keyType: 'uuid' });
    const settings = new RowBatch<PartnershipSettingsRow>({ name: 'partnership_settings', key: 'partnership', keyType: 'text' });
    await clients.load(tx, toLoad.get('open311client') ?? []);
    await settings.load(tx, toLoad.get('partnership') ?? []);
    for (const recorded of events) {
      const stream = parseStreamName(recorded.stream);
      const event = asDomainEvent(recorded);
      if (!stream || !event) continue;
      const at = { revision: recorded.revision, position: recorded.position };
      switch (event.type) {
        case 'Open311ClientRegistered': {
          const { clientId, partnership, name, externalIdAttribute, keyPrefix, keyHash } = event.data;
          clients.put(stream.id, {
            client_id: clientId,
            partnership,
            name,
            external_id_attribute: externalIdAttribute ?? null,
            key_prefix: keyPrefix,
            key_hash: keyHash,
            revoked: false,
            ...at,
          });
          break;
        }
        case 'Open311ClientRevoked':
          clients.patch(stream.id, { revoked: true, ...at });
          break;
        case 'PartnershipSettingsChanged':
        case 'Open311ServiceChanged': {
          const next = evolvePartnership(stateOf(settings.get(stream.id)), event);
          settings.put(stream.id, {
            partnership: stream.id,
            open311_jurisdictions: [...next.open311Jurisdictions],
            public_descriptions: next.publicDescriptions,
            services: next.services as Record<string, Open311Service>,
            ...at,
          });
          break;
        }
        default:
          break;
      }
    }
    await clients.flush(tx);
    await settings.flush(tx);
  },
};
