/**
 * `import`: a data.police.uk street-level file (100,000 rows; 1,000,000 with --full; `--rows N`),
 * generated as the demo does (24 months, 60 areas of 3 LSOAs each, the crime-type mix), imported
 * in this process as `POST /v1/imports` and `npm run import` do (staged, then run), until the
 * projections have caught up (visible in the weekly and monthly counts and in hotspots' incident
 * counts); then the same file again (it must append nothing). RSS of this process is sampled
 * every 250 ms over each import. Baseline in the same run: the append-batch benchmark (batches
 * of 100 events through the store, and the same rows as one plain multi-row INSERT: the ceiling).
 */
import { createReadStream, createWriteStream, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { POLICE_UK_CATEGORY_MAP, contentHashOf, incidentIdOf, mapCategory, policeUkStreetRows, readCsvRows, resolveArea, type ResolvableArea } from '@tasking/application';
import type { EventStore } from '@tasking/event-store';
import { ImportRun, importReferences, type ImportFile } from '@tasking/jobs';
import { AreaIncidentCountsQuery } from '@tasking/projections';
import { QueryBus } from '@nestjs/cqrs';
import { policeUkStreetLines, type SampleLsoa } from '../apps/api/src/seed/incident-files';
import { appendBatchBenchmark } from './append-batch';
import { PARTNERSHIP, benchEnv, openInProcessApp, type InProcessApp } from './support/app';
import type { Benchmark, BenchContext } from './support/context';
import { CpuMeter, databaseOf } from './support/cpu';
import { dropSchema, forgetSchema, freshSchema } from './support/database';
import type { BenchOutput, Table, Target } from './support/report';
import { ratio } from './support/stats';

const AREAS = 60;
const LSOAS_PER_AREA = 3;
const MONTHS = 24;
const SOURCE = 'police';
const RSS_SAMPLE_MS = 250;

/** 60 areas in a 10 x 6 grid around Nottingham, each with 3 LSOAs a few hundred metres apart. */
export function benchLsoas(): { areas: { code: string; lat: number; lng: number; lsoaCodes: string[] }[]; lsoas: SampleLsoa[] } {
  const areas: { code: string; lat: number; lng: number; lsoaCodes: string[] }[] = [];
  const lsoas: SampleLsoa[] = [];
  for (let a = 0; a < AREAS; a += 1) {
    const lat = 52.9 + Math.floor(a / 10) * 0.02;
    const lng = -1.25 + (a % 10) * 0.03;
    const code = `ward-${String(a + 1).padStart(2, '0')}`;
    const lsoaCodes: string[] = [];
    for (let l = 0; l < LSOAS_PER_AREA; l += 1) {
      const lsoa = `E0103${String(a * LSOAS_PER_AREA + l).padStart(4, '0')}`;
      lsoaCodes.push(lsoa);
      lsoas.push({ code: lsoa, name: `Riverside ${String(a + 1).padStart(3, '0')}${'ABC'[l]}`, lat: lat + l * 0.004, lng: lng + l * 0.005 });
    }
    areas.push({ code, lat, lng, lsoaCodes });
  }
  return { areas, lsoas };
}

/** The month before this one, `YYYY-MM` (UTC). */
const lastFullMonth = (now: Date): string => {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
};

/** Writes the file once per size and month (the generator is deterministic); answers its path and bytes. */
async function generateFile(rows: number, lastMonth: string, lsoas: SampleLsoa[]): Promise<{ path: string; bytes: number; seconds: number; reused: boolean }> {
  const path = join(os.tmpdir(), `tasking-ledger-bench-police-uk-${rows}-${lastMonth}.csv`);
  if (existsSync(path) && existsSync(`${path}.done`)) return { path, bytes: statSync(path).size, seconds: 0, reused: true };
  const t0 = performance.now();
  const out = createWriteStream(`${path}.part`);
  let chunk: string[] = [];
  for (const line of policeUkStreetLines({ lsoas, lastMonth, months: MONTHS, rows })) {
    chunk.push(line);
    if (chunk.length >= 5000) {
      if (!out.write(`${chunk.join('\n')}\n`)) await once(out, 'drain');
      chunk = [];
    }
  }
  if (chunk.length > 0) out.write(`${chunk.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
  renameSync(`${path}.part`, path);
  writeFileSync(`${path}.done`, '');
  return { path, bytes: statSync(path).size, seconds: (performance.now() - t0) / 1000, reused: false };
}

/** Peak RSS of this process: sampled every 250 ms, and the kernel's high-water mark (reset at the start where allowed). */
class RssSampler {
  private peak = 0;
  private heapPeak = 0;
  private readonly timer: NodeJS.Timeout;

  /** RSS when sampling started (the app, the runtime and the projections already in memory). */
  readonly startMb = Math.round(process.memoryUsage.rss() / 1024 / 1024);

  constructor() {
    try {
      writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM
    } catch {
      // not Linux, or not allowed: the high-water mark then covers the whole process
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), RSS_SAMPLE_MS);
  }

  private sample(): void {
    const { rss, heapUsed } = process.memoryUsage();
    this.peak = Math.max(this.peak, rss);
    this.heapPeak = Math.max(this.heapPeak, heapUsed);
  }

  stop(): { startMb: number; sampledPeakMb: number; highWaterMarkMb: number | null; heapUsedPeakMb: number } {
    clearInterval(this.timer);
    this.sample();
    let hwm: number | null = null;
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
      if (match) hwm = Math.round(Number(match[1]) / 1024);
    } catch {
      // no /proc
    }
    return { startMb: this.startMb, sampledPeakMb: Math.round(this.peak / 1024 / 1024), highWaterMarkMb: hwm, heapUsedPeakMb: Math.round(this.heapPeak / 1024 / 1024) };
  }
}

/** The store with its reads of incident streams and its appends timed (and the events appended counted). */
function timedStore(store: EventStore) {
  const times = { readMs: 0, appendMs: 0, appends: 0, events: 0 };
  const timed = new Proxy(store, {
    get(target, key) {
      if (key === 'readStreams') {
        return async (...args: Parameters<EventStore['readStreams']>) => {
          const t0 = performance.now();
          try {
            return await target.readStreams(...args);
          } finally {
            times.readMs += performance.now() - t0;
          }
        };
      }
      if (key === 'append') {
        return async (...args: Parameters<EventStore['append']>) => {
          const t0 = performance.now();
          try {
            return await target.append(...args);
          } finally {
            times.appendMs += performance.now() - t0;
            times.appends += 1;
            times.events += args[0].reduce((n, request) => n + request.events.length, 0);
          }
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: timed, times };
}

interface ImportRunFigures {
  importId: string;
  file: ImportFile;
  stageSeconds: number;
  runSeconds: number;
  catchUpSeconds: number;
  totalSeconds: number;
  rowsPerSecond: number;
  readStreamsSeconds: number;
  appendSeconds: number;
  appends: number;
  incidentEventsAppended: number;
  rss: { startMb: number; sampledPeakMb: number; highWaterMarkMb: number | null; heapUsedPeakMb: number };
  cpu: { nodeS: number; postgresS: number };
}

export const importBenchmark: Benchmark = {
  name: 'import',
  title: 'a data.police.uk street file imported in process, visible in the counts, then imported again',
  async run(ctx: BenchContext): Promise<BenchOutput> {
    const rows = ctx.number('rows', { quick: 100_000, full: 1_000_000 });
    const database = databaseOf(ctx.databaseUrl);
    const { areas, lsoas } = benchLsoas();
    const lastMonth = lastFullMonth(new Date());
    const generated = await generateFile(rows, lastMonth, lsoas);
    console.log(`  file: ${rows} rows, ${(generated.bytes / 1024 / 1024).toFixed(0)} MB (${generated.reused ? 'reused' : `generated in ${generated.seconds.toFixed(1)} s`}) ${generated.path}`);

    const schema = freshSchema('import');
    const env = benchEnv(ctx.databaseUrl, { LOG_LEVEL: 'warn', IMPORT_MAX_BYTES: String(Math.max(generated.bytes * 2, 64 * 1024 * 1024)) });
    let app: InProcessApp | undefined;
    try {
      app = await openInProcessApp(env, schema);
      const { runtime } = app;
      const admin = await app.token('admin');
      const put = async (url: string, body: unknown): Promise<{ position: string }> => {
        const response = await app!.app.getHttpAdapter().getInstance().inject({ method: 'PUT', url, headers: { authorization: `Bearer ${admin}` }, payload: body as object });
        if (response.statusCode !== 200) throw new Error(`PUT ${url}: ${response.statusCode} ${response.body}`);
        return JSON.parse(response.body) as { position: string };
      };
      await put(`/v1/sources/${SOURCE}`, { partnership: PARTNERSHIP, name: 'Riverside street-level crime (data.police.uk)', kind: 'police' });
      let position = '';
      for (const area of areas) {
        ({ position } = await put(`/v1/areas/${area.code}`, { partnership: PARTNERSHIP, name: area.code, centroid: { lat: area.lat, lng: area.lng }, lsoaCodes: area.lsoaCodes }));
      }
      if (!(await runtime.projections.waitFor(position, 60_000))) throw new Error('the areas did not reach the read models within 60 s');

      const references = importReferences(runtime.store, runtime.readModels);
      const timed = timedStore(runtime.store);
      const imports = new ImportRun(runtime.db, timed.store, references, runtime.clock, { timeZone: runtime.config.timeZone });
      const incidentEvents = async (): Promise<number> => {
        const { rows: [row] } = await runtime.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".events WHERE stream_id LIKE 'incident-%'`);
        return Number(row!.n);
      };

      const importOnce = async (label: string): Promise<ImportRunFigures> => {
        const before = await incidentEvents();
        Object.assign(timed.times, { readMs: 0, appendMs: 0, appends: 0, events: 0 });
        const rss = new RssSampler();
        const meter = new CpuMeter(database);
        const t0 = performance.now();
        const importId = randomUUID();
        await imports.start(
          { importId, partnership: PARTNERSHIP, source: SOURCE, format: 'police-uk-street', complete: false, sentBy: 'bench' },
          createReadStream(generated.path),
          runtime.config.importMaxBytes,
        );
        const t1 = performance.now();
        const file = await imports.run(importId);
        const t2 = performance.now();
        if (!file || file.status !== 'completed') throw new Error(`import ${importId} ended ${file?.status}: ${file?.reason}`);
        if (!(await runtime.projections.waitFor(file.position!, 600_000))) throw new Error('the projections did not catch up within 10 minutes');
        const t3 = performance.now();
        const rssPeak = rss.stop();
        const cpu = meter.read();
        const figures: ImportRunFigures = {
          importId,
          file,
          stageSeconds: round1((t1 - t0) / 1000),
          runSeconds: round1((t2 - t1) / 1000),
          catchUpSeconds: round1((t3 - t2) / 1000),
          totalSeconds: round1((t3 - t0) / 1000),
          rowsPerSecond: Math.round(file.counts.rowsRead / ((t3 - t0) / 1000)),
          readStreamsSeconds: round1(timed.times.readMs / 1000),
          appendSeconds: round1(timed.times.appendMs / 1000),
          appends: timed.times.appends,
          incidentEventsAppended: (await incidentEvents()) - before,
          rss: rssPeak,
          cpu: { nodeS: round1(cpu.selfMs / 1000), postgresS: round1(cpu.postgresMs / 1000) },
        };
        console.log(
          `  ${label}: ${figures.totalSeconds} s (stage ${figures.stageSeconds}, run ${figures.runSeconds}, catch-up ${figures.catchUpSeconds}), ${figures.rowsPerSecond} rows/s, ${figures.incidentEventsAppended} incident events, RSS ${rssPeak.startMb} -> peak ${rssPeak.sampledPeakMb} MB`,
        );
        return figures;
      };

      const first = await importOnce('import');
      // Visible: the weekly and monthly counts, the points and hotspots' incident counts hold every recorded incident.
      const sums = async () => {
        const q = (sql: string) => runtime.readModels.dataSource.query(sql) as Promise<{ n: string }[]>;
        const [weekly] = await q(`SELECT coalesce(sum(count), 0) AS n FROM "${schema}".incident_counts_weekly`);
        const [monthly] = await q(`SELECT coalesce(sum(count), 0) AS n FROM "${schema}".incident_counts_monthly`);
        const [points] = await q(`SELECT count(*) AS n FROM "${schema}".incident_points`);
        // Month-precision incidents (all of a data.police.uk file) never enter weekly counts (evidence.md).
        const [weeklyExpected] = await q(`SELECT count(*) AS n FROM "${schema}".incident_points WHERE precision <> 'month'`);
        const byArea = (await app!.app.get(QueryBus).execute(new AreaIncidentCountsQuery({ partnerships: [PARTNERSHIP], fromMs: null, toMs: Date.now() }))) as Map<string, number>;
        return { weekly: Number(weekly!.n), weeklyExpected: Number(weeklyExpected!.n), monthly: Number(monthly!.n), points: Number(points!.n), hotspotIncidents: [...byArea.values()].reduce((a, b) => a + b, 0), hotspotAreas: byArea.size };
      };
      const visible = await sums();
      console.log(`  visible: weekly ${visible.weekly} (of ${visible.weeklyExpected} not of month precision), monthly ${visible.monthly}, points ${visible.points}, hotspots' incidents ${visible.hotspotIncidents} in ${visible.hotspotAreas} areas (recorded ${first.file.counts.recorded})`);
      const again = await importOnce('re-import');

      // The row path alone, no database: CSV parsing, mapping, area, category, id and content hash.
      const areasOf = await references.areasOf(PARTNERSHIP);
      const parse = await parseOnly(generated.path, areasOf, runtime.config.timeZone);
      console.log(`  parse only: ${parse.rows} rows in ${parse.seconds} s = ${parse.rowsPerSecond} rows/s`);

      // The ceiling, in the same run: batches of 100 events through the store and as one plain INSERT.
      const ceiling = await appendBatchBenchmark.run(ctx);
      const storeRate = (ceiling.figures['store'] as { eventsPerSecond: number }).eventsPerSecond;
      const insertRate = (ceiling.figures['insert'] as { eventsPerSecond: number }).eventsPerSecond;
      const eventsPerSecond = Math.round(first.incidentEventsAppended / first.runSeconds);

      const share = (seconds: number) => `${Math.round((seconds / first.totalSeconds) * 100)}%`;
      const otherRun = Math.max(0, first.runSeconds - first.readStreamsSeconds - first.appendSeconds - parse.seconds);
      const phases: Table = {
        title: `Where the first import's ${first.totalSeconds} s went (wall time; the projections run in this process meanwhile)`,
        columns: ['phase', 'seconds', 'share'],
        rows: [
          ['staging: the file read, checked whole (CSV parse) and written to the staging table', first.stageSeconds, share(first.stageSeconds)],
          ['parsing: CSV, mapping, area, category, id and hash of every row (measured alone, no database)', parse.seconds, share(parse.seconds)],
          ["reading the incidents' streams (deciding against the log)", first.readStreamsSeconds, share(first.readStreamsSeconds)],
          [`appending (${first.appends} multi-stream appends)`, first.appendSeconds, share(first.appendSeconds)],
          ['rest of the run: deciding, the import ledger, progress, staged reads, waiting on the CPU the projections take', round1(otherRun), share(otherRun)],
          ['projecting: from the last append until the read models hold it', first.catchUpSeconds, share(first.catchUpSeconds)],
        ],
      };
      const runs: Table = {
        title: `Import of ${rows} rows (${(generated.bytes / 1024 / 1024).toFixed(0)} MB; ${AREAS} areas x ${LSOAS_PER_AREA} LSOAs, ${MONTHS} months)`,
        columns: ['run', 'seconds to visible', 'rows/s', 'recorded', 'unchanged', 'incident events', 'RSS MB at start', 'peak RSS MB (250 ms)', 'VmHWM MB', 'peak heap used MB', 'CPU s Node', 'CPU s PG'],
        rows: [first, again].map((r, i) => [
          i === 0 ? 'first import' : 're-import (same file)',
          r.totalSeconds,
          r.rowsPerSecond,
          r.file.counts.recorded,
          r.file.counts.unchanged,
          r.incidentEventsAppended,
          r.rss.startMb,
          r.rss.sampledPeakMb,
          r.rss.highWaterMarkMb ?? '-',
          r.rss.heapUsedPeakMb,
          r.cpu.nodeS,
          r.cpu.postgresS,
        ]),
      };
      const baseline: Table = {
        title: 'Against the batched-append ceiling measured in this run',
        columns: ['what', 'events or rows/s', 'import rows/s ÷ this'],
        rows: [
          ['import, rows/s until visible', first.rowsPerSecond, 1],
          ['import run, incident events appended/s (run phase only)', eventsPerSecond, ratio(first.rowsPerSecond, eventsPerSecond)],
          ['store, batches of 100 events (append-batch)', storeRate, ratio(first.rowsPerSecond, storeRate)],
          ['plain multi-row INSERT of 100 rows (the ceiling)', insertRate, ratio(first.rowsPerSecond, insertRate)],
        ],
      };
      const recorded = first.file.counts.recorded;
      const targets: Target[] = [
        { what: `${rows} rows imported and visible in the counts`, value: first.totalSeconds, unit: 's', target: '< 180 s', met: first.totalSeconds < 180 },
        { what: 'importing process RSS throughout', value: first.rss.sampledPeakMb, unit: 'MB', target: '< 400 MB', met: first.rss.sampledPeakMb < 400 },
        { what: 're-import of the same file', value: again.totalSeconds, unit: 's', target: `< ${round1(first.totalSeconds / 4)} s (a quarter)`, met: again.totalSeconds < first.totalSeconds / 4 },
        { what: 're-import: incident events appended', value: again.incidentEventsAppended, unit: 'events', target: '0', met: again.incidentEventsAppended === 0 },
        {
          what: "every recorded incident in the monthly counts and hotspots' incidents (weekly: those not of month precision)",
          value: visible.monthly,
          unit: 'incidents',
          target: `${recorded} in each`,
          met: visible.monthly === recorded && visible.hotspotIncidents === recorded && visible.weekly === visible.weeklyExpected,
        },
      ];
      return {
        tables: [runs, phases, baseline, ...ceiling.tables],
        figures: { rows, file: { bytes: generated.bytes, areas: AREAS, lsoasPerArea: LSOAS_PER_AREA, months: MONTHS, lastMonth }, first, again, visible, parse, ceiling: ceiling.figures },
        targets,
        notes: [
          'Seconds to visible: from the first byte staged until the projection runner reports its checkpoint at the import\'s last position (weekly, monthly counts and the points hotspots count).',
          'Phases are wall time in one process: the projections (all read models) run on the same event loop during the run, so their cost shows inside the run phases as well as in the catch-up after it.',
          `Peak RSS: process.memoryUsage.rss() every ${RSS_SAMPLE_MS} ms from the start of staging until visible; VmHWM is the kernel's high-water mark over the same span where /proc/self/clear_refs could reset it.`,
        ],
      };
    } finally {
      await app?.close();
      if (ctx.options.flags.has('keep-dataset')) forgetSchema(schema);
      else await dropSchema(ctx.databaseUrl, schema);
    }
  },
};

/** The per-row work of a run without the database: what parsing and mapping cost alone. */
async function parseOnly(path: string, areas: ResolvableArea[], timeZone: string): Promise<{ rows: number; seconds: number; rowsPerSecond: number }> {
  const mapper = policeUkStreetRows({ now: new Date().toISOString(), timeZone });
  const t0 = performance.now();
  let rows = 0;
  for await (const item of readCsvRows(createReadStream(path), { columns: mapper.columns })) {
    rows += 1;
    const mapped = 'rejection' in item ? item : mapper.map(item);
    if ('rejection' in mapped) continue;
    const areaCode = resolveArea(mapped.location, areas);
    if (areaCode === undefined) continue;
    const { category } = mapCategory(mapped.sourceCategory, POLICE_UK_CATEGORY_MAP);
    incidentIdOf(PARTNERSHIP, SOURCE, mapped.externalId);
    contentHashOf({ ...mapped, category, location: { ...mapped.location, areaCode } });
  }
  const seconds = (performance.now() - t0) / 1000;
  return { rows, seconds: round1(seconds), rowsPerSecond: Math.round(rows / seconds) };
}

const round1 = (value: number) => Math.round(value * 10) / 10;
