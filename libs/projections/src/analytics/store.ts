/**
 * Reading and writing the analytics entity tables: one SELECT per table to load what a batch
 * touches, one statement per table to write it back (rows travel as one jsonb parameter).
 */
import type { EntityManager } from 'typeorm';
import { closureDerived } from './facts';
import { dayBin, dischargeFacts, type ActionModel, type ProcessDelta, type AreaModel, type ClosureModel, type ProblemModel } from './model';
import { isoOf, isoOfMicros } from './time';

const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8 AS ${column}_ms`;

export async function loadProblems(tx: EntityManager, ids: readonly string[]): Promise<ProblemModel[]> {
  if (ids.length === 0) return [];
  const rows: Record<string, unknown>[] = await tx.query(
    `SELECT problem_id, partnership, category, area_code, lat, lng, priority, harm_score, ${ms('raised_at')}, status, closures,
            last_closure, tactics, recurrence_of, recurrence_closure
       FROM analytics_problem WHERE problem_id = ANY($1::uuid[])`,
    [ids],
  );
  return rows.map((r) => ({
    id: r['problem_id'] as string,
    partnership: r['partnership'] as string,
    category: r['category'] as string,
    area: r['area_code'] as string,
    lat: r['lat'] as number | null,
    lng: r['lng'] as number | null,
    priority: r['priority'] as string | null,
    harm: r['harm_score'] as number | null,
    raisedMs: r['raised_at_ms'] as number,
    status: r['status'] as 'open' | 'closed',
    closures: r['closures'] as number,
    last: (r['last_closure'] as ClosureModel | null) ?? null,
    tactics: (r['tactics'] as string[]) ?? [],
    recurrenceOf: r['recurrence_of'] as string | null,
    recurrenceClosure: r['recurrence_closure'] as number | null,
  }));
}

export async function writeProblems(tx: EntityManager, problems: readonly ProblemModel[]): Promise<void> {
  if (problems.length === 0) return;
  const rows = problems.map((p) => ({
    problem_id: p.id,
    partnership: p.partnership,
    category: p.category,
    area_code: p.area,
    lat: p.lat,
    lng: p.lng,
    priority: p.priority,
    harm_score: p.harm,
    raised_at: isoOf(p.raisedMs),
    status: p.status,
    closures: p.closures,
    last_closure: p.last,
    tactics: p.tactics,
  }));
  await tx.query(
    `INSERT INTO analytics_problem (problem_id, partnership, category, area_code, lat, lng, priority, harm_score, raised_at, status, closures, last_closure, tactics)
     SELECT problem_id, partnership, category, area_code, lat, lng, priority, harm_score, raised_at, status, closures, last_closure, tactics
       FROM jsonb_to_recordset($1::jsonb) AS x(problem_id uuid, partnership text, category text, area_code text, lat float8, lng float8,
            priority text, harm_score float8, raised_at timestamptz, status text, closures integer, last_closure jsonb, tactics text[])
     ON CONFLICT (problem_id) DO UPDATE SET partnership = EXCLUDED.partnership, category = EXCLUDED.category, area_code = EXCLUDED.area_code,
       lat = EXCLUDED.lat, lng = EXCLUDED.lng, priority = EXCLUDED.priority, harm_score = EXCLUDED.harm_score, raised_at = EXCLUDED.raised_at,
       status = EXCLUDED.status, closures = EXCLUDED.closures, last_closure = EXCLUDED.last_closure, tactics = EXCLUDED.tactics`,
    [JSON.stringify(rows)],
  );
}

/** New closures are inserted; a known one only has its `reopened` flag updated (recurrences belong to the recurrence step). */
export async function writeClosures(tx: EntityManager, closures: readonly { problem: ProblemModel; closure: ClosureModel }[]): Promise<void> {
  if (closures.length === 0) return;
  const rows = closures.map(({ problem, closure }) => {
    const { daysOpen, bin } = closureDerived(problem, closure);
    return {
      problem_id: problem.id,
      closure_no: closure.no,
      partnership: problem.partnership,
      area_code: closure.area,
      category: closure.category,
      raised_at: isoOf(problem.raisedMs),
      closed_at: isoOf(closure.closedMs),
      outcome: closure.outcome,
      days_open: daysOpen,
      days_open_bin: bin,
      reopened: closure.reopened,
    };
  });
  await tx.query(
    `INSERT INTO analytics_closure (problem_id, closure_no, partnership, area_code, category, raised_at, closed_at, outcome, days_open, days_open_bin, reopened)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(problem_id uuid, closure_no integer, partnership text, area_code text, category text,
            raised_at timestamptz, closed_at timestamptz, outcome text, days_open float8, days_open_bin integer, reopened boolean)
     ON CONFLICT (problem_id, closure_no) DO UPDATE SET reopened = EXCLUDED.reopened`,
    [JSON.stringify(rows)],
  );
}

export async function loadActions(tx: EntityManager, ids: readonly string[]): Promise<ActionModel[]> {
  if (ids.length === 0) return [];
  return actionsFrom(await tx.query(`${ACTION_SELECT} WHERE action_id = ANY($1::uuid[])`, [ids]));
}

export async function loadActionsOfProblems(tx: EntityManager, problemIds: readonly string[]): Promise<ActionModel[]> {
  if (problemIds.length === 0) return [];
  return actionsFrom(await tx.query(`${ACTION_SELECT} WHERE problem_id = ANY($1::uuid[])`, [problemIds]));
}

const ACTION_SELECT = `SELECT action_id, problem_id, partnership, agency, tactic_category, tactic_name, ${ms('assigned_at')}, ${ms('due_by')},
  status, claimed, declined, ${ms('closed_at')}, ${ms('discharged_at')}, result, history, area_code, problem_category FROM analytics_action`;

function actionsFrom(rows: Record<string, unknown>[]): ActionModel[] {
  return rows.map((r) => {
    const history = r['history'] as { agencies: [number, string][]; dues: [number, number][] };
    return {
      id: r['action_id'] as string,
      problemId: r['problem_id'] as string,
      partnership: r['partnership'] as string,
      agency: r['agency'] as string,
      tacticCategory: r['tactic_category'] as string,
      tacticName: r['tactic_name'] as string,
      assignedMs: r['assigned_at_ms'] as number,
      dueMs: r['due_by_ms'] as number,
      status: r['status'] as ActionModel['status'],
      claimed: r['claimed'] as boolean,
      declined: r['declined'] as boolean,
      closedMs: r['closed_at_ms'] as number | null,
      dischargedMs: r['discharged_at_ms'] as number | null,
      result: r['result'] as string | null,
      agencies: history.agencies,
      dues: history.dues,
      area: r['area_code'] as string | null,
      category: r['problem_category'] as string | null,
    };
  });
}

export async function writeActions(tx: EntityManager, actions: readonly ActionModel[]): Promise<void> {
  if (actions.length === 0) return;
  const rows = actions.map((a) => {
    const discharge = dischargeFacts(a);
    return {
      action_id: a.id,
      problem_id: a.problemId,
      partnership: a.partnership,
      agency: a.agency,
      tactic_category: a.tacticCategory,
      tactic_name: a.tacticName,
      assigned_at: isoOf(a.assignedMs),
      due_by: isoOf(a.dueMs),
      status: a.status,
      claimed: a.claimed,
      declined: a.declined,
      closed_at: a.closedMs === null ? null : isoOf(a.closedMs),
      discharged_at: a.dischargedMs === null ? null : isoOf(a.dischargedMs),
      result: a.result,
      history: { agencies: a.agencies, dues: a.dues },
      area_code: a.area,
      problem_category: a.category,
      due_at_discharge: discharge ? isoOf(discharge.dueAtDischargeMs) : null,
      on_time: discharge ? discharge.onTime : null,
      days_to_discharge: discharge ? discharge.days : null,
      discharge_bin: discharge ? dayBin(discharge.days) : null,
    };
  });
  const columns =
    'action_id uuid, problem_id uuid, partnership text, agency text, tactic_category text, tactic_name text, assigned_at timestamptz, due_by timestamptz, ' +
    'status text, claimed boolean, declined boolean, closed_at timestamptz, discharged_at timestamptz, result text, history jsonb, area_code text, ' +
    'problem_category text, due_at_discharge timestamptz, on_time boolean, days_to_discharge float8, discharge_bin integer';
  const names = columns.split(', ').map((c) => c.split(' ')[0]!);
  await tx.query(
    `INSERT INTO analytics_action (${names.join(', ')}) SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${columns})
     ON CONFLICT (action_id) DO UPDATE SET ${names
       .filter((n) => n !== 'action_id')
       .map((n) => `${n} = EXCLUDED.${n}`)
       .join(', ')}`,
    [JSON.stringify(rows)],
  );
}

export interface StepChange {
  action: ActionModel;
  before: readonly ProcessDelta[];
  after: readonly ProcessDelta[];
}

/**
 * Writes how the in-process / overdue steps of these actions changed: steps keyed by (action, at,
 * agency) that went away are deleted, new or changed ones upserted; unchanged ones are not touched.
 */
export async function writeSteps(tx: EntityManager, changes: readonly StepChange[]): Promise<void> {
  const removed: { action_id: string; at: string; agency: string }[] = [];
  const upserted: { action_id: string; at: string; agency: string; partnership: string; in_process: number; overdue: number }[] = [];
  for (const { action, before, after } of changes) {
    const key = (s: ProcessDelta) => `${s.atUs} ${s.agency}`;
    const old = new Map(before.map((s) => [key(s), s]));
    for (const step of after) {
      const previous = old.get(key(step));
      old.delete(key(step));
      if (previous && previous.inProcess === step.inProcess && previous.overdue === step.overdue) continue;
      upserted.push({
        action_id: action.id,
        at: isoOfMicros(step.atUs),
        agency: step.agency,
        partnership: action.partnership,
        in_process: step.inProcess,
        overdue: step.overdue,
      });
    }
    for (const step of old.values()) removed.push({ action_id: action.id, at: isoOfMicros(step.atUs), agency: step.agency });
  }
  if (removed.length > 0) {
    await tx.query(
      `DELETE FROM analytics_action_step s USING jsonb_to_recordset($1::jsonb) AS x(action_id uuid, at timestamptz, agency text)
        WHERE s.action_id = x.action_id AND s.at = x.at AND s.agency = x.agency`,
      [JSON.stringify(removed)],
    );
  }
  if (upserted.length > 0) {
    await tx.query(
      `INSERT INTO analytics_action_step (action_id, at, agency, partnership, in_process, overdue)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(action_id uuid, at timestamptz, agency text, partnership text, in_process integer, overdue integer)
       ON CONFLICT (action_id, at, agency) DO UPDATE SET in_process = EXCLUDED.in_process, overdue = EXCLUDED.overdue`,
      [JSON.stringify(upserted)],
    );
  }
}

export async function loadAreas(tx: EntityManager, codes: readonly string[]): Promise<AreaModel[]> {
  if (codes.length === 0) return [];
  const rows: AreaModel[] = await tx.query('SELECT code, partnership, name, lat, lng FROM analytics_area WHERE code = ANY($1::text[])', [codes]);
  return rows.map((r) => ({ code: r.code, partnership: r.partnership, name: r.name, lat: r.lat, lng: r.lng }));
}

export async function writeAreas(tx: EntityManager, areas: readonly AreaModel[]): Promise<void> {
  if (areas.length === 0) return;
  await tx.query(
    `INSERT INTO analytics_area (code, partnership, name, lat, lng)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(code text, partnership text, name text, lat float8, lng float8)
     ON CONFLICT (code) DO UPDATE SET partnership = EXCLUDED.partnership, name = EXCLUDED.name, lat = EXCLUDED.lat, lng = EXCLUDED.lng`,
    [JSON.stringify(areas)],
  );
}
