import { randomUUID } from 'node:crypto';
import { STREAM_DOES_NOT_EXIST, isExpectedVersionConflictError } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import type pg from 'pg';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  WrongExpectedRevisionError,
  createEmbeddedEventStore,
  createPostgresEventStore,
  openDatabase,
  type Database,
  type EventToAppend,
  type ExpectedRevision,
} from '@tasking/event-store';
import { EVENT_STORE_MIGRATIONS } from '../../libs/event-store/src/migrations';
import { createScratchDatabase, dropDatabase } from './database';

type SqlEventStore = Awaited<ReturnType<typeof createPostgresEventStore>>;
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The store's events table (migration 1) as `plain_events` in `db`'s schema: the same columns,
 * defaults, unique and ordering indexes, with a sequence of its own. Answers its qualified name.
 */
export async function createPlainEventsTable(db: Database): Promise<string> {
  const eventsTable = EVENT_STORE_MIGRATIONS.find((migration) => migration.version === 1)!;
  const schema = quoteIdent(db.schema);
  await db.pool.query(eventsTable.up('<schema>').replaceAll('events', 'plain_events').replaceAll('<schema>', schema));
  return `${schema}.plain_events`;
}

/**
 * The three ways of writing events that the append benchmarks compare, on ONE pg pool (the
 * store's own, so pool size and session settings are identical) in one schema of the bench
 * database:
 * - plain INSERT: single-row INSERT statements (autocommit) into `plain_events`, a table shaped
 *   exactly like the store's `events` (same columns, defaults, unique and ordering indexes) but
 *   with no expected-revision check: the ceiling;
 * - the store: `SqlEventStore.append` with an expected revision;
 * - Emmett: `getPostgreSQLEventStore(url, { connectionOptions: { pool } }).appendToStream(stream,
 *   events, { expectedStreamVersion })` (its tables land in the same schema through the pool's
 *   search_path).
 */
export interface Systems {
  db: Database;
  /** The scratch database's name ('' in embedded mode), for the CPU meter. */
  database: string;
  store: SqlEventStore;
  /** Undefined in embedded mode (Emmett needs a server). */
  emmett: PostgresEventStore | undefined;
  /** A plain INSERT of one event (named statement, prepared once per session like the store's). */
  insertPlain(stream: string, revision: number, event: EventToAppend): Promise<void>;
  /** A plain multi-row INSERT of several events in one statement (the batched ceiling). */
  insertPlainBatch(stream: string, firstRevision: number, events: readonly EventToAppend[]): Promise<void>;
  /** Emmett's current version of a stream (0n when it has none), after a conflict. */
  emmettStreamVersion(stream: string): Promise<bigint>;
  close(): Promise<void>;
}

/**
 * `embedded`: the store and the plain INSERTs on PGlite in a temporary folder (one session, as
 * the embedded mode runs), no Emmett; the PGlite worker thread's CPU counts as this process's.
 */
export async function openSystems(benchUrl: string, what: string, poolSize: number, embedded = false): Promise<Systems> {
  const dir = embedded ? await mkdtemp(join(tmpdir(), 'tl-bench-')) : undefined;
  // A database of its own, schema public (see createScratchDatabase); embedded: a PGlite folder.
  const scratch = embedded ? undefined : await createScratchDatabase(benchUrl, what);
  const schema = 'public';
  const databaseUrl = scratch?.url ?? '';
  const db = await openDatabase(embedded ? { dataDir: join(dir!, 'data'), schema } : { databaseUrl, dataDir: '', schema, poolSize });
  const store = embedded ? await createEmbeddedEventStore(db) : await createPostgresEventStore(db);
  const s = quoteIdent(schema);
  await createPlainEventsTable(db);
  // Emmett runs its schema migration partly on connections of its own: the URL carries the
  // search_path too, so everything it creates lands in this schema.
  const emmettUrl = new URL(databaseUrl);
  emmettUrl.searchParams.set('options', `-c search_path=${schema}`);
  const emmett = embedded ? undefined : getPostgreSQLEventStore(emmettUrl.toString(), { connectionOptions: { pool: db.pool } } as never);
  // Emmett creates its schema on first use: do it now, outside any measurement.
  await emmett?.appendToStream(`warmup-${randomUUID()}`, [{ type: 'Warmup', data: {} }], { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
  const insertOne: Omit<pg.QueryConfig, 'values'> = {
    name: `bench_plain_insert_${schema}`,
    text: `INSERT INTO ${s}.plain_events (stream_id, stream_revision, type, data, metadata, event_id) VALUES ($1, $2, $3, $4, $5, $6)`,
  };
  const insertMany = `INSERT INTO ${s}.plain_events (stream_id, stream_revision, type, data, metadata, event_id)
    SELECT $1, $2::bigint + x.ord - 1, x.type, x.payload -> 'd', x.payload -> 'm', x.event_id
    FROM ROWS FROM (unnest($3::uuid[]), unnest($4::text[]), jsonb_array_elements($5::jsonb)) WITH ORDINALITY AS x(event_id, type, payload, ord)`;
  return {
    db,
    database: scratch?.name ?? '',
    store,
    emmett,
    async insertPlain(stream, revision, event) {
      await db.pool.query({ ...insertOne, values: [stream, revision, event.type, event.data, event.metadata, event.eventId] });
    },
    async insertPlainBatch(stream, firstRevision, events) {
      await db.pool.query({
        name: `bench_plain_insert_many_${schema}`,
        text: insertMany,
        values: [stream, firstRevision, events.map((e) => e.eventId), events.map((e) => e.type), JSON.stringify(events.map((e) => ({ d: e.data, m: e.metadata })))],
      });
    },
    async emmettStreamVersion(stream) {
      const { rows } = await db.pool.query<{ v: string }>({
        name: `bench_emmett_version_${schema}`,
        text: `SELECT stream_position::text AS v FROM ${s}.emt_streams WHERE stream_id = $1 AND NOT is_archived`,
        values: [stream],
      });
      return rows.length === 0 ? 0n : BigInt(rows[0]!.v);
    },
    async close() {
      await store.close();
      await emmett?.close().catch(() => undefined); // does not end a pool it was given
      await db.close();
      if (dir) await rm(dir, { recursive: true, force: true });
      if (scratch) await dropDatabase(benchUrl, scratch.name);
    },
  };
}

/** An event shaped like the seed's ProblemRaised (data and metadata of realistic size), new id each time. */
export function sampleEvent(): EventToAppend {
  const problemId = randomUUID();
  return {
    eventId: randomUUID(),
    type: 'ProblemRaised',
    data: {
      problemId,
      partnership: 'default',
      title: 'Youths gathering and intimidating shoppers, Market Parade',
      description: 'Reported repeatedly to the neighbourhood team and the council; asb youth concentrated around Market Parade.',
      category: 'asb-youth',
      location: { areaCode: 'market-parade', lat: 52.9551, lng: -1.1497 },
      source: 'community',
      groupCode: 'riverside-north',
      raisedAt: new Date().toISOString(),
    },
    metadata: {
      recordedAt: new Date().toISOString(),
      actor: { userId: 'demo-inspector', name: 'Insp. Sarah Okafor', agency: 'POLICE', role: 'inspector' },
      causationId: randomUUID(),
      correlationId: randomUUID(),
      schemaVersion: 1,
      command: { id: randomUUID(), name: 'RaiseProblem', target: `problem-${problemId}`, count: 1 },
    },
  };
}

/** Retries a conflicting append: the caller refreshes its expectation from `known` after a turn of the loop. */
export const MAX_CONFLICT_RETRIES = 10_000;

export const isStoreConflict = (error: unknown): boolean => error instanceof WrongExpectedRevisionError;
export const isEmmettConflict = (error: unknown): boolean => isExpectedVersionConflictError(error);

export const storeExpected = (lastRevision: number): ExpectedRevision => (lastRevision < 0 ? 'no-stream' : lastRevision);
export const emmettExpected = (nextVersion: bigint): bigint | typeof STREAM_DOES_NOT_EXIST => (nextVersion === 0n ? STREAM_DOES_NOT_EXIST : nextVersion);
