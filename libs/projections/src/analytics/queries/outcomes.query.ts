import { OUTCOMES } from '@tasking/domain';
import { addTo, medianBins, medianFrom, monthsOf, num, planWindow, round, segmentsCte, type Histogram, type Segment, type Sql } from './plan';

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
  const [counts, histogram] = await Promise.all([
    sql.query(
      `WITH ${seg.sql}
       SELECT label, ${sums.map((c) => `sum(${c}) AS ${c}`).join(', ')} FROM (
         SELECT s.label, ${sums.map((c) => `s.sign * b.${c} AS ${c}`).join(', ')}
           FROM seg s JOIN analytics_area_month b ON s.kind = 'months' AND b.partnership = ANY($1::text[]) AND b.category = $3
            AND b.month >= s.lo AND b.month < s.hi AND ($2 = '*' OR b.area_code = $2)
         UNION ALL
         SELECT s.label, ${sums.map((c) => `s.sign * b.${c}`).join(', ')}
           FROM seg s JOIN analytics_area_month b ON s.kind = 'total' AND b.partnership = ANY($1::text[]) AND b.category = $3
            AND b.month = 'infinity' AND ($2 = '*' OR b.area_code = $2)
         UNION ALL
         SELECT s.label, s.sign, s.sign * c.reopened::int, s.sign * c.recurrences,
                ${OUTCOMES.map((o) => `s.sign * (c.outcome = '${o}')::int`).join(', ')}
           FROM seg s JOIN analytics_closure c ON s.kind = 'detail' AND c.partnership = ANY($1::text[])
            AND c.closed_at >= s.lo AND c.closed_at < s.hi AND ($2 = '*' OR c.area_code = $2) AND ($3 = '*' OR c.category = $3)
       ) x GROUP BY label`,
      params,
    ),
    filtered
      ? // Filtered by area or category: few enough closures to histogram them directly.
        sql.query(
          `SELECT q.label, c.days_open_bin AS bin, count(*) AS n
             FROM unnest($4::text[], $5::timestamptz[], $6::timestamptz[]) AS q(label, lo, hi)
             JOIN analytics_closure c ON c.partnership = ANY($1::text[]) AND c.closed_at >= q.lo AND c.closed_at < q.hi
              AND ($2 = '*' OR c.area_code = $2) AND ($3 = '*' OR c.category = $3)
            GROUP BY 1, 2`,
          [partnerships, area, category, windows.map((w) => w.label), windows.map((w) => lowerBound(w.fromMs)), windows.map((w) => new Date(w.toMs).toISOString())],
        )
      : sql.query(
          `WITH ${seg.sql}, unused AS (SELECT $2::text, $3::text)
           SELECT label, bin, sum(n) AS n FROM (
             SELECT s.label, b.bin, s.sign * b.n AS n
               FROM seg s JOIN analytics_days_open_hist b ON s.kind = 'months' AND b.partnership = ANY($1::text[])
                AND b.month >= s.lo AND b.month < s.hi
             UNION ALL
             SELECT s.label, b.bin, s.sign * b.n
               FROM seg s JOIN analytics_days_open_hist b ON s.kind = 'total' AND b.partnership = ANY($1::text[]) AND b.month = 'infinity'
             UNION ALL
             SELECT s.label, c.days_open_bin, s.sign
               FROM seg s JOIN analytics_closure c ON s.kind = 'detail' AND c.partnership = ANY($1::text[])
                AND c.closed_at >= s.lo AND c.closed_at < s.hi
           ) x GROUP BY label, bin`,
          params,
        ),
  ]);

  const hists = new Map<string, Histogram>();
  for (const row of histogram) {
    const label = row['label'] as string;
    if (!hists.has(label)) hists.set(label, new Map());
    addTo(hists.get(label)!, num(row['bin']), num(row['n']));
  }
  const windowOf = new Map(windows.map((w) => [w.label, w]));
  const wanted: { label: string; lo: string; hi: string; bin: number }[] = [];
  for (const [label, hist] of hists) {
    const w = windowOf.get(label)!;
    for (const bin of medianBins(hist)) {
      wanted.push({ label, lo: lowerBound(w.fromMs), hi: new Date(w.toMs).toISOString(), bin });
    }
  }
  const values = new Map<string, number[]>();
  if (wanted.length > 0) {
    const rows = await sql.query(
      `SELECT q.label, q.bin, c.days_open AS days
         FROM unnest($4::text[], $5::timestamptz[], $6::timestamptz[], $7::int[]) AS q(label, lo, hi, bin)
         JOIN analytics_closure c ON c.partnership = ANY($1::text[]) AND c.days_open_bin = q.bin AND c.closed_at >= q.lo AND c.closed_at < q.hi
          AND ($2 = '*' OR c.area_code = $2) AND ($3 = '*' OR c.category = $3)`,
      [partnerships, area, category, wanted.map((w) => w.label), wanted.map((w) => w.lo), wanted.map((w) => w.hi), wanted.map((w) => w.bin)],
    );
    for (const row of rows) {
      const key = `${row['label']}|${row['bin']}`;
      if (!values.has(key)) values.set(key, []);
      values.get(key)!.push(row['days'] as number);
    }
    for (const list of values.values()) list.sort((a, b) => a - b);
  }

  const figures = new Map<string, OutcomeFigures>();
  for (const row of counts) {
    const label = row['label'] as string;
    const closed = num(row['closed']);
    figures.set(label, {
      closed,
      byOutcome: Object.fromEntries(OUTCOMES.map((o, i) => [o, num(row[outcomeColumns[i]!])])),
      medianDaysOpen: round(medianFrom(hists.get(label) ?? new Map(), (bin) => values.get(`${label}|${bin}`) ?? []), 2),
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
