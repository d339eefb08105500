/// <reference types="jest" />
import { randomBytes } from 'node:crypto';
import { ContractHarness, ContractOptions } from '../contract/event-store.contract';
import { Database, openDatabase, quoteIdent } from '../database';
import { KurrentDbEventStore, KurrentDbEventStoreOptions } from './kurrentdb-event-store';

/**
 * Test support: the contract harness for the kurrentdb store, shared by kurrentdb.spec.ts (a real
 * server) and kurrentdb-double.spec.ts (the gRPC test double). The idempotency index lives in
 * PostgreSQL, in a schema of its own dropped after, as it lives beside the read models in a
 * deployment.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** What the kurrentdb store cannot honour, with the reason, for the contract's `skip`. */
export const KURRENTDB_SKIPS: NonNullable<ContractOptions['skip']> = {
  ordering:
    'KurrentDB has no client transaction to hold open: its single writer commits each append whole, so there is no ' +
    'uncommitted append for readers to wait behind',
  eventIdElsewhere:
    'KurrentDB deduplicates event ids within a stream only: the same id appended to another stream is stored again ' +
    '(the idempotency index and the handler\'s look-up before deciding catch retries; a reused id in another stream is not rejected)',
};

export async function kurrentDbHarness(url: string, options: Partial<KurrentDbEventStoreOptions> = {}): Promise<ContractHarness & { db: Database }> {
  const schema = `es_kdb_${randomBytes(6).toString('hex')}`;
  const db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, dataDir: '', schema, poolSize: 4 });
  const warn = () => undefined; // drops are expected in some cases; keep the output clean
  let store: KurrentDbEventStore;
  try {
    store = await KurrentDbEventStore.open({ url, idempotency: db, warn, ...options });
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    db,
    store,
    openSecondStore: async () => {
      const other = await KurrentDbEventStore.open({ url, idempotency: db, warn, ...options });
      return { store: other, close: () => other.close() };
    },
    close: async () => {
      await store.close();
      await db.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`).catch(() => undefined);
      await db.close();
    },
  };
}
