import type pg from 'pg';
import type { Database } from '@tasking/event-store';

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

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
