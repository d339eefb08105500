/**
 * `append`: N concurrent writers appending single events with an expected revision, each to its
 * own stream and all to 8 hot streams, on the store, against plain single-row INSERTs (the
 * ceiling) and Emmett's PostgreSQL event store: same server, same pool, same run, slices
 * alternating (rotated order each round), median of the rounds; ratios are the median of the
 * per-round ratios of adjacent slices, which cancels most of the drift of a shared machine.
 */
import { setImmediate as turn } from 'node:timers/promises';
import type { WrongExpectedRevisionError } from '@tasking/event-store';
import type { Benchmark, BenchContext } from './support/context';
import { rotated, runWriters, type SliceResult, type WriterOp } from './support/load';
import type { BenchOutput, Table, Target } from './support/report';
import { NO_LATENCY, median, ratio, spread, type LatencySummary } from './support/stats';
import {
  MAX_CONFLICT_RETRIES,
  emmettExpected,
  isEmmettConflict,
  isStoreConflict,
  openSystems,
  sampleEvent,
  storeExpected,
  type Systems,
} from './support/systems';

const SYSTEMS = ['insert', 'store', 'emmett'] as const;
type System = (typeof SYSTEMS)[number];
const HOT_STREAMS = 8;

type Workload = 'own' | 'hot';

let slice = 0;

/** The op of one writer of `system` under `workload`; hot writers share `shared` expectations. */
function writerOf(systems: Systems, system: System, workload: Workload, writer: number, hot: HotStreams): WriterOp {
  const sliceId = slice;
  if (workload === 'own') {
    const stream = `${system}-${sliceId}-${writer}`;
    let revision = -1; // last revision written (store, insert)
    let version = 0n; // Emmett's next expected version
    switch (system) {
      case 'insert':
        return async () => {
          await systems.insertPlain(stream, (revision += 1), sampleEvent());
          return { events: 1 };
        };
      case 'store':
        return async () => {
          const result = await systems.store.append([{ stream, expectedRevision: storeExpected(revision), events: [sampleEvent()] }]);
          revision = result.revisions[stream]!;
          return { events: 1 };
        };
      case 'emmett':
        return async () => {
          const result = await systems.emmett!.appendToStream(stream, [toEmmett(sampleEvent())], { expectedStreamVersion: emmettExpected(version) });
          version = result.nextExpectedStreamVersion;
          return { events: 1 };
        };
    }
  }
  // Hot: every op picks one of 8 streams at random and expects the latest revision known in this
  // process (`hot`, moved by every success); after a conflict it learns the current revision and
  // tries again.
  const pick = () => Math.floor(Math.random() * HOT_STREAMS);
  switch (system) {
    case 'insert':
      return async () => {
        const k = pick();
        await systems.insertPlain(hot.stream(system, sliceId, k), (hot.last[k]! += 1), sampleEvent());
        return { events: 1 };
      };
    case 'store':
      return async () => {
        const k = pick();
        const stream = hot.stream(system, sliceId, k);
        for (let conflicts = 0; ; conflicts += 1) {
          try {
            const result = await systems.store.append([{ stream, expectedRevision: storeExpected(hot.last[k]!), events: [sampleEvent()] }]);
            hot.last[k] = Math.max(hot.last[k]!, result.revisions[stream]!);
            return { events: 1, conflicts };
          } catch (error) {
            if (!isStoreConflict(error) || conflicts >= MAX_CONFLICT_RETRIES) throw error;
            // The store's error carries the revision it found (it has already paid for that read).
            const actual = (error as WrongExpectedRevisionError).actual;
            if (typeof actual === 'number' && actual > hot.last[k]!) hot.last[k] = actual;
            await turn();
          }
        }
      };
    case 'emmett':
      return async () => {
        const k = pick();
        const stream = hot.stream(system, sliceId, k);
        for (let conflicts = 0; ; conflicts += 1) {
          try {
            const result = await systems.emmett!.appendToStream(stream, [toEmmett(sampleEvent())], { expectedStreamVersion: emmettExpected(hot.version[k]!) });
            if (result.nextExpectedStreamVersion > hot.version[k]!) hot.version[k] = result.nextExpectedStreamVersion;
            return { events: 1, conflicts };
          } catch (error) {
            if (!isEmmettConflict(error) || conflicts >= MAX_CONFLICT_RETRIES) throw error;
            // Emmett's error does not say the current version (it reports -1): read it with the
            // cheapest query there is, one index probe of its streams table.
            const current = await systems.emmettStreamVersion(stream);
            if (current > hot.version[k]!) hot.version[k] = current;
            await turn();
          }
        }
      };
  }
}

class HotStreams {
  /** Last revision per hot stream (store: -1 none; insert: the next row's revision - 1). */
  readonly last = Array.from({ length: HOT_STREAMS }, () => -1);
  /** Emmett's next expected version per hot stream. */
  readonly version = Array.from({ length: HOT_STREAMS }, () => 0n);
  stream(system: System, sliceId: number, k: number): string {
    return `${system}-${sliceId}-hot-${k}`;
  }
}

const toEmmett = (event: ReturnType<typeof sampleEvent>) => ({ type: event.type, data: event.data, metadata: event.metadata });

interface Cell {
  workload: Workload;
  writers: number;
  rounds: Record<System, SliceResult[]>;
}

export const appendBenchmark: Benchmark = {
  name: 'append',
  title: 'single-event appends with an expected revision: store vs plain INSERT vs Emmett',
  async run(ctx: BenchContext): Promise<BenchOutput> {
    const seconds = ctx.number('seconds', { quick: 1, full: 3 });
    const rounds = ctx.number('rounds', { quick: 3, full: 5 });
    const writerCounts = ctx.list('writers', [1, 4, 16, 64]);
    const workloads: Workload[] = ctx.options.values['workload'] ? (ctx.options.values['workload'].split(',') as Workload[]) : ['own', 'hot'];
    // --embedded: the store on PGlite against plain INSERTs on the same PGlite (the embedded
    // quick start; no Emmett, one session, PGlite's CPU is this process's). Informational.
    const embedded = ctx.options.flags.has('embedded');
    const systemList = embedded ? SYSTEMS.filter((s) => s !== 'emmett') : SYSTEMS;
    const systems = await openSystems(ctx.databaseUrl, 'append', Math.max(...writerCounts), embedded);
    const database = systems.database;
    const cells: Cell[] = [];
    try {
      for (const workload of workloads) {
        for (const writers of writerCounts) {
          const cell: Cell = { workload, writers, rounds: { insert: [], store: [], emmett: [] } };
          for (let round = 0; round < rounds; round += 1) {
            for (const system of rotated(systemList, round)) {
              slice += 1;
              const hot = new HotStreams();
              cell.rounds[system].push(await runWriters(writers, seconds, (w) => writerOf(systems, system, workload, w, hot), { database }));
            }
          }
          cells.push(cell);
          const m = (s: System) => median(cell.rounds[s].map((r) => r.eventsPerSecond));
          console.log(`  ${workload.padEnd(3)} writers=${String(writers).padStart(2)}  insert ${m('insert')}  store ${m('store')}  emmett ${m('emmett')} events/s`);
        }
      }
    } finally {
      await systems.close();
    }
    const output = summarise(cells, seconds, rounds);
    if (!embedded) return output;
    return {
      ...output,
      resultName: 'append-embedded',
      tables: output.tables.map((t) => ({ ...t, title: `[embedded PGlite] ${t.title}` })),
      targets: output.targets.map((t) => ({ ...t, met: null, note: 'embedded mode: informational, the targets are for PostgreSQL' })),
    };
  },
};

function summarise(cells: Cell[], seconds: number, rounds: number): BenchOutput {
  const rows = cells.map((cell) => {
    const rates = (s: System) => cell.rounds[s].map((r) => r.eventsPerSecond);
    const typical = (s: System): { latency: LatencySummary } => {
      const sorted = [...cell.rounds[s]].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond);
      return sorted[Math.floor((sorted.length - 1) / 2)] ?? { latency: NO_LATENCY };
    };
    const paired = (a: System, b: System) => median(cell.rounds[a].flatMap((r, i) => (cell.rounds[b][i] ? [r.eventsPerSecond / cell.rounds[b][i]!.eventsPerSecond] : [])));
    const cpu = (s: System) => median(cell.rounds[s].map((r) => r.nodeCpuUsPerEvent));
    const pgCpu = (s: System) => median(cell.rounds[s].map((r) => r.postgresCpuUsPerEvent));
    const conflictsPerSecond = (s: System) => Math.round(median(cell.rounds[s].map((r) => r.conflicts / r.seconds)));
    return {
      workload: cell.workload,
      writers: cell.writers,
      insert: { eventsPerSecond: median(rates('insert')), rounds: rates('insert'), latency: typical('insert').latency, nodeCpuUsPerEvent: cpu('insert'), postgresCpuUsPerEvent: pgCpu('insert') },
      store: { eventsPerSecond: median(rates('store')), rounds: rates('store'), latency: typical('store').latency, conflictsPerSecond: conflictsPerSecond('store'), nodeCpuUsPerEvent: cpu('store'), postgresCpuUsPerEvent: pgCpu('store') },
      emmett: { eventsPerSecond: median(rates('emmett')), rounds: rates('emmett'), latency: typical('emmett').latency, conflictsPerSecond: conflictsPerSecond('emmett'), nodeCpuUsPerEvent: cpu('emmett'), postgresCpuUsPerEvent: pgCpu('emmett') },
      storeVsInsert: ratio(paired('store', 'insert'), 1),
      storeVsEmmett: ratio(paired('store', 'emmett'), 1),
      spread: { insert: spread(rates('insert')), store: spread(rates('store')), emmett: spread(rates('emmett')) },
    };
  });
  const label = (w: Workload) => (w === 'own' ? 'own stream' : `${HOT_STREAMS} hot streams`);
  const throughput: Table = {
    title: `Append, events/s (median of ${rounds} rounds of ${seconds} s; ratios: median of per-round ratios)`,
    columns: ['workload', 'writers', 'plain INSERT', 'store', 'Emmett', 'store/INSERT', 'store/Emmett', 'spread (store)'],
    rows: rows.map((r) => [label(r.workload), r.writers, r.insert.eventsPerSecond, r.store.eventsPerSecond, r.emmett.eventsPerSecond, r.storeVsInsert, r.storeVsEmmett, r.spread.store]),
  };
  const latency: Table = {
    title: 'Append latency, ms (the median round; per successful append, conflict retries included)',
    columns: ['workload', 'writers', 'INSERT p50', 'INSERT p99', 'store p50', 'store p99', 'Emmett p50', 'Emmett p99', 'CPU us/event Node I/S/E', 'CPU us/event PG I/S/E', 'conflicts/s store', 'conflicts/s Emmett'],
    rows: rows.map((r) => [
      label(r.workload),
      r.writers,
      r.insert.latency.p50Ms,
      r.insert.latency.p99Ms,
      r.store.latency.p50Ms,
      r.store.latency.p99Ms,
      r.emmett.latency.p50Ms,
      r.emmett.latency.p99Ms,
      `${r.insert.nodeCpuUsPerEvent}/${r.store.nodeCpuUsPerEvent}/${r.emmett.nodeCpuUsPerEvent}`,
      `${r.insert.postgresCpuUsPerEvent}/${r.store.postgresCpuUsPerEvent}/${r.emmett.postgresCpuUsPerEvent}`,
      r.workload === 'hot' ? r.store.conflictsPerSecond : '-',
      r.workload === 'hot' ? r.emmett.conflictsPerSecond : '-',
    ]),
  };
  const own = rows.filter((r) => r.workload === 'own');
  const worstVsInsert = own.length ? own.reduce((a, b) => (b.storeVsInsert < a.storeVsInsert ? b : a)) : undefined;
  const withEmmett = rows.filter((r) => Number.isFinite(r.storeVsEmmett));
  const worstVsEmmett = withEmmett.length ? withEmmett.reduce((a, b) => (b.storeVsEmmett < a.storeVsEmmett ? b : a)) : undefined;
  const targets: Target[] = [
    {
      what: 'store vs plain INSERT (own streams, worst N)',
      value: worstVsInsert?.storeVsInsert ?? null,
      unit: worstVsInsert ? `x (N=${worstVsInsert.writers})` : '',
      target: '>= 0.8',
      met: worstVsInsert ? worstVsInsert.storeVsInsert >= 0.8 : null,
    },
    {
      what: 'store vs Emmett (every row, worst)',
      value: worstVsEmmett?.storeVsEmmett ?? null,
      unit: worstVsEmmett ? `x (${label(worstVsEmmett.workload)}, N=${worstVsEmmett.writers})` : '',
      target: '> 1 (faster)',
      met: worstVsEmmett ? worstVsEmmett.storeVsEmmett > 1 : null,
    },
  ];
  return {
    tables: [throughput, latency],
    figures: { seconds, rounds, hotStreams: HOT_STREAMS, rows },
    targets,
    notes: [
      'One pg pool (max = the largest N) serves all three systems; plain INSERT goes into a copy of the events table without any revision check.',
      'CPU us/event: CPU time per stored event of this Node process (the client: driver, store code, event generation) and of the PostgreSQL backends of the bench database (from /proc): unlike rates, these do not depend on what else shares the machine. I = plain INSERT, S = store, E = Emmett.',
      'Hot streams: each append picks one of 8 streams at random and expects the latest revision this process knows; after a conflict it learns the current revision (the store: from its WrongExpectedRevisionError; Emmett, whose error does not carry it: one SELECT on emt_streams) and tries again. Plain INSERT takes the next revision from an in-process counter, so it never conflicts. Latency is per successful append, retries included.',
    ],
  };
}
