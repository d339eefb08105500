/**
 * Refusals are values with stable codes (domain.md). The domain names each refusal's kind, the way
 * domain.md groups them; it knows nothing of HTTP. The status of each kind, and the codes only the
 * platform answers (authentication, concurrency, rate limits, outages), live in
 * libs/shared/src/error-codes.ts.
 *
 * A new refusal is one line here: its code and its kind.
 */

/** What a refusal says about the command: not valid, not allowed, not found, in conflict with the state, or naming what does not exist. */
export type RefusalKind = 'invalid' | 'forbidden' | 'not-found' | 'conflict' | 'unprocessable';

export const REFUSALS = {
  PROBLEM_CLOSED: 'conflict',
  PROBLEM_NOT_CLOSED: 'conflict',
  ACTIONS_OUTSTANDING: 'conflict',
  ACTION_CLOSED: 'conflict',
  ACTION_ALREADY_CLAIMED: 'conflict',
  ACTION_NOT_CLAIMED: 'conflict',
  ACTION_ALREADY_DECLINED: 'conflict',
  MEETING_CLOSED: 'conflict',
  ALREADY_EXISTS: 'conflict',
  FORBIDDEN_ROLE: 'forbidden',
  WRONG_AGENCY: 'forbidden',
  NOT_CLAIMANT: 'forbidden',
  UNKNOWN_AGENCY: 'unprocessable',
  AGENCY_INACTIVE: 'unprocessable',
  UNKNOWN_TACTIC: 'unprocessable',
  UNKNOWN_AREA: 'unprocessable',
  UNKNOWN_GROUP: 'unprocessable',
  VALIDATION_FAILED: 'invalid',
  TIME_BEFORE_LAST_EVENT: 'invalid',
  DUE_DATE_IN_PAST: 'invalid',
  NOT_FOUND: 'not-found',
  UNKNOWN_SOURCE: 'unprocessable',
  INCIDENT_ALREADY_TRIAGED: 'conflict',
  INCIDENT_WITHDRAWN: 'conflict',
  INCIDENT_NOT_LINKED: 'conflict',
} as const satisfies Record<string, RefusalKind>;

export type RefusalCode = keyof typeof REFUSALS;

/** One invalid field of a command (the `errors` list of a 400 problem+json). The one definition: the API's errors use it too. */
export type FieldError = { field: string; message: string };

export type DomainError = {
  code: RefusalCode;
  /** Names the rule that refused, e.g. "only officers of agency COUNCIL-ASB may claim this action". */
  message: string;
  /** Present on VALIDATION_FAILED, TIME_BEFORE_LAST_EVENT and DUE_DATE_IN_PAST: the fields at fault. */
  errors?: FieldError[];
};

export const domainError = (code: RefusalCode, message: string, errors?: FieldError[]): DomainError =>
  errors && errors.length > 0 ? { code, message, errors } : { code, message };
