import type { Database } from '@tasking/event-store';

/**
 * How many events the log holds, counted in the table itself. Not `headPosition()`: that reads
 * below the cluster-wide snapshot horizon, so on a shared server another suite's open
 * transaction can hide the newest commits from it for a while.
 */
export async function eventCount(db: Database): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${db.schema}".events`);
  return Number(rows[0]!.n);
}
