import { processDeltas, type ActionModel } from '../model';
import type { ActionItem } from './action-item';
import type { Sql } from './plan';

export interface InProcessRequest {
  partnerships: readonly string[];
  agency?: string;
  /** The instant the list is as at (the window's end). */
  toMs: number;
  limit: number;
  /** Keyset: the last action scanned by the previous page. */
  after?: { assignedAt: string; actionId: string };
}

export interface InProcessItem extends ActionItem {
  overdue: boolean;
}

const SCAN = 500;

/**
 * The actions in process as at `to`, oldest assignment first: the rows behind the summary's
 * `inProcess` (and `overdue`), decided by the same steps (`processDeltas`), so the list and the
 * figures agree for any `to`. The agency is the one the action was with as at `to`.
 */
export async function queryInProcessItems(sql: Sql, request: InProcessRequest): Promise<{ items: InProcessItem[]; next?: { assignedAt: string; actionId: string } }> {
  if (request.partnerships.length === 0) return { items: [] };
  const to = new Date(request.toMs).toISOString();
  const items: InProcessItem[] = [];
  let after = request.after ?? { assignedAt: '-infinity', actionId: '00000000-0000-0000-0000-000000000000' };
  for (;;) {
    // A generous filter in SQL (a second either side); the steps below decide exactly.
    const rows = await sql.query(
      `SELECT action_id, problem_id, partnership, agency, tactic_category, tactic_name, area_code, problem_category, history,
              (extract(epoch FROM assigned_at) * 1000)::float8 AS assigned_ms, (extract(epoch FROM due_by) * 1000)::float8 AS due_ms,
              (extract(epoch FROM closed_at) * 1000)::float8 AS closed_ms,
              to_char(assigned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
         FROM analytics_action
        WHERE partnership = ANY($1::text[]) AND assigned_at <= $2::timestamptz + interval '1 second'
          AND (closed_at IS NULL OR closed_at >= $2::timestamptz - interval '1 second')
          AND (assigned_at, action_id) > ($3::timestamptz, $4::uuid)
        ORDER BY assigned_at, action_id LIMIT $5`,
      [request.partnerships, to, after.assignedAt, after.actionId, SCAN],
    );
    for (const r of rows) {
      after = { assignedAt: r['cursor_at'] as string, actionId: r['action_id'] as string };
      const history = r['history'] as { agencies: [number, string][]; dues: [number, number][] };
      const model = {
        assignedMs: r['assigned_ms'] as number,
        closedMs: r['closed_ms'] as number | null,
        agencies: history.agencies,
        dues: history.dues,
      } as ActionModel;
      const state = new Map<string, { inProcess: number; overdue: number }>();
      for (const step of processDeltas(model)) {
        if (step.atUs >= request.toMs * 1000) break;
        const found = state.get(step.agency) ?? { inProcess: 0, overdue: 0 };
        found.inProcess += step.inProcess;
        found.overdue += step.overdue;
        state.set(step.agency, found);
      }
      const held = [...state.entries()].find(([, s]) => s.inProcess > 0);
      if (!held || (request.agency !== undefined && held[0] !== request.agency)) continue;
      const due = history.dues.filter(([since]) => since < request.toMs).at(-1)?.[1] ?? (r['due_ms'] as number);
      items.push({
        actionId: r['action_id'] as string,
        problemId: r['problem_id'] as string,
        partnership: r['partnership'] as string,
        agency: held[0],
        areaCode: r['area_code'] as string | null,
        problemCategory: r['problem_category'] as string | null,
        tactic: { category: r['tactic_category'] as string, name: r['tactic_name'] as string },
        assignedAt: new Date(model.assignedMs).toISOString(),
        dueBy: new Date(due).toISOString(),
        overdue: held[1].overdue > 0,
      });
      if (items.length === request.limit) return { items, next: after };
    }
    if (rows.length < SCAN) return { items };
  }
}
