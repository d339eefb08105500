import { isConnectionError } from '@tasking/event-store';

/** Besides an unreachable database (the store's own test): failures that say "try again", not "this batch is wrong". */
const RETRY_CODES = new Set([
  'SERVICE_UNAVAILABLE', // StoreUnavailableError
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
]);

/** TypeORM wraps driver errors in QueryFailedError, copying `code`; the store maps its own to StoreUnavailableError. */
export function isTransientError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (isConnectionError(error)) return true;
  const { code, driverError } = error as { code?: unknown; driverError?: unknown };
  if (typeof code === 'string' && RETRY_CODES.has(code)) return true;
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
