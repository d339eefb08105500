/**
 * Refusals are values with stable codes (domain.md), mapped once to HTTP status here.
 */

export const ERROR_CODES = [
  'PROBLEM_CLOSED',
  'PROBLEM_NOT_CLOSED',
  'ACTIONS_OUTSTANDING',
  'ACTION_CLOSED',
  'ACTION_ALREADY_CLAIMED',
  'ACTION_NOT_CLAIMED',
  'ACTION_ALREADY_DECLINED',
  'MEETING_CLOSED',
  'ALREADY_EXISTS',
  'WRONG_EXPECTED_REVISION',
  'FORBIDDEN_ROLE',
  'WRONG_AGENCY',
  'NOT_CLAIMANT',
  'UNKNOWN_AGENCY',
  'AGENCY_INACTIVE',
  'UNKNOWN_TACTIC',
  'UNKNOWN_AREA',
  'UNKNOWN_GROUP',
  'IDEMPOTENCY_KEY_REUSED',
  'VALIDATION_FAILED',
  'TIME_BEFORE_LAST_EVENT',
  'DUE_DATE_IN_PAST',
  'UNAUTHENTICATED',
  'NOT_FOUND',
  'RATE_LIMITED',
  'NOT_CAUGHT_UP',
  'SERVICE_UNAVAILABLE',
  'CLOCK_BEHIND',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The HTTP status of every code, as domain.md groups them. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  PROBLEM_CLOSED: 409,
  PROBLEM_NOT_CLOSED: 409,
  ACTIONS_OUTSTANDING: 409,
  ACTION_CLOSED: 409,
  ACTION_ALREADY_CLAIMED: 409,
  ACTION_NOT_CLAIMED: 409,
  ACTION_ALREADY_DECLINED: 409,
  MEETING_CLOSED: 409,
  ALREADY_EXISTS: 409,
  WRONG_EXPECTED_REVISION: 409,
  FORBIDDEN_ROLE: 403,
  WRONG_AGENCY: 403,
  NOT_CLAIMANT: 403,
  UNKNOWN_AGENCY: 422,
  AGENCY_INACTIVE: 422,
  UNKNOWN_TACTIC: 422,
  UNKNOWN_AREA: 422,
  UNKNOWN_GROUP: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  VALIDATION_FAILED: 400,
  TIME_BEFORE_LAST_EVENT: 400,
  DUE_DATE_IN_PAST: 400,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  NOT_CAUGHT_UP: 503,
  SERVICE_UNAVAILABLE: 503,
  CLOCK_BEHIND: 503,
};

export const httpStatusOf = (code: ErrorCode): number => HTTP_STATUS_BY_CODE[code];

export const isErrorCode = (value: string): value is ErrorCode => (ERROR_CODES as readonly string[]).includes(value);

/** One invalid field of a command (the `errors` list of a 400 problem+json). */
export type FieldError = { field: string; message: string };

export type DomainError = {
  code: ErrorCode;
  /** Names the rule that refused, e.g. "only officers of agency COUNCIL-ASB may claim this action". */
  message: string;
  /** Present on VALIDATION_FAILED, TIME_BEFORE_LAST_EVENT and DUE_DATE_IN_PAST: the fields at fault. */
  errors?: FieldError[];
};

export const domainError = (code: ErrorCode, message: string, errors?: FieldError[]): DomainError =>
  errors && errors.length > 0 ? { code, message, errors } : { code, message };
