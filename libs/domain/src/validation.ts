import { reject, type Refusal } from './decision';
import type { FieldError } from './errors';
import type { IsoDateTime } from './event';

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

  /** An ISO 8601 time; with `notAfter`, no later than that time (things that happened cannot be in the future). */
  time(field: string, value: unknown, { optional = false, notAfter }: { optional?: boolean; notAfter?: IsoDateTime } = {}): this {
    if (value === undefined && optional) return this;
    if (!isIsoDateTime(value)) return this.fail(field, `${field} must be an ISO 8601 date or date-time with offset`);
    if (notAfter !== undefined && isLater(value, notAfter)) return this.fail(field, `${field} must not be in the future`);
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
