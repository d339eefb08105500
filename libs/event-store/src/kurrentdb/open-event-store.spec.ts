import { randomBytes } from 'node:crypto';
import { Database, openDatabase, quoteIdent } from '../database';
import { SqlEventStore } from '../sql-event-store';
import { TEST_DATABASE_URL } from './kurrentdb-contract-harness';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { createKurrentDbEventStore, isKurrentDbUrl, openEventStore } from './index';
import { KurrentDbGrpcDouble } from './testing/grpc-double';

/** The selector the runtime calls: EVENT_STORE_URL decides, against the gRPC TEST DOUBLE for kurrentdb. */
describe('openEventStore', () => {
  let db: Database;
  let double: KurrentDbGrpcDouble;
  const schema = `es_open_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, dataDir: '', schema, poolSize: 3 });
    double = await KurrentDbGrpcDouble.start();
  });

  afterAll(async () => {
    await double?.stop();
    await db?.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`).catch(() => undefined);
    await db?.close();
  });

  it('knows the client\'s schemes', () => {
    for (const url of ['kurrentdb://h:2113', 'esdb://h', 'esdb+discover://h', 'kurrentdb+discover://h', 'KurrentDB://h']) expect(isKurrentDbUrl(url)).toBe(true);
    for (const url of ['postgres://h/db', 'http://h', 'kurrentdb', '']) expect(isKurrentDbUrl(url)).toBe(false);
  });

  it('without EVENT_STORE_URL keeps the events in the read-model database', async () => {
    const store = await openEventStore({}, db);
    try {
      expect(store).toBeInstanceOf(SqlEventStore);
    } finally {
      await store.close();
    }
  });

  it('with a kurrentdb:// or esdb:// URL opens KurrentDB with its index beside the read models', async () => {
    for (const url of [double.url, double.url.replace('kurrentdb://', 'esdb://')]) {
      const store = await openEventStore({ eventStoreUrl: url }, db);
      try {
        expect(store).toBeInstanceOf(KurrentDbEventStore);
        await store.append([{ stream: `o-${randomBytes(4).toString('hex')}`, expectedRevision: 'no-stream', events: [{ eventId: crypto.randomUUID(), type: 'T', data: {}, metadata: {} }] }]);
      } finally {
        await store.close();
      }
    }
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM ${quoteIdent(schema)}.event_id_index`);
    expect(rows[0].n).toBe(2);
  });

  it('with a postgres:// URL of another database opens a store there and closes it with the store', async () => {
    const other = TEST_DATABASE_URL.replace(/\/\/([^/]*)\//, '//$1/') + (TEST_DATABASE_URL.includes('?') ? '&' : '?') + 'application_name=tl-store';
    const store = await openEventStore({ eventStoreUrl: other }, db);
    await store.append([{ stream: 'x', expectedRevision: 'any', events: [{ eventId: crypto.randomUUID(), type: 'T', data: {}, metadata: {} }] }]);
    expect((await store.read('x')).length).toBeGreaterThan(0);
    await store.close();
  });

  it('refuses other schemes and old servers with clear errors', async () => {
    await expect(openEventStore({ eventStoreUrl: 'mysql://h/db' }, db)).rejects.toThrow(/kurrentdb:\/\/, esdb:\/\/ or postgres:\/\//);
    const old = await KurrentDbGrpcDouble.start({ multiStreamAppend: false, serverVersion: '23.10.0' });
    try {
      await expect(createKurrentDbEventStore({ url: old.url, idempotency: db })).rejects.toThrow(/needs KurrentDB 25\.1 or later/);
    } finally {
      await old.stop();
    }
  });
});
