import 'reflect-metadata';
import { ConfigError, loadConfig, type Config } from '@tasking/shared';
import { openRuntime } from '@tasking/runtime';
import { createApp } from './create-app';
import { READINESS, type Readiness } from './health/readiness';
import { Metrics, serveMetricsPort } from './ops/metrics';
import { seedDemo } from './seed/demo-seed';
import { demoTokens, devTokenLifetimeSeconds, issuesDevTokens } from './seed/dev-tokens';
import { runMain } from './run-main';

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
  const runtime = await openRuntime(config, { startJobs: false });
  const app = await createApp(runtime, { deferReadiness: true });

  // The demo seed goes only into an empty embedded store; `npm run seed` writes it anywhere.
  let open311ApiKey: string | undefined;
  if (runtime.db.kind === 'embedded' && (await runtime.store.headPosition()) === '') {
    console.log('Empty embedded store: writing the demo partnership (a minute or so)...');
    const startedAt = Date.now();
    const summary = await seedDemo(app, { partnership: config.defaultPartnership, now: runtime.clock.now() });
    console.log(`Seeded ${summary.problems} problems, ${summary.actions} actions, ${summary.meetings} meetings and ${summary.incidents} incidents in ${Math.round((Date.now() - startedAt) / 1000)} s.`);
    open311ApiKey = summary.open311ApiKey;
  }
  // After the seed: its history is dated in the past, and jobs act at today's date.
  await runtime.jobs!.start();
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
  const metricsServer = config.metricsPort === undefined ? undefined : await serveMetricsPort(app.get(Metrics), config.host, config.metricsPort);
  metricsServer?.unref();
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  console.log(`\nTasking Ledger is up on ${url} (${runtime.db.kind} store)`);
  console.log(`  console   ${url}/`);
  console.log(`  API docs  ${url}/docs`);
  if (config.metricsPort !== undefined) console.log(`  metrics   http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.metricsPort}/metrics`);
  if (issuesDevTokens(runtime)) {
    const lifetime = devTokenLifetimeSeconds(runtime);
    const hours = lifetime % 3600 === 0 ? `${lifetime / 3600} h` : `${Math.floor(lifetime / 60)} min`;
    console.log(`\nDevelopment tokens (${hours}), e.g. curl -H "Authorization: Bearer $TOKEN" ${url}/v1/hotspots`);
    for (const t of await demoTokens(runtime)) console.log(`  ${t.label.padEnd(28)} ${t.token}`);
  }
  if (open311ApiKey !== undefined) {
    console.log(`\nOpen311 client "FixMyStreet (Riverside)" (shown once: the store keeps only its hash), e.g. curl "${url}/open311/v2/services.json?api_key=$KEY"`);
    console.log(`  ${'API key'.padEnd(28)} ${open311ApiKey}`);
  }
}

runMain(main);
