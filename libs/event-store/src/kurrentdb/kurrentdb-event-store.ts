/**
 * The KurrentDB adapter of the event store port. Longer than the other files: it maps every operation
 * of the port onto the client's streams, positions and errors, and that mapping is read as one.
 */
import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START as CLIENT_START,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type AppendStreamState,
  type ReadStreamOptions,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import type { Database } from '../database';
import {
  AppendRequest,
  AppendResult,
  DuplicateEventIdError,
  EventStore,
  ExpectedRevision,
  InvalidAppendError,
  Position,
  RecordedEvent,
  START,
  SubscribeOptions,
} from '../event-store.port';
import { ValidatedRequest, isUuid, validateAppend } from '../validation';
import { AppendTick } from '../wake-ups';
import { ClientRecordedEvent, isSystemEvent, toClientEvent, toRecordedEvent } from './conversion';
import { isStreamNotFound, isUnavailable, isWrongExpectedVersion, mapClientError, toWrongExpectedRevision } from './errors';
import { EventIdIndex, EventIdRow } from './event-id-index';
import { decodeLogPosition } from './positions';
import { sleep } from '../sleep';
import { Backoff, SubscriptionHandle, resilientSubscription } from './resilient-subscription';
import { AdvertisedFeatures, checkServerFeatures, describeConnection, normalizeConnectionString } from './server-features';

export interface KurrentDbEventStoreOptions {
  /** `kurrentdb://…`, `kurrentdb+discover://…` or the older `esdb://…` forms: the client's connection string. */
  url: string;
  /**
   * The read-model database holding the idempotency index (`event_id_index`). Without it
   * `findByEventIds` finds nothing and retried commands rely on the server's own per-stream
   * deduplication alone: only for tools and tests.
   */
  idempotency?: Database;
  /** Reconnection of subscribeAllLive after a drop. Default 100 ms doubling to 5 s, giving up after 20 failed attempts in a row. */
  subscriptionBackoff?: Backoff;
  /** subscribeAll's readers re-read at least this often even when nothing woke them. Default 1 000 ms. */
  safetyPollMs?: number;
  /** Default batch size of subscribeAll. Default 500. */
  batchSize?: number;
  /** Reconnection of the store's own live subscription (the append tick). Default 100 ms doubling to 5 s, never giving up. */
  tickBackoff?: Backoff;
  /** Warnings (dropped subscriptions, a late idempotency-index write). Default: console.warn. */
  warn?: (message: string, error?: unknown) => void;
}

/** A copied event's original time, kept when migrating from another store. */
export interface CopiedAppendRequest extends AppendRequest {
  recordedAt: string[];
}

interface StreamRange {
  stream: string;
  first: number;
  events: ValidatedRequest['events'];
}

const SUBSCRIPTION_BACKOFF: Backoff = { initialMs: 100, maxMs: 5_000, maxAttempts: 20 };
const TICK_BACKOFF: Backoff = { initialMs: 100, maxMs: 5_000 };
/** A NUL as JSON.stringify writes it: `\\u0000` after an even number of backslashes. */
const ESCAPED_NUL = /(?:^|[^\\])(?:\\\\)*\\u0000/;
/** Index writes that failed are retried in the background this often. */
const INDEX_RETRY_MS = 1_000;

function toStreamState(expected: ExpectedRevision): AppendStreamState {
  if (expected === 'no-stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  return BigInt(expected);
}

/** The client hands events from reads and subscriptions in this shape (its JSON and binary variants). */
function recordedOf(resolved: ResolvedEvent | AllStreamResolvedEvent): ClientRecordedEvent | undefined {
  return resolved.event as ClientRecordedEvent | undefined;
}

function maxPosition(events: RecordedEvent[]): Position {
  return events.reduce((max, event) => (event.position > max ? event.position : max), START);
}

/** Errors after which a subscription is opened again: the server or network, not the request. */
export function isRetryableSubscriptionError(error: unknown): boolean {
  if (isUnavailable(error)) return true;
  if (typeof error !== 'object' || error === null) return false;
  const type = (error as { type?: unknown }).type;
  if (type === 'unknown') return true;
  // Raw gRPC errors (a numeric status code) that the client did not classify.
  return type === undefined && typeof (error as { code?: unknown }).code === 'number';
}

/**
 * The event store on KurrentDB (or EventStoreDB 25.1+), through the official client.
 *
 * - Appends to one stream go through the client's `appendToStream` (the server picks batch append
 *   or append); appends to several streams through `multiStreamAppend`, atomic on the server.
 *   Event ids are passed through, so the server deduplicates a retried append to the same stream.
 *   After an append the events are read back from the leader: their log positions give the
 *   result's position (the server's append answer does not give each event's position) and feed
 *   the idempotency index.
 * - A conflict first checks whether the same events already sit exactly where this append would
 *   put them (a retried command): then the original result is returned. Otherwise an id found in
 *   the index elsewhere is a DuplicateEventIdError, and anything else a WrongExpectedRevisionError.
 *   KurrentDB deduplicates ids per stream only: the same id appended to ANOTHER stream is stored
 *   again, which the port's contract would reject (marked in the contract run).
 * - readAll/headPosition read `$all` with a server-side filter excluding system events (`$` types);
 *   subscribeAll is a catch-up subscription to `$all` with the same filter that reconnects after a
 *   drop from the last position it delivered (see resilientSubscription).
 * - The append tick moves on this process's appends and on every event of a live subscription to
 *   `$all` (and on each reconnection of it), so readers in any process wake promptly.
 *
 * Ownership: the store owns its client (closed by `close()`); it borrows the idempotency Database.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly tick = new AppendTick();
  private readonly lifetime = new AbortController();
  private readonly warn: (message: string, error?: unknown) => void;
  private readonly pendingIndex = new Map<string, EventIdRow>();
  private indexRetry: NodeJS.Timeout | undefined;
  private tickLoop: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly client: KurrentDBClient,
    private readonly index: EventIdIndex | undefined,
    private readonly options: KurrentDbEventStoreOptions,
  ) {
    this.warn = options.warn ?? ((message, error) => console.warn(`[kurrentdb event store] ${message}`, error ?? ''));
  }

  /** Connects, refuses servers without multi-stream append, creates the idempotency index and starts the live tick. */
  static async open(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    const where = describeConnection(options.url);
    const client = KurrentDBClient.connectionString(normalizeConnectionString(options.url));
    try {
      // The client's own record of the server's advertised methods and version (protected in its
      // typings; the same object its appendToStream and multiStreamAppend consult).
      const features = await (client as unknown as { capabilities: Promise<AdvertisedFeatures> }).capabilities;
      checkServerFeatures(features, where);
      const index = options.idempotency ? new EventIdIndex(options.idempotency) : undefined;
      await index?.ensure();
      const store = new KurrentDbEventStore(client, index, options);
      // The first read opens the client's native reader connection (about half a second): pay it
      // here rather than in the first command, and learn now if the user may not read $all.
      await store.headPosition();
      store.startTick();
      return store;
    } catch (error) {
      await client.dispose().catch(() => undefined);
      throw mapClientError(error);
    }
  }

  async append(requests: AppendRequest[]): Promise<AppendResult> {
    return this.appendValidated(validateAppend(requests));
  }

  /**
   * Appends copies of events from another store, keeping the time each was first recorded (the
   * migration tool's path; `recordedAt[i]` belongs to `events[i]`).
   */
  async appendCopied(requests: CopiedAppendRequest[]): Promise<AppendResult> {
    const validated = validateAppend(requests);
    const times = new Map<string, string>();
    requests.forEach((request) =>
      request.events.forEach((event, i) => {
        if (request.recordedAt[i] !== undefined) times.set(event.eventId.toLowerCase(), request.recordedAt[i]);
      }),
    );
    return this.appendValidated(validated, times);
  }

  private async appendValidated(validated: ValidatedRequest[], recordedAt?: Map<string, string>): Promise<AppendResult> {
    for (const request of validated) {
      for (const event of request.events) {
        if (event.type.startsWith('$')) {
          throw new InvalidAppendError(`stream ${request.stream}: event types starting with $ are KurrentDB's system events`);
        }
        // Not a KurrentDB limit but the port's: every store must be able to hold every event
        // (PostgreSQL cannot), so a log can move between stores.
        if (ESCAPED_NUL.test(JSON.stringify(event.data)) || ESCAPED_NUL.test(JSON.stringify(event.metadata))) {
          throw new InvalidAppendError('event data and metadata must not contain NUL characters');
        }
      }
    }
    const expected = new Map(validated.map((r) => [r.stream, r.expectedRevision]));
    const toEvents = (request: ValidatedRequest) => request.events.map((e) => toClientEvent(e, recordedAt?.get(e.eventId)));
    let lastRevisions: Map<string, number>;
    try {
      if (validated.length === 1) {
        const [request] = validated;
        const result = await this.client.appendToStream(request.stream, toEvents(request), {
          streamState: toStreamState(request.expectedRevision),
        });
        lastRevisions = new Map([[request.stream, Number(result.nextExpectedRevision)]]);
      } else {
        const result = await this.client.multiStreamAppend(
          validated.map((request) => ({
            streamName: request.stream,
            expectedState: toStreamState(request.expectedRevision),
            events: toEvents(request),
          })),
        );
        lastRevisions = new Map(result.responses.map((r) => [r.streamName, Number(r.revision)]));
      }
    } catch (error) {
      if (!isWrongExpectedVersion(error)) throw mapClientError(error);
      const replay = await this.replayResult(validated);
      if (replay) return replay;
      await this.rejectIdsStoredElsewhere(validated);
      throw toWrongExpectedRevision(error, expected, validated[0].stream);
    }

    const ranges: StreamRange[] = validated.map((request) => {
      const last = lastRevisions.get(request.stream);
      if (last === undefined) throw new Error(`KurrentDB answered the append without a revision for stream ${request.stream}`);
      return { stream: request.stream, first: last - request.events.length + 1, events: request.events };
    });
    const stored = await this.readRanges(ranges);
    if (!stored) {
      // The server answered success but the events are not where it said: an 'any' append it
      // deduplicated against events elsewhere in the stream. Answer as a replay would.
      const replay = await this.replayResult(validated);
      if (replay) return replay;
      throw new Error(`KurrentDB accepted the append to ${validated.map((r) => r.stream).join(', ')} but its events are not where it said`);
    }
    await this.recordIndex(stored);
    this.tick.bump();
    return { revisions: Object.fromEntries(ranges.map((r) => [r.stream, r.first + r.events.length - 1])), position: maxPosition(stored) };
  }

  /**
   * The events of each range, read back from the leader, when every one of them carries the id
   * this append gave it; undefined otherwise.
   */
  private async readRanges(ranges: StreamRange[]): Promise<RecordedEvent[] | undefined> {
    const read = await Promise.all(
      ranges.map((range) => (range.first < 0 ? Promise.resolve([]) : this.readRange(range.stream, range.first, range.events.length, true))),
    );
    for (let i = 0; i < ranges.length; i++) {
      const expectedIds = ranges[i].events.map((e) => e.eventId);
      if (read[i].length !== expectedIds.length || read[i].some((e, j) => e.eventId !== expectedIds[j])) return undefined;
    }
    return read.flat();
  }

  /**
   * Idempotent re-append: when the events of this call already sit exactly where it would have put
   * them, the original result (and the index rows, in case the first append's write was lost).
   */
  private async replayResult(requests: ValidatedRequest[]): Promise<AppendResult | undefined> {
    const ranges: StreamRange[] = [];
    for (const request of requests) {
      let first: number | undefined;
      if (request.expectedRevision === 'no-stream') first = 0;
      else if (request.expectedRevision !== 'any') first = request.expectedRevision + 1;
      else first = (await this.lookup([request.events[0].eventId])).find((row) => row.stream === request.stream)?.revision;
      if (first === undefined) return undefined;
      ranges.push({ stream: request.stream, first, events: request.events });
    }
    const stored = await this.readRanges(ranges);
    if (!stored) return undefined;
    await this.recordIndex(stored);
    return { revisions: Object.fromEntries(ranges.map((r) => [r.stream, r.first + r.events.length - 1])), position: maxPosition(stored) };
  }

  /** After a conflict that is not a replay: an id of this call already stored elsewhere is a DuplicateEventIdError. */
  private async rejectIdsStoredElsewhere(requests: ValidatedRequest[]): Promise<void> {
    const ids = requests.flatMap((r) => r.events.map((e) => e.eventId));
    const [found] = await this.lookup(ids);
    if (found) throw new DuplicateEventIdError(found.eventId);
  }

  private readRange(stream: string, from: number, count: number, requiresLeader: boolean): Promise<RecordedEvent[]> {
    return this.readFrom(stream, { fromRevision: BigInt(from), maxCount: count, requiresLeader });
  }

  /** The stream's events as `options` select them; none when the stream does not exist. */
  private async readFrom(stream: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, options)) {
        const recorded = recordedOf(resolved);
        if (recorded) events.push(toRecordedEvent(recorded));
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw mapClientError(error);
    }
    return events;
  }

  async read(stream: string, fromRevision = 0): Promise<RecordedEvent[]> {
    if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) {
      throw new RangeError(`fromRevision must be a non-negative integer, got ${fromRevision}`);
    }
    return this.readFrom(stream, { fromRevision: BigInt(fromRevision) });
  }

  async readStreams(streams: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const unique = [...new Set(streams)];
    const read = await Promise.all(unique.map((stream) => this.read(stream)));
    return new Map(unique.map((stream, i) => [stream, read[i]!]));
  }

  async readAll(after: Position, batchSize: number): Promise<RecordedEvent[]> {
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    }
    const from = decodeLogPosition(after);
    const events: RecordedEvent[] = [];
    try {
      // Reads of $all are inclusive of their start: one more than asked, the event at `after` dropped.
      for await (const resolved of this.client.readAll({
        fromPosition: from ?? CLIENT_START,
        direction: FORWARDS,
        maxCount: batchSize + 1,
        filter: excludeSystemEvents(),
      })) {
        const recorded = recordedOf(resolved);
        if (!recorded || isSystemEvent(recorded)) continue;
        const event = toRecordedEvent(recorded);
        if (event.position > after) events.push(event);
      }
    } catch (error) {
      throw mapClientError(error);
    }
    return events.slice(0, batchSize);
  }

  /**
   * Catch-up then live, as the port asks: batches of readAll from the last position yielded, and
   * when caught up a wait on the append tick (moved by this process's appends and by the store's
   * live subscription to $all, so appends from any process wake it), with a safety poll.
   */
  async *subscribeAll(after: Position, options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    decodeLogPosition(after); // reject what is not a position before reading
    const batchSize = options.batchSize ?? this.options.batchSize ?? 500;
    const signal = options.signal;
    let position = after;
    while (!signal?.aborted && !this.closed) {
      // Take the tick before reading: an append landing after the read moves it, so the wait
      // below returns at once instead of missing it.
      const tick = this.tick.current();
      const batch = await this.readAll(position, batchSize);
      for (const event of batch) {
        if (signal?.aborted || this.closed) return;
        yield event;
        position = event.position;
      }
      if (batch.length < batchSize) await this.tick.wait(tick, this.options.safetyPollMs ?? 1_000, signal);
    }
  }

  /**
   * The server's own catch-up subscription to $all (filtered, pushed by the server), surviving
   * drops: it resubscribes with backoff from the last position it delivered and never repeats an
   * event. The lowest-latency way to follow the log; subscribeAll (readAll batches) is the port's.
   */
  async *subscribeAllLive(after: Position, options: { signal?: AbortSignal } = {}): AsyncIterable<RecordedEvent> {
    decodeLogPosition(after);
    if (this.closed) return;
    const signal = options.signal ? AbortSignal.any([this.lifetime.signal, options.signal]) : this.lifetime.signal;
    yield* resilientSubscription(after, {
      open: (from) => this.openSubscription(from),
      convert: (resolved: AllStreamResolvedEvent) => this.convertLive(resolved),
      isRetryable: isRetryableSubscriptionError,
      signal,
      backoff: this.options.subscriptionBackoff ?? SUBSCRIPTION_BACKOFF,
      onDrop: (error, failures, delayMs) =>
        this.warn(`subscription to $all dropped (${failures} in a row); resubscribing in ${delayMs} ms from the last delivered position`, error),
    });
  }

  private openSubscription(from: Position | null): SubscriptionHandle<AllStreamResolvedEvent> {
    const position = from === null ? END : (decodeLogPosition(from) ?? CLIENT_START);
    return this.client.subscribeToAll({ fromPosition: position, filter: excludeSystemEvents() });
  }

  private convertLive(resolved: AllStreamResolvedEvent): RecordedEvent | undefined {
    const recorded = recordedOf(resolved);
    return recorded && !isSystemEvent(recorded) ? toRecordedEvent(recorded) : undefined;
  }

  /** The live subscription that moves the tick for appends made anywhere. */
  private startTick(): void {
    const signal = this.lifetime.signal;
    this.tickLoop = (async () => {
      while (!signal.aborted) {
        try {
          const events = resilientSubscription(null, {
            open: (from) => this.openSubscription(from),
            convert: (resolved: AllStreamResolvedEvent) => this.convertLive(resolved),
            isRetryable: isRetryableSubscriptionError,
            signal,
            backoff: this.options.tickBackoff ?? TICK_BACKOFF,
            // A (re)connection may follow appends nobody heard of: wake the readers once.
            onOpen: () => this.tick.bump(),
            onDrop: (error, failures, delayMs) =>
              this.warn(`live subscription dropped (${failures} in a row); resubscribing in ${delayMs} ms`, error),
          });
          for await (const _event of events) this.tick.bump();
        } catch (error) {
          if (signal.aborted) return;
          this.warn('live subscription failed; readers fall back to their safety poll until it is back', error);
          await sleep(this.options.tickBackoff?.maxMs ?? 5_000, signal);
        }
      }
    })();
  }

  async findByEventIds(eventIds: string[]): Promise<RecordedEvent[]> {
    const wanted = new Set(eventIds.filter(isUuid).map((id) => id.toLowerCase()));
    if (wanted.size === 0) return [];
    const rows = await this.lookup([...wanted]);
    const read = await Promise.all(rows.map((row) => this.readRange(row.stream, row.revision, 1, false)));
    const found = new Map<string, RecordedEvent>();
    for (const event of read.flat()) if (wanted.has(event.eventId)) found.set(event.eventId, event);
    return [...found.values()].sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  }

  /** Index rows for these ids: the table's, and this process's writes still waiting for it. */
  private async lookup(eventIds: string[]): Promise<EventIdRow[]> {
    const ids = [...new Set(eventIds.map((id) => id.toLowerCase()))];
    const pending = ids.flatMap((id) => this.pendingIndex.get(id) ?? []);
    const stored = this.index ? await this.index.find(ids) : [];
    const byId = new Map([...stored, ...pending].map((row) => [row.eventId, row]));
    return [...byId.values()];
  }

  /**
   * Records appended events in the idempotency index. If the database is unavailable, the rows are
   * kept in memory (so this process still finds them) and written in the background; the append
   * itself has happened and is not failed for it.
   */
  private async recordIndex(events: RecordedEvent[]): Promise<void> {
    if (!this.index || events.length === 0) return;
    const rows = events.map((e) => ({ eventId: e.eventId, stream: e.stream, revision: e.revision, position: e.position }));
    try {
      await this.index.record(rows);
    } catch (error) {
      for (const row of rows) this.pendingIndex.set(row.eventId, row);
      this.warn(`could not record ${rows.length} event ids in ${'event_id_index'}; retrying in the background`, error);
      this.scheduleIndexRetry();
    }
  }

  private scheduleIndexRetry(): void {
    if (this.indexRetry || this.closed) return;
    this.indexRetry = setTimeout(async () => {
      this.indexRetry = undefined;
      const rows = [...this.pendingIndex.values()];
      try {
        await this.index?.record(rows);
        for (const row of rows) this.pendingIndex.delete(row.eventId);
      } catch {
        this.scheduleIndexRetry();
      }
    }, INDEX_RETRY_MS);
    this.indexRetry.unref();
  }

  /**
   * Records every event of the log in the idempotency index (rows already there are kept): the
   * repair after a crash fell between an append and its index write. Reads the whole log from
   * `from` (default the start); returns how many events it read.
   */
  async reindexEventIds(from: Position = START, batchSize = 1_000): Promise<number> {
    if (!this.index) throw new Error('reindexEventIds needs the idempotency database');
    let position = from;
    let read = 0;
    for (;;) {
      const batch = await this.readAll(position, batchSize);
      if (batch.length === 0) return read;
      await this.index.record(batch.map((e) => ({ eventId: e.eventId, stream: e.stream, revision: e.revision, position: e.position })));
      read += batch.length;
      position = batch[batch.length - 1].position;
    }
  }

  /** `$all` hides nothing that is committed: whatever `readAll` would return next. */
  async hasEventsAfter(after: Position): Promise<boolean> {
    return (await this.readAll(after, 1)).length > 0;
  }

  async headPosition(): Promise<Position> {
    return (await this.lastEvent())?.position ?? START;
  }

  /** The last event of the log that is not a system event, if any. */
  async lastEvent(): Promise<RecordedEvent | undefined> {
    try {
      for await (const resolved of this.client.readAll({
        fromPosition: END,
        direction: BACKWARDS,
        maxCount: 1,
        filter: excludeSystemEvents(),
      })) {
        const recorded = recordedOf(resolved);
        if (recorded && !isSystemEvent(recorded)) return toRecordedEvent(recorded);
      }
    } catch (error) {
      throw mapClientError(error);
    }
    return undefined;
  }

  appendTick(): number {
    return this.tick.current();
  }

  waitForAppend(sinceTick: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.tick.wait(sinceTick, timeoutMs, signal);
  }

  /** Ends subscriptions and the live tick, writes what the index still owes (once), and closes the client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.lifetime.abort();
    this.tick.releaseAll();
    if (this.indexRetry) clearTimeout(this.indexRetry);
    await this.tickLoop;
    if (this.pendingIndex.size > 0) {
      await this.index?.record([...this.pendingIndex.values()]).catch((error: unknown) => {
        this.warn(`closing with ${this.pendingIndex.size} event ids not recorded in event_id_index (repair with npm run migrate-store -- --reindex …)`, error);
      });
    }
    await this.client.dispose().catch(() => undefined);
  }
}
