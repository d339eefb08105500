import type pg from 'pg';
import { Database, quoteIdent } from '../database';
import { isConnectionError, mapStoreError } from '../errors';
import { Position } from '../event-store.port';
import { KURRENTDB_MIGRATIONS, migrateEventStore } from '../migrations';

/**
 * The idempotency index of the KurrentDB store: which stream and revision hold an event id, kept
 * in the read-model database (KurrentDB cannot look an event up by id). Written after each append;
 * the server's own per-stream deduplication of event ids is the backstop for a crash between the
 * append and this write (repaired by `KurrentDbEventStore.reindexEventIds`, `npm run migrate-store -- --reindex`).
 *
 * The table lives in the Database's schema beside the read models; it is not a projection (the
 * store writes it, rebuilds leave it alone). It is the adapter's own, created by the store's
 * migrator (`KURRENTDB_MIGRATIONS`, migrations.ts), not by the read models' TypeORM migrations.
 */
export interface EventIdRow {
  eventId: string;
  stream: string;
  revision: number;
  position: Position;
}

export const EVENT_ID_INDEX_TABLE = 'event_id_index';

export class EventIdIndex {
  private readonly table: string;

  constructor(private readonly db: Pick<Database, 'pool' | 'schema'>) {
    this.table = `${quoteIdent(db.schema)}.${EVENT_ID_INDEX_TABLE}`;
  }

  /** Creates the table if missing: the adapter's migrations, through the store's migrator. */
  async ensure(): Promise<void> {
    await migrateEventStore(this.db, KURRENTDB_MIGRATIONS);
  }

  /** Records where events sit. An id already recorded keeps its first place (the server deduplicated the retry). */
  async record(rows: EventIdRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.query(
      `INSERT INTO ${this.table} (event_id, stream, revision, position)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[])
       ON CONFLICT (event_id) DO NOTHING`,
      [rows.map((r) => r.eventId), rows.map((r) => r.stream), rows.map((r) => r.revision), rows.map((r) => r.position)],
    );
  }

  async find(eventIds: string[]): Promise<EventIdRow[]> {
    if (eventIds.length === 0) return [];
    const { rows } = await this.query<{ event_id: string; stream: string; revision: string; position: string }>(
      `SELECT event_id::text, stream, revision::text, position FROM ${this.table} WHERE event_id = ANY($1::uuid[]) ORDER BY position`,
      [eventIds],
    );
    return rows.map((row) => ({ eventId: row.event_id, stream: row.stream, revision: Number(row.revision), position: row.position }));
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.db.pool.connect();
    } catch (error) {
      throw mapStoreError(error);
    }
  }

  /** One statement on a pooled session, dropping the session only when the connection failed. */
  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    const client = await this.connect();
    try {
      const result = await client.query<R>(text, values);
      client.release();
      return result;
    } catch (error) {
      client.release(isConnectionError(error) ? (error as Error) : undefined);
      throw mapStoreError(error);
    }
  }
}
