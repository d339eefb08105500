/**
 * The SQL adapter of the event store port, for PostgreSQL and embedded PGlite. Longer than the other
 * files: append, reads, subscriptions and the transaction-id read horizon share one connection
 * discipline and one error mapping, and are kept together so that discipline is read in one place.
 */
import type pg from 'pg';
import { Database, quoteIdent } from './database';
import { isConnectionError, mapStoreError, sqlState } from './errors';
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
  WrongExpectedRevisionError,
} from './event-store.port';
import { decodePosition, encodePosition } from './position';
import { ValidatedRequest, isUuid, validateAppend } from './validation';
import { IdleWait } from './idle-wait';
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

/**
 * Appends retried after a lost race that turned out not to be a conflict: 'any' appenders to one
 * stream (each round at least one of them wins) or a deadlock between multi-stream appends.
 */
const MAX_APPEND_ATTEMPTS = 50;
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

/** One inserted event, in log order. */
interface InsertedRow {
  stream_id: string;
  stream_revision: string;
  xid: string;
  sequence: string;
}

/** A NUL as JSON.stringify writes it: `\u0000` after an even number of backslashes. */
const ESCAPED_NUL = /(?:^|[^\\])(?:\\\\)*\\u0000/;

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
      let inserted: InsertedRow[] = [];
      try {
        inserted = await this.insert(this.db.pool, validated);
      } catch (error) {
        const state = sqlState(error);
        if (state !== UNIQUE_VIOLATION && !RETRYABLE_SQLSTATES.has(state ?? '')) throw mapStoreError(error);
        // Lost a race or reused an event id: another transaction holds a revision or an id
        // (or a deadlock between multi-stream appends). Decided below from what is committed.
      }
      if (inserted.length > 0) {
        this.tick.bump();
        this.wakeUps?.afterAppend();
        return appendResult(inserted);
      }
      // Nothing inserted: an expected revision did not hold, or an event id is already stored.
      const replay = await this.replayResult(validated);
      if (replay) return replay;
      const stale = await this.staleRequest(validated);
      if (stale) throw stale;
      // Every precondition holds now (an 'any' append lost a race, or the stream caught up with
      // a future expected revision meanwhile): try again.
      if (attempt >= MAX_APPEND_ATTEMPTS) {
        throw new Error(`append to ${validated.map((r) => r.stream).join(', ')} kept losing races; try again`);
      }
      // Spread the retrying writers out a little.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)));
    }
  }

  /**
   * Runs the append statement on the caller's client, inside the caller's transaction, without
   * idempotent replay or retries: the tick does not move and nothing is announced. For tests and
   * tools that must hold an append open (the ordering contract cases); production code uses
   * `append`. A failed precondition throws WrongExpectedRevisionError or DuplicateEventIdError;
   * a unique violation aborts the caller's transaction and is rethrown as it came.
   */
  async appendWithin(client: pg.ClientBase, requests: AppendRequest[]): Promise<AppendResult> {
    const validated = validateAppend(requests);
    let inserted: InsertedRow[];
    try {
      inserted = await this.insert(client, validated);
    } catch (error) {
      throw mapStoreError(error);
    }
    if (inserted.length > 0) return appendResult(inserted);
    const replay = await this.replayResult(validated);
    if (replay) throw new DuplicateEventIdError(validated[0].events[0].eventId);
    throw (await this.staleRequest(validated)) ?? new Error('append inserted nothing');
  }

  /**
   * One statement, one round trip, whatever the number of events: inserts every event at the
   * revision its request's expected revision gives it, or nothing when an expected revision n
   * does not exist yet. Everything else is left to the unique indexes: (stream, revision) catches
   * a stale expected revision or 'no-stream' on an existing stream (including a concurrent
   * writer, which waits for the other transaction and then fails), the event_id key catches a
   * reused id. Returns the inserted rows in log order; none when a precondition failed.
   */
  private async insert(runner: pg.Pool | pg.ClientBase, requests: ValidatedRequest[]): Promise<InsertedRow[]> {
    const eventIds: string[] = [];
    const types: string[] = [];
    const payloads: { d: Record<string, unknown>; m: Record<string, unknown> }[] = [];
    const requestOf: number[] = [];
    const indexes: number[] = [];
    requests.forEach((request, r) => {
      request.events.forEach((event, index) => {
        eventIds.push(event.eventId);
        types.push(event.type);
        payloads.push({ d: event.data, m: event.metadata });
        requestOf.push(r + 1);
        indexes.push(index + 1);
      });
    });
    const encodedExpected = (e: ExpectedRevision) => (e === 'no-stream' ? EXPECTED_NO_STREAM : e === 'any' ? EXPECTED_ANY : e);
    let statement: pg.QueryConfig;
    if (requests.length === 1 && eventIds.length === 1) {
      // The common case (one command, one event): scalar parameters, the cheapest to bind.
      const [{ stream, expectedRevision, events }] = requests;
      const data = checkedJson(events[0].data);
      const metadata = checkedJson(events[0].metadata);
      statement = {
        name: this.sql.appendEventName,
        text: this.sql.appendEvent,
        values: [stream, encodedExpected(expectedRevision), types[0], data, metadata, eventIds[0]],
      };
    } else {
      const payload = checkedJson(payloads);
      statement =
        requests.length === 1
          ? {
              name: this.sql.appendEventsName,
              text: this.sql.appendEvents,
              values: [requests[0].stream, encodedExpected(requests[0].expectedRevision), eventIds, types, payload],
            }
          : {
              name: this.sql.appendManyName,
              text: this.sql.appendMany,
              values: [
                requests.map((r) => r.stream),
                requests.map((r) => encodedExpected(r.expectedRevision)),
                requestOf,
                indexes,
                eventIds,
                types,
                payload,
              ],
            };
    }
    const result = runner === this.db.pool ? await runOnPool<InsertedRow>(this.db.pool, statement) : await runner.query<InsertedRow>(statement);
    return result.rows;
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
    const { rows } = await this.query<EventRow>({ name: this.sql.readStreamName, text: this.sql.readStream }, [stream, fromRevision]);
    return rows.map(toRecordedEvent);
  }

  async readStreams(streams: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const byStream = new Map<string, RecordedEvent[]>(streams.map((stream) => [stream, []]));
    if (byStream.size === 0) return byStream;
    const { rows } = await this.query<EventRow>({ name: this.sql.readStreamsName, text: this.sql.readStreams }, [[...byStream.keys()]]);
    for (const row of rows) byStream.get(row.stream_id)!.push(toRecordedEvent(row));
    return byStream;
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
    const idle = new IdleWait(this, this.safetyPollMs);
    while (!signal?.aborted && !this.closed) {
      // Take the tick before reading: an append committing after the read moves it, so the wait
      // returns at once instead of missing it.
      const tick = this.tick.current();
      const batch = await this.readAll(position, batchSize);
      for (const event of batch) {
        if (signal?.aborted) return;
        yield event;
        position = event.position;
      }
      if (batch.length > 0) idle.reset();
      if (batch.length === batchSize) continue;
      await idle.wait(position, tick, signal);
    }
  }

  async hasEventsAfter(position: Position): Promise<boolean> {
    const { transactionId, sequence } = decodePosition(position);
    const { rows } = await this.query<{ found: boolean }>(this.sql.anyAfter, [transactionId, sequence]);
    return rows[0].found;
  }

  async findByEventIds(eventIds: string[]): Promise<RecordedEvent[]> {
    const ids = [...new Set(eventIds.filter(isUuid).map((id) => id.toLowerCase()))];
    if (ids.length === 0) return [];
    const { rows } = await this.query<EventRow>({ name: this.sql.findByEventIdsName, text: this.sql.findByEventIds }, [ids]);
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

/** JSON for a jsonb parameter; PostgreSQL text and jsonb cannot hold NUL, so refuse it here. */
function checkedJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (ESCAPED_NUL.test(json)) throw new InvalidAppendError('event data and metadata must not contain NUL characters');
  return json;
}

function appendResult(inserted: InsertedRow[]): AppendResult {
  const revisions: Record<string, number> = {};
  let last = inserted[0];
  for (const row of inserted) {
    revisions[row.stream_id] = Math.max(revisions[row.stream_id] ?? -1, Number(row.stream_revision));
    if (BigInt(row.sequence) > BigInt(last.sequence)) last = row;
  }
  return { revisions, position: encodePosition(last.xid, last.sequence) };
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
  // Expected revision encoding: n >= 0, -1 'no-stream', -2 'any'; payloads is a JSON array of
  // {"d": data, "m": metadata}, parsed once by the server. The single-stream INSERT checks, with
  // one index probe, that revision n exists; the multi-stream one does so for every stream and
  // inserts nothing unless all hold.
  const appendOne = `INSERT INTO ${s}.events (stream_id, stream_revision, type, data, metadata, event_id)
      SELECT $1, base.revision + x.ord, x.type, x.payload -> 'd', x.payload -> 'm', x.event_id
      FROM (SELECT CASE WHEN $2::bigint = ${EXPECTED_ANY}
                        THEN coalesce((SELECT e.stream_revision FROM ${s}.events e WHERE e.stream_id = $1
                                       ORDER BY e.stream_revision DESC LIMIT 1), -1)
                        ELSE $2::bigint END AS revision) AS base,
           ROWS FROM (unnest($3::uuid[]), unnest($4::text[]), jsonb_array_elements($5::jsonb))
             WITH ORDINALITY AS x(event_id, type, payload, ord)
      WHERE $2::bigint < 0 OR EXISTS (SELECT 1 FROM ${s}.events e WHERE e.stream_id = $1 AND e.stream_revision = $2::bigint)
      ORDER BY x.ord`;
  const appendMany = `WITH req AS MATERIALIZED (
        SELECT r.ord, r.stream_id,
               CASE WHEN r.expected = ${EXPECTED_ANY}
                    THEN coalesce((SELECT e.stream_revision FROM ${s}.events e WHERE e.stream_id = r.stream_id
                                   ORDER BY e.stream_revision DESC LIMIT 1), -1)
                    ELSE r.expected END AS revision,
               r.expected < 0 OR EXISTS (SELECT 1 FROM ${s}.events e
                                         WHERE e.stream_id = r.stream_id AND e.stream_revision = r.expected) AS ok
        FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS r(stream_id, expected, ord)
      )
      INSERT INTO ${s}.events (stream_id, stream_revision, type, data, metadata, event_id)
      SELECT req.stream_id, req.revision + x.idx, x.type, x.payload -> 'd', x.payload -> 'm', x.event_id
      FROM ROWS FROM (unnest($3::int[]), unnest($4::int[]), unnest($5::uuid[]), unnest($6::text[]), jsonb_array_elements($7::jsonb))
             WITH ORDINALITY AS x(req, idx, event_id, type, payload, ord)
        JOIN req ON req.ord = x.req
      WHERE (SELECT bool_and(req.ok) FROM req)
      ORDER BY x.ord`;
  const eachRow = `stream_id, stream_revision::text, transaction_id::text AS xid, sequence::text`;
  // Many events: one row back per stream (its last revision, the last sequence), not per event.
  const perStream = (insert: string) => `WITH inserted AS (${insert} RETURNING stream_id, stream_revision, transaction_id, sequence)
      SELECT stream_id, max(stream_revision)::text AS stream_revision, max(transaction_id)::text AS xid, max(sequence)::text AS sequence
      FROM inserted GROUP BY stream_id`;
  return {
    // Named statements are prepared once per session; the schema keeps names apart across stores.
    appendEventName: `tl_es_append_event_${schema}`,
    appendEvent: `INSERT INTO ${s}.events (stream_id, stream_revision, type, data, metadata, event_id)
      SELECT $1, base.revision + 1, $3, $4::jsonb, $5::jsonb, $6::uuid
      FROM (SELECT CASE WHEN $2::bigint = ${EXPECTED_ANY}
                        THEN coalesce((SELECT e.stream_revision FROM ${s}.events e WHERE e.stream_id = $1
                                       ORDER BY e.stream_revision DESC LIMIT 1), -1)
                        ELSE $2::bigint END AS revision) AS base
      WHERE $2::bigint < 0 OR EXISTS (SELECT 1 FROM ${s}.events e WHERE e.stream_id = $1 AND e.stream_revision = $2::bigint)
      RETURNING ${eachRow}`,
    appendEventsName: `tl_es_append_events_${schema}`,
    appendEvents: perStream(appendOne),
    appendManyName: `tl_es_append_many_${schema}`,
    appendMany: perStream(appendMany),
    readAllName: `tl_es_read_all_${schema}`,
    readAll: `SELECT ${columns} FROM ${s}.events
      WHERE (transaction_id, sequence) > ($1::text::xid8, $2::bigint) AND ${visible}
      ORDER BY transaction_id, sequence LIMIT $3`,
    anyAfter: `SELECT EXISTS (SELECT 1 FROM ${s}.events WHERE (transaction_id, sequence) > ($1::text::xid8, $2::bigint)) AS found`,
    readStreamName: `tl_es_read_stream_${schema}`,
    readStream: `SELECT ${columns} FROM ${s}.events
      WHERE stream_id = $1 AND stream_revision >= $2 ORDER BY stream_revision`,
    readStreamsName: `tl_es_read_streams_${schema}`,
    readStreams: `SELECT ${columns} FROM ${s}.events
      WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_revision`,
    findByEventIdsName: `tl_es_find_by_event_ids_${schema}`,
    findByEventIds: `SELECT ${columns} FROM ${s}.events WHERE event_id = ANY($1::uuid[]) ORDER BY transaction_id, sequence`,
    headPosition: `SELECT transaction_id::text AS xid, sequence FROM ${s}.events WHERE ${visible}
      ORDER BY transaction_id DESC, sequence DESC LIMIT 1`,
    streamRevisions: `SELECT stream_id, max(stream_revision) AS revision FROM ${s}.events
      WHERE stream_id = ANY($1::text[]) GROUP BY stream_id`,
  };
}

