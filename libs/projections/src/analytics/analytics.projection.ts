import type { EntityManager } from 'typeorm';
import { asDomainEvent, parseStreamName, type ActionEvent, type AreaEvent, type DomainEvent, type ProblemEvent } from '@tasking/domain';
import type { RecordedEvent } from '@tasking/event-store';
import type { Projection } from '../projection';
import { Accumulator } from './accumulator';
import { AGGREGATES, actionFactsChange, closureFacts, problemFactsChange, recurrenceFacts, sameSteps, type Emit, type ProblemContext } from './facts';
import {
  addTactic,
  evolveAction,
  evolveArea,
  evolveProblem,
  newAction,
  newArea,
  newProblem,
  processDeltas,
  recordedMs,
  type ActionModel,
  type AreaModel,
  type ClosureModel,
  type ProblemModel,
} from './model';
import { loadActions, loadActionsOfProblems, loadAreas, loadProblems, writeActions, writeAreas, writeClosures, writeProblems, writeSteps, type StepChange } from './store';

export const ANALYTICS_ENTITY_TABLES = ['analytics_problem', 'analytics_closure', 'analytics_action', 'analytics_action_step', 'analytics_area'] as const;
export const ANALYTICS_TABLES: readonly string[] = [...ANALYTICS_ENTITY_TABLES, ...Object.values(AGGREGATES).map((a) => a.table)];

/** A new problem is a recurrence of a closure in its area and category up to this long before it was raised. */
export const RECURRENCE_WINDOW_HOURS = 90 * 24;

/** An event the analytics follow (problem, action and area streams), typed as libs/domain declares it, with its recorded time. */
type Relevant =
  | { kind: 'problem'; id: string; event: ProblemEvent; at: number }
  | { kind: 'action'; id: string; event: ActionEvent; at: number }
  | { kind: 'area'; id: string; event: AreaEvent; at: number };

const PROBLEM_TYPES: ReadonlySet<string> = new Set<ProblemEvent['type']>(['ProblemRaised', 'ProblemAmended', 'ProblemPrioritised', 'ProblemClosed', 'ProblemReopened']);
const ACTION_TYPES: ReadonlySet<string> = new Set<ActionEvent['type']>([
  'ActionAssigned',
  'ActionClaimed',
  'ActionDeclined',
  'ActionReleased',
  'ActionReassigned',
  'InterventionRecorded',
  'ActionDueDateChanged',
  'ActionDischarged',
  'ActionCancelled',
]);
const AREA_TYPES: ReadonlySet<string> = new Set<AreaEvent['type']>(['AreaRegistered', 'AreaUpdated']);
const isProblemEvent = (event: DomainEvent): event is ProblemEvent => PROBLEM_TYPES.has(event.type);
const isActionEvent = (event: DomainEvent): event is ActionEvent => ACTION_TYPES.has(event.type);
const isAreaEvent = (event: DomainEvent): event is AreaEvent => AREA_TYPES.has(event.type);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A problem as loaded (null when new in this batch) and as it is now. */
interface ProblemSlot {
  before: ProblemModel | null;
  now: ProblemModel;
  /** The closure that was latest before the batch, as it is now (its reopened flag may change). */
  previousLast: ClosureModel | null;
  added: ClosureModel[];
  dirty: boolean;
}

interface ActionSlot {
  before: ActionModel | null;
  now: ActionModel;
  dirty: boolean;
}

const copyProblem = (p: ProblemModel): ProblemModel => ({ ...p, last: p.last && { ...p.last }, tactics: [...p.tactics] });
const copyAction = (a: ActionModel): ActionModel => ({ ...a, agencies: [...a.agencies], dues: [...a.dues] });

/** Whether folding changed anything the action's rows and facts depend on. */
function sameAction(a: ActionModel, b: ActionModel): boolean {
  return (
    a.agency === b.agency &&
    a.dueMs === b.dueMs &&
    a.status === b.status &&
    a.claimed === b.claimed &&
    a.declined === b.declined &&
    a.closedMs === b.closedMs &&
    a.dischargedMs === b.dischargedMs &&
    a.result === b.result &&
    a.agencies.length === b.agencies.length &&
    a.dues.length === b.dues.length &&
    a.area === b.area &&
    a.category === b.category
  );
}

/**
 * The analytic read models, one projector for all four (they share the problem and action state it
 * folds, so one pass and one set of loads serves them). Per batch: load the touched problems,
 * actions and areas (one SELECT each), fold the events in memory, subtract each touched entity's
 * old contributions from the aggregates and add its new ones, write entities back, relink
 * recurrences, then apply the aggregate changes in one upsert per table.
 */
export const analyticsProjection: Projection = {
  name: 'analytics',
  tables: ANALYTICS_TABLES,
  apply: applyAnalytics,
};

export async function applyAnalytics(tx: EntityManager, events: readonly RecordedEvent[]): Promise<void> {
  const relevant = events.flatMap((recorded): Relevant[] => {
    const stream = parseStreamName(recorded.stream);
    const event = asDomainEvent(recorded);
    if (!stream || !event) return [];
    const at = recordedMs(recorded);
    if (stream.kind === 'problem' && isProblemEvent(event) && UUID.test(stream.id)) return [{ kind: 'problem', id: stream.id, event, at }];
    if (stream.kind === 'action' && isActionEvent(event) && UUID.test(stream.id)) return [{ kind: 'action', id: stream.id, event, at }];
    if (stream.kind === 'area' && isAreaEvent(event)) return [{ kind: 'area', id: stream.id, event, at }];
    return [];
  });
  if (relevant.length === 0) return;

  // Load what the batch touches.
  // An action's own row holds its problem's area and category, so its problem is loaded only when
  // the batch assigns it or makes a use of its tactic (or has events of the problem itself).
  const actionIds = new Set<string>();
  const usingActions = new Set<string>();
  const problemIds = new Set<string>();
  const areaCodes = new Set<string>();
  for (const item of relevant) {
    if (item.kind === 'action') {
      actionIds.add(item.id);
      if (item.event.type === 'ActionAssigned' && UUID.test(item.event.data.problemId)) problemIds.add(item.event.data.problemId);
      if (item.event.type === 'InterventionRecorded' || item.event.type === 'ActionDischarged') usingActions.add(item.id);
    } else if (item.kind === 'problem') problemIds.add(item.id);
    else areaCodes.add(item.id);
  }
  const actions = new Map<string, ActionSlot>();
  for (const action of await loadActions(tx, [...actionIds])) {
    actions.set(action.id, { before: action, now: copyAction(action), dirty: false });
    if (usingActions.has(action.id)) problemIds.add(action.problemId);
  }
  const problems = new Map<string, ProblemSlot>();
  for (const problem of await loadProblems(tx, [...problemIds])) {
    const now = copyProblem(problem);
    problems.set(problem.id, { before: problem, now, previousLast: now.last, added: [], dirty: false });
  }
  const areas = new Map<string, { model: AreaModel; dirty: boolean }>();
  for (const area of await loadAreas(tx, [...areaCodes])) areas.set(area.code, { model: area, dirty: false });

  // Fold.
  for (const item of relevant) {
    const { at } = item;
    if (item.kind === 'problem') {
      const slot = problems.get(item.id);
      if (item.event.type === 'ProblemRaised') {
        if (!slot) problems.set(item.id, { before: null, now: newProblem(item.id, item.event.data, at), previousLast: null, added: [], dirty: true });
        continue;
      }
      if (!slot) continue;
      const closure = evolveProblem(slot.now, item.event, at);
      if (closure) slot.added.push(closure);
      slot.dirty = true;
    } else if (item.kind === 'action') {
      const slot = actions.get(item.id);
      if (item.event.type === 'ActionAssigned') {
        if (!slot) actions.set(item.id, { before: null, now: newAction(item.id, item.event.data, at), dirty: true });
        continue;
      }
      if (!slot) continue;
      const use = evolveAction(slot.now, item.event, at);
      slot.dirty = true;
      const problem = use && problems.get(slot.now.problemId);
      if (problem && addTactic(problem.now, use)) problem.dirty = true;
    } else {
      const slot = areas.get(item.id);
      if (item.event.type === 'AreaRegistered' && !slot) areas.set(item.id, { model: newArea(item.event.data), dirty: true });
      else if (slot) {
        evolveArea(slot.model, item.event);
        slot.dirty = true;
      }
    }
  }

  // Actions follow their problem's area and category: a moved problem touches all its actions.
  const moved = [...problems.values()].filter((s) => s.before && (s.before.area !== s.now.area || s.before.category !== s.now.category));
  if (moved.length > 0) {
    for (const action of await loadActionsOfProblems(tx, moved.map((s) => s.now.id))) {
      if (!actions.has(action.id)) actions.set(action.id, { before: action, now: copyAction(action), dirty: true });
    }
  }

  // Contributions: subtract before, add now.
  const accumulator = new Accumulator();
  const minus: Emit = accumulator.emitter(-1);
  const plus: Emit = accumulator.emitter(1);
  const changedProblems: ProblemModel[] = [];
  const closureWrites: { problem: ProblemModel; closure: ClosureModel }[] = [];
  const relink: ProblemModel[] = [];
  const newClosures: ClosureModel[] = [];
  for (const slot of problems.values()) {
    if (!slot.dirty) continue;
    const { before, now } = slot;
    problemFactsChange(before, now, minus, plus);
    const lastReopened = slot.previousLast !== null && before?.last !== null && before?.last !== undefined && slot.previousLast.reopened !== before.last.reopened;
    if (lastReopened) {
      closureFacts(before!, before!.last!, minus);
      closureFacts(now, slot.previousLast!, plus);
    }
    for (const closure of slot.added) closureFacts(now, closure, plus);
    changedProblems.push(now);
    if (lastReopened) closureWrites.push({ problem: now, closure: slot.previousLast! });
    for (const closure of slot.added) closureWrites.push({ problem: now, closure });
    newClosures.push(...slot.added.map((c) => ({ ...c, partnership: now.partnership })));
    if (!before || before.area !== now.area || before.category !== now.category) relink.push(now);
  }

  const context = (action: ActionModel): ProblemContext | null => {
    const problem = problems.get(action.problemId);
    if (problem) return { area: problem.now.area, category: problem.now.category };
    return action.area !== null && action.category !== null ? { area: action.area, category: action.category } : null;
  };
  const changedActions: ActionModel[] = [];
  const stepChanges: StepChange[] = [];
  for (const slot of actions.values()) {
    if (!slot.dirty) continue;
    const { before, now } = slot;
    const ctx = context(now);
    now.area = ctx?.area ?? null;
    now.category = ctx?.category ?? null;
    if (before && sameAction(before, now)) continue;
    const stepsBefore = before ? processDeltas(before) : [];
    const stepsAfter = processDeltas(now);
    const beforeCtx = before && before.area !== null && before.category !== null ? { area: before.area, category: before.category } : null;
    actionFactsChange(before && { action: before, ctx: beforeCtx, steps: stepsBefore }, { action: now, ctx, steps: stepsAfter }, minus, plus);
    changedActions.push(now);
    if (!sameSteps(stepsBefore, stepsAfter)) stepChanges.push({ action: now, before: stepsBefore, after: stepsAfter });
  }

  // Write entities, then relink recurrences (which reads them), then the aggregates.
  await writeProblems(tx, changedProblems);
  await writeClosures(tx, closureWrites);
  await writeActions(tx, changedActions);
  await writeSteps(tx, stepChanges);
  await writeAreas(
    tx,
    [...areas.values()].filter((a) => a.dirty).map((a) => a.model),
  );
  await relinkRecurrences(
    tx,
    relink,
    newClosures as (ClosureModel & { partnership: string })[],
    plus,
  );
  await accumulator.flush(tx);
}

interface LinkChange {
  problem_id: string;
  new_of: string | null;
  new_no: number | null;
  old_partnership: string | null;
  old_area: string | null;
  old_category: string | null;
  old_closed_ms: number | null;
  new_partnership: string | null;
  new_area: string | null;
  new_category: string | null;
  new_closed_ms: number | null;
  old_of: string | null;
  old_no: number | null;
}

/**
 * A problem recurs after the latest closure of another problem in the same partnership, area and
 * category with closedAt <= raisedAt < closedAt + 90 days. Links are recomputed for problems raised
 * or moved in the batch and for problems raised within 90 days after a closure added in the batch,
 * from the tables as they now stand, so the result does not depend on how the log was batched.
 */
async function relinkRecurrences(
  tx: EntityManager,
  problems: readonly ProblemModel[],
  closures: readonly (ClosureModel & { partnership: string })[],
  emit: Emit,
): Promise<void> {
  if (problems.length === 0 && closures.length === 0) return;
  // The batch's own problems travel as a parameter; only problems raised after an added closure are looked up.
  const mine = problems.map((p) => ({
    problem_id: p.id,
    partnership: p.partnership,
    area_code: p.area,
    category: p.category,
    raised_at: new Date(p.raisedMs).toISOString(),
    recurrence_of: p.recurrenceOf,
    recurrence_closure: p.recurrenceClosure,
  }));
  const added = closures.map((c) => ({ partnership: c.partnership, area_code: c.area, category: c.category, closed_at: new Date(c.closedMs).toISOString() }));
  const changes: LinkChange[] = await tx.query(
    `WITH added AS (
       SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(partnership text, area_code text, category text, closed_at timestamptz)
     ), candidates AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS x(problem_id uuid, partnership text, area_code text, category text, raised_at timestamptz, recurrence_of uuid, recurrence_closure integer)
       UNION
       SELECT p.problem_id, p.partnership, p.area_code, p.category, p.raised_at, p.recurrence_of, p.recurrence_closure
         FROM added a CROSS JOIN LATERAL (
           -- lateral and not flattened (OFFSET 0): an index scan per closure, never a hash of the whole table
           SELECT * FROM analytics_problem p
            WHERE p.partnership = a.partnership AND p.area_code = a.area_code AND p.category = a.category
              AND p.raised_at >= a.closed_at AND p.raised_at < a.closed_at + interval '${RECURRENCE_WINDOW_HOURS} hours'
           OFFSET 0
         ) p
     ), links AS (
       SELECT p.problem_id, p.recurrence_of AS old_of, p.recurrence_closure AS old_no, best.problem_id AS new_of, best.closure_no AS new_no
         FROM candidates p
         LEFT JOIN LATERAL (
           SELECT c.problem_id, c.closure_no FROM analytics_closure c
            WHERE c.partnership = p.partnership AND c.area_code = p.area_code AND c.category = p.category
              AND c.closed_at <= p.raised_at AND c.closed_at > p.raised_at - interval '${RECURRENCE_WINDOW_HOURS} hours'
              AND c.problem_id <> p.problem_id
            ORDER BY c.closed_at DESC, c.problem_id DESC, c.closure_no DESC
            LIMIT 1
         ) best ON true
        WHERE p.recurrence_of IS DISTINCT FROM best.problem_id OR p.recurrence_closure IS DISTINCT FROM best.closure_no
     )
     SELECT l.problem_id, l.old_of, l.old_no, l.new_of, l.new_no,
            o.partnership AS old_partnership, o.area_code AS old_area, o.category AS old_category,
            (extract(epoch FROM o.closed_at) * 1000)::float8 AS old_closed_ms,
            n.partnership AS new_partnership, n.area_code AS new_area, n.category AS new_category,
            (extract(epoch FROM n.closed_at) * 1000)::float8 AS new_closed_ms
       FROM links l
       LEFT JOIN LATERAL (SELECT * FROM analytics_closure o WHERE o.problem_id = l.old_of AND o.closure_no = l.old_no OFFSET 0) o ON true
       LEFT JOIN LATERAL (SELECT * FROM analytics_closure n WHERE n.problem_id = l.new_of AND n.closure_no = l.new_no OFFSET 0) n ON true`,
    [JSON.stringify(mine), JSON.stringify(added)],
  );
  if (changes.length === 0) return;
  const counts = new Map<string, { problem_id: string; closure_no: number; delta: number }>();
  const count = (problemId: string, closureNo: number, delta: number) => {
    const key = `${problemId}/${closureNo}`;
    const found = counts.get(key);
    if (found) found.delta += delta;
    else counts.set(key, { problem_id: problemId, closure_no: closureNo, delta });
  };
  for (const change of changes) {
    if (change.old_of !== null && change.old_no !== null) {
      count(change.old_of, change.old_no, -1);
      if (change.old_closed_ms !== null) recurrenceFacts(change.old_partnership!, change.old_area!, change.old_category!, change.old_closed_ms, -1, emit);
    }
    if (change.new_of !== null && change.new_no !== null) {
      count(change.new_of, change.new_no, 1);
      if (change.new_closed_ms !== null) recurrenceFacts(change.new_partnership!, change.new_area!, change.new_category!, change.new_closed_ms, 1, emit);
    }
  }
  // Arrays (unnest) rather than jsonb: the planner then knows how few rows there are and looks
  // each one up by key instead of scanning the table.
  await tx.query(
    `UPDATE analytics_problem p SET recurrence_of = x.new_of, recurrence_closure = x.new_no
       FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS x(problem_id, new_of, new_no) WHERE p.problem_id = x.problem_id`,
    [changes.map((c) => c.problem_id), changes.map((c) => c.new_of), changes.map((c) => c.new_no)],
  );
  const deltas = [...counts.values()].filter((c) => c.delta !== 0);
  if (deltas.length > 0) {
    await tx.query(
      `UPDATE analytics_closure c SET recurrences = c.recurrences + x.delta
         FROM unnest($1::uuid[], $2::int[], $3::int[]) AS x(problem_id, closure_no, delta)
        WHERE c.problem_id = x.problem_id AND c.closure_no = x.closure_no`,
      [deltas.map((d) => d.problem_id), deltas.map((d) => d.closure_no), deltas.map((d) => d.delta)],
    );
  }
}
