/**
 * `append-batch`: one writer appending batches of 100 events to its own stream with an expected
 * revision, against the same 100 rows as one plain multi-row INSERT statement (the ceiling) and
 * Emmett's appendToStream of 100 events; same pool, same run, rotated slices, medians.
 */
import type { Benchmark, BenchContext } from './support/context';
import { rotated, runWriters, type SliceResult, type WriterOp } from './support/load';
import type { BenchOutput, Target } from './support/report';
import { NO_LATENCY, median, ratio, spread, type LatencySummary } from './support/stats';
import { emmettExpected, openSystems, sampleEvent, storeExpected, type Systems } from './support/systems';

const SYSTEMS = ['insert', 'store', 'emmett'] as const;
type System = (typeof SYSTEMS)[number];
let slice = 0;

function batchWriter(systems: Systems, system: System, batch: number): WriterOp {
  slice += 1;
  const stream = `batch-${system}-${slice}`;
  let revision = -1;
  let version = 0n;
  const events = () => Array.from({ length: batch }, sampleEvent);
  switch (system) {
    case 'insert':
      return async () => {
        await systems.insertPlainBatch(stream, revision + 1, events());
        revision += batch;
        return { events: batch };
      };
    case 'store':
      return async () => {
        const result = await systems.store.append([{ stream, expectedRevision: storeExpected(revision), events: events() }]);
        revision = result.revisions[stream]!;
        return { events: batch };
      };
    case 'emmett':
      return async () => {
        const result = await systems.emmett!.appendToStream(
          stream,
          events().map((e) => ({ type: e.type, data: e.data, metadata: e.metadata })),
          { expectedStreamVersion: emmettExpected(version) },
        );
        version = result.nextExpectedStreamVersion;
        return { events: batch };
      };
  }
}

export const appendBatchBenchmark: Benchmark = {
  name: 'append-batch',
  title: 'one writer appending batches of 100 events',
  async run(ctx: BenchContext): Promise<BenchOutput> {
    const seconds = ctx.number('seconds', { quick: 1.5, full: 4 });
    const rounds = ctx.number('rounds', { quick: 3, full: 5 });
    const batch = ctx.number('events', { quick: 100, full: 100 });
    const embedded = ctx.options.flags.has('embedded'); // see append.ts
    const systemList = embedded ? SYSTEMS.filter((s) => s !== 'emmett') : SYSTEMS;
    const systems = await openSystems(ctx.databaseUrl, 'append_batch', 4, embedded);
    const results: Record<System, SliceResult[]> = { insert: [], store: [], emmett: [] };
    try {
      for (let round = 0; round < rounds; round += 1) {
        for (const system of rotated(systemList, round)) {
          results[system].push(await runWriters(1, seconds, () => batchWriter(systems, system, batch), { warmup: 2, database: systems.database }));
        }
      }
    } finally {
      await systems.close();
    }
    const rates = (s: System) => results[s].map((r) => r.eventsPerSecond);
    const typical = (s: System): { latency: LatencySummary } => [...results[s]].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond)[Math.floor((rounds - 1) / 2)] ?? { latency: NO_LATENCY };
    const paired = (a: System, b: System) => ratio(median(results[a].flatMap((r, i) => (results[b][i] ? [r.eventsPerSecond / results[b][i]!.eventsPerSecond] : []))), 1);
    const store = median(rates('store'));
    const figures = {
      batch,
      seconds,
      rounds,
      insert: { eventsPerSecond: median(rates('insert')), rounds: rates('insert'), latency: typical('insert').latency },
      store: { eventsPerSecond: store, rounds: rates('store'), latency: typical('store').latency },
      emmett: { eventsPerSecond: median(rates('emmett')), rounds: rates('emmett'), latency: typical('emmett').latency },
      storeVsInsert: paired('store', 'insert'),
      storeVsEmmett: paired('store', 'emmett'),
    };
    const targets: Target[] = [
      { what: `batches of ${batch}, one writer`, value: store, unit: 'events/s', target: '>= 50,000 events/s', met: embedded ? null : store >= 50_000 },
    ];
    return {
      resultName: embedded ? 'append-batch-embedded' : undefined,
      tables: [
        {
          title: `${embedded ? '[embedded PGlite] ' : ''}Batched append (${batch} events per append, 1 writer; median of ${rounds} rounds of ${seconds} s)`,
          columns: ['system', 'events/s', 'p50 ms', 'p99 ms', 'vs store', 'Node CPU us/event', 'PG CPU us/event', 'spread'],
          rows: systemList.map((s) => [
            s === 'insert' ? `plain multi-row INSERT` : s === 'store' ? 'store' : 'Emmett',
            median(rates(s)),
            typical(s).latency.p50Ms,
            typical(s).latency.p99Ms,
            s === 'store' ? 1 : paired('store', s),
            median(results[s].map((r) => r.nodeCpuUsPerEvent)),
            median(results[s].map((r) => r.postgresCpuUsPerEvent)),
            spread(rates(s)),
          ]),
        },
      ],
      figures,
      targets,
      notes: [`store/INSERT ${figures.storeVsInsert}, store/Emmett ${figures.storeVsEmmett} (median of per-round ratios).`],
    };
  },
};
