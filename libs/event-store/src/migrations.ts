import type pg from 'pg';
import { Database, SCHEMA_LOCK_SQL, quoteIdent } from './database';
import { mapStoreError } from './errors';

/** A schema change, applied once, in order, inside the migrator's transaction. */
export interface Migration {
  version: number;
  name: string;
  /** SQL for the given (already quoted) schema; may hold several statements, no parameters. */
  up(schema: string): string;
}

/**
 * No `streams` table: a stream's revision is its last event's, found through the unique
 * (stream_id, stream_revision) index, which is also what stops a second writer. A streams row
 * moved by a conditional upsert measured no faster (bench/append-variants.ts) and is one more
 * write per append and one more thing to keep consistent.
 * The event id is the primary key (the idempotency look-up); (transaction_id, sequence) is the
 * log order readers scan.
 */
export const EVENT_STORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events table',
    up: (s) => `
      CREATE TABLE ${s}.events (
        sequence bigserial NOT NULL,
        stream_id text NOT NULL,
        stream_revision bigint NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        event_id uuid NOT NULL,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_event_id_key PRIMARY KEY (event_id),
        CONSTRAINT events_stream_revision_key UNIQUE (stream_id, stream_revision)
      );
      CREATE INDEX events_transaction_sequence_idx ON ${s}.events (transaction_id, sequence);
    `,
  },
];

/**
 * The KurrentDB adapter's one table on PostgreSQL, the idempotency index (kurrentdb/event-id-index.ts),
 * in the Database's schema beside the read models. Its migrations number from 1001, so they share
 * `store_migrations` with the SQL store's when both use one schema (the `migrate-store` copy).
 * `IF NOT EXISTS`: deployments from before this migration created the table at start already.
 */
export const KURRENTDB_MIGRATIONS: readonly Migration[] = [
  {
    version: 1001,
    name: 'kurrentdb event-id index',
    up: (s) => `
      CREATE TABLE IF NOT EXISTS ${s}.event_id_index (
        event_id uuid PRIMARY KEY,
        stream text NOT NULL,
        revision bigint NOT NULL,
        position text COLLATE "C" NOT NULL
      );
    `,
  },
];

/**
 * Brings the store's schema up to date. Runs in one transaction holding an advisory lock keyed
 * on the schema, so processes starting together apply each migration exactly once; DDL is
 * transactional in PostgreSQL, so a failed migration leaves nothing behind.
 * Returns the versions it applied.
 */
export async function migrateEventStore(
  db: Pick<Database, 'pool' | 'schema'>,
  migrations: readonly Migration[] = EVENT_STORE_MIGRATIONS,
): Promise<number[]> {
  const s = quoteIdent(db.schema);
  let client: pg.PoolClient;
  try {
    client = await db.pool.connect();
  } catch (error) {
    throw mapStoreError(error);
  }
  try {
    await client.query('BEGIN');
    await client.query(SCHEMA_LOCK_SQL, [db.schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.store_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${s}.store_migrations`);
    const applied = new Set(rows.map((row) => row.version));
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.up(s));
      await client.query(`INSERT INTO ${s}.store_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      done.push(migration.version);
    }
    await client.query('COMMIT');
    client.release();
    return done;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release(true);
    throw mapStoreError(error);
  }
}
