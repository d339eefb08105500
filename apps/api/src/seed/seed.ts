/**
 * `npm run seed`: writes the demo partnership into the configured store (DATABASE_URL or the
 * embedded one), through the command layer, then waits for the projections to show it.
 */
import 'reflect-metadata';
import { loadConfig } from '@tasking/shared';
import { createApp } from '../create-app';
import { openRuntime } from '@tasking/runtime';
import { seedDemo } from './demo-seed';
import { runMain } from '../run-main';

async function main(): Promise<void> {
  const config = loadConfig();
  const runtime = await openRuntime(config, { runProjections: true });
  const app = await createApp(runtime, { deferReadiness: true });
  try {
    const existing = await runtime.store.read('agency-POLICE');
    if (existing.length > 0) {
      console.log('The store already holds the demo partnership (agency POLICE exists): nothing written.');
      return;
    }
    const summary = await seedDemo(app, { partnership: config.defaultPartnership, now: runtime.clock.now() });
    await runtime.projections.waitFor(await runtime.store.headPosition(), 60_000);
    console.log(`Seeded ${summary.problems} problems, ${summary.actions} actions, ${summary.meetings} meetings and ${summary.incidents} incidents (${summary.commands} commands).`);
    if (summary.open311ApiKey !== undefined) console.log(`Open311 client "FixMyStreet (Riverside)" API key (shown once): ${summary.open311ApiKey}`);
  } finally {
    await app.close();
    await runtime.close();
  }
}

runMain(main);
