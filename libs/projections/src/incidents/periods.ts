import { localFields } from '../analytics/time';

/**
 * Calendar periods of incidents in a time zone: the ISO week (Monday to Sunday) and the calendar
 * month an instant falls in, as the local date the period starts on (`2026-03-02` for week 10 of
 * 2026, `2026-03-01` for March), and the windows emerging hotspots compare. Dates are calendar
 * dates; day arithmetic on them is done in UTC, where every day has 24 hours.
 */

export type Granularity = 'week' | 'month';
export const GRANULARITIES: readonly Granularity[] = ['week', 'month'];

const DAY_MS = 86_400_000;

/** The calendar date (YYYY-MM-DD) of an instant in a zone (the zone's formatter made once). */
export function dateIn(instant: string | number, zone: string): string {
  const { year, month, day } = localFields(typeof instant === 'number' ? instant : Date.parse(instant), zone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const dateMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A calendar date `days` later (earlier when negative). */
export function addDays(date: string, days: number): string {
  return dateOf(dateMs(date) + days * DAY_MS);
}

/** A calendar date's month start `months` later (earlier when negative). */
export function addMonths(monthStart: string, months: number): string {
  const [year, month] = monthStart.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/** The Monday starting the ISO week of a calendar date. */
export function weekStartOfDate(date: string): string {
  const weekday = (new Date(dateMs(date)).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

/** The Monday (local date) starting the ISO week an instant falls in, in `zone`. */
export function weekStartOf(instant: string | number, zone: string): string {
  return weekStartOfDate(dateIn(instant, zone));
}

/** The first day (local date) of the calendar month an instant falls in, in `zone`. */
export function monthStartOf(instant: string | number, zone: string): string {
  return `${dateIn(instant, zone).slice(0, 7)}-01`;
}

/** The ISO week key (`2026-W10`) of the week starting on a Monday: the ISO year is its Thursday's. */
export function isoWeekKey(monday: string): string {
  const thursday = addDays(monday, 3);
  const year = thursday.slice(0, 4);
  const week = Math.floor((dateMs(thursday) - dateMs(`${year}-01-01`)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** A window of whole periods: from its first period's start date to the end date (exclusive). */
export interface PeriodWindow {
  from: string;
  to: string;
  /** Its length in days. */
  days: number;
}

export interface EmergingWindows {
  granularity: Granularity;
  recent: PeriodWindow;
  baseline: PeriodWindow;
}

const windowOf = (from: string, to: string): PeriodWindow => ({ from, to, days: Math.round((dateMs(to) - dateMs(from)) / DAY_MS) });

/**
 * The windows of evidence.md's "Emerging hotspots" at `now` in `zone`: by week, the last
 * `recentWeeks` complete ISO weeks and the `baselineWeeks` before them; by month, the last
 * complete calendar month and the 12 before it.
 */
export function emergingWindows(now: string | number, zone: string, granularity: Granularity, recentWeeks: number, baselineWeeks: number): EmergingWindows {
  if (granularity === 'month') {
    const end = monthStartOf(now, zone);
    const recentFrom = addMonths(end, -1);
    return { granularity, recent: windowOf(recentFrom, end), baseline: windowOf(addMonths(recentFrom, -12), recentFrom) };
  }
  const end = weekStartOf(now, zone);
  const recentFrom = addDays(end, -7 * recentWeeks);
  return { granularity, recent: windowOf(recentFrom, end), baseline: windowOf(addDays(recentFrom, -7 * baselineWeeks), recentFrom) };
}

const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;
const BARE_MONTH = /^\d{4}-\d{2}$/;

/**
 * The local date an incident's `occurredAt` names: a bare date (`2026-03-04`) or month
 * (`2026-03`, its first day) as given, whatever its precision; an instant's date in `zone`.
 */
export function occurredOn(occurredAt: string, zone: string): string {
  if (BARE_DATE.test(occurredAt)) return occurredAt;
  if (BARE_MONTH.test(occurredAt)) return `${occurredAt}-01`;
  return dateIn(occurredAt, zone);
}
