import 'reflect-metadata';
import { DataFolderLockedError } from '@tasking/event-store';
import { ConfigError, loadConfig, type Config } from '@tasking/shared';
import { createApp } from './create-app';
import { READINESS, type Readiness } from './health/readiness';
import { openRuntime } from '@tasking/runtime';
import { seedDemo } from './seed/demo-seed';
import { demoTokens, devTokenLifetimeSeconds, issuesDevTokens } from './seed/dev-tokens';

const SHUTDOWN_DEADLINE_MS = 10_000;

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`config: ${problem}`);
      process.exit(2);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  // Jobs start once the demo seed, if due, is written: its commands are dated back (weeks ago), and
  // a deadline job escalating one of its actions at today's time in between would put the next
  // back-dated command behind that stream's last event (refused: CLOCK_BEHIND).
  const runtime = await openRuntime(config, { startJobs: false });
  const app = await createApp(runtime, { deferReadiness: true });

  // The demo seed goes only into an empty embedded store; `npm run seed` writes it anywhere.
  if (runtime.db.kind === 'embedded' && (await runtime.store.headPosition()) === '') {
    console.log('Empty embedded store: writing the demo partnership (a few seconds)...');
    const summary = await seedDemo(app, { partnership: config.defaultPartnership, now: runtime.clock.now() });
    console.log(`Seeded ${summary.problems} problems, ${summary.actions} actions, ${summary.meetings} meetings.`);
  }
  await runtime.jobs?.start(); // never waits for Redis
  await app.get<Readiness>(READINESS).begin();

  // Before listening and saying so: a SIGTERM sent once the API answers must find the handler in place.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: draining requests, finishing the current projection batch, closing pools`);
    const deadline = setTimeout(() => {
      console.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    try {
      await app.close();
      await runtime.close();
      process.exit(0);
    } catch (error) {
      console.error(error);
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  console.log(`\nTasking Ledger is up on ${url} (${runtime.db.kind} store)`);
  console.log(`  console   ${url}/`);
  console.log(`  API docs  ${url}/docs`);
  if (issuesDevTokens(runtime)) {
    const lifetime = devTokenLifetimeSeconds(runtime);
    const hours = lifetime % 3600 === 0 ? `${lifetime / 3600} h` : `${Math.floor(lifetime / 60)} min`;
    console.log(`\nDevelopment tokens (${hours}), e.g. curl -H "Authorization: Bearer $TOKEN" ${url}/v1/hotspots`);
    for (const t of await demoTokens(runtime)) console.log(`  ${t.label.padEnd(28)} ${t.token}`);
  }
}

main().catch((error) => {
  if (error instanceof DataFolderLockedError) {
    console.error(error.message);
    process.exit(4);
  }
  console.error(error);
  process.exit(1);
});
