import type { EventToAppend, RecordedEvent } from '../event-store.port';
import { encodeLogPosition, LogPosition } from './positions';

/**
 * Conversion between the port's events and the KurrentDB client's. Kept free of the client's
 * runtime so it can be tested on constructed values.
 *
 * Metadata: KurrentDB's multi-stream append (the v2 protocol) takes metadata as string keys with
 * string values only, while the port's metadata is any JSON object. Both append paths therefore
 * store the same flat envelope:
 *   - a string value is stored as it is, under its own key (readable in KurrentDB's UI);
 *   - any other value is stored as its JSON text, and its key is listed in `tl.json`;
 *   - `tl.recordedAt` (migrated events only) keeps the time the original store recorded;
 *   - a key of the caller's that itself starts with `tl.` is stored as `tl.` + key, so the
 *     envelope's own keys can never collide with the caller's.
 * Events written by other tools (no envelope keys) come back with their metadata as stored.
 */
export const ENVELOPE_PREFIX = 'tl.';
export const JSON_KEYS = 'tl.json';
export const RECORDED_AT = 'tl.recordedAt';

/** The event shape the client appends (structurally the client's JSONEventData). */
export interface ClientEventData {
  id: string;
  contentType: 'application/json';
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, string>;
}

/** The recorded event shape the client yields from reads and subscriptions. */
export interface ClientRecordedEvent {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  created: Date;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: LogPosition;
}

export function encodeMetadata(metadata: Record<string, unknown>, recordedAt?: string): Record<string, string> {
  const stored: Record<string, string> = {};
  const jsonKeys: string[] = [];
  for (const [key, value] of Object.entries(metadata)) {
    if (value === undefined) continue; // as JSON.stringify would drop it
    const storedKey = key.startsWith(ENVELOPE_PREFIX) ? ENVELOPE_PREFIX + key : key;
    if (typeof value === 'string') {
      stored[storedKey] = value;
    } else {
      stored[storedKey] = JSON.stringify(value);
      jsonKeys.push(storedKey);
    }
  }
  if (jsonKeys.length > 0) stored[JSON_KEYS] = JSON.stringify(jsonKeys);
  if (recordedAt !== undefined) stored[RECORDED_AT] = recordedAt;
  return stored;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

export interface DecodedMetadata {
  metadata: Record<string, unknown>;
  recordedAt?: string;
}

export function decodeMetadata(stored: unknown): DecodedMetadata {
  if (stored === undefined || stored === null || stored instanceof Uint8Array) return { metadata: {} };
  if (!isPlainObject(stored)) return { metadata: { value: stored } };
  const keys = Object.keys(stored);
  if (!keys.some((key) => key.startsWith(ENVELOPE_PREFIX))) return { metadata: stored };

  let jsonKeys = new Set<string>();
  const listed = stored[JSON_KEYS];
  if (typeof listed === 'string') {
    const parsed: unknown = JSON.parse(listed);
    if (Array.isArray(parsed)) jsonKeys = new Set(parsed.filter((k): k is string => typeof k === 'string'));
  }
  const metadata: Record<string, unknown> = {};
  let recordedAt: string | undefined;
  for (const [key, value] of Object.entries(stored)) {
    if (key === JSON_KEYS) continue;
    if (key === RECORDED_AT) {
      if (typeof value === 'string') recordedAt = value;
      continue;
    }
    let userKey = key;
    if (key.startsWith(ENVELOPE_PREFIX)) {
      if (!key.startsWith(ENVELOPE_PREFIX + ENVELOPE_PREFIX)) continue; // an envelope key of a later version
      userKey = key.slice(ENVELOPE_PREFIX.length);
    }
    metadata[userKey] = jsonKeys.has(key) && typeof value === 'string' ? JSON.parse(value) : value;
  }
  return { metadata, recordedAt };
}

export function toClientEvent(event: EventToAppend, recordedAt?: string): ClientEventData {
  return {
    id: event.eventId,
    contentType: 'application/json',
    type: event.type,
    data: event.data,
    metadata: encodeMetadata(event.metadata, recordedAt),
  };
}

/** System events (`$`-prefixed types: `$epoch-information`, `$metadata`, stats, links) are never the port's. */
export function isSystemEvent(event: Pick<ClientRecordedEvent, 'type' | 'streamId'>): boolean {
  return event.type.startsWith('$');
}

function toData(event: ClientRecordedEvent): Record<string, unknown> {
  if (!event.isJson) {
    const bytes = event.data instanceof Uint8Array ? event.data : new Uint8Array();
    return { binary: Buffer.from(bytes).toString('base64') };
  }
  return isPlainObject(event.data) ? event.data : { value: event.data };
}

export function toRecordedEvent(event: ClientRecordedEvent): RecordedEvent {
  if (!event.position) {
    throw new Error(`KurrentDB returned event ${event.id} of ${event.streamId} without a log position`);
  }
  const { metadata, recordedAt } = decodeMetadata(event.metadata);
  return {
    eventId: event.id.toLowerCase(),
    stream: event.streamId,
    revision: Number(event.revision),
    type: event.type,
    data: toData(event),
    metadata,
    position: encodeLogPosition(event.position),
    recordedAt: recordedAt ?? event.created.toISOString(),
  };
}
