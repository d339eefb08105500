import 'reflect-metadata';
import { ConfigError, loadConfig, type Config } from '@tasking/shared';
import { openRuntime } from '@tasking/runtime';

/**
 * The worker process for WORKER_MODE=separate: runs the projections, the jobs reactor and the
 * queue workers against the PostgreSQL database (and Redis) the API uses. Any number may run:
 * each projection and the reactor run in whichever process holds their advisory locks, the
 * others stand by; queue workers compete for jobs. A Redis whose maxmemory-policy is not
 * noeviction stops the worker with one line saying so.
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
  let refused = false;
  const runtime = await openRuntime(config, {
    runProjections: true,
    runJobs: true,
    jobsOptions: {
      // The jobs logger has already printed the reason (one line on stderr): only stop here.
      onRefused: () => {
        refused = true;
        setImmediate(() => void runtime.close().finally(() => process.exit(3)));
      },
    },
  });
  if (refused) return;

  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    stopping ??= (async () => {
      console.log(`worker: ${signal}, finishing the current batches`);
      await runtime.close();
      process.exit(0);
    })();
  };
  // Before saying it runs: a SIGTERM sent on that line must find the handler in place.
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  const { projections } = runtime;
  console.log(`Tasking Ledger worker: running projections ${projections.names.join(', ')}; jobs on queues prefixed ${config.queuePrefix}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
