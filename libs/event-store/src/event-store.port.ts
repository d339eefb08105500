/**
 * The event store port. Every adapter (postgres, embedded, kurrentdb) implements it and passes
 * the shared contract suite in `contract/`.
 */

/** Where an event sits in the global log: opaque to clients, sorts in log order as a plain string. */
export type Position = string;

/** The position before the first event. */
export const START: Position = '';

/**
 * Every adapter writes a position as two zero-padded 20-digit decimals joined by '-'; a string of
 * any other shape was not made by a store, so it can be refused without waiting for it.
 */
export const isPosition = (value: string): boolean => /^\d{20}-\d{20}$/.test(value);

export type ExpectedRevision = number | 'no-stream' | 'any';

export interface EventToAppend {
  /** uuid; derived from the command so that a retried command cannot append twice. */
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface AppendRequest {
  stream: string;
  expectedRevision: ExpectedRevision;
  events: EventToAppend[];
}

export interface AppendResult {
  /** The revision of each stream's last event after the append, keyed by stream id. */
  revisions: Record<string, number>;
  /** The position of the last event appended. */
  position: Position;
}

export interface RecordedEvent {
  eventId: string;
  stream: string;
  /** 0-based index of the event in its stream. */
  revision: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  position: Position;
  /** ISO 8601 time of the append, as the store recorded it. */
  recordedAt: string;
}

export interface SubscribeOptions {
  batchSize?: number;
  signal?: AbortSignal;
}

export interface EventStore {
  /** Appends to one or several streams atomically: all or nothing. */
  append(requests: AppendRequest[]): Promise<AppendResult>;
  /** A stream's events from `fromRevision` (default 0); an unknown stream reads as empty. */
  read(stream: string, fromRevision?: number): Promise<RecordedEvent[]>;
  /** Several whole streams at once (one round trip where the store allows): every stream named is a key, unknown ones empty. */
  readStreams(streams: readonly string[]): Promise<Map<string, RecordedEvent[]>>;
  /** Up to `batchSize` events strictly after `after`, in log order; only events no reader can later see appear before them. */
  readAll(after: Position, batchSize: number): Promise<RecordedEvent[]>;
  /** Catch-up then live: yields every event after `after` exactly once, in log order, until the signal aborts. */
  subscribeAll(after: Position, options?: SubscribeOptions): AsyncIterable<RecordedEvent>;
  /** The events with these ids, wherever they are (idempotency look-ups). */
  findByEventIds(eventIds: string[]): Promise<RecordedEvent[]>;
  /** The position of the last event currently visible to readers (START when the log is empty). */
  headPosition(): Promise<Position>;
  /**
   * Whether committed events lie after `after`, visible to readers yet or not (a SQL store's
   * `readAll` hides them while an older transaction anywhere on the server is still open).
   */
  hasEventsAfter(after: Position): Promise<boolean>;
  /**
   * A counter that moves whenever this process appended or heard of an append. Readers take it
   * before `readAll`, and `waitForAppend(tick)` returns at once if it has moved since.
   */
  appendTick(): number;
  /** Resolves when the tick moves past `sinceTick`, after `timeoutMs`, or when the signal aborts. */
  waitForAppend(sinceTick: number, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no-stream',
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An event id already stored somewhere other than where this append would put it. */
export class DuplicateEventIdError extends Error {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(readonly eventId: string) {
    super(`event id ${eventId} is already in the log at another place`);
    this.name = 'DuplicateEventIdError';
  }
}

/** Arguments rejected before any SQL runs. */
export class InvalidAppendError extends Error {
  readonly code = 'INVALID_APPEND';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppendError';
  }
}

/** The store could not be reached (connection refused, database down). Mapped to 503. */
export class StoreUnavailableError extends Error {
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}
