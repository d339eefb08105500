import type { BenchContext } from './context';
import { benchEnv, openInProcessApp, type InProcessApp } from './app';
import { captureTemplate, generateLog, type GeneratedLog, type Template } from './dataset';
import { dropSchema, forgetSchema, freshSchema } from './database';

/** The generated log of one run, shared by `rebuild` (which builds its read models) and `queries`. */
export interface Dataset {
  schema: string;
  app: InProcessApp;
  template: Template;
  log: GeneratedLog;
  /** Whether the read models have been built from the log (by a measured rebuild or otherwise). */
  rebuilt: boolean;
}

const KEY = 'dataset';

/** The run's data set: 100,000 events by default, 1,000,000 with --full (`--events N` overrides). */
export async function ensureDataset(ctx: BenchContext): Promise<Dataset> {
  const existing = ctx.shared.get(KEY) as Promise<Dataset> | undefined;
  if (existing) return existing;
  const made = makeDataset(ctx);
  ctx.shared.set(KEY, made);
  return made;
}

async function makeDataset(ctx: BenchContext): Promise<Dataset> {
  const target = ctx.number('events', { quick: 100_000, full: 1_000_000 });
  const env = benchEnv(ctx.databaseUrl);
  const template = await captureTemplate(ctx.databaseUrl, env);
  console.log(
    `  template: the demo seed, ${template.events} events (${template.problems} problems, ${template.actions} actions) in ${template.seedSeconds.toFixed(1)} s through the command layer`,
  );
  const schema = freshSchema('dataset');
  // Projections stay off while the log is written: the read models are built by a rebuild.
  const app = await openInProcessApp(env, schema, { runProjections: false });
  ctx.onExit(async () => {
    await app.close();
    // --keep-dataset leaves the schema for a look with psql (EXPLAIN of a slow query, ...).
    if (ctx.options.flags.has('keep-dataset')) {
      forgetSchema(schema);
      console.log(`(kept the data set in schema ${schema} of ${ctx.databaseUrl}; drop it when done)`);
    } else {
      await dropSchema(ctx.databaseUrl, schema);
    }
  });
  const log = await generateLog(app.runtime.store, template, target);
  console.log(
    `  generated ${log.events} events (${log.copies} copies: ${log.problems} problems, ${log.actions} actions, ${log.areas} areas) in ${log.seconds} s = ${log.eventsPerSecond} events/s`,
  );
  return { schema, app, template, log, rebuilt: false };
}
