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

/** Raised by `append_events` when an expected revision is stale; DETAIL is JSON {index, actual}. */
export const WRONG_EXPECTED_REVISION_SQLSTATE = 'TL409';

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
  {
    version: 2,
    name: 'append_events function',
    // One statement per append whatever the number of streams and events: the expected-revision
    // checks, the idempotency probe and one INSERT over all events. Expected revision encoding:
    // n >= 0, -1 = 'no-stream', -2 = 'any'. Per event: the request it belongs to (1-based) and its
    // offset in that request; payloads is a JSON array of {"d": data, "m": metadata}.
    // The unique (stream_id, stream_revision) index stays the backstop against concurrent writers.
    up: (s) => `
      CREATE FUNCTION ${s}.append_events(
        p_streams text[],
        p_expected bigint[],
        p_counts integer[],
        p_requests integer[],
        p_offsets integer[],
        p_event_ids uuid[],
        p_types text[],
        p_payloads jsonb,
        OUT replayed boolean,
        OUT stream_revisions bigint[],
        OUT last_xid text,
        OUT last_sequence bigint)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        v_actual bigint;
        v_first bigint[] := '{}';
      BEGIN
        IF EXISTS (SELECT 1 FROM ${s}.events e WHERE e.event_id = p_event_ids[1]) THEN
          replayed := true;
          RETURN;
        END IF;
        replayed := false;
        stream_revisions := '{}';
        FOR i IN 1 .. cardinality(p_streams) LOOP
          v_actual := NULL;
          SELECT e.stream_revision INTO v_actual FROM ${s}.events e
            WHERE e.stream_id = p_streams[i] ORDER BY e.stream_revision DESC LIMIT 1;
          IF (p_expected[i] = -1 AND v_actual IS NOT NULL)
             OR (p_expected[i] >= 0 AND v_actual IS DISTINCT FROM p_expected[i]) THEN
            RAISE EXCEPTION USING
              ERRCODE = '${WRONG_EXPECTED_REVISION_SQLSTATE}',
              MESSAGE = 'wrong expected revision',
              DETAIL = json_build_object('index', i - 1, 'actual', v_actual)::text;
          END IF;
          v_first := v_first || (coalesce(v_actual, -1) + 1);
          stream_revisions := stream_revisions || (coalesce(v_actual, -1) + p_counts[i]);
        END LOOP;
        WITH inserted AS (
          INSERT INTO ${s}.events (stream_id, stream_revision, type, data, metadata, event_id)
          SELECT p_streams[x.req], v_first[x.req] + x.idx, x.type, x.payload -> 'd', x.payload -> 'm', x.event_id
          FROM ROWS FROM (unnest(p_requests), unnest(p_offsets), unnest(p_event_ids), unnest(p_types),
                          jsonb_array_elements(p_payloads))
               WITH ORDINALITY AS x(req, idx, event_id, type, payload, ord)
          ORDER BY x.ord
          RETURNING sequence
        )
        SELECT max(inserted.sequence) INTO last_sequence FROM inserted;
        last_xid := pg_current_xact_id()::text;
      END
      $fn$;
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
