import type pg from 'pg';
import type { Database } from '@tasking/event-store';

/**
 * What the jobs finished, kept in the read-model database beside the read models (not in the
 * log, and not derived from it: these record side effects that happened). Consumers look here
 * before doing anything, so a job run twice (Redis lost its acknowledgement, a stalled job was
 * retried, the reactor re-added a trimmed job) has its effect once.
 */
const TABLES = (s: string) => [
  `CREATE TABLE IF NOT EXISTS ${s}.job_reactor_checkpoints (
     name text PRIMARY KEY,
     position text NOT NULL DEFAULT '',
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE IF NOT EXISTS ${s}.webhook_deliveries (
     event_id uuid NOT NULL,
     agency text NOT NULL,
     event_type text NOT NULL,
     transport text NOT NULL CHECK (transport IN ('webhook', 'log')),
     url text,
     status_code integer,
     attempts integer NOT NULL,
     acknowledged_at timestamptz NOT NULL,
     PRIMARY KEY (event_id, agency)
   )`,
  `CREATE TABLE IF NOT EXISTS ${s}.webhook_dead_letters (
     event_id uuid NOT NULL,
     agency text NOT NULL,
     event_type text NOT NULL,
     url text,
     attempts integer NOT NULL,
     reason text NOT NULL,
     failed_at timestamptz NOT NULL,
     PRIMARY KEY (event_id, agency)
   )`,
  `CREATE INDEX IF NOT EXISTS webhook_dead_letters_failed_idx ON ${s}.webhook_dead_letters (failed_at DESC, event_id, agency)`,
  // The event's partnership, for listing each partnership's letters to its admins only (null in letters written before).
  `ALTER TABLE ${s}.webhook_dead_letters ADD COLUMN IF NOT EXISTS partnership text`,
  `CREATE TABLE IF NOT EXISTS ${s}.escalations (
     action_id uuid NOT NULL,
     due_by_revision integer NOT NULL,
     due_by timestamptz NOT NULL,
     outcome text NOT NULL,
     done_at timestamptz NOT NULL,
     PRIMARY KEY (action_id, due_by_revision)
   )`,
  `CREATE TABLE IF NOT EXISTS ${s}.meeting_packs (
     meeting_id uuid PRIMARY KEY,
     partnership text NOT NULL,
     position text NOT NULL,
     generated_at timestamptz NOT NULL,
     pack jsonb NOT NULL,
     html text NOT NULL
   )`,
];

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** One statement on a pooled session, released cleanly (the embedded pool has one session only). */
export async function query<R extends pg.QueryResultRow>(db: Database, text: string, values: unknown[] = []): Promise<R[]> {
  const client = await db.pool.connect();
  try {
    const result = await client.query<R>(text, values);
    client.release();
    return result.rows;
  } catch (error) {
    client.release();
    throw error;
  }
}

/** Creates the tables if missing, under a transaction-scoped advisory lock (processes start together). */
export async function ensureJobTables(db: Database): Promise<void> {
  const schema = quoteIdent(db.schema);
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    if (db.kind === 'postgres') {
      await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('tasking-ledger/jobs-tables/' || $1::text, 0))`, [db.schema]);
    }
    for (const statement of TABLES(schema)) await client.query(statement);
    await client.query('COMMIT');
    client.release();
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    throw error;
  }
}
