/// <reference types="jest" />
import pg from 'pg';
import { createEmbeddedEventStore, createPostgresEventStore } from './adapters';
import { ContractHarness, ContractSession } from './contract/event-store.contract';
import { Database, openDatabase, quoteIdent } from './database';
import { SqlEventStore } from './sql-event-store';

/**
 * Test support: the contract harness for the SQL store, shared by postgres.spec.ts and
 * embedded.spec.ts. Counts the pool's statements and checkouts so the contract can tell that bad
 * arguments were rejected before any SQL.
 */
export function countPoolCalls(db: Database): () => number {
  const query = jest.spyOn(db.pool, 'query');
  const connect = jest.spyOn(db.pool, 'connect');
  return () => query.mock.calls.length + connect.mock.calls.length;
}

/** A session of its own (not from the store's pool) appending through the store's statement. */
async function openSession(connectionString: string, store: SqlEventStore): Promise<ContractSession> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  await client.connect();
  return {
    begin: async () => void (await client.query('BEGIN')),
    takeTransactionId: async () => void (await client.query('SELECT pg_current_xact_id()')),
    append: (requests) => store.appendWithin(client, requests),
    commit: async () => void (await client.query('COMMIT')),
    rollback: async () => void (await client.query('ROLLBACK')),
    close: async () => {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

export async function postgresHarness(databaseUrl: string, schema: string): Promise<ContractHarness & { db: Database }> {
  const db = await openDatabase({ databaseUrl, dataDir: '', schema });
  const store = await createPostgresEventStore(db);
  return {
    db,
    store,
    sqlCalls: countPoolCalls(db),
    openSession: () => openSession(databaseUrl, store),
    openSecondStore: async () => {
      const otherDb = await openDatabase({ databaseUrl, dataDir: '', schema, poolSize: 2 });
      const other = await createPostgresEventStore(otherDb, { migrate: false });
      return {
        store: other,
        close: async () => {
          await other.close();
          await otherDb.close();
        },
      };
    },
    close: async () => {
      await store.close();
      await db.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`).catch(() => undefined);
      await db.close();
    },
  };
}

export async function embeddedHarness(db: Database): Promise<ContractHarness> {
  const store = await createEmbeddedEventStore(db);
  return {
    store,
    sqlCalls: countPoolCalls(db),
    close: () => store.close(),
  };
}
