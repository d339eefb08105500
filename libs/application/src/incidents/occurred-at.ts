import { WORLD_MS_AHEAD, WORLD_YEARS_BACK, type OccurredPrecision } from '@tasking/domain';

/**
 * When an incident happened, as a source gives it (evidence.md, "Times"): an ISO time with an
 * offset, a local time without one (in the deployment's TIME_ZONE), a date (`YYYY-MM-DD`,
 * `DD/MM/YYYY`) or a month (`YYYY-MM`). The answer is the instant the time, day or month starts
 * (a day and a month start at local midnight in the zone) with its precision. It must lie in the
 * world window: from WORLD_YEARS_BACK years back to WORLD_MS_AHEAD ahead of `now` (a day or a month
 * is accepted when any of it lies in the window). Reasons never repeat the value.
 */
export type OccurredAt = { occurredAt: string; precision: OccurredPrecision };
export type OccurredAtResult = ({ ok: true } & OccurredAt) | { ok: false; reason: string };

const WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UK_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

export const OCCURRED_AT_FORMATS = 'an ISO time, YYYY-MM-DDTHH:mm, YYYY-MM-DD, DD/MM/YYYY or YYYY-MM';

export function parseOccurredAt(input: string, now: string | number, timeZone: string): OccurredAtResult {
  const value = input.trim();
  let parsed: { start: number; end: number; precision: OccurredPrecision } | undefined;
  let match: RegExpExecArray | null;
  if ((match = WITH_OFFSET.exec(value))) {
    const [, y, mo, d, h, mi, s = '0', fraction = '', offset] = match;
    if (!isTime(+y, +mo, +d, +h, +mi, +s)) return invalid();
    const offsetMinutes = offset.toUpperCase() === 'Z' ? 0 : offsetOf(offset);
    if (offsetMinutes === undefined) return invalid();
    const start = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) + millisOf(fraction) - offsetMinutes * 60_000;
    parsed = { start, end: start, precision: 'exact' };
  } else if ((match = LOCAL_TIME.exec(value))) {
    const [, y, mo, d, h, mi, s = '0', fraction = ''] = match;
    if (!isTime(+y, +mo, +d, +h, +mi, +s)) return invalid();
    const start = instantOfLocal(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) + millisOf(fraction), timeZone);
    parsed = { start, end: start, precision: 'exact' };
  } else if ((match = ISO_DATE.exec(value))) {
    parsed = dayOf(+match[1], +match[2], +match[3], timeZone);
    if (!parsed) return invalid();
  } else if ((match = UK_DATE.exec(value))) {
    parsed = dayOf(+match[3], +match[2], +match[1], timeZone);
    if (!parsed) return invalid();
  } else if ((match = MONTH.exec(value))) {
    const y = +match[1];
    const mo = +match[2];
    if (mo < 1 || mo > 12) return invalid();
    parsed = {
      start: instantOfLocal(Date.UTC(y, mo - 1, 1), timeZone),
      end: instantOfLocal(Date.UTC(y, mo, 1), timeZone),
      precision: 'month',
    };
  }
  if (!parsed || !Number.isFinite(parsed.start)) return invalid();
  const nowMs = typeof now === 'number' ? now : Date.parse(now);
  const earliest = new Date(nowMs);
  earliest.setUTCFullYear(earliest.getUTCFullYear() - WORLD_YEARS_BACK);
  if (parsed.precision === 'exact' ? parsed.start < earliest.getTime() : parsed.end <= earliest.getTime()) {
    return { ok: false, reason: `more than ${WORLD_YEARS_BACK} years ago` };
  }
  if (parsed.start > nowMs + WORLD_MS_AHEAD) return { ok: false, reason: 'more than 1 day ahead' };
  return { ok: true, occurredAt: new Date(parsed.start).toISOString(), precision: parsed.precision };
}

const invalid = (): OccurredAtResult => ({ ok: false, reason: `not a time or date (${OCCURRED_AT_FORMATS})` });

function dayOf(y: number, mo: number, d: number, timeZone: string): { start: number; end: number; precision: 'day' } | undefined {
  if (!isTime(y, mo, d, 0, 0, 0)) return undefined;
  return {
    start: instantOfLocal(Date.UTC(y, mo - 1, d), timeZone),
    end: instantOfLocal(Date.UTC(y, mo - 1, d + 1), timeZone),
    precision: 'day',
  };
}

function isTime(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

function offsetOf(offset: string): number | undefined {
  const digits = offset.slice(1).replace(':', '');
  const hours = +digits.slice(0, 2);
  const minutes = +digits.slice(2);
  if (hours > 23 || minutes > 59) return undefined;
  return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

const millisOf = (fraction: string): number => (fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0);

const formats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in ms (local wall time minus UTC), as Intl reads it. */
function offsetFromIntl(instant: number, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

const DAY_MS = 86_400_000;
/** Per zone, per UTC day: the offset through the day, or undefined on a day the clocks change. */
const dayOffsets = new Map<string, Map<number, number | undefined>>();

/**
 * The zone's offset at an instant. Intl is slow (tens of microseconds a call) and an import reads
 * millions of times, so the offset is kept per UTC day; only on the days the clocks change is each
 * instant asked of Intl.
 */
function offsetAt(instant: number, timeZone: string): number {
  let days = dayOffsets.get(timeZone);
  if (!days) dayOffsets.set(timeZone, (days = new Map()));
  const day = Math.floor(instant / DAY_MS);
  if (!days.has(day)) {
    const start = offsetFromIntl(day * DAY_MS, timeZone);
    days.set(day, start === offsetFromIntl((day + 1) * DAY_MS - 1000, timeZone) ? start : undefined);
  }
  return days.get(day) ?? offsetFromIntl(instant, timeZone);
}

/**
 * The instant a local wall time (given as if it were UTC) names in a zone. An ambiguous time (the
 * clocks go back) takes its first occurrence; a missing one (the clocks go forward) the first
 * instant after the gap.
 */
function instantOfLocal(wall: number, timeZone: string): number {
  const before = offsetAt(wall - 86_400_000, timeZone);
  const after = offsetAt(wall + 86_400_000, timeZone);
  const candidates = [wall - before, wall - after].filter((instant) => instant + offsetAt(instant, timeZone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // In the gap: the change lies between the two readings; find its instant.
  let low = Math.min(wall - before, wall - after);
  let high = Math.max(wall - before, wall - after);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(middle, timeZone) === before) low = middle;
    else high = middle;
  }
  return high;
}
