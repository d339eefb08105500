import { openReadModels, readModelSchema, ProjectionRunner, type ProjectionRunnerOptions, type ReadModels } from '@tasking/projections';
import { openTestDatabase, type TestDatabase } from './test-database';

export interface ReadSide extends TestDatabase {
  readModels: ReadModels;
  runner: ProjectionRunner;
  /** Appends are done; wait until every projection has applied up to `position`. */
  caughtUp(position: string): Promise<void>;
  /** Rows of a read-model table as JSON, in a stable order. */
  rows(table: string): Promise<Record<string, unknown>[]>;
}

const silent = { warn: () => undefined, error: (message: string) => console.error(message) };

/** A test database with the whole read-model schema and a started runner (stop, close and drop with `close`). */
export async function openReadSide(options: { embedded?: boolean; runner?: ProjectionRunnerOptions; start?: boolean } = {}): Promise<ReadSide> {
  const test = await openTestDatabase({ embedded: options.embedded });
  const readModels = await openReadModels(test.db, readModelSchema);
  const runner = new ProjectionRunner(test.store, readModels, { logger: silent, ...options.runner });
  if (options.start !== false) await runner.start();
  return {
    ...test,
    readModels,
    runner,
    async caughtUp(position) {
      if (!(await runner.waitFor(position, 15_000))) throw new Error(`projections did not reach ${position}: ${JSON.stringify(await runner.positions())}`);
    },
    async rows(table) {
      const rows: { row: Record<string, unknown> }[] = await readModels.dataSource.query(
        `SELECT to_jsonb(t) AS row FROM "${table}" t ORDER BY to_jsonb(t)::text`,
      );
      return rows.map((r) => r.row);
    },
    async close() {
      await runner.stop();
      await readModels.close();
      await test.close();
    },
  };
}
