import 'reflect-metadata';
import { createPostgresEventStore, openDatabase } from '@tasking/event-store';
import { openReadModels, ProjectionRunner, readModelSchema } from '@tasking/projections';
import { ConfigError, loadConfig, type Config } from '@tasking/shared';

/**
 * The worker process for WORKER_MODE=separate: runs the projections (and, later, the reactors and
 * job processors) against the PostgreSQL database the API uses. Any number may run: each
 * projection is applied by whichever process holds its advisory lock; the others stand by.
 * SIGTERM/SIGINT let the batch in flight commit, then exit.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`config: ${problem}`);
      process.exit(2);
    }
    throw error;
  }
  if (!config.databaseUrl) {
    console.error('config: the worker needs DATABASE_URL (the embedded store is one process: the API runs its projections itself)');
    process.exit(2);
  }
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const store = await createPostgresEventStore(db);
  const readModels = await openReadModels(db, readModelSchema);
  const projections = new ProjectionRunner(store, readModels);
  await projections.start();
  console.log(`Tasking Ledger worker: running projections ${projections.names.join(', ')}`);

  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    stopping ??= (async () => {
      console.log(`worker: ${signal}, finishing the current batches`);
      await projections.stop();
      await readModels.close();
      await store.close();
      await db.close();
      process.exit(0);
    })();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
