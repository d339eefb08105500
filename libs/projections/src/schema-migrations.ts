import pg from 'pg';
import { DataSource } from 'typeorm';
import type { Database } from '@tasking/event-store';
import type { MigrationClass } from './read-model-schema';

/**
 * One library's TypeORM migrations (architecture.md, "Schema"): kept in `libs/<lib>/src/migrations/`,
 * recorded in a table of the library's own, run in the order of the timestamp ending their names.
 */
export interface MigrationSet {
  /** The library (the advisory lock's key, and messages). */
  readonly name: string;
  /** Where TypeORM records which of them ran. */
  readonly table: string;
  readonly migrations: readonly MigrationClass[];
}

/**
 * The `pg` module as TypeORM's `driver`, with `Pool` replaced by a constructor that hands back
 * the Database's pool itself (behind a proxy whose `end()` does nothing). TypeORM then never
 * dials a connection of its own: every read-model query queues on the same pool as the event
 * store, which in embedded mode is PGlite's one and only session.
 */
export function sharedPoolDriver(pool: pg.Pool): typeof pg {
  const shared = new Proxy(pool, {
    get(target, property) {
      if (property === 'end') {
        return (callback?: (error?: Error) => void) => {
          callback?.();
          return Promise.resolve();
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  function SharedPool(): pg.Pool {
    return shared;
  }
  return { ...pg, Pool: SharedPool as unknown as typeof pg.Pool };
}

const LOCK_SQL = `SELECT pg_advisory_lock(hashtextextended('tasking-ledger/' || $1::text || '/' || $2::text, 0))`;
const UNLOCK_SQL = `SELECT pg_advisory_unlock(hashtextextended('tasking-ledger/' || $1::text || '/' || $2::text, 0))`;

/**
 * Runs the set's pending migrations on `db` (each in a transaction of its own; never `synchronize`).
 * Postgres: processes starting together (API replicas, workers) take turns under an advisory lock
 * held on one pooled session while TypeORM migrates on another. Embedded: one process and one
 * session, so no lock (holding a session would leave none for the migrations).
 */
export async function runMigrations(db: Database, set: MigrationSet): Promise<void> {
  const dataSource = new DataSource({
    type: 'postgres',
    driver: sharedPoolDriver(db.pool),
    migrations: [...set.migrations],
    migrationsTableName: set.table,
    migrationsTransactionMode: 'each',
    synchronize: false,
    installExtensions: false,
    logging: false,
  });
  await dataSource.initialize();
  try {
    if (db.kind === 'embedded') {
      await dataSource.runMigrations({ transaction: 'each' });
      return;
    }
    const lock = await db.pool.connect();
    try {
      await lock.query(LOCK_SQL, [set.name, db.schema]);
      try {
        await dataSource.runMigrations({ transaction: 'each' });
      } finally {
        await lock.query(UNLOCK_SQL, [set.name, db.schema]);
      }
      lock.release();
    } catch (error) {
      lock.release(true);
      throw error;
    }
  } finally {
    await dataSource.destroy();
  }
}
