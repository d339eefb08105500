import { AppendRequest, ExpectedRevision, InvalidAppendError } from './event-store.port';

export const MAX_STREAM_ID_LENGTH = 256;
export const MAX_EVENT_TYPE_LENGTH = 256;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** An append request after validation: event ids lower-cased as PostgreSQL returns them. */
export interface ValidatedRequest {
  stream: string;
  expectedRevision: ExpectedRevision;
  events: { eventId: string; type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkExpected(stream: string, expected: unknown): ExpectedRevision {
  if (expected === 'no-stream' || expected === 'any') return expected;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return expected;
  throw new InvalidAppendError(
    `stream ${stream}: expected revision must be a non-negative integer, 'no-stream' or 'any', got ${JSON.stringify(expected)}`,
  );
}

/** Rejects malformed appends before any SQL runs; throws InvalidAppendError. */
export function validateAppend(requests: AppendRequest[]): ValidatedRequest[] {
  if (!Array.isArray(requests) || requests.length === 0) {
    throw new InvalidAppendError('an append needs at least one stream');
  }
  const streams = new Set<string>();
  const eventIds = new Set<string>();
  return requests.map((request) => {
    if (!isPlainObject(request)) throw new InvalidAppendError('an append request must be an object');
    const { stream, events } = request;
    if (typeof stream !== 'string' || stream.length === 0) {
      throw new InvalidAppendError('stream id must be a non-empty string');
    }
    if (stream.includes('\u0000')) throw new InvalidAppendError('stream id must not contain NUL characters');
    if (stream.length > MAX_STREAM_ID_LENGTH) {
      throw new InvalidAppendError(`stream id longer than ${MAX_STREAM_ID_LENGTH} characters`);
    }
    if (streams.has(stream)) throw new InvalidAppendError(`stream ${stream} listed twice in one append`);
    streams.add(stream);
    const expectedRevision = checkExpected(stream, request.expectedRevision);
    if (!Array.isArray(events) || events.length === 0) {
      throw new InvalidAppendError(`stream ${stream}: an append needs at least one event`);
    }
    return {
      stream,
      expectedRevision,
      events: events.map((event, index) => {
        if (!isPlainObject(event)) throw new InvalidAppendError(`stream ${stream}: event ${index} is not an object`);
        if (!isUuid(event.eventId)) {
          throw new InvalidAppendError(`stream ${stream}: event ${index} has no uuid event id`);
        }
        const eventId = event.eventId.toLowerCase();
        if (eventIds.has(eventId)) throw new InvalidAppendError(`event id ${eventId} appears twice in one append`);
        eventIds.add(eventId);
        if (
          typeof event.type !== 'string' ||
          event.type.length === 0 ||
          event.type.length > MAX_EVENT_TYPE_LENGTH ||
          event.type.includes('\u0000')
        ) {
          throw new InvalidAppendError(`stream ${stream}: event ${index} needs a type of 1 to ${MAX_EVENT_TYPE_LENGTH} characters`);
        }
        if (!isPlainObject(event.data)) throw new InvalidAppendError(`stream ${stream}: event ${index} data must be an object`);
        if (!isPlainObject(event.metadata)) {
          throw new InvalidAppendError(`stream ${stream}: event ${index} metadata must be an object`);
        }
        return { eventId, type: event.type, data: event.data, metadata: event.metadata };
      }),
    };
  });
}
