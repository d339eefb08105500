import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { createPostgresEventStore } from './adapters';
import { Database, openDatabase, quoteIdent } from './database';
import { StoreUnavailableError } from './event-store.port';
import { EVENT_STORE_MIGRATIONS, migrateEventStore } from './migrations';
import { listenerApplicationName } from './wake-ups';

const databaseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A superuser session beside the pools under test, for inspecting and killing their backends. */
let admin: pg.Client;
const opened: { db: Database; dropSchema: boolean }[] = [];

async function open(schema = `es_${randomBytes(6).toString('hex')}`, poolSize?: number): Promise<Database> {
  const db = await openDatabase({ databaseUrl, dataDir: '', schema, poolSize });
  opened.push({ db, dropSchema: true });
  return db;
}

beforeAll(async () => {
  admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
});

afterAll(async () => {
  for (const { db } of opened.reverse()) {
    await db.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(db.schema)} CASCADE`).catch(() => undefined);
    await db.close();
  }
  await admin.end();
});

describe('openDatabase (postgres)', () => {
  it('creates the schema and gives every session its search_path and timeouts', async () => {
    const db = await open();
    expect(db.kind).toBe('postgres');
    const { rows } = await db.pool.query(
      `SELECT current_schema() AS schema, current_setting('idle_in_transaction_session_timeout') AS idle,
              current_setting('statement_timeout') AS statement`,
    );
    expect(rows[0]).toEqual({ schema: db.schema, idle: '30s', statement: '5min' });
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(openDatabase({ databaseUrl, dataDir: '', schema: 'Bad; DROP' })).rejects.toThrow(TypeError);
  });

  it('maps a refused connection to StoreUnavailableError', async () => {
    const error = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/test', dataDir: '' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('maps a terminated session (57P01) to StoreUnavailableError and recovers without a restart', async () => {
    const db = await open(undefined, 1);
    const store = await createPostgresEventStore(db);
    try {
      // Hold the store's read behind a lock, then kill its session mid-statement.
      await admin.query('BEGIN');
      await admin.query(`LOCK TABLE ${quoteIdent(db.schema)}.events IN ACCESS EXCLUSIVE MODE`);
      const reading = store.read('any-stream').then(
        () => undefined,
        (e: unknown) => e,
      );
      let pid: number | undefined;
      for (let i = 0; i < 100 && pid === undefined; i++) {
        await sleep(20);
        const { rows } = await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()`,
          [db.schema],
        );
        pid = rows[0]?.pid;
      }
      expect(pid).toBeDefined();
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await admin.query('ROLLBACK');
      const error = await reading;
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(await store.read('any-stream')).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('migrations', () => {
  it('applies each migration once when several processes start together', async () => {
    const schema = `es_${randomBytes(6).toString('hex')}`;
    const dbs = await Promise.all([open(schema, 2), open(schema, 2), open(schema, 2)]);
    const applied = await Promise.all(dbs.map((db) => migrateEventStore(db)));
    const versions = EVENT_STORE_MIGRATIONS.map((m) => m.version);
    expect(applied.flat().sort()).toEqual(versions);
    const { rows } = await dbs[0].pool.query('SELECT version FROM store_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(versions);
    expect(await migrateEventStore(dbs[1])).toEqual([]);
  });
});

describe('LISTEN session', () => {
  it('reconnects when its session is killed, and wakes subscribers again', async () => {
    const db = await open();
    const listening = await createPostgresEventStore(db);
    const other = await open(db.schema, 2);
    const appending = await createPostgresEventStore(other, { migrate: false });
    const controller = new AbortController();
    const stream = `listen-${randomUUID()}`;
    const received: string[] = [];
    const subscription = (async () => {
      for await (const event of listening.subscribeAll(await listening.headPosition(), { signal: controller.signal })) {
        if (event.stream === stream) received.push(event.eventId);
      }
    })();
    try {
      const name = listenerApplicationName(db.schema);
      const pidOf = async () =>
        (await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [name])).rows.map(
          (r) => r.pid,
        );
      const [first] = await pidOf();
      expect(first).toBeDefined();
      await admin.query('SELECT pg_terminate_backend($1)', [first]);
      for (let i = 0; i < 100; i++) {
        const pids = await pidOf();
        if (pids.length === 1 && pids[0] !== first) break;
        await sleep(20);
      }
      const [second] = await pidOf();
      expect(second).toBeDefined();
      expect(second).not.toBe(first);

      await sleep(1_200); // past the reconnect's own tick and any safety poll in flight
      const tickBefore = listening.appendTick();
      const appendedAt = Date.now();
      await appending.append([
        { stream, expectedRevision: 'no-stream', events: [{ eventId: randomUUID(), type: 'T', data: {}, metadata: {} }] },
      ]);
      // Heard through the new LISTEN session (the subscriber's read may wait for the horizon
      // if some other client of the server holds a transaction open).
      while (listening.appendTick() === tickBefore && Date.now() - appendedAt < 500) await sleep(5);
      expect(listening.appendTick()).toBeGreaterThan(tickBefore);
      while (received.length === 0 && Date.now() - appendedAt < 15_000) await sleep(5);
      expect(received).toHaveLength(1);
    } finally {
      controller.abort();
      await subscription;
      await appending.close();
      await listening.close();
    }
  });
});
