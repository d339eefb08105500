import type pg from 'pg';
import { Database, quoteIdent } from './database';
import { isConnectionError, mapStoreError, sqlState } from './errors';
import {
  AppendRequest,
  AppendResult,
  DuplicateEventIdError,
  EventStore,
  Position,
  RecordedEvent,
  START,
  SubscribeOptions,
  WrongExpectedRevisionError,
} from './event-store.port';
import { WRONG_EXPECTED_REVISION_SQLSTATE } from './migrations';
import { decodePosition, encodePosition } from './position';
import { ValidatedRequest, isUuid, validateAppend } from './validation';
import { AppendTick } from './wake-ups';

/** How a store learns of and announces appends beyond its own in-process tick. */
export interface WakeUps {
  /** Called after each append this store committed (e.g. a coalesced NOTIFY). */
  afterAppend(): void;
  /** Stops listeners and timers. */
  close(): Promise<void>;
}

export interface SqlEventStoreOptions {
  /** Subscribers re-read at least this often even when nothing woke them. Default 1000 ms. */
  safetyPollMs?: number;
  /** Default batch size of subscribeAll. Default 500. */
  batchSize?: number;
}

/** Appends retried after a lost race that turned out not to be a conflict ('any', deadlock). */
const MAX_APPEND_ATTEMPTS = 5;
const UNIQUE_VIOLATION = '23505';
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']); // deadlock, serialization failure

interface EventRow {
  sequence: string;
  stream_id: string;
  stream_revision: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  event_id: string;
  xid: string;
  recorded_at: Date;
}

interface AppendRow {
  replayed: boolean;
  stream_revisions: string[] | null;
  last_xid: string | null;
  last_sequence: string | null;
}

const EXPECTED_NO_STREAM = -1;
const EXPECTED_ANY = -2;

/**
 * The one SQL implementation of the event store port, for PostgreSQL and for PGlite behind its
 * socket: the adapters differ only in their wake-ups.
 *
 * Ownership: the store borrows `db.pool` and never ends it; `close()` stops the store's wake-ups
 * only. Close stores first, then the Database.
 */
export class SqlEventStore implements EventStore {
  private readonly tick = new AppendTick();
  private readonly sql: ReturnType<typeof statements>;
  private readonly safetyPollMs: number;
  private readonly defaultBatchSize: number;
  private wakeUps: WakeUps | undefined;
  private closed = false;

  constructor(
    private readonly db: Database,
    options: SqlEventStoreOptions = {},
  ) {
    this.sql = statements(db.schema);
    this.safetyPollMs = options.safetyPollMs ?? 1_000;
    this.defaultBatchSize = options.batchSize ?? 500;
  }

  /** Installed by the adapter factory. */
  useWakeUps(wakeUps: WakeUps): void {
    this.wakeUps = wakeUps;
  }

  /** Moves the tick: an append happened somewhere (called by listeners). */
  notifyAppended(): void {
    this.tick.bump();
  }

  async append(requests: AppendRequest[]): Promise<AppendResult> {
    const validated = validateAppend(requests);
    for (let attempt = 1; ; attempt++) {
      let row: AppendRow;
      try {
        row = await this.runAppend(this.db.pool, validated);
      } catch (error) {
        const conflict = this.wrongExpectedRevision(error, validated);
        if (conflict) throw conflict;
        const state = sqlState(error);
        if (state !== UNIQUE_VIOLATION && !RETRYABLE_SQLSTATES.has(state ?? '')) throw mapStoreError(error);
        // Lost a race (another transaction took an event id or a revision first, or a deadlock
        // between multi-stream appends): decide from what is committed now.
        const replay = await this.replayResult(validated);
        if (replay) return replay;
        const stale = await this.staleRequest(validated);
        if (stale) throw stale;
        if (attempt >= MAX_APPEND_ATTEMPTS) throw mapStoreError(error);
        continue;
      }
      if (row.replayed) {
        const replay = await this.replayResult(validated);
        if (replay) return replay;
        // The first id vanished between the probe and the look-up: impossible in an append-only
        // log, unless the schema was truncated; treat as a fresh attempt.
        if (attempt >= MAX_APPEND_ATTEMPTS) throw new DuplicateEventIdError(validated[0].events[0].eventId);
        continue;
      }
      this.tick.bump();
      this.wakeUps?.afterAppend();
      return appendResult(validated, row);
    }
  }

  /**
   * Runs the append statement on the caller's client, inside the caller's transaction, without
   * idempotent replay or retries: the tick does not move and nothing is announced. For tests and
   * tools that must hold an append open (the ordering contract cases); production code uses
   * `append`. Throws WrongExpectedRevisionError for a stale expected revision; a replayed first
   * event id is reported as DuplicateEventIdError.
   */
  async appendWithin(client: pg.ClientBase, requests: AppendRequest[]): Promise<AppendResult> {
    const validated = validateAppend(requests);
    let row: AppendRow;
    try {
      row = await this.runAppend(client, validated);
    } catch (error) {
      throw this.wrongExpectedRevision(error, validated) ?? mapStoreError(error);
    }
    if (row.replayed) throw new DuplicateEventIdError(validated[0].events[0].eventId);
    return appendResult(validated, row);
  }

  private async runAppend(runner: pg.Pool | pg.ClientBase, requests: ValidatedRequest[]): Promise<AppendRow> {
    const streams: string[] = [];
    const expected: number[] = [];
    const counts: number[] = [];
    const requestOf: number[] = [];
    const offsets: number[] = [];
    const eventIds: string[] = [];
    const types: string[] = [];
    const payloads: { d: Record<string, unknown>; m: Record<string, unknown> }[] = [];
    requests.forEach((request, index) => {
      streams.push(request.stream);
      const e = request.expectedRevision;
      expected.push(e === 'no-stream' ? EXPECTED_NO_STREAM : e === 'any' ? EXPECTED_ANY : e);
      counts.push(request.events.length);
      request.events.forEach((event, offset) => {
        requestOf.push(index + 1);
        offsets.push(offset);
        eventIds.push(event.eventId);
        types.push(event.type);
        payloads.push({ d: event.data, m: event.metadata });
      });
    });
    const statement = {
      name: this.sql.appendName,
      text: this.sql.append,
      values: [streams, expected, counts, requestOf, offsets, eventIds, types, JSON.stringify(payloads)],
    };
    const result = runner === this.db.pool ? await runOnPool<AppendRow>(this.db.pool, statement) : await runner.query<AppendRow>(statement);
    return result.rows[0];
  }

  private wrongExpectedRevision(error: unknown, requests: ValidatedRequest[]): WrongExpectedRevisionError | undefined {
    if (sqlState(error) !== WRONG_EXPECTED_REVISION_SQLSTATE) return undefined;
    const detail = JSON.parse((error as { detail?: string }).detail ?? '{}') as { index?: number; actual?: number | null };
    const request = requests[detail.index ?? 0];
    const actual = detail.actual === null || detail.actual === undefined ? 'no-stream' : Number(detail.actual);
    return new WrongExpectedRevisionError(request.stream, request.expectedRevision, actual);
  }

  /**
   * Idempotent re-append: when the events of this call are already stored exactly where this call
   * would have put them, the original result; when any of them is stored anywhere else,
   * DuplicateEventIdError; when none is stored, undefined.
   */
  private async replayResult(requests: ValidatedRequest[]): Promise<AppendResult | undefined> {
    const ids = requests.flatMap((request) => request.events.map((event) => event.eventId));
    const found = new Map((await this.findByEventIds(ids)).map((event) => [event.eventId, event]));
    if (found.size === 0) return undefined;
    const revisions: Record<string, number> = {};
    let position: Position = START;
    for (const request of requests) {
      const first = found.get(request.events[0].eventId);
      const base =
        request.expectedRevision === 'no-stream'
          ? 0
          : request.expectedRevision === 'any'
            ? first?.revision
            : request.expectedRevision + 1;
      request.events.forEach((event, offset) => {
        const stored = found.get(event.eventId);
        if (!stored || base === undefined || stored.stream !== request.stream || stored.revision !== base + offset) {
          throw new DuplicateEventIdError(stored ? event.eventId : [...found.keys()][0]);
        }
        if (stored.position > position) position = stored.position;
      });
      revisions[request.stream] = (base as number) + request.events.length - 1;
    }
    return { revisions, position };
  }

  /** After a lost race: the first request whose expected revision no longer holds, as an error. */
  private async staleRequest(requests: ValidatedRequest[]): Promise<WrongExpectedRevisionError | undefined> {
    const { rows } = await this.query<{ stream_id: string; revision: string }>(this.sql.streamRevisions, [
      requests.map((request) => request.stream),
    ]);
    const actual = new Map(rows.map((row) => [row.stream_id, Number(row.revision)]));
    for (const request of requests) {
      const current = actual.get(request.stream);
      const expected = request.expectedRevision;
      if (expected === 'any') continue;
      if (expected === 'no-stream' ? current !== undefined : current !== expected) {
        return new WrongExpectedRevisionError(request.stream, expected, current ?? 'no-stream');
      }
    }
    return undefined;
  }

  async read(stream: string, fromRevision = 0): Promise<RecordedEvent[]> {
    if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) {
      throw new RangeError(`fromRevision must be a non-negative integer, got ${fromRevision}`);
    }
    const { rows } = await this.query<EventRow>(this.sql.readStream, [stream, fromRevision]);
    return rows.map(toRecordedEvent);
  }

  async readAll(after: Position, batchSize: number): Promise<RecordedEvent[]> {
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    }
    const { transactionId, sequence } = decodePosition(after);
    const { rows } = await this.query<EventRow>(
      { name: this.sql.readAllName, text: this.sql.readAll },
      [transactionId, sequence, batchSize],
    );
    return rows.map(toRecordedEvent);
  }

  async *subscribeAll(after: Position, options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    const batchSize = options.batchSize ?? this.defaultBatchSize;
    const signal = options.signal;
    decodePosition(after);
    let position = after;
    while (!signal?.aborted && !this.closed) {
      // Take the tick before reading: an append committing after the read moves it, so the wait
      // below returns at once instead of missing it.
      const tick = this.tick.current();
      const batch = await this.readAll(position, batchSize);
      for (const event of batch) {
        if (signal?.aborted) return;
        yield event;
        position = event.position;
      }
      if (batch.length < batchSize) await this.tick.wait(tick, this.safetyPollMs, signal);
    }
  }

  async findByEventIds(eventIds: string[]): Promise<RecordedEvent[]> {
    const ids = [...new Set(eventIds.filter(isUuid).map((id) => id.toLowerCase()))];
    if (ids.length === 0) return [];
    const { rows } = await this.query<EventRow>(this.sql.findByEventIds, [ids]);
    return rows.map(toRecordedEvent);
  }

  async headPosition(): Promise<Position> {
    const { rows } = await this.query<{ xid: string; sequence: string }>(this.sql.headPosition, []);
    return rows.length === 0 ? START : encodePosition(rows[0].xid, rows[0].sequence);
  }

  appendTick(): number {
    return this.tick.current();
  }

  waitForAppend(sinceTick: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.tick.wait(sinceTick, timeoutMs, signal);
  }

  /** Stops wake-ups and ends subscriptions; the pool stays open (its owner closes the Database). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.tick.releaseAll();
    await this.wakeUps?.close();
  }

  private async query<R extends pg.QueryResultRow>(
    statement: string | { name: string; text: string },
    values: unknown[],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await runOnPool<R>(
        this.db.pool,
        typeof statement === 'string' ? { text: statement, values } : { ...statement, values },
      );
    } catch (error) {
      throw mapStoreError(error);
    }
  }
}

/**
 * One statement on a pooled session. Not `pool.query`: that destroys the session on ANY error,
 * so every expected-revision conflict would cost a reconnect (and in embedded mode re-dial the
 * single PGlite connection). A session is only dropped when the connection itself failed; after
 * a SQL error an autocommit statement leaves it clean.
 */
export async function runOnPool<R extends pg.QueryResultRow>(pool: pg.Pool, statement: pg.QueryConfig): Promise<pg.QueryResult<R>> {
  const client = await pool.connect();
  try {
    const result = await client.query<R>(statement);
    client.release();
    return result;
  } catch (error) {
    client.release(isConnectionError(error) ? (error as Error) : undefined);
    throw error;
  }
}

function appendResult(requests: ValidatedRequest[], row: AppendRow): AppendResult {
  const revisions: Record<string, number> = {};
  requests.forEach((request, index) => {
    revisions[request.stream] = Number(row.stream_revisions?.[index]);
  });
  return { revisions, position: encodePosition(row.last_xid ?? '0', row.last_sequence ?? '0') };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    stream: row.stream_id,
    revision: Number(row.stream_revision),
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    position: encodePosition(row.xid, row.sequence),
    recordedAt: row.recorded_at.toISOString(),
  };
}

function statements(schema: string) {
  const s = quoteIdent(schema);
  const columns = `sequence, stream_id, stream_revision, type, data, metadata, event_id,
    transaction_id::text AS xid, recorded_at`;
  // Only transactions every reader will never see change below the horizon: events at or above
  // the oldest running transaction id are withheld until it ends, however high their sequence.
  const visible = `transaction_id < pg_snapshot_xmin(pg_current_snapshot())`;
  return {
    // Named statements are prepared once per session; the schema keeps names apart across stores.
    appendName: `tl_es_append_${schema}`,
    append: `SELECT replayed, stream_revisions::text[] AS stream_revisions, last_xid, last_sequence::text AS last_sequence
      FROM ${s}.append_events($1::text[], $2::bigint[], $3::int[], $4::int[], $5::int[], $6::uuid[], $7::text[], $8::jsonb)`,
    readAllName: `tl_es_read_all_${schema}`,
    readAll: `SELECT ${columns} FROM ${s}.events
      WHERE (transaction_id, sequence) > ($1::text::xid8, $2::bigint) AND ${visible}
      ORDER BY transaction_id, sequence LIMIT $3`,
    readStream: `SELECT ${columns} FROM ${s}.events
      WHERE stream_id = $1 AND stream_revision >= $2 ORDER BY stream_revision`,
    findByEventIds: `SELECT ${columns} FROM ${s}.events WHERE event_id = ANY($1::uuid[]) ORDER BY transaction_id, sequence`,
    headPosition: `SELECT transaction_id::text AS xid, sequence FROM ${s}.events WHERE ${visible}
      ORDER BY transaction_id DESC, sequence DESC LIMIT 1`,
    streamRevisions: `SELECT stream_id, max(stream_revision) AS revision FROM ${s}.events
      WHERE stream_id = ANY($1::text[]) GROUP BY stream_id`,
  };
}
