import type { DataSource } from 'typeorm';
import type { EventStore, RecordedEvent } from '@tasking/event-store';
import type { Row } from '../sql';
import { ActionEntity, InterventionEntity, ProblemEntity } from './problems.entities';
import { foldProblemsEvent, ProblemsBatch, type SubjectRow } from './problems.fold';

/**
 * The problem's stream and the streams of every action agreed on it (named by its ActionAgreed
 * events), merged in log order: the problem's audit trail, read from the log itself.
 */
export async function problemHistory(store: EventStore, problemId: string): Promise<RecordedEvent[]> {
  const problemEvents = await store.read(`problem-${problemId}`);
  const actionIds = [
    ...new Set(problemEvents.filter((event) => event.type === 'ActionAgreed').map((event) => String(event.data['actionId']))),
  ];
  const actionEvents = await Promise.all(actionIds.map((actionId) => store.read(`action-${actionId}`)));
  return [...problemEvents, ...actionEvents.flat()].sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
}

/** When the event was recorded: the metadata's time (the command's clock), else the store's. */
export function recordedAt(event: RecordedEvent): string {
  const stated = event.metadata['recordedAt'];
  return typeof stated === 'string' ? stated : event.recordedAt;
}

export interface ProblemAsAt {
  problem: ProblemEntity;
  actions: ActionEntity[];
  interventions: InterventionEntity[];
  /** The people named on it then (personal fields as the log reads now: `[erased]` once erased). */
  subjects: SubjectRow[];
}

/**
 * The problem as it stood at `asAt`: its events and its actions' events recorded at or before
 * then, folded by the projector's own code (in memory) into the same shapes the read model holds.
 */
export async function problemAsAt(
  store: EventStore,
  dataSource: DataSource,
  problemId: string,
  asAt: Date,
  history?: readonly RecordedEvent[],
): Promise<ProblemAsAt | undefined> {
  const events = (history ?? (await problemHistory(store, problemId))).filter((event) => Date.parse(recordedAt(event)) <= asAt.getTime());
  const batch = new ProblemsBatch();
  for (const event of events) foldProblemsEvent(batch, event);
  const problem = batch.problems.get(problemId);
  if (!problem) return undefined;
  const byTime = (a: { at: number; id: string }, b: { at: number; id: string }) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const actions = batch.actions
    .all()
    .map((row) => hydrate(dataSource, ActionEntity, row))
    .sort((a, b) => byTime({ at: a.assignedAt.getTime(), id: a.id }, { at: b.assignedAt.getTime(), id: b.id }));
  const interventions = batch.interventions
    .map((row) => hydrate(dataSource, InterventionEntity, row))
    .sort((a, b) => byTime({ at: a.occurredAt.getTime(), id: a.id }, { at: b.occurredAt.getTime(), id: b.id }));
  const subjects = batch.subjects.all().sort((a, b) => byTime({ at: Date.parse(a.added_at), id: a.id }, { at: Date.parse(b.added_at), id: b.id }));
  return { problem: hydrate(dataSource, ProblemEntity, problem), actions, interventions, subjects };
}

/** A projector row (column names, ISO times) as the entity TypeORM would have read from the table. */
function hydrate<E extends object>(dataSource: DataSource, entity: new () => E, row: Row): E {
  const metadata = dataSource.getMetadata(entity);
  const target = metadata.create() as Record<string, unknown>;
  for (const column of metadata.columns) {
    const value = row[column.databaseName] ?? null;
    target[column.propertyName] = value !== null && (column.type === 'timestamptz' || column.type === Date) ? new Date(value as string) : value;
  }
  return target as E;
}
