import type { Event, IsoDateTime } from '../event';

/**
 * Case references people can say aloud: `SAFE-2026-0142` for a problem (prefix, year, number),
 * `SAFE-2026-0142/3` for its third action.
 *
 * A problem's number comes from its partnership's counter for the year, the stream
 * `reference-<partnership>.<year>`: one `ReferenceIssued` per problem raised, appended in the same
 * atomic append as `ProblemRaised` and expecting the counter at the revision read. Two raises that
 * read the same count conflict there, and the one that loses is retried with the next number; no
 * lock is held. Numbers are unique per partnership and year; a raise that fails after reading the
 * counter appends nothing, so a number is never issued twice (gaps are possible and harmless).
 *
 * The counter stream is bookkeeping, not an aggregate: `ReferenceIssued` is not a `DomainEvent`
 * and every projection passes it by. An action's number is counted on its problem's stream (the
 * actions agreed so far, plus one), which the assignment already expects at the revision read.
 */
export type ReferenceIssued = Event<'ReferenceIssued', { reference: string; problemId: string }>;

/** How many references a partnership's counter has issued this year; `revision` as for aggregates. */
export type ReferenceCounter = { issued: number; revision: number };

export const initialReferenceCounter: ReferenceCounter = { issued: 0, revision: -1 };

export function evolveReferenceCounter(state: ReferenceCounter, event: { type: string }): ReferenceCounter {
  return { issued: state.issued + (event.type === 'ReferenceIssued' ? 1 : 0), revision: state.revision + 1 };
}

/** The year a reference is counted in: the UTC year of `now`. */
export const referenceYear = (now: IsoDateTime): number => new Date(Date.parse(now)).getUTCFullYear();

export const referenceCounterStream = (partnership: string, year: number): string => `reference-${partnership}.${year}`;

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

/** The next reference from a partnership's counter, and the event that records it there. */
export function issueReference(input: { prefix: string; year: number; counter: ReferenceCounter; problemId: string }): { reference: string; issued: ReferenceIssued } {
  const reference = problemReference(input.prefix, input.year, input.counter.issued + 1);
  return { reference, issued: { type: 'ReferenceIssued', data: { reference, problemId: input.problemId } } };
}

/** Whether `value` has a problem reference's shape (prefix, four-digit year, number). */
export const isProblemReference = (value: string): boolean => /^[A-Z0-9]{1,8}-\d{4}-\d{4,}$/.test(value);
