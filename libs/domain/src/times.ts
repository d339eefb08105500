/**
 * Rules for the times callers supply (docs/security.md, "Times and clocks").
 *
 * - A time about an aggregate's own life (`raisedAt`, `assignedAt`, `dischargedAt`, `closedAt`)
 *   lies between the aggregate's last event and now, by the server's clock (no skew: a caller whose
 *   clock runs ahead gives a bare date, or leaves the time out for now); a new problem's `raisedAt`
 *   no further back than the world window.
 * - A time about the outside world (an intervention's `occurredAt`) lies in the world window:
 *   WORLD_YEARS_BACK years back to WORLD_MS_AHEAD ahead (evidence.md). A meeting's `heldOn` may lie
 *   up to MEETING_YEARS_AHEAD ahead (meetings are scheduled), no further back than the window.
 * - A date without a time (`2026-03-01`) is a calendar date in the deployment's TIME_ZONE and is
 *   compared with the dates of the bounds in that zone, never as UTC midnight.
 */
import type { IsoDateTime } from './event';

export const WORLD_YEARS_BACK = 10;
export const WORLD_MS_AHEAD = 24 * 3_600_000;
export const MEETING_YEARS_AHEAD = 2;
/** The zone of bare dates when a command names none. */
export const DEFAULT_TIME_ZONE = 'UTC';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export const isDateOnly = (value: IsoDateTime): boolean => DATE_ONLY.test(value);

/** One formatter per zone (making one costs about ten times as much as using it). */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** Dates already worked out, by zone and instant: an import's rows share a few instants (month starts). Bounded. */
const datesKnown = new Map<string, string>();
const DATES_KEPT = 4096;

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function dateIn(instant: IsoDateTime | number, timeZone: string): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  const key = `${timeZone} ${ms}`;
  const known = datesKnown.get(key);
  if (known !== undefined) return known;
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(ms);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const date = `${part('year')}-${part('month')}-${part('day')}`;
  if (datesKnown.size >= DATES_KEPT) datesKnown.clear();
  datesKnown.set(key, date);
  return date;
}

/** Negative, 0 or positive as `value` lies before, at or after `bound`; a bare date compares with the bound's date in `timeZone`. */
export function compareTime(value: IsoDateTime, bound: IsoDateTime | number, timeZone: string): number {
  if (isDateOnly(value)) {
    const boundDate = dateIn(bound, timeZone);
    return value < boundDate ? -1 : value > boundDate ? 1 : 0;
  }
  const boundMs = typeof bound === 'number' ? bound : Date.parse(bound);
  return Date.parse(value) - boundMs;
}

/** `years` calendar years before (negative: after) an instant, in ms. */
export const yearsBefore = (now: IsoDateTime, years: number): number => {
  const at = new Date(Date.parse(now));
  at.setUTCFullYear(at.getUTCFullYear() - years);
  return at.getTime();
};

/** The later of two times (either may be missing). */
export function latestOf(a: IsoDateTime | undefined, b: IsoDateTime | undefined): IsoDateTime | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** Times in event data that say when the thing happened. */
const HAPPENED_AT = ['raisedAt', 'assignedAt', 'occurredAt', 'dischargedAt', 'closedAt', 'addedAt', 'erasedAt'] as const;

/**
 * When an event took place as far as the aggregate's history goes: the latest of the time the
 * command layer recorded it (when the fold knows it) and the times in its data.
 */
export function eventTimeOf(event: { data: object; recordedAt?: IsoDateTime }): IsoDateTime | undefined {
  let latest = event.recordedAt;
  const data = event.data as Record<string, unknown>;
  for (const field of HAPPENED_AT) {
    const value = data[field];
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) latest = latestOf(latest, value);
  }
  return latest;
}
