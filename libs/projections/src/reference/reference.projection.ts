import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@tasking/event-store';
import type { Projection } from '../projection';
import { ReferenceBatch, foldReferenceEvent, referenceKeys } from './reference.fold';

/** Agencies, tasking groups and areas. */
export const referenceDataProjection: Projection = {
  name: 'reference-data',
  tables: ['agencies', 'tasking_groups', 'areas'],
  async apply(tx: EntityManager, events: readonly RecordedEvent[]): Promise<void> {
    const keys = referenceKeys(events);
    if (keys.agency.size + keys.group.size + keys.area.size === 0) return;
    const batch = new ReferenceBatch();
    await batch.agencies.load(tx, keys.agency);
    await batch.groups.load(tx, keys.group);
    await batch.areas.load(tx, keys.area);
    for (const event of events) foldReferenceEvent(batch, event);
    await batch.agencies.flush(tx);
    await batch.groups.flush(tx);
    await batch.areas.flush(tx);
  },
};
