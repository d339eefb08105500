import { REFUSALS, type RefusalCode, type RefusalKind } from '@tasking/domain';

/**
 * Every code the API answers, and its HTTP status: the one table. The domain's refusals take the
 * status of their kind; the codes only the platform answers are listed here with theirs.
 *
 * A new code is one line: a domain refusal in REFUSALS (libs/domain/src/errors.ts), any other in
 * PLATFORM_CODES below. The typecheck refuses a code without a status, and
 * error-codes.spec.ts refuses a code that docs/api.md does not list.
 */

const STATUS_BY_KIND: Readonly<Record<RefusalKind, number>> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unprocessable: 422,
};

/** Codes the platform answers (not a decider's): authentication, concurrency, idempotency, rate limits, outages. */
const PLATFORM_CODES = {
  UNAUTHENTICATED: 401,
  WRONG_EXPECTED_REVISION: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  NOT_CAUGHT_UP: 503,
  SERVICE_UNAVAILABLE: 503,
  CLOCK_BEHIND: 503,
  PACK_FAILED: 503,
  READ_ONLY: 405,
  REQUEST_TIMEOUT: 408,
  HEADERS_TOO_LARGE: 431,
  STORAGE_FULL: 503,
  IMPORT_FORMAT_INVALID: 400,
} as const satisfies Record<string, number>;

export type PlatformCode = keyof typeof PLATFORM_CODES;

/** Every code the API can answer. */
export type ErrorCode = RefusalCode | PlatformCode;

const refusalStatuses = Object.fromEntries(Object.entries(REFUSALS).map(([code, kind]) => [code, STATUS_BY_KIND[kind]])) as Record<RefusalCode, number>;

/** The HTTP status of every code. */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = { ...refusalStatuses, ...PLATFORM_CODES };

export const ERROR_CODES = Object.keys(STATUS_BY_CODE) as readonly ErrorCode[];

export const statusOf = (code: ErrorCode): number => STATUS_BY_CODE[code];

export const isErrorCode = (value: string): value is ErrorCode => Object.hasOwn(STATUS_BY_CODE, value);
