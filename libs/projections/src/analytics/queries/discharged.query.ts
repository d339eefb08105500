import { DISCHARGE_RESULTS } from '@tasking/domain';
import type { ActionItem } from './action-item';
import { MEDIAN_TARGETS_SQL, medianTargets, mediansOf, num, planWindow, round, segmentsCte, targetsTable, type Sql } from './plan';

export interface DischargedRequest {
  partnerships: readonly string[];
  agency?: string;
  fromMs: number | null;
  toMs: number;
}

export interface DischargedFigures {
  discharged: number;
  inProcess: number;
  overdue: number;
  byResult: Record<string, number>;
  onTimeRate: number | null;
  medianDaysToDischarge: number | null;
}

export interface DischargedSummary extends DischargedFigures {
  byAgency: ({ agency: string } & DischargedFigures)[];
}

const resultColumns = DISCHARGE_RESULTS.map((r) => r.replace(/-/g, '_'));

/**
 * Discharged actions per agency over [from, to): discharges (dischargedAt in the window) by result,
 * on time (dischargedAt <= the dueBy in force then) and the exact median days from assignment;
 * in process and overdue as at `to`, summed from the in-process / overdue steps before `to`.
 * The agency of a discharge is the one the action was with when discharged.
 */
export async function queryDischarged(sql: Sql, request: DischargedRequest): Promise<DischargedSummary> {
  const { partnerships } = request;
  const agency = request.agency ?? '*';
  const window = segmentsCte(planWindow('window', request.fromMs, request.toMs), 3);
  const asAt = segmentsCte(planWindow('as-at', null, request.toMs), 3);
  const agencyFilter = (alias: string) => `($2 = '*' OR ${alias}.agency = $2)`;
  const sums = [...resultColumns, 'discharged', 'on_time'];
  const [counts, states, targetRows] = await Promise.all([
    sql.query(
      `WITH ${window.sql}
       SELECT agency, ${sums.map((c) => `sum(${c}) AS ${c}`).join(', ')} FROM (
         SELECT b.agency, ${sums.map((c) => `s.sign * b.${c} AS ${c}`).join(', ')}
           FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_discharge_month b WHERE b.partnership = ANY($1::text[])
            AND b.month >= s.lo AND b.month < s.hi AND ${agencyFilter('b')} OFFSET 0) b WHERE s.kind = 'months'
         UNION ALL
         SELECT b.agency, ${sums.map((c) => `s.sign * b.${c}`).join(', ')}
           FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_discharge_month b WHERE b.partnership = ANY($1::text[])
            AND b.month = 'infinity' AND ${agencyFilter('b')} OFFSET 0) b WHERE s.kind = 'total'
         UNION ALL
         SELECT a.agency, ${DISCHARGE_RESULTS.map((r) => `s.sign * (a.result = '${r}')::int`).join(', ')}, s.sign, s.sign * a.on_time::int
           FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_action a WHERE a.discharged_at IS NOT NULL AND a.partnership = ANY($1::text[])
            AND a.discharged_at >= s.lo AND a.discharged_at < s.hi AND ${agencyFilter('a')} OFFSET 0) a WHERE s.kind = 'detail'
       ) x GROUP BY agency`,
      [partnerships, agency, ...window.params],
    ),
    sql.query(
      `WITH ${asAt.sql}
       SELECT agency, sum(in_process) AS in_process, sum(overdue) AS overdue FROM (
         SELECT b.agency, s.sign * b.in_process_delta AS in_process, s.sign * b.overdue_delta AS overdue
           FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_discharge_month b WHERE b.partnership = ANY($1::text[])
            AND b.month >= s.lo AND b.month < s.hi AND ${agencyFilter('b')} OFFSET 0) b WHERE s.kind = 'months'
         UNION ALL
         SELECT b.agency, s.sign * b.in_process_delta, s.sign * b.overdue_delta
           FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_discharge_month b WHERE b.partnership = ANY($1::text[])
            AND b.month = 'infinity' AND ${agencyFilter('b')} OFFSET 0) b WHERE s.kind = 'total'
         UNION ALL
         SELECT st.agency, s.sign * st.in_process, s.sign * st.overdue
           FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_action_step st WHERE st.partnership = ANY($1::text[])
            AND st.at >= s.lo AND st.at < s.hi AND ${agencyFilter('st')} OFFSET 0) st WHERE s.kind = 'detail'
       ) x GROUP BY agency`,
      [partnerships, agency, ...asAt.params],
    ),
    // Exact medians: histograms per agency and overall give the bins of the middle values.
    sql.query(
      `WITH ${window.sql},
       raw AS (
         SELECT b.agency, b.bin, s.sign * b.n AS n
           FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_discharge_hist b WHERE b.partnership = ANY($1::text[])
            AND b.month >= s.lo AND b.month < s.hi AND ${agencyFilter('b')} OFFSET 0) b WHERE s.kind = 'months'
         UNION ALL
         SELECT b.agency, b.bin, s.sign * b.n
           FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_discharge_hist b WHERE b.partnership = ANY($1::text[])
            AND b.month = 'infinity' AND ${agencyFilter('b')} OFFSET 0) b WHERE s.kind = 'total'
         UNION ALL
         SELECT a.agency, a.discharge_bin, s.sign
           FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_action a WHERE a.discharged_at IS NOT NULL AND a.partnership = ANY($1::text[])
            AND a.discharged_at >= s.lo AND a.discharged_at < s.hi AND ${agencyFilter('a')} OFFSET 0) a WHERE s.kind = 'detail'
       ),
       hist AS (SELECT agency AS grp, bin, n FROM raw UNION ALL SELECT '*', bin, n FROM raw),
       ${MEDIAN_TARGETS_SQL}
       SELECT grp, bin, off, (SELECT array_agg(DISTINCT grp) FROM h WHERE grp <> '*') AS agencies FROM targets`,
      [partnerships, agency, ...window.params],
    ),
  ]);

  const targets = medianTargets(targetRows);
  const picks = targetsTable(targets, 2);
  const medians = mediansOf(
    targets.length === 0
      ? []
      : await sql.query(
          `SELECT t.grp, p.value FROM ${picks.sql}
            CROSS JOIN LATERAL (
              SELECT a.days_to_discharge AS value FROM analytics_action a
               WHERE a.partnership = ANY($1::text[]) AND a.agency = ANY(CASE WHEN t.grp = '*' THEN $5::text[] ELSE ARRAY[t.grp] END)
                 AND a.discharge_bin = t.bin AND a.discharged_at IS NOT NULL AND a.discharged_at >= $6 AND a.discharged_at < $7
               ORDER BY a.days_to_discharge OFFSET t.off LIMIT 1
            ) p`,
          [
            partnerships,
            ...picks.params,
            targetRows[0]!['agencies'] ?? [],
            request.fromMs === null ? '-infinity' : new Date(request.fromMs).toISOString(),
            new Date(request.toMs).toISOString(),
          ],
        ),
  );

  const agencies = new Map<string, { agency: string } & DischargedFigures>();
  const figures = (code: string) => {
    let found = agencies.get(code);
    if (!found) {
      found = {
        agency: code,
        discharged: 0,
        inProcess: 0,
        overdue: 0,
        byResult: Object.fromEntries(DISCHARGE_RESULTS.map((r) => [r, 0])),
        onTimeRate: null,
        medianDaysToDischarge: null,
      };
      agencies.set(code, found);
    }
    return found;
  };
  const onTime = new Map<string, number>();
  for (const row of counts) {
    const code = row['agency'] as string;
    const f = figures(code);
    f.discharged += num(row['discharged']);
    DISCHARGE_RESULTS.forEach((r, i) => (f.byResult[r]! += num(row[resultColumns[i]!])));
    onTime.set(code, (onTime.get(code) ?? 0) + num(row['on_time']));
  }
  for (const row of states) {
    const f = figures(row['agency'] as string);
    f.inProcess += num(row['in_process']);
    f.overdue += num(row['overdue']);
  }
  const byAgency = [...agencies.values()]
    .filter((f) => f.discharged > 0 || f.inProcess > 0 || f.overdue > 0)
    .sort((a, b) => (a.agency < b.agency ? -1 : a.agency > b.agency ? 1 : 0));
  for (const f of byAgency) {
    f.onTimeRate = f.discharged > 0 ? round((onTime.get(f.agency) ?? 0) / f.discharged, 4) : null;
    f.medianDaysToDischarge = round(medians.get(f.agency) ?? null, 2);
  }
  const total = (pick: (f: DischargedFigures) => number) => byAgency.reduce((sum, f) => sum + pick(f), 0);
  const discharged = total((f) => f.discharged);
  const onTimeTotal = byAgency.reduce((sum, f) => sum + (onTime.get(f.agency) ?? 0), 0);
  return {
    discharged,
    inProcess: total((f) => f.inProcess),
    overdue: total((f) => f.overdue),
    byResult: Object.fromEntries(DISCHARGE_RESULTS.map((r) => [r, total((f) => f.byResult[r]!)])),
    onTimeRate: discharged > 0 ? round(onTimeTotal / discharged, 4) : null,
    medianDaysToDischarge: round(medians.get('*') ?? null, 2),
    byAgency,
  };
}

export interface DischargedItem extends ActionItem {
  result: string;
  dischargedAt: string;
  onTime: boolean;
  daysToDischarge: number;
}

export interface DischargedItemsRequest extends DischargedRequest {
  limit: number;
  /** Keyset: the last item of the previous page. */
  after?: { dischargedAt: string; actionId: string };
}

/** The discharges behind the figures, latest first (dischargedAt, then action id, descending). */
export async function queryDischargedItems(sql: Sql, request: DischargedItemsRequest): Promise<{ items: DischargedItem[]; next?: { dischargedAt: string; actionId: string } }> {
  const params: unknown[] = [
    request.agency ?? '*',
    request.fromMs === null ? '-infinity' : new Date(request.fromMs).toISOString(),
    new Date(request.toMs).toISOString(),
    request.after?.dischargedAt ?? 'infinity',
    request.after?.actionId ?? 'ffffffff-ffff-ffff-ffff-ffffffffffff',
    request.limit + 1,
  ];
  // One index scan per partnership, merged: each is already in order.
  const branches = request.partnerships.map((partnership) => {
    params.push(partnership);
    return `(SELECT * FROM analytics_action
              WHERE partnership = $${params.length} AND discharged_at IS NOT NULL AND ($1 = '*' OR agency = $1)
                AND discharged_at >= $2 AND discharged_at < $3 AND (discharged_at, action_id) < ($4::timestamptz, $5::uuid)
              ORDER BY discharged_at DESC, action_id DESC LIMIT $6)`;
  });
  if (branches.length === 0) return { items: [] };
  const rows = await sql.query(
    `SELECT action_id, problem_id, partnership, agency, area_code, problem_category, tactic_category, tactic_name, result,
            assigned_at, due_at_discharge, discharged_at, on_time, days_to_discharge,
            to_char(discharged_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
       FROM (${branches.join(' UNION ALL ')}) x ORDER BY discharged_at DESC, action_id DESC LIMIT $6`,
    params,
  );
  const page = rows.slice(0, request.limit);
  const items = page.map((r) => ({
    actionId: r['action_id'] as string,
    problemId: r['problem_id'] as string,
    partnership: r['partnership'] as string,
    agency: r['agency'] as string,
    areaCode: r['area_code'] as string | null,
    problemCategory: r['problem_category'] as string | null,
    tactic: { category: r['tactic_category'] as string, name: r['tactic_name'] as string },
    result: r['result'] as string,
    assignedAt: (r['assigned_at'] as Date).toISOString(),
    dueBy: (r['due_at_discharge'] as Date).toISOString(),
    dischargedAt: (r['discharged_at'] as Date).toISOString(),
    onTime: r['on_time'] as boolean,
    daysToDischarge: round(r['days_to_discharge'] as number, 4)!,
  }));
  const last = page[page.length - 1];
  return rows.length > request.limit && last
    ? { items, next: { dischargedAt: last['cursor_at'] as string, actionId: last['action_id'] as string } }
    : { items };
}
