import { isConnectionError } from '../errors';
import { ExpectedRevision, InvalidAppendError, StoreUnavailableError, WrongExpectedRevisionError } from '../event-store.port';

/**
 * Mapping of the KurrentDB client's errors onto the port's. The client's errors carry a `type`
 * string (its ErrorType); matching on it rather than on classes keeps this testable on
 * constructed errors and indifferent to which of the client's paths (gRPC or the native bridge)
 * raised them.
 */
interface TypedError {
  type?: unknown;
  message?: unknown;
}

function typeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const type = (error as TypedError).type;
  return typeof type === 'string' ? type : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'object' && error !== null && typeof (error as TypedError).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}

/** The server is not reachable, not the leader, or did not answer in time: retry later (503). */
const UNAVAILABLE = new Set(['unavailable', 'deadline-exceeded', 'timeout', 'not-leader', 'cancelled']);
/** The append is larger than the server accepts (MaxAppendSize, default 1 MiB). */
const TOO_LARGE = new Set(['maximum-append-size-exceeded', 'transaction-max-size-exceeded', 'append-record-size-exceeded']);

export function isWrongExpectedVersion(error: unknown): error is { streamName?: string; expectedState?: unknown; actualState?: unknown } {
  return typeOf(error) === 'wrong-expected-version';
}

export function isStreamNotFound(error: unknown): boolean {
  const type = typeOf(error);
  return type === 'stream-not-found' || type === 'no-stream';
}

/** gRPC status codes of a server that is away or slow, on errors the client passed on unclassified. */
const UNAVAILABLE_GRPC_CODES = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);

export function isUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const type = typeOf(error);
  if (type !== undefined) return UNAVAILABLE.has(type);
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'number') return UNAVAILABLE_GRPC_CODES.has(code);
  return isConnectionError(error);
}

/** The actual state a WrongExpectedVersionError reports, as the port's: a revision or 'no-stream'. */
export function actualRevisionOf(error: { actualState?: unknown }): number | 'no-stream' {
  const actual = error.actualState;
  if (typeof actual === 'bigint') return actual < 0n ? 'no-stream' : Number(actual);
  if (typeof actual === 'number') return actual < 0 ? 'no-stream' : actual;
  return 'no-stream';
}

/** A WrongExpectedVersionError as the port's error, with the expected revision the caller gave. */
export function toWrongExpectedRevision(
  error: { streamName?: string; actualState?: unknown },
  expectedByStream: Map<string, ExpectedRevision>,
  fallbackStream: string,
): WrongExpectedRevisionError {
  const stream = error.streamName && expectedByStream.has(error.streamName) ? error.streamName : fallbackStream;
  return new WrongExpectedRevisionError(stream, expectedByStream.get(stream) ?? 'any', actualRevisionOf(error));
}

/** Any other client error, as the port's (503 for availability, InvalidAppendError for size limits). */
export function mapClientError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || error instanceof InvalidAppendError) return error;
  const type = typeOf(error);
  if (isUnavailable(error)) {
    return new StoreUnavailableError(`event store unavailable: KurrentDB ${type ?? 'unreachable'}: ${messageOf(error)}`, error);
  }
  if (type !== undefined && TOO_LARGE.has(type)) {
    const max = (error as { maxAppendSize?: unknown; maxSize?: unknown }).maxAppendSize ?? (error as { maxSize?: unknown }).maxSize;
    return new InvalidAppendError(
      `the append is larger than KurrentDB accepts${max !== undefined ? ` (${String(max)} bytes)` : ''}: raise the server's MaxAppendSize or append less at once`,
    );
  }
  if (type === 'access-denied') {
    return new Error(`KurrentDB refused access: the connection's user needs read and write access to the streams and read access to $all (${messageOf(error)})`, {
      cause: error,
    });
  }
  return error;
}
