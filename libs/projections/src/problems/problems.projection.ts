import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@tasking/event-store';
import type { Projection } from '../projection';
import { insertRowsIfAbsent } from '../sql';
import { streamsToLoad, touchesKinds } from '../streams';
import { INTERVENTIONS_TABLE, ProblemsBatch, foldProblemsEvent } from './problems.fold';

/** Problem detail and list, actions (the work queue) and interventions. Five statements per batch at most. */
export const problemsProjection: Projection = {
  name: 'problems',
  tables: ['problems', 'actions', 'interventions'],
  async apply(tx: EntityManager, events: readonly RecordedEvent[]): Promise<void> {
    if (!touchesKinds(events, ['problem', 'action'])) return;
    const toLoad = streamsToLoad(events);
    const batch = new ProblemsBatch();
    await batch.problems.load(tx, toLoad.get('problem') ?? []);
    await batch.actions.load(tx, toLoad.get('action') ?? []);
    for (const event of events) foldProblemsEvent(batch, event);
    await batch.problems.flush(tx);
    await batch.actions.flush(tx);
    await insertRowsIfAbsent(tx, INTERVENTIONS_TABLE, batch.interventions);
  },
};
