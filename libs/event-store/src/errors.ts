import { StoreUnavailableError } from './event-store.port';

/** Socket-level failures reported by Node or by `pg` while connecting or talking to the server. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOENT', // a missing unix socket
]);

/** PostgreSQL SQLSTATEs meaning "the server is not there right now", not "your SQL is wrong". */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovery)
  '57P05', // idle_session_timeout
  '53300', // too_many_connections
]);

/** `pg` reports these without a code. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'Client was closed and is not queryable',
  'Query read timeout', // the pool's query_timeout: the server did not answer in time (frozen)
];

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function isConnectionError(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const code = codeOf(error);
  if (code !== undefined) {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true; // connection_exception class
  }
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  const message = error instanceof Error ? error.message : '';
  return UNAVAILABLE_MESSAGES.some((fragment) => message.includes(fragment));
}

/** Connection failures become StoreUnavailableError (503); everything else is returned as it was. */
export function mapStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  if (isConnectionError(error)) {
    const detail = error instanceof Error ? error.message : String(error);
    return new StoreUnavailableError(`event store unavailable: ${detail || codeOf(error) || 'connection failed'}`, error);
  }
  return error;
}

export function sqlState(error: unknown): string | undefined {
  return codeOf(error);
}

/**
 * The database has no room to write: SQLSTATE class 53 (insufficient resources: 53100 disk full,
 * 53200 out of memory, 53400 configuration limit; not 53300 too many connections, which is
 * "unavailable") or a file system's ENOSPC, also when wrapped (TypeORM's driverError, a cause).
 */
export function isStorageFull(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const code = codeOf(error);
  if (code === 'ENOSPC' || (code !== undefined && /^53[0-9A-Z]{3}$/.test(code) && code !== '53300')) return true;
  const message = error instanceof Error ? error.message : '';
  if (/No space left on device|could not extend file/i.test(message)) return true;
  const nested = error as { driverError?: unknown; cause?: unknown };
  return isStorageFull(nested.driverError, depth + 1) || isStorageFull(nested.cause, depth + 1);
}
