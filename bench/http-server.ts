/**
 * The API under test of the `http` benchmark, in a process of its own (so its RSS and CPU are its
 * own, apart from autocannon's): the real runtime and app (`openRuntime` + `createApp`, as
 * apps/api/src/main.ts builds them) on the schema BENCH_SCHEMA, configured from the environment
 * the parent passes (rate limits off). Projections run in this process (WORKER_MODE inline, the
 * default deployment) unless BENCH_PROJECTIONS=0 (a diagnostic: the commands' own cost); the
 * job reactor and workers too unless BENCH_JOBS=0. The demo seed is
 * written first (reference data and a few months of history) through the command layer.
 * Tells the parent {port} over IPC when listening; answers {memory} with process.memoryUsage(),
 * {settle} with {settled} once the projections have caught up with the log;
 * stops on {stop} or SIGTERM.
 */
import { loadConfig } from '@tasking/shared';
import { createApp } from '../apps/api/src/create-app';
import { openRuntime } from '@tasking/runtime';
import { seedDemo } from '../apps/api/src/seed/demo-seed';
import { PARTNERSHIP, startUpErrorsThrow } from './support/app';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const schema = process.env.BENCH_SCHEMA;
  if (!schema) throw new Error('BENCH_SCHEMA is required');
  startUpErrorsThrow();
  const runtime = await openRuntime(config, { schema, runJobs: process.env.BENCH_JOBS !== '0', runProjections: process.env.BENCH_PROJECTIONS !== '0' });
  const app = await createApp(runtime);
  await seedDemo(app, { partnership: PARTNERSHIP, now: runtime.clock.now(), evidence: false });
  if (process.env.BENCH_PROJECTIONS !== '0') await runtime.projections.waitFor(await runtime.store.headPosition(), 60_000);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : Number(address);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'stop') void stop();
    if (message?.type === 'memory') process.send?.({ type: 'memory', usage: process.memoryUsage() });
    if (message?.type === 'settle') {
      // Until the projections have applied everything appended so far (the work the last run left).
      void (async () => {
        const caughtUp = process.env.BENCH_PROJECTIONS === '0' || (await runtime.projections.waitFor(await runtime.store.headPosition(), 120_000));
        process.send?.({ type: 'settled', caughtUp });
      })();
    }
  });
  process.once('SIGTERM', () => void stop());
  process.send?.({ type: 'ready', port });
}

main().catch((error: unknown) => {
  console.error('http-server:', error);
  process.exit(1);
});
