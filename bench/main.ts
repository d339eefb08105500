/**
 * The benchmark harness: `npm run bench` runs every benchmark at default sizes (a few minutes on a
 * 2-core machine); `npm run bench -- <name> [<name>...]` runs some; `--full` runs full sizes.
 * Each prints its tables and writes bench/results/<name>.json (figures, targets, machine, load).
 *
 * Figures are taken on shared machines: every benchmark measures a baseline in the same run
 * (plain INSERTs, the bare health route, a plain read of the log) and reports ratios against it;
 * slices alternate and repeat where it matters, and the 1-minute load average is recorded.
 *
 * Environment: DATABASE_URL (server; default postgres://postgres@127.0.0.1:5432, database
 * `bench` created if missing; BENCH_DATABASE_URL names the database outright), REDIS_URL for the
 * http benchmark's job queues. See docs/performance.md.
 */
import os from 'node:os';
import { appendBenchmark } from './append';
import { appendBatchBenchmark } from './append-batch';
import { httpBenchmark } from './http';
import { importBenchmark } from './import';
import { lagBenchmark } from './lag';
import { queriesBenchmark } from './queries';
import { rebuildBenchmark } from './rebuild';
import { summariseProfile } from './support/cpuprofile';
import { parseOptions, type BenchContext, type Benchmark } from './support/context';
import { benchDatabaseUrl, dropSchemas, ensureBenchDatabase, sweepStaleSchemas } from './support/database';
import { machineInfo, printTable, printTargets, writeResult, type Target } from './support/report';

const BENCHMARKS: Benchmark[] = [appendBenchmark, appendBatchBenchmark, httpBenchmark, lagBenchmark, rebuildBenchmark, queriesBenchmark, importBenchmark];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  if (options.flags.has('profile-summary')) {
    for (const file of options.names) console.log(summariseProfile(file, Number(options.values['top'] ?? 30), options.values['match']));
    return;
  }
  if (options.flags.has('help')) {
    console.log(
      [
        `npm run bench -- [${BENCHMARKS.map((b) => b.name).join('|')}]... [--full]`,
        '  append, append-batch: --seconds N --rounds N --writers 1,4,16,64 --workload own,hot --embedded',
        '  http: --requests N --connections N --seconds N (health) --cpu-prof --no-jobs --no-projections --log-level L',
        '  lag: --rate N --duration N --idle-wait-ms N',
        '  rebuild, queries: --events N --iterations N --keep-dataset --no-breakdown',
        '  import: --rows N (default 100,000; 1,000,000 with --full) --keep-dataset',
        'npm run bench -- --profile-summary file.cpuprofile [--top N] [--match text]',
        'See docs/performance.md.',
      ].join('\n'),
    );
    return;
  }
  const unknown = options.names.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  const selected = options.names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => options.names.includes(b.name));

  const databaseUrl = benchDatabaseUrl();
  await ensureBenchDatabase(databaseUrl);
  const swept = await sweepStaleSchemas(databaseUrl);
  if (swept.length > 0) console.log(`(dropped ${swept.length} schemas left by killed runs: ${swept.join(', ')})`);
  const exits: (() => Promise<void>)[] = [];
  const ctx: BenchContext = {
    databaseUrl,
    options,
    number: (key, defaults) => {
      const given = options.values[key];
      if (given === undefined) return options.full ? defaults.full : defaults.quick;
      const value = Number(given);
      if (!Number.isFinite(value) || value <= 0) throw new Error(`--${key} must be a positive number, got ${given}`);
      return value;
    },
    list: (key, fallback) => (options.values[key] === undefined ? fallback : options.values[key]!.split(',').map(Number)),
    shared: new Map(),
    onExit: (cleanup) => exits.push(cleanup),
  };
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    console.error('\ninterrupted: cleaning up (bench schemas and databases, job queues)');
    const cleanups = Promise.allSettled(exits.map((cleanup) => cleanup()));
    void Promise.race([cleanups, new Promise((resolve) => setTimeout(resolve, 10_000))])
      .then(() => dropSchemas(databaseUrl))
      .finally(() => process.exit(130));
  });

  const summary: { bench: string; target: Target }[] = [];
  const started = Date.now();
  let failed = false;
  try {
    for (const bench of selected) {
      if (interrupted) break;
      console.log(`\n=== ${bench.name}: ${bench.title} ===`);
      const machine = await machineInfo(databaseUrl);
      const loadBefore = os.loadavg()[0]!;
      const t0 = Date.now();
      try {
        const output = await bench.run(ctx);
        for (const table of output.tables) printTable(table);
        printTargets(output.targets);
        for (const note of output.notes) console.log(`note: ${note}`);
        const loadAfter = os.loadavg()[0]!;
        const file = await writeResult(output.resultName ?? bench.name, {
          name: bench.name,
          title: bench.title,
          command: `npm run bench -- ${argv.join(' ')}`.trim(),
          full: options.full,
          machine,
          loadAverage1m: { before: round2(loadBefore), after: round2(loadAfter) },
          startedAt: new Date(t0).toISOString(),
          durationS: Math.round((Date.now() - t0) / 100) / 10,
          ...output,
        });
        console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s, load ${loadBefore.toFixed(1)} -> ${loadAfter.toFixed(1)} on ${machine.cores} cores; ${file})`);
        for (const target of output.targets) summary.push({ bench: bench.name, target });
      } catch (error) {
        failed = true;
        console.error(`${bench.name} failed:`, error);
      }
    }
  } finally {
    for (const cleanup of exits.reverse()) await cleanup().catch((error: unknown) => console.error('cleanup failed:', error));
    await dropSchemas(databaseUrl);
  }
  if (summary.length > 0) {
    printTargets(summary.map(({ bench, target }) => ({ ...target, what: `${bench}: ${target.what}` })));
  }
  console.log(`\nTotal ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (failed) process.exitCode = 1;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    // Pools, timers and Redis clients of the app under test must not keep a finished run alive.
    setTimeout(() => process.exit(), 1000).unref();
  });
