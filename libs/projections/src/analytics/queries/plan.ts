/**
 * How a query reads a time window from the monthly buckets and the detail rows.
 *
 * Aggregates are summed per calendar month of BUCKET_TIME_ZONE (rows keyed by the month's start)
 * and over all time (month = 'infinity'). A window [from, to) is read as
 *   - the buckets of the months lying wholly inside it, plus detail rows for the partial months at
 *     either end (at most about a month of rows each side); or, when `from` is open,
 *   - the all-time bucket minus what lies at or after `to` (buckets of later months, detail rows
 *     between `to` and the next month start): for the usual `to` = now that is nothing at all.
 * Either way the answer is exact.
 */
import { BUCKET_TIME_ZONE, MonthGrid, isoOf } from '../time';

export interface Segment {
  label: string;
  kind: 'months' | 'total' | 'detail';
  lo: string;
  hi: string;
  sign: 1 | -1;
}

const grid = MonthGrid.of(BUCKET_TIME_ZONE);
const INFINITY = 'infinity';
const MINUS_INFINITY = '-infinity';

export function planWindow(label: string, fromMs: number | null, toMs: number): Segment[] {
  if (fromMs === null) {
    const next = grid.ceil(toMs);
    const segments: Segment[] = [
      { label, kind: 'total', lo: MINUS_INFINITY, hi: INFINITY, sign: 1 },
      { label, kind: 'months', lo: isoOf(next), hi: INFINITY, sign: -1 },
    ];
    if (toMs < next) segments.push({ label, kind: 'detail', lo: isoOf(toMs), hi: isoOf(next), sign: -1 });
    return segments;
  }
  if (!(fromMs < toMs)) return [];
  const first = grid.ceil(fromMs);
  const last = grid.floor(toMs);
  if (first >= last) return [{ label, kind: 'detail', lo: isoOf(fromMs), hi: isoOf(toMs), sign: 1 }];
  const segments: Segment[] = [{ label, kind: 'months', lo: isoOf(first), hi: isoOf(last), sign: 1 }];
  if (fromMs < first) segments.push({ label, kind: 'detail', lo: isoOf(fromMs), hi: isoOf(first), sign: 1 });
  if (last < toMs) segments.push({ label, kind: 'detail', lo: isoOf(last), hi: isoOf(toMs), sign: 1 });
  return segments;
}

/**
 * Queries join each segment to its table as `seg s CROSS JOIN LATERAL (SELECT ... WHERE <s.lo,
 * s.hi> OFFSET 0) x`: OFFSET 0 keeps the subquery from being flattened into a plain join, so the
 * planner cannot hash a whole table (it guesses the unnest's size badly) and runs one index range
 * scan per segment instead.
 *
 * The segments as a CTE `seg(label, kind, lo, hi, sign)` from five array parameters starting at
 * `$first`; returns the SQL and the parameter values.
 */
export function segmentsCte(segments: readonly Segment[], first: number): { sql: string; params: unknown[] } {
  const p = (i: number) => `$${first + i}`;
  return {
    sql: `seg AS (SELECT * FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::timestamptz[], ${p(3)}::timestamptz[], ${p(4)}::int[]) AS s(label, kind, lo, hi, sign))`,
    params: [segments.map((s) => s.label), segments.map((s) => s.kind), segments.map((s) => s.lo), segments.map((s) => s.hi), segments.map((s) => s.sign)],
  };
}

/** Calendar months of `zone` overlapping [fromMs, toMs), each clipped to the window. */
export function monthsOf(zone: string, fromMs: number, toMs: number): { label: string; fromMs: number; toMs: number }[] {
  const zoneGrid = MonthGrid.of(zone);
  const months: { label: string; fromMs: number; toMs: number }[] = [];
  for (let index = zoneGrid.indexOf(fromMs); zoneGrid.startOfIndex(index) < toMs; index += 1) {
    months.push({
      label: MonthGrid.label(index),
      fromMs: Math.max(fromMs, zoneGrid.startOfIndex(index)),
      toMs: Math.min(toMs, zoneGrid.startOfIndex(index + 1)),
    });
  }
  return months;
}

// ---------------------------------------------------------------------------------------------

export const round = (value: number | null, places: number): number | null =>
  value === null ? null : Math.round(value * 10 ** places) / 10 ** places;

/** Wilson score interval's lower bound at 95% (z = 1.96); null without trials. */
export function wilsonLowerBound(successes: number, trials: number, z = 1.96): number | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  return (p + z2 / (2 * trials) - z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
}

/**
 * SQL turning a CTE `hist(grp, bin, n)` (histogram rows, possibly several per bin, signed) into
 * `targets(grp, bin, off, k)`: for each group, the bins holding its middle value(s) (0-based ranks
 * k = (total - 1) / 2 and total / 2) and their offsets inside those bins. A second statement then
 * picks each target's value from the detail rows of its bin (`ORDER BY value OFFSET off LIMIT 1`,
 * targets passed as arrays so the planner knows how few they are: in one statement its estimate
 * can reach PostgreSQL's JIT threshold, and compiling costs far more than the query): the exact
 * median is the mean of a group's one or two picks, and only those rows leave the database.
 */
export const MEDIAN_TARGETS_SQL = `
  h AS (SELECT grp, bin, sum(n)::bigint AS n FROM hist GROUP BY grp, bin HAVING sum(n) <> 0),
  c AS (SELECT grp, bin, n, (sum(n) OVER (PARTITION BY grp ORDER BY bin))::bigint - n AS before, (sum(n) OVER (PARTITION BY grp))::bigint AS total FROM h),
  targets AS (
    SELECT DISTINCT c.grp, c.bin, ks.k - c.before AS off, ks.k FROM c
     CROSS JOIN LATERAL (VALUES ((c.total - 1) / 2), (c.total / 2)) AS ks(k)
     WHERE ks.k >= c.before AND ks.k < c.before + c.n)`;

export interface MedianTarget {
  grp: string;
  bin: number;
  off: number;
}

export const medianTargets = (rows: readonly Record<string, unknown>[]): MedianTarget[] =>
  rows.map((r) => ({ grp: String(r['grp']), bin: Number(r['bin']), off: Number(r['off']) }));

/** `unnest(...) AS t(grp, bin, off)` over three array parameters starting at `$first`, and their values. */
export function targetsTable(targets: readonly MedianTarget[], first: number): { sql: string; params: unknown[] } {
  return {
    sql: `unnest($${first}::text[], $${first + 1}::int[], $${first + 2}::bigint[]) AS t(grp, bin, off)`,
    params: [targets.map((t) => t.grp), targets.map((t) => t.bin), targets.map((t) => t.off)],
  };
}

/** Medians per group from rows `{grp, value}` (one or two picks per group, as MEDIAN_TARGETS_SQL yields). */
export function mediansOf(rows: readonly Record<string, unknown>[]): Map<string, number> {
  const picks = new Map<string, number[]>();
  for (const row of rows) {
    const group = String(row['grp']);
    if (!picks.has(group)) picks.set(group, []);
    picks.get(group)!.push(Number(row['value']));
  }
  return new Map([...picks].map(([group, values]) => [group, values.reduce((a, b) => a + b, 0) / values.length]));
}

/** A query runner: TypeORM's DataSource/EntityManager `query`, or a pg pool adapted to it. */
export interface Sql {
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
