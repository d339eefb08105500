import { OUTCOMES } from '@tasking/domain';
import { MEDIAN_TARGETS_SQL, medianTargets, mediansOf, monthsOf, num, planWindow, round, segmentsCte, targetsTable, type Segment, type Sql } from './plan';

const outcomeColumns = OUTCOMES.map((o) => o.replace(/-/g, '_'));

export interface OutcomesRequest {
  partnerships: readonly string[];
  areaCode?: string;
  category?: string;
  fromMs: number | null;
  toMs: number;
  /** Zone of the months (config TIME_ZONE). */
  timeZone: string;
}

export interface OutcomeFigures {
  closed: number;
  byOutcome: Record<string, number>;
  medianDaysOpen: number | null;
  reopenRate: number | null;
  recurrences: number;
}

export interface OutcomesSummary extends OutcomeFigures {
  byMonth: ({ month: string } & OutcomeFigures)[];
}

const OVERALL = 'overall';

/**
 * Closures in [from, to) per area and category (where and what the problem was when closed): every
 * closure counts in the month of its closedAt, a reopened problem's later closure again; by
 * outcome; exact median days open (raisedAt -> closedAt); reopen rate = closures later reopened /
 * closures; recurrences = new problems of the same category raised in the same area within 90
 * days after a closure, counted with that closure. Months are calendar months of `timeZone` that
 * hold at least one closure.
 */
export async function queryOutcomes(sql: Sql, request: OutcomesRequest): Promise<OutcomesSummary> {
  const { partnerships, toMs } = request;
  const area = request.areaCode ?? '*';
  const category = request.category ?? '*';
  let startMs = request.fromMs;
  if (startMs === null) {
    const first = await firstClosedMs(sql, partnerships, area, category);
    if (first === null || first >= toMs) return { ...empty(), byMonth: [] };
    startMs = first;
  }
  const months = monthsOf(request.timeZone, startMs, toMs);
  const windows = [{ label: OVERALL, fromMs: request.fromMs, toMs }, ...months];
  const segments: Segment[] = windows.flatMap((w) => planWindow(w.label, w.fromMs, w.toMs));
  const seg = segmentsCte(segments, 4);
  const sums = ['closed', 'reopened', 'recurrences', ...outcomeColumns];
  const filtered = area !== '*' || category !== '*';
  const params = [partnerships, area, category, ...seg.params];
  const [counts, targetRows] = await Promise.all([
    sql.query(
      `WITH ${seg.sql}
       SELECT label, ${sums.map((c) => `sum(${c}) AS ${c}`).join(', ')} FROM (
         SELECT s.label, ${sums.map((c) => `s.sign * b.${c} AS ${c}`).join(', ')}
           FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_area_month b WHERE b.partnership = ANY($1::text[]) AND b.category = $3
            AND b.month >= s.lo AND b.month < s.hi AND ($2 = '*' OR b.area_code = $2) OFFSET 0) b WHERE s.kind = 'months'
         UNION ALL
         SELECT s.label, ${sums.map((c) => `s.sign * b.${c}`).join(', ')}
           FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_area_month b WHERE b.partnership = ANY($1::text[]) AND b.category = $3
            AND b.month = 'infinity' AND ($2 = '*' OR b.area_code = $2) OFFSET 0) b WHERE s.kind = 'total'
         UNION ALL
         SELECT s.label, s.sign, s.sign * c.reopened::int, s.sign * c.recurrences,
                ${OUTCOMES.map((o) => `s.sign * (c.outcome = '${o}')::int`).join(', ')}
           FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_closure c WHERE c.partnership = ANY($1::text[])
            AND c.closed_at >= s.lo AND c.closed_at < s.hi AND ($2 = '*' OR c.area_code = $2) AND ($3 = '*' OR c.category = $3) OFFSET 0) c WHERE s.kind = 'detail'
       ) x GROUP BY label`,
      params,
    ),
    // Exact medians: a histogram per window gives the bins of the middle values.
    sql.query(
      `WITH ${seg.sql},
       w AS (SELECT w.*, $2::text AS area, $3::text AS category FROM unnest($9::text[], $10::timestamptz[], $11::timestamptz[]) AS w(label, lo, hi)),
       hist AS (
         ${
           filtered
             ? // Filtered by area or category: few enough closures to histogram them directly.
               `SELECT w.label AS grp, c.days_open_bin AS bin, 1 AS n
                  FROM w CROSS JOIN LATERAL (SELECT * FROM analytics_closure c WHERE c.partnership = ANY($1::text[])
                   AND c.closed_at >= w.lo AND c.closed_at < w.hi AND ($2 = '*' OR c.area_code = $2) AND ($3 = '*' OR c.category = $3) OFFSET 0) c`
             : `SELECT s.label AS grp, b.bin, s.sign * b.n AS n
                  FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_days_open_hist b WHERE b.partnership = ANY($1::text[])
                   AND b.month >= s.lo AND b.month < s.hi OFFSET 0) b WHERE s.kind = 'months'
                UNION ALL
                SELECT s.label, b.bin, s.sign * b.n
                  FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_days_open_hist b WHERE b.partnership = ANY($1::text[]) AND b.month = 'infinity' OFFSET 0) b WHERE s.kind = 'total'
                UNION ALL
                SELECT s.label, c.days_open_bin, s.sign
                  FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_closure c WHERE c.partnership = ANY($1::text[])
                   AND c.closed_at >= s.lo AND c.closed_at < s.hi OFFSET 0) c WHERE s.kind = 'detail'`
         }
       ),
       ${MEDIAN_TARGETS_SQL}
       SELECT grp, bin, off FROM targets`,
      [...params, windows.map((x) => x.label), windows.map((x) => lowerBound(x.fromMs)), windows.map((x) => new Date(x.toMs).toISOString())],
    ),
  ]);

  const targets = medianTargets(targetRows);
  const picks = targetsTable(targets, 4);
  const windowOf = new Map(windows.map((x) => [x.label, x]));
  const medians = mediansOf(
    targets.length === 0
      ? []
      : await sql.query(
          `SELECT t.grp, p.value FROM ${picks.sql}
            JOIN unnest($7::text[], $8::timestamptz[], $9::timestamptz[]) AS w(label, lo, hi) ON w.label = t.grp
            CROSS JOIN LATERAL (
              SELECT c.days_open AS value FROM analytics_closure c
               WHERE c.partnership = ANY($1::text[]) AND c.days_open_bin = t.bin AND c.closed_at >= w.lo AND c.closed_at < w.hi
                 AND ($2 = '*' OR c.area_code = $2) AND ($3 = '*' OR c.category = $3)
               ORDER BY c.days_open OFFSET t.off LIMIT 1
            ) p`,
          [
            partnerships,
            area,
            category,
            ...picks.params,
            targets.map((t) => t.grp),
            targets.map((t) => lowerBound(windowOf.get(t.grp)!.fromMs)),
            targets.map((t) => new Date(windowOf.get(t.grp)!.toMs).toISOString()),
          ],
        ),
  );

  const figures = new Map<string, OutcomeFigures>();
  for (const row of counts) {
    const label = row['label'] as string;
    const closed = num(row['closed']);
    figures.set(label, {
      closed,
      byOutcome: Object.fromEntries(OUTCOMES.map((o, i) => [o, num(row[outcomeColumns[i]!])])),
      medianDaysOpen: round(medians.get(label) ?? null, 2),
      reopenRate: closed > 0 ? round(num(row['reopened']) / closed, 4) : null,
      recurrences: num(row['recurrences']),
    });
  }
  const overall = figures.get(OVERALL) ?? empty();
  return {
    ...overall,
    byMonth: months.flatMap((m) => {
      const f = figures.get(m.label);
      return f && f.closed > 0 ? [{ month: m.label, ...f }] : [];
    }),
  };
}

const lowerBound = (ms: number | null): string => (ms === null ? '-infinity' : new Date(ms).toISOString());

function empty(): OutcomeFigures {
  return { closed: 0, byOutcome: Object.fromEntries(OUTCOMES.map((o) => [o, 0])), medianDaysOpen: null, reopenRate: null, recurrences: 0 };
}

/** The first closedAt in scope (one short index scan per partnership). */
async function firstClosedMs(sql: Sql, partnerships: readonly string[], area: string, category: string): Promise<number | null> {
  const [first] = await sql.query(
    `SELECT (extract(epoch FROM min(f.closed_at)) * 1000)::float8 AS first
       FROM unnest($1::text[]) AS p(partnership)
       CROSS JOIN LATERAL (
         SELECT c.closed_at FROM analytics_closure c
          WHERE c.partnership = p.partnership AND ($2 = '*' OR c.area_code = $2) AND ($3 = '*' OR c.category = $3)
          ORDER BY c.closed_at LIMIT 1
       ) f`,
    [partnerships, area, category],
  );
  return (first?.['first'] as number | null | undefined) ?? null;
}
