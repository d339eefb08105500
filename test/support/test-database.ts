import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createEmbeddedEventStore, createPostgresEventStore, openDatabase, type Database, type EventStore } from '@tasking/event-store';

/** The test server: PostgreSQL on 127.0.0.1, database `test`, trust auth (override with TEST_DATABASE_URL). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema name per suite: `t_<random>`. */
export const freshSchema = (): string => `t_${Math.random().toString(36).slice(2, 10)}`;

/** Drops a test schema from outside the pool (works after the Database is closed). */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  db: Database;
  store: EventStore;
  /** Closes the store and the database, then drops the schema (postgres) or the data folder (embedded). */
  close(): Promise<void>;
}

/**
 * A Database and event store of the suite's own: a fresh schema on the test server, or with
 * `embedded: true` a PGlite in a temporary folder.
 */
export async function openTestDatabase(options: { embedded?: boolean; schema?: string; poolSize?: number } = {}): Promise<TestDatabase> {
  const dataDir = options.embedded ? await mkdtemp(join(tmpdir(), 'tl-test-')) : undefined;
  const schema = dataDir ? options.schema : (options.schema ?? freshSchema());
  const db = await openDatabase(dataDir ? { dataDir, schema } : { databaseUrl: TEST_DATABASE_URL, dataDir: '', schema, poolSize: options.poolSize });
  const store = dataDir ? await createEmbeddedEventStore(db) : await createPostgresEventStore(db);
  return {
    db,
    store,
    close: async () => {
      await store.close();
      await db.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      else await dropSchema(schema!);
    },
  };
}
