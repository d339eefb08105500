import type pg from 'pg';
import type { Database } from '@tasking/event-store';

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
