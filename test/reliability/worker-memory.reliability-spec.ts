import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresEventStore, openDatabase, type Database, type EventStore } from '@tasking/event-store';
import { cleanRedis, SHARED_REDIS_URL } from '../jobs/support/jobs-app';
import { writeScenario } from '../support/scenario';
import { createDatabase } from './support/databases';
import { startEntry, type Running } from './support/processes';

/**
 * Memory of the separate worker under a steady load (issue 15, finding 19): apps/worker
 * (WORKER_MODE=separate, a database of the test's own, the shared Redis) projects a stream of
 * problems written to the log at a modest rate and runs the jobs they call for (notifications,
 * deadlines and the escalations they append). After a warm-up, its resident set may grow by at
 * most 1 MB a minute: the least-squares slope of each minute's lowest sample. The lowest, because
 * the resident set follows the capacity V8 gives its heap, which rises and falls by tens of MB
 * between major collections (heap snapshots 2 and 5.5 minutes in held 34.6 and 35.0 MB, the
 * difference compiled code; the raw samples' slope ranged from -3.6 to +5.8 MB a minute across
 * runs, the resident set climbing 30 to 40 MB and falling back under the same load); a leak lifts
 * every minute's floor, a collection cycle does not.
 *
 * SOAK_MINUTES (default 8) and SOAK_WARMUP_MINUTES (default 2) set the length; SOAK_PROBLEMS_PER_SECOND
 * (default 1, about 11 events a second) the load; SOAK_NODE_OPTIONS is passed to the worker as
 * NODE_OPTIONS (e.g. `--heapsnapshot-signal=SIGUSR2` to take heap snapshots while it runs).
 */

const MINUTES = Number(process.env.SOAK_MINUTES ?? 8);
const WARMUP_MINUTES = Number(process.env.SOAK_WARMUP_MINUTES ?? 2);
const PROBLEMS_PER_SECOND = Number(process.env.SOAK_PROBLEMS_PER_SECOND ?? 1);
const SAMPLE_EVERY_MS = 5_000;
const LIMIT_MB_PER_MINUTE = 1;

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  return kb / 1024;
}

/** Least-squares slope of (minutes, MB). */
function slope(samples: { minutes: number; mb: number }[]): number {
  const n = samples.length;
  const mx = samples.reduce((s, p) => s + p.minutes, 0) / n;
  const my = samples.reduce((s, p) => s + p.mb, 0) / n;
  const sxy = samples.reduce((s, p) => s + (p.minutes - mx) * (p.mb - my), 0);
  const sxx = samples.reduce((s, p) => s + (p.minutes - mx) ** 2, 0);
  return sxy / sxx;
}

describe('the separate worker under a steady load', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let db: Database | undefined;
  let store: EventStore | undefined;
  let worker: Running | undefined;
  let dataDir: string;
  const prefix = `soak${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    database = await createDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'tl-soak-'));
  });

  afterAll(async () => {
    await worker?.kill('SIGKILL');
    await store?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await database?.drop();
    await cleanRedis(SHARED_REDIS_URL, prefix);
    await rm(dataDir, { recursive: true, force: true });
  });

  it(`grows its resident set by at most ${LIMIT_MB_PER_MINUTE} MB a minute after a warm-up`, async () => {
    worker = startEntry('worker', {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
      SECRETS_KEY: randomBytes(32).toString('base64'),
      WORKER_MODE: 'separate',
      REDIS_URL: SHARED_REDIS_URL,
      QUEUE_PREFIX: prefix,
      WEBHOOK_ATTEMPTS: '1',
      WEBHOOK_TIMEOUT_MS: '1000',
      LOG_LEVEL: 'warn',
      ...(process.env.SOAK_NODE_OPTIONS ? { NODE_OPTIONS: process.env.SOAK_NODE_OPTIONS } : {}),
    });
    await worker.waitFor(/^Tasking Ledger worker: running projections/, 90_000);
    const pid = worker.child.pid!;
    db = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 2 });
    store = await createPostgresEventStore(db);

    const started = Date.now();
    const end = started + MINUTES * 60_000;
    const samples: { minutes: number; mb: number }[] = [];
    let nextSample = started;
    let seed = 1;
    let written = 0;
    while (Date.now() < end) {
      const tick = Date.now();
      await writeScenario(store, { problems: PROBLEMS_PER_SECOND, seed: seed++ });
      written += PROBLEMS_PER_SECOND;
      if (Date.now() >= nextSample) {
        samples.push({ minutes: (Date.now() - started) / 60_000, mb: await rssMb(pid) });
        nextSample += SAMPLE_EVERY_MS;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - tick))));
    }
    expect(worker.child.exitCode).toBeNull();
    const measured = samples.filter((s) => s.minutes >= WARMUP_MINUTES);
    // Each whole minute after the warm-up: its lowest sample.
    const floors: { minutes: number; mb: number }[] = [];
    for (let from = WARMUP_MINUTES; from + 1 <= MINUTES + 1e-9; from += 1) {
      const inMinute = measured.filter((s) => s.minutes >= from && s.minutes < from + 1);
      if (inMinute.length > 0) floors.push(inMinute.reduce((low, s) => (s.mb < low.mb ? s : low)));
    }
    const growth = slope(floors);
    const first = measured[0]!;
    const last = measured[measured.length - 1]!;
    console.log(
      `worker memory: ${written} problems in ${MINUTES} min; RSS ${samples[0]!.mb.toFixed(1)} MB at start, ${first.mb.toFixed(1)} MB after ${WARMUP_MINUTES} min warm-up, ` +
        `${last.mb.toFixed(1)} MB at the end; growth after warm-up ${growth.toFixed(2)} MB/min (minute floors ${floors.map((f) => f.mb.toFixed(1)).join(', ')}), ` +
        `raw samples' slope ${slope(measured).toFixed(2)} MB/min; samples ${samples.map((s) => `${s.minutes.toFixed(1)}:${s.mb.toFixed(0)}`).join(' ')}`,
    );
    expect(floors.length).toBeGreaterThanOrEqual(3);
    expect(growth).toBeLessThanOrEqual(LIMIT_MB_PER_MINUTE);
  });
});
