import type { GroupSchedule } from './group.events';

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The default interval of a schedule: fortnightly. */
export const DEFAULT_EVERY_DAYS = 14;
/** The longest interval a schedule may have: a year. */
export const MAX_EVERY_DAYS = 366;
/** The most members a group may list. */
export const MAX_GROUP_MEMBERS = 100;

export const isCalendarDate = (value: unknown): value is string =>
  typeof value === 'string' && DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

export const isTimeOfDay = (value: unknown): value is string => typeof value === 'string' && TIME.test(value);

/**
 * The first date of the schedule on or after `today` (both YYYY-MM-DD): `from`, then every
 * `everyDays` days. Calendar days, so a change of clocks does not move a meeting.
 */
export function nextMeetingDate(schedule: GroupSchedule, today: string): string {
  const from = Date.parse(`${schedule.from}T00:00:00Z`);
  const day = Date.parse(`${today}T00:00:00Z`);
  if (day <= from) return schedule.from;
  const periods = Math.ceil((day - from) / DAY_MS / schedule.everyDays);
  return new Date(from + periods * schedule.everyDays * DAY_MS).toISOString().slice(0, 10);
}
