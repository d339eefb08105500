import { domainError, type DomainError, type RefusalCode, type FieldError } from './errors';

/** What a decider answers: the events to append (possibly none: nothing to do), or a refusal. */
export type Decision<E> = { ok: true; events: E[] } | { ok: false; error: DomainError };

/** What a workflow answers: events per stream (shape documented on each workflow), or a refusal. */
export type WorkflowDecision<T> = { ok: true; events: T } | { ok: false; error: DomainError };

export type Refusal = { ok: false; error: DomainError };

export const accept = <E>(...events: E[]): Decision<E> => ({ ok: true, events });

export const reject = (code: RefusalCode, message: string, errors?: FieldError[]): Refusal => ({
  ok: false,
  error: domainError(code, message, errors),
});

/** A plain result for helpers that compute a value or refuse (e.g. normaliseTactic). */
export type Result<T> = { ok: true; value: T } | Refusal;

export const success = <T>(value: T): Result<T> => ({ ok: true, value });
