/**
 * `rebuild`: replays a generated log (100,000 events; 1,000,000 with --full) into every read model
 * from scratch with the projection runner's `rebuildAll` (one pass, fresh shadow tables, swap),
 * then each projection alone with `rebuild(name)`. Baseline in the same run: reading the whole
 * log with the store's `readAll` in the runner's rebuild batch size, applying nothing.
 */
import type { Benchmark, BenchContext } from './support/context';
import type { BenchOutput, Table, Target } from './support/report';
import { CpuMeter, databaseOf } from './support/cpu';
import { ratio } from './support/stats';
import { ensureDataset } from './support/shared-dataset';

const REBUILD_BATCH = 5000; // ProjectionRunner's default rebuildBatchSize

export const rebuildBenchmark: Benchmark = {
  name: 'rebuild',
  title: 'replay the log into every read model from scratch',
  async run(ctx: BenchContext): Promise<BenchOutput> {
    const dataset = await ensureDataset(ctx);
    const { runtime } = dataset.app;
    const total = dataset.log.events;
    const database = databaseOf(ctx.databaseUrl);
    const perEvent = (meter: CpuMeter) => {
      const cpu = meter.read();
      return { node: Math.round(((cpu.selfMs * 1000) / total) * 10) / 10, postgres: Math.round(((cpu.postgresMs * 1000) / total) * 10) / 10 };
    };

    // Baseline: the read side of a rebuild alone.
    const r0 = performance.now();
    const readMeter = new CpuMeter(database);
    let read = 0;
    for (let batch = await runtime.store.readAll('', REBUILD_BATCH); batch.length > 0; batch = await runtime.store.readAll(batch[batch.length - 1]!.position, REBUILD_BATCH)) {
      read += batch.length;
    }
    const readSeconds = (performance.now() - r0) / 1000;
    const readCpu = perEvent(readMeter);
    const readRate = Math.round(read / readSeconds);
    console.log(`  readAll alone: ${read} events in ${readSeconds.toFixed(1)} s = ${readRate} events/s`);

    const names = runtime.projections.names;
    const a0 = performance.now();
    const allMeter = new CpuMeter(database);
    const results = await runtime.projections.rebuildAll(names);
    const allSeconds = (performance.now() - a0) / 1000;
    const allCpu = perEvent(allMeter);
    const allRate = Math.round(total / allSeconds);
    dataset.rebuilt = true;
    console.log(`  rebuildAll (${names.join(', ')}): ${allSeconds.toFixed(1)} s = ${allRate} events/s`);

    const each: { name: string; seconds: number; eventsPerSecond: number; rows: Record<string, number>; cpuUs: { node: number; postgres: number } }[] = [];
    if (!ctx.options.flags.has('no-breakdown')) {
      for (const name of names) {
        const t0 = performance.now();
        const meter = new CpuMeter(database);
        await runtime.projections.rebuild(name);
        const seconds = (performance.now() - t0) / 1000;
        const cpuUs = perEvent(meter);
        const projection = runtime.readModels.projections.find((p) => p.name === name)!;
        const rows: Record<string, number> = {};
        for (const table of projection.tables) {
          const [row] = (await runtime.readModels.dataSource.query(`SELECT count(*)::int AS n FROM "${table}"`)) as { n: number }[];
          rows[table] = row!.n;
        }
        each.push({ name, seconds: Math.round(seconds * 10) / 10, eventsPerSecond: Math.round(total / seconds), rows, cpuUs });
        console.log(`  rebuild(${name}): ${seconds.toFixed(1)} s = ${Math.round(total / seconds)} events/s`);
      }
    }

    const table: Table = {
      title: `Rebuild of ${total} events (${dataset.log.problems} problems, ${dataset.log.actions} actions, ${dataset.log.areas} areas)`,
      columns: ['what', 'seconds', 'events/s', 'vs readAll', 'CPU us/event Node', 'PG', 'rows'],
      rows: [
        ['readAll alone (baseline)', round1(readSeconds), readRate, 1, readCpu.node, readCpu.postgres, '-'],
        [`rebuildAll (${names.length} projections, one pass)`, round1(allSeconds), allRate, ratio(allRate, readRate), allCpu.node, allCpu.postgres, '-'],
        ...each.map((e) => [`rebuild(${e.name}) alone`, e.seconds, e.eventsPerSecond, ratio(e.eventsPerSecond, readRate), e.cpuUs.node, e.cpuUs.postgres, rowsSummary(e.rows)]),
      ],
    };
    const targets: Target[] = [{ what: `rebuild all read models (${total} events)`, value: allRate, unit: 'events/s', target: '>= 20,000 events/s', met: allRate >= 20_000 }];
    return {
      tables: [table],
      figures: {
        events: total,
        generate: dataset.log,
        template: { events: dataset.template.events, problems: dataset.template.problems, actions: dataset.template.actions, seedSeconds: dataset.template.seedSeconds },
        readAll: { seconds: readSeconds, eventsPerSecond: readRate, batch: REBUILD_BATCH, cpuUs: readCpu },
        rebuildAll: { projections: names, seconds: allSeconds, eventsPerSecond: allRate, cpuUs: allCpu, results },
        each,
      },
      targets,
      notes: [
        'CPU us/event: CPU time per event of this Node process (reading, decoding, the projections\' code, TypeORM) and of the PostgreSQL backends of the bench database; a rebuild at 20,000 events/s on 2 cores may spend at most 100 us of CPU per event in all.',
        `The log was written by cloning the demo seed's events (${dataset.template.events} per copy) with fresh ids, shifted dates and 16 area sets, through the store at ${dataset.log.eventsPerSecond} events/s.`,
      ],
    };
  },
};

const round1 = (value: number) => Math.round(value * 10) / 10;

/** "5 tables, 40,120 rows (largest: interventions 20,124)"; every count is in the JSON. */
function rowsSummary(rows: Record<string, number>): string {
  const entries = Object.entries(rows).sort((a, b) => b[1] - a[1]);
  const total = entries.reduce((n, [, count]) => n + count, 0);
  return `${entries.length} tables, ${total} rows (largest: ${entries[0]?.[0] ?? '-'} ${entries[0]?.[1] ?? 0})`;
}
