import type pg from 'pg';
import type { Database } from '@tasking/event-store';

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Tables of personal-data protection, outside the event log and outside the read models (a
 * rebuild never touches them; nothing here can be derived from the log):
 *
 * - `data_keys`: one AES-256 data key per subject (key_id = the subject id) and per problem
 *   (key_id random; a new one if the problem gets text again after its key was erased), each
 *   wrapped (AES-256-GCM) under a key derived from SECRETS_KEY. Erasure sets `wrapped_key` NULL
 *   and `erased_at`: the row stays as the record that the key existed and when it was destroyed.
 * - `action_problem`: which problem an action belongs to (its events are encrypted under the
 *   problem's key), written when its ActionAssigned is appended; immutable.
 * - `subject_access_log`: every time subjects' personal fields were shown, to whom and why;
 *   append-only (a trigger refuses UPDATE, DELETE and TRUNCATE).
 */
const STATEMENTS = (s: string): string[] => [
  `CREATE TABLE IF NOT EXISTS ${s}.data_keys (
     key_id text PRIMARY KEY,
     scope text NOT NULL CHECK (scope IN ('problem', 'subject')),
     problem_id uuid NOT NULL,
     wrapped_key bytea,
     created_at timestamptz NOT NULL,
     erased_at timestamptz,
     CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
   )`,
  `CREATE UNIQUE INDEX IF NOT EXISTS data_keys_live_problem_key ON ${s}.data_keys (problem_id) WHERE scope = 'problem' AND erased_at IS NULL`,
  `CREATE INDEX IF NOT EXISTS data_keys_problem_idx ON ${s}.data_keys (problem_id)`,
  `CREATE TABLE IF NOT EXISTS ${s}.action_problem (
     action_id uuid PRIMARY KEY,
     problem_id uuid NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS ${s}.subject_access_log (
     id bigserial PRIMARY KEY,
     problem_id uuid NOT NULL,
     subject_ids uuid[] NOT NULL,
     accessed_at timestamptz NOT NULL,
     user_id text NOT NULL,
     user_name text NOT NULL,
     agency text NOT NULL,
     roles text[] NOT NULL,
     route text NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS subject_access_log_problem_idx ON ${s}.subject_access_log (problem_id, id DESC)`,
  `CREATE OR REPLACE FUNCTION ${s}.subject_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'subject_access_log is append-only';
   END
   $$`,
  `CREATE OR REPLACE TRIGGER subject_access_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${s}.subject_access_log
     FOR EACH STATEMENT EXECUTE FUNCTION ${s}.subject_access_log_append_only()`,
];

/** Creates the tables if missing, under a transaction-scoped advisory lock (processes start together). */
export async function ensurePersonalDataTables(db: Database): Promise<void> {
  await withClient(db, async (client) => {
    await client.query('BEGIN');
    try {
      if (db.kind === 'postgres') {
        await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('tasking-ledger/personal-data-tables/' || $1::text, 0))`, [db.schema]);
      }
      for (const statement of STATEMENTS(quoteIdent(db.schema))) await client.query(statement);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

/** One pooled session for `work`, released cleanly (the embedded pool has one session only). */
export async function withClient<T>(db: Database, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    const result = await work(client);
    client.release();
    return result;
  } catch (error) {
    client.release();
    throw error;
  }
}

export async function query<R extends pg.QueryResultRow>(db: Database, text: string, values: unknown[] = []): Promise<R[]> {
  return withClient(db, async (client) => (await client.query<R>(text, values)).rows);
}
