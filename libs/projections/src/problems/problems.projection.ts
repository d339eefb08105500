import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@tasking/event-store';
import type { Projection } from '../projection';
import { insertRowsIfAbsent } from '../sql';
import { INTERVENTIONS_TABLE, ProblemsBatch, foldProblemsEvent, problemsKeys } from './problems.fold';

/** Problem detail and list, actions (the work queue) and interventions. Five statements per batch at most. */
export const problemsProjection: Projection = {
  name: 'problems',
  tables: ['problems', 'actions', 'interventions'],
  async apply(tx: EntityManager, events: readonly RecordedEvent[]): Promise<void> {
    const { problemIds, actionIds } = problemsKeys(events);
    if (problemIds.size === 0 && actionIds.size === 0) return;
    const batch = new ProblemsBatch();
    await batch.problems.load(tx, problemIds);
    await batch.actions.load(tx, actionIds);
    for (const event of events) foldProblemsEvent(batch, event);
    await batch.problems.flush(tx);
    await batch.actions.flush(tx);
    await insertRowsIfAbsent(tx, INTERVENTIONS_TABLE, batch.interventions);
  },
};
