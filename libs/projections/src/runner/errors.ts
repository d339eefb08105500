/** Failures that say "the database is not reachable right now" or "try again", not "this batch is wrong". */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOENT',
  'SERVICE_UNAVAILABLE', // StoreUnavailableError
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
]);

const TRANSIENT_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Cannot use a pool after calling end/i;

/** TypeORM wraps driver errors in QueryFailedError, copying `code`; the store maps its own to StoreUnavailableError. */
export function isTransientError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, driverError } = error as { code?: unknown; message?: unknown; driverError?: unknown };
  if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || /^08/.test(code))) return true;
  if (typeof message === 'string' && TRANSIENT_MESSAGES.test(message)) return true;
  return driverError !== undefined && driverError !== error && isTransientError(driverError);
}

export class UnknownProjectionError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(readonly projection: string) {
    super(`there is no projection named ${JSON.stringify(projection)}`);
    this.name = 'UnknownProjectionError';
  }
}

export class RebuildAlreadyRunningError extends Error {
  readonly code = 'ALREADY_EXISTS';
  constructor(readonly projection: string) {
    super(`a rebuild of ${projection} is already running`);
    this.name = 'RebuildAlreadyRunningError';
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.slice(0, 2000);
  return String(error).slice(0, 2000);
}
