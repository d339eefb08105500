import { reject, type Refusal } from './decision';
import type { FieldError } from './errors';
import type { IsoDateTime } from './event';
import { DEFAULT_TIME_ZONE, MEETING_YEARS_AHEAD, WORLD_MS_AHEAD, WORLD_YEARS_BACK, compareTime, yearsBefore } from './times';

/** The clock a time is judged by: the server's now and the zone of bare dates. */
export type TimeContext = { now: IsoDateTime; timeZone?: string };

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** An ISO 8601 date, or date-time with an offset (a time without offset would depend on the server's zone). */
export const isIsoDateTime = (value: unknown): value is IsoDateTime =>
  typeof value === 'string' && ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));

/** a is strictly later than b (both ISO 8601). */
export const isLater = (a: IsoDateTime, b: IsoDateTime): boolean => Date.parse(a) > Date.parse(b);

/** a is at or after b (both ISO 8601). */
export const isAtOrAfter = (a: IsoDateTime, b: IsoDateTime): boolean => Date.parse(a) >= Date.parse(b);

/** Collects the invalid fields of a command, for one VALIDATION_FAILED refusal listing them all. */
export class Checks {
  private readonly errors: FieldError[] = [];

  fail(field: string, message: string): this {
    this.errors.push({ field, message });
    return this;
  }

  text(field: string, value: unknown, { optional = false, allowEmpty = false } = {}): this {
    if (value === undefined && optional) return this;
    if (typeof value !== 'string') return this.fail(field, `${field} must be a string`);
    if (value.includes('\u0000')) return this.fail(field, `${field} must not contain U+0000`);
    if (!allowEmpty && value.trim() === '') return this.fail(field, `${field} must not be empty`);
    return this;
  }

  oneOf(field: string, value: unknown, allowed: readonly string[], { optional = false } = {}): this {
    if (value === undefined && optional) return this;
    if (typeof value !== 'string' || !allowed.includes(value)) return this.fail(field, `${field} must be one of ${allowed.join(', ')}`);
    return this;
  }

  number(field: string, value: unknown, min: number, max: number, { optional = false } = {}): this {
    if (value === undefined && optional) return this;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      return this.fail(field, `${field} must be a number from ${min} to ${max}`);
    }
    return this;
  }

  boolean(field: string, value: unknown, { optional = false } = {}): this {
    if (value === undefined && optional) return this;
    if (typeof value !== 'boolean') return this.fail(field, `${field} must be true or false`);
    return this;
  }

  /** An ISO 8601 date, or date-time with an offset. */
  time(field: string, value: unknown, { optional = false } = {}): this {
    if (value === undefined && optional) return this;
    if (!isIsoDateTime(value)) return this.fail(field, `${field} must be an ISO 8601 date or date-time with offset`);
    return this;
  }

  /**
   * A time in an aggregate's own life (`raisedAt`, `closedAt`, ...): not in the future (a bare date:
   * not after today), and no further back than the world window. Whether it
   * precedes the aggregate's last event is `requireNotBeforeLastEvent`'s to say.
   */
  lifeTime(field: string, value: unknown, clock: TimeContext & { optional?: boolean }): this {
    if (value === undefined && clock.optional === true) return this;
    if (!isIsoDateTime(value)) return this.time(field, value);
    const zone = clock.timeZone ?? DEFAULT_TIME_ZONE;
    if (compareTime(value, clock.now, zone) > 0) return this.fail(field, `${field} must not be in the future`);
    if (compareTime(value, yearsBefore(clock.now, WORLD_YEARS_BACK), zone) < 0) {
      return this.fail(field, `${field} must not be more than ${WORLD_YEARS_BACK} years ago`);
    }
    return this;
  }

  /** A time in the outside world (an intervention's `occurredAt`): from WORLD_YEARS_BACK years back to WORLD_MS_AHEAD ahead. */
  worldTime(field: string, value: unknown, clock: TimeContext & { optional?: boolean; yearsAhead?: number }): this {
    if (value === undefined && clock.optional === true) return this;
    if (!isIsoDateTime(value)) return this.time(field, value);
    const zone = clock.timeZone ?? DEFAULT_TIME_ZONE;
    const ahead = clock.yearsAhead === undefined ? Date.parse(clock.now) + WORLD_MS_AHEAD : yearsBefore(clock.now, -clock.yearsAhead);
    const aheadText = clock.yearsAhead === undefined ? '1 day' : `${clock.yearsAhead} years`;
    if (compareTime(value, ahead, zone) > 0 || compareTime(value, yearsBefore(clock.now, WORLD_YEARS_BACK), zone) < 0) {
      return this.fail(field, `${field} must lie between ${WORLD_YEARS_BACK} years ago and ${aheadText} from now`);
    }
    return this;
  }

  /** A meeting's date: no further back than the world window, up to MEETING_YEARS_AHEAD ahead. */
  meetingDate(field: string, value: unknown, clock: TimeContext): this {
    return this.worldTime(field, value, { ...clock, yearsAhead: MEETING_YEARS_AHEAD });
  }

  /** A calendar date (YYYY-MM-DD) not after today in the zone, e.g. a date of birth. */
  pastDate(field: string, value: unknown, clock: TimeContext & { optional?: boolean }): this {
    if (value === undefined && clock.optional === true) return this;
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || !isIsoDateTime(value)) return this.fail(field, `${field} must be a date, YYYY-MM-DD`);
    if (compareTime(value, clock.now, clock.timeZone ?? DEFAULT_TIME_ZONE) > 0) return this.fail(field, `${field} must not be in the future`);
    return this;
  }

  code(field: string, value: unknown): this {
    if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(value)) {
      return this.fail(field, `${field} must be 1 to 100 letters, digits, "-" or "_", starting with a letter or digit`);
    }
    return this;
  }

  lat(field: string, value: unknown, options: { optional?: boolean } = {}): this {
    return this.number(field, value, -90, 90, options);
  }

  lng(field: string, value: unknown, options: { optional?: boolean } = {}): this {
    return this.number(field, value, -180, 180, options);
  }

  get failed(): boolean {
    return this.errors.length > 0;
  }

  /** The refusal listing every invalid field, or undefined when all passed. */
  refusal(): Refusal | undefined {
    if (this.errors.length === 0) return undefined;
    return reject('VALIDATION_FAILED', this.errors.map((e) => e.message).join('; '), [...this.errors]);
  }
}

export const checks = (): Checks => new Checks();

/** A copy without the keys whose value is undefined, so event data holds only what was given. */
export const compact = <T extends Record<string, unknown>>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/** Structural equality of plain JSON values (for "did this field change"). */
export const sameValue = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bKeys = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
};

/**
 * A time the caller gave about an aggregate's life must not precede the aggregate's last event
 * (TIME_BEFORE_LAST_EVENT): a closure cannot be dated before the problem was raised or last changed.
 */
export function requireNotBeforeLastEvent(
  field: string,
  value: IsoDateTime | undefined,
  lastEventAt: IsoDateTime | undefined,
  what: string,
  timeZone: string = DEFAULT_TIME_ZONE,
): Refusal | undefined {
  if (value === undefined || lastEventAt === undefined || compareTime(value, lastEventAt, timeZone) >= 0) return undefined;
  const message = `${field} must not be before the ${what}'s last event (${lastEventAt})`;
  return reject('TIME_BEFORE_LAST_EVENT', message, [{ field, message }]);
}

/**
 * A due date must not be in the past (DUE_DATE_IN_PAST), unless the command records an action agreed
 * earlier and says so. A bare date is due by the end of that day in the zone: today is accepted.
 */
export function requireDueDateAhead(field: string, dueBy: IsoDateTime, clock: TimeContext, agreedEarlier: boolean): Refusal | undefined {
  if (agreedEarlier || !isIsoDateTime(dueBy) || compareTime(dueBy, clock.now, clock.timeZone ?? DEFAULT_TIME_ZONE) >= 0) return undefined;
  const message = `${field} must not be in the past (to record an action agreed earlier, say so with agreedEarlier: true)`;
  return reject('DUE_DATE_IN_PAST', message, [{ field, message }]);
}
