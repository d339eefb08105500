import type { EntityManager } from 'typeorm';
import { ERASED } from '@tasking/domain';
import type { RecordedEvent } from '@tasking/event-store';
import type { Projection } from '../projection';
import { insertRowsIfAbsent } from '../sql';
import { streamsToLoad, touchesKinds } from '../streams';
import { INTERVENTIONS_TABLE, ProblemsBatch, foldProblemsEvent, type Erasure } from './problems.fold';

/**
 * Problem detail and list, actions (the work queue), interventions and the people named on
 * problems. Six statements per batch at most, plus three per retention erasure in it.
 */
export const problemsProjection: Projection = {
  name: 'problems',
  tables: ['problems', 'actions', 'interventions', 'problem_subjects'],
  async apply(tx: EntityManager, events: readonly RecordedEvent[]): Promise<void> {
    if (!touchesKinds(events, ['problem', 'action'])) return;
    const toLoad = streamsToLoad(events);
    const batch = new ProblemsBatch();
    await batch.problems.load(tx, toLoad.get('problem') ?? []);
    await batch.actions.load(tx, toLoad.get('action') ?? []);
    await batch.subjects.load(tx, erasedSubjectIds(events));
    for (const event of events) foldProblemsEvent(batch, event);
    await batch.problems.flush(tx);
    await batch.actions.flush(tx);
    await batch.subjects.flush(tx);
    await insertRowsIfAbsent(tx, INTERVENTIONS_TABLE, batch.interventions);
    for (const erasure of batch.erasures) await eraseStoredRows(tx, erasure);
  },
};

/** Subjects erased in the batch: their rows may have been written by an earlier batch. */
function erasedSubjectIds(events: readonly RecordedEvent[]): string[] {
  return events.filter((event) => event.type === 'SubjectErased').map((event) => String(event.data['subjectId']));
}

/**
 * A retention erasure over the rows of its problem written before it (by earlier batches; the
 * fold already did those in this batch, and doing them again changes nothing). The same values
 * the fold writes, so the live tables equal a rebuild's. Positions compare bytewise (`COLLATE "C"`).
 */
async function eraseStoredRows(tx: EntityManager, { problemId, position, erasedAt }: Erasure): Promise<void> {
  const erased = (column: string) => `${column} = CASE WHEN ${column} IS NULL THEN NULL ELSE $3 END`;
  await tx.query(
    `UPDATE actions SET description = $3, ${erased('decline_note')}, ${erased('discharge_note')}, ${erased('cancel_reason')}
      WHERE problem_id = $1 AND position COLLATE "C" < $2`,
    [problemId, position, ERASED],
  );
  await tx.query(`UPDATE interventions SET description = $3 WHERE problem_id = $1 AND position COLLATE "C" < $2`, [problemId, position, ERASED]);
  await tx.query(
    `UPDATE problem_subjects SET name = NULL, date_of_birth = NULL, address = NULL, notes = NULL, erased = true, erased_at = coalesce(erased_at, $3)
      WHERE problem_id = $1 AND position COLLATE "C" < $2`,
    [problemId, position, erasedAt],
  );
}
