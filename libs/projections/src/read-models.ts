import pg from 'pg';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import type { Database } from '@tasking/event-store';
import { ProjectionCheckpoints1764000000000 } from './migrations/1764000000000-projection-checkpoints';
import type { Projection } from './projection';
import type { ReadModelModule } from './read-model-schema';

/** `projection_checkpoints`: how far each projection has applied the log (written by the runner only). */
@Entity({ name: 'projection_checkpoints' })
export class ProjectionCheckpointEntity {
  @PrimaryColumn('text') name!: string;
  @Column('text') position!: string;
  @Column('text') status!: 'running' | 'failed';
  @Column('text', { name: 'last_error', nullable: true }) lastError!: string | null;
  @Column('text', { name: 'error_position', nullable: true }) errorPosition!: string | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
  @Column('bigint', { name: 'events_applied' }) eventsApplied!: string;
}

/** The runner's own table, always part of the read-model schema. */
const runnerReadModel: ReadModelModule = {
  name: 'projection-runner',
  entities: [ProjectionCheckpointEntity],
  migrations: [ProjectionCheckpoints1764000000000],
  projections: [],
};

/** The read-model database: a TypeORM DataSource over the Database's own pool, migrated. */
export interface ReadModels {
  readonly db: Database;
  readonly dataSource: DataSource;
  /** Every projection of the schema it was opened with, in order. */
  readonly projections: readonly Projection[];
  /** Lets TypeORM go; the pool stays open (it belongs to the Database, closed by its owner). */
  close(): Promise<void>;
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

/** Every migration of the schema, oldest first (TypeORM orders them by the timestamp in their name too). */
export function readModelMigrations(schema: readonly ReadModelModule[]): ReadModelModule['migrations'][number][] {
  return [runnerReadModel, ...schema].flatMap((module) => module.migrations);
}

const MIGRATION_LOCK_SQL = `SELECT pg_advisory_lock(hashtextextended('tasking-ledger/read-models/' || $1::text, 0))`;
const MIGRATION_UNLOCK_SQL = `SELECT pg_advisory_unlock(hashtextextended('tasking-ledger/read-models/' || $1::text, 0))`;

/**
 * Opens the read models on `db` and runs pending migrations (never `synchronize`). Pass
 * `readModelSchema` (index.ts) for the whole read side; a projection's module must be in the list
 * for its tables to exist.
 */
export async function openReadModels(db: Database, schema: readonly ReadModelModule[]): Promise<ReadModels> {
  const modules = [runnerReadModel, ...schema];
  const names = new Set<string>();
  for (const projection of modules.flatMap((module) => module.projections)) {
    if (names.has(projection.name)) throw new Error(`two projections are named ${projection.name}`);
    names.add(projection.name);
  }
  const dataSource = new DataSource({
    type: 'postgres',
    driver: sharedPoolDriver(db.pool),
    entities: modules.flatMap((module) => module.entities),
    migrations: readModelMigrations(schema),
    migrationsTableName: 'read_model_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    installExtensions: false,
    logging: false,
  });
  await dataSource.initialize();
  try {
    await runMigrations(db, dataSource);
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
  return {
    db,
    dataSource,
    projections: modules.flatMap((module) => module.projections),
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

/**
 * Postgres: processes starting together (API replicas, workers) take turns under an advisory lock
 * held on one pooled session while TypeORM migrates on another. Embedded: one process and one
 * session, so no lock (holding a session would leave none for the migrations).
 */
async function runMigrations(db: Database, dataSource: DataSource): Promise<void> {
  if (db.kind === 'embedded') {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = await db.pool.connect();
  try {
    await lock.query(MIGRATION_LOCK_SQL, [db.schema]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lock.query(MIGRATION_UNLOCK_SQL, [db.schema]);
    }
    lock.release();
  } catch (error) {
    lock.release(true);
    throw error;
  }
}
