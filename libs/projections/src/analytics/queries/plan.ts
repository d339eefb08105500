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
// Exact medians from a histogram and the detail rows of at most two of its bins.

/** Count per bin (bins are ordered like the values they hold). */
export type Histogram = Map<number, number>;

export function addTo(hist: Histogram, bin: number, n: number): void {
  const total = (hist.get(bin) ?? 0) + n;
  if (total === 0) hist.delete(bin);
  else hist.set(bin, total);
}

const count = (hist: Histogram): number => [...hist.values()].reduce((a, b) => a + b, 0);

/** The bin and the 0-based position inside it of the k-th smallest value (0-based k). */
function locate(hist: Histogram, k: number): { bin: number; offset: number } {
  let before = 0;
  for (const bin of [...hist.keys()].sort((a, b) => a - b)) {
    const n = hist.get(bin)!;
    if (k < before + n) return { bin, offset: k - before };
    before += n;
  }
  throw new Error('histogram smaller than its count');
}

/** The bins whose values a median needs (one or two). */
export function medianBins(hist: Histogram): number[] {
  const n = count(hist);
  if (n <= 0) return [];
  return [...new Set([locate(hist, Math.floor((n - 1) / 2)).bin, locate(hist, Math.floor(n / 2)).bin])];
}

/** The median, given the sorted values of the bins `medianBins` named; null for no values. */
export function medianFrom(hist: Histogram, valuesOf: (bin: number) => readonly number[]): number | null {
  const n = count(hist);
  if (n <= 0) return null;
  const pick = (k: number) => {
    const { bin, offset } = locate(hist, k);
    const value = valuesOf(bin)[offset];
    if (value === undefined) throw new Error(`median: bin ${bin} has fewer detail rows than its histogram count`);
    return value;
  };
  return (pick(Math.floor((n - 1) / 2)) + pick(Math.floor(n / 2))) / 2;
}

export const round = (value: number | null, places: number): number | null =>
  value === null ? null : Math.round(value * 10 ** places) / 10 ** places;

/** Wilson score interval's lower bound at 95% (z = 1.96); null without trials. */
export function wilsonLowerBound(successes: number, trials: number, z = 1.96): number | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  return (p + z2 / (2 * trials) - z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
}

/** A query runner: TypeORM's DataSource/EntityManager `query`, or a pg pool adapted to it. */
export interface Sql {
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
