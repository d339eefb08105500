/**
 * Quick append benchmark of the event store, postgres and embedded, against a ceiling. (The full
 * harness, `npm run bench`, measures postgres against plain INSERTs and Emmett; this one also
 * covers the embedded PGlite store and is quick to run while working on the store.)
 *
 * Run from the repository root (bench/run.js compiles the bench and what it imports):
 *
 *   node bench/run.js bench/append-quick.ts [options]
 *
 * Options: --seconds N (per slice, default 2), --rounds N (slices per figure, default 3; the
 * median is reported, ceiling and append slices alternate), --modes postgres,embedded,
 * --concurrency 1,4,16. DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/test; the run
 * works in a schema of its own (dropped after) and, for embedded, in a temporary data folder.
 *
 * What it measures, per mode and number of concurrent writers N:
 * - ceiling: N writers each doing plain single-row INSERT transactions (autocommit) into a table
 *   shaped like `events` (same columns, same unique and ordering indexes), through the store's pool;
 * - append: N writers each appending single events with an expected revision to its own stream;
 * - batched: one writer appending batches of 100 events to its own stream.
 * Prints events/s, p50 and p99 latency, Node CPU per operation, and append/ceiling (the median of
 * the rounds' ratios); writes bench/results/append-quick.json.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createEmbeddedEventStore,
  createPostgresEventStore,
  openDatabase,
  type EventStore,
  type EventToAppend,
} from '@tasking/event-store';
import { createPlainEventsTable, quoteIdent } from './support/systems';

interface Args {
  seconds: number;
  rounds: number;
  modes: ('postgres' | 'embedded')[];
  concurrency: number[];
}

function parseArgs(argv: string[]): Args {
  const value = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  return {
    seconds: Number(value('seconds') ?? 2),
    rounds: Number(value('rounds') ?? 3),
    modes: (value('modes') ?? 'postgres,embedded').split(',') as Args['modes'],
    concurrency: (value('concurrency') ?? '1,4,16').split(',').map(Number),
  };
}

interface Measurement {
  mode: string;
  kind: 'ceiling' | 'append' | 'batched';
  writers: number;
  eventsPerOp: number;
  ops: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of this Node process per operation (the server's is not included). */
  nodeCpuUsPerOp: number;
  /** append only: the median of the rounds' append/ceiling ratios. */
  ratioToCeiling?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `writers` loops of `op` for `seconds`; each loop gets its own index. */
async function measure(
  mode: string,
  kind: Measurement['kind'],
  writers: number,
  eventsPerOp: number,
  seconds: number,
  makeWriter: (writer: number) => () => Promise<void>,
): Promise<Measurement> {
  const latencies: number[] = [];
  const loops = Array.from({ length: writers }, (_, writer) => makeWriter(writer));
  // Warm-up: prepares statements and opens the pool's sessions.
  await Promise.all(loops.map(async (op) => { for (let i = 0; i < 5; i++) await op(); }));
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const deadline = started + seconds * 1000;
  await Promise.all(
    loops.map(async (op) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await op();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  return {
    mode,
    kind,
    writers,
    eventsPerOp,
    ops: latencies.length,
    eventsPerSecond: Math.round((latencies.length * eventsPerOp) / elapsed),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    nodeCpuUsPerOp: Math.round((cpu.user + cpu.system) / latencies.length),
  };
}

function sampleEvent(): EventToAppend {
  return {
    eventId: randomUUID(),
    type: 'ProblemRaised',
    data: { problemId: randomUUID(), title: 'Graffiti on the underpass', category: 'asb', priority: 2, areaId: 'ward-7' },
    metadata: { actor: 'officer-42', agencyId: 'police', correlationId: randomUUID() },
  };
}

async function runMode(mode: 'postgres' | 'embedded', args: Args, databaseUrl: string): Promise<Measurement[]> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const dir = mode === 'embedded' ? await mkdtemp(join(tmpdir(), 'tl-bench-')) : undefined;
  const maxWriters = Math.max(...args.concurrency);
  const db = await openDatabase(
    mode === 'postgres'
      ? { databaseUrl, dataDir: '', schema, poolSize: maxWriters }
      : { dataDir: join(dir!, 'data'), schema },
  );
  let store: EventStore | undefined;
  const results: Measurement[] = [];
  try {
    store = mode === 'postgres' ? await createPostgresEventStore(db) : await createEmbeddedEventStore(db);
    const appendStore = store;
    const table = await createPlainEventsTable(db);
    const insert = `INSERT INTO ${table} (stream_id, stream_revision, type, data, metadata, event_id) VALUES ($1, $2, $3, $4, $5, $6)`;
    let run = 0;

    for (const writers of args.concurrency) {
      run++;
      const ceilingWriter = (writer: number) => {
        const stream = `plain-${run}-${writer}-${randomUUID()}`;
        let revision = 0;
        return async () => {
          const e = sampleEvent();
          await db.pool.query(insert, [stream, revision++, e.type, e.data, e.metadata, e.eventId]);
        };
      };
      const appendWriter = (writer: number) => {
        const stream = `append-${run}-${writer}-${randomUUID()}`;
        let revision = -1;
        return async () => {
          const result = await appendStore.append([
            { stream, expectedRevision: revision < 0 ? 'no-stream' : revision, events: [sampleEvent()] },
          ]);
          revision = result.revisions[stream];
        };
      };
      // Shared machines drift: alternate short slices (ABBA...) and keep the median of each.
      const ceilings: Measurement[] = [];
      const appends: Measurement[] = [];
      for (let round = 0; round < args.rounds; round++) {
        const order = round % 2 === 0 ? ['ceiling', 'append'] : ['append', 'ceiling'];
        for (const kind of order) {
          if (kind === 'ceiling') ceilings.push(await measure(mode, 'ceiling', writers, 1, args.seconds, ceilingWriter));
          else appends.push(await measure(mode, 'append', writers, 1, args.seconds, appendWriter));
        }
      }
      const ceiling = median(ceilings);
      const append = median(appends);
      // The ratio is the median of the rounds' ratios (adjacent slices), which cancels most drift.
      const roundRatios = appends.map((a, i) => a.eventsPerSecond / ceilings[i].eventsPerSecond).sort((a, b) => a - b);
      const ratioToCeiling = Number(roundRatios[Math.floor((roundRatios.length - 1) / 2)].toFixed(2));
      results.push(ceiling, { ...append, ratioToCeiling });
      report(ceiling, undefined, ceilings);
      report(append, ratioToCeiling, appends);
    }

    const batchedRuns: Measurement[] = [];
    for (let round = 0; round < args.rounds; round++) batchedRuns.push(await measure(mode, 'batched', 1, 100, args.seconds, () => {
      const stream = `batch-${randomUUID()}`;
      let revision = -1;
      return async () => {
        const events = Array.from({ length: 100 }, sampleEvent);
        const result = await appendStore.append([{ stream, expectedRevision: revision < 0 ? 'no-stream' : revision, events }]);
        revision = result.revisions[stream];
      };
    }));
    const batched = median(batchedRuns);
    results.push(batched);
    report(batched, undefined, batchedRuns);
  } finally {
    await store?.close();
    if (mode === 'postgres') await db.pool.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`).catch(() => undefined);
    await db.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
  return results;
}

/** The run with the median rate (its own latencies kept); `rounds` keeps every rate. */
function median(runs: Measurement[]): Measurement & { rounds: number[] } {
  const sorted = [...runs].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], rounds: runs.map((r) => r.eventsPerSecond) };
}

function report(m: Measurement, ratioToCeiling?: number, runs: Measurement[] = []): void {
  const ratio = ratioToCeiling !== undefined ? `  ${ratioToCeiling.toFixed(2)}x ceiling` : '';
  const spread = runs.length > 1 ? `  (rounds: ${runs.map((r) => r.eventsPerSecond).join(' ')})` : '';
  const what = m.kind === 'batched' ? 'batched x100' : m.kind;
  console.log(
    `${m.mode.padEnd(9)} ${what.padEnd(13)} writers=${String(m.writers).padStart(2)}  ` +
      `${String(m.eventsPerSecond).padStart(7)} events/s  p50 ${m.p50Ms.toFixed(2)} ms  p99 ${m.p99Ms.toFixed(2)} ms  node cpu ${m.nodeCpuUsPerOp} us/op${ratio}${spread}`,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const all: Measurement[] = [];
  for (const mode of args.modes) all.push(...(await runMode(mode, args, databaseUrl)));
  const out = join(process.cwd(), 'bench', 'results');
  await mkdir(out, { recursive: true });
  await writeFile(
    join(out, 'append-quick.json'),
    JSON.stringify({ at: new Date().toISOString(), seconds: args.seconds, results: all }, null, 2),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
