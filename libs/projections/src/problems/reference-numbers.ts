import type { Database } from '@tasking/event-store';

/**
 * The partnerships' case reference counters, `reference_counters` (migration 1764000007200): one
 * row per partnership and year, incremented in one statement that locks only that row and only
 * while it runs. Not a projection: a rebuild never touches it; the numbers it issued are in the
 * log, on each `ProblemRaised`.
 */
export class SqlReferenceNumbers {
  constructor(private readonly db: Pick<Database, 'pool'>) {}

  async next(partnership: string, year: number): Promise<number> {
    const { rows } = await this.db.pool.query<{ issued: number }>(
      `INSERT INTO reference_counters (partnership, year, issued) VALUES ($1, $2, 1)
        ON CONFLICT (partnership, year) DO UPDATE SET issued = reference_counters.issued + 1
        RETURNING issued`,
      [partnership, year],
    );
    return rows[0]!.issued;
  }
}
