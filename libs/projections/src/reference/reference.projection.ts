import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@tasking/event-store';
import type { Projection } from '../projection';
import { streamsToLoad, touchesKinds } from '../streams';
import { ReferenceBatch, foldReferenceEvent } from './reference.fold';

/** Agencies, tasking groups (and their schedules and members), areas and sources of incidents. */
export const referenceDataProjection: Projection = {
  name: 'reference-data',
  tables: ['agencies', 'tasking_groups', 'tasking_group_schedules', 'areas', 'sources'],
  async apply(tx: EntityManager, events: readonly RecordedEvent[]): Promise<void> {
    if (!touchesKinds(events, ['agency', 'group', 'area', 'source'])) return;
    const toLoad = streamsToLoad(events);
    const batch = new ReferenceBatch();
    await batch.agencies.load(tx, toLoad.get('agency') ?? []);
    await batch.groups.load(tx, toLoad.get('group') ?? []);
    await batch.groupSchedules.load(tx, toLoad.get('group') ?? []);
    await batch.areas.load(tx, toLoad.get('area') ?? []);
    await batch.sources.load(tx, toLoad.get('source') ?? []);
    for (const event of events) foldReferenceEvent(batch, event);
    await batch.agencies.flush(tx);
    await batch.groups.flush(tx);
    await batch.groupSchedules.flush(tx);
    await batch.areas.flush(tx);
    await batch.sources.flush(tx);
  },
};
