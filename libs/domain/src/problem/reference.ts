import type { IsoDateTime } from '../event';

/**
 * Case references people can say aloud: `SAFE-2026-0142` for a problem (prefix, year, number),
 * `SAFE-2026-0142/3` for its third action.
 *
 * A problem's number is issued by the application from its partnership's counter for the year
 * (one atomic increment of that partnership's row, no lock beyond it) and arrives in `RaiseProblem`
 * like an id; `ProblemRaised` records it, so the log keeps every reference. Numbers are unique per
 * partnership and year; a raise refused after its number was issued leaves a gap, which is harmless.
 * An action's number is counted on its problem's stream (the actions agreed so far, plus one),
 * which the assignment already expects at the revision read.
 */

/** The year a reference is counted in: the UTC year of `now`. */
export const referenceYear = (now: IsoDateTime): number => new Date(Date.parse(now)).getUTCFullYear();

const PREFIX = /^[A-Z0-9]{1,8}$/;

/** Whether a configured prefix can stand in a reference: 1 to 8 capital letters or digits. */
export const isReferencePrefix = (prefix: string): boolean => PREFIX.test(prefix);

/** The partnership's prefix: the one configured, or its code's letters and digits, upper-case, at most 8. */
export function referencePrefix(partnership: string, configured?: string): string {
  if (configured !== undefined) return configured;
  const derived = partnership.replace(/[^a-z0-9]/gi, '').toUpperCase().slice(0, 8);
  return derived === '' ? 'CASE' : derived;
}

/** `SAFE-2026-0142`: the number at least four digits long. */
export const problemReference = (prefix: string, year: number, number: number): string => `${prefix}-${year}-${String(number).padStart(4, '0')}`;

/** `SAFE-2026-0142/3`: the problem's reference and the action's number on it. */
export const actionReference = (problemRef: string, number: number): string => `${problemRef}/${number}`;

/** Whether `value` has a problem reference's shape (prefix, four-digit year, number). */
export const isProblemReference = (value: string): boolean => /^[A-Z0-9]{1,8}-\d{4}-\d{4,}$/.test(value);
