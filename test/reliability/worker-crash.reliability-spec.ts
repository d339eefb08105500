import { randomBytes } from 'node:crypto';
import { createPostgresEventStore, openDatabase, type Database, type EventStore } from '@tasking/event-store';
import { openReadModels, ProjectionRunner, readModelSchema, type ReadModels } from '@tasking/projections';
import { sparePort } from '../jobs/support/redis-server';
import { prng, writeScenario } from '../support/scenario';
import { createDatabase } from './support/databases';
import { eventCount } from './support/log';
import { startEntry, type Running } from './support/processes';

/**
 * Crash safety of the projections (quality.md, Reliability): the worker process (apps/worker,
 * WORKER_MODE=separate, on a database of the test's own) is killed with SIGKILL at random points
 * while it catches up with a backlog, at least 5 times over a 20,000-event load; each kill comes
 * while one of its projection transactions is open (seen in pg_stat_activity). After the last
 * restart has caught up, every read-model table equals, row for row, what a from-scratch rebuild
 * of the same log produces.
 */

const TARGET_EVENTS = Number(process.env.CRASH_EVENTS ?? 20_000);
const KILLS = Number(process.env.CRASH_KILLS ?? 8);
const EVENTS_PER_PROBLEM = 10; // writeScenario writes about ten and a half per problem

describe('worker killed with SIGKILL in the middle of projection batches', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let db: Database;
  let store: EventStore;
  let readModels: ReadModels;
  let runner: ProjectionRunner;
  let worker: Running | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createDatabase();
    env = {
      // The worker's sessions are told apart in pg_stat_activity by their application name.
      DATABASE_URL: `${database.url}?application_name=tl-crash-worker`,
      AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
      WORKER_MODE: 'separate',
      // No Redis answers here: the jobs wait in the log (and no webhook leaves the machine).
      REDIS_URL: `redis://127.0.0.1:${await sparePort()}`,
      QUEUE_PREFIX: `crash${randomBytes(3).toString('hex')}`,
      LOG_LEVEL: 'silent',
    };
  });

  afterAll(async () => {
    await worker?.kill();
    await readModels?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await database?.drop();
  });

  async function startWorker(): Promise<Running> {
    const started = startEntry('worker', env);
    await started.waitFor(/^Tasking Ledger worker: running projections/, 90_000);
    return started;
  }

  /** Open transactions of the worker's sessions right now (a projection batch, once it runs). */
  async function workerTransactions(): Promise<number> {
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = $1 AND application_name = 'tl-crash-worker' AND xact_start IS NOT NULL AND state <> 'idle'`,
      [database.name],
    );
    return rows[0]!.n;
  }

  async function caughtUp(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const head = await store.headPosition();
      const positions = await runner.positions();
      if (positions.every((p) => p.position >= head)) return;
      if (Date.now() > deadline) throw new Error(`projections did not catch up with ${head}: ${JSON.stringify(positions)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Every row of every table of every projection, as sorted JSON text. */
  async function snapshot(): Promise<Map<string, string[]>> {
    const tables = new Map<string, string[]>();
    for (const projection of readModels.projections) {
      for (const table of projection.tables) {
        const { rows } = await db.pool.query<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM "${table}" t ORDER BY 1`);
        tables.set(`${projection.name}.${table}`, rows.map((r) => r.row));
      }
    }
    return tables;
  }

  it(`keeps every read model equal to a rebuild after ${KILLS} kills over ${TARGET_EVENTS} events`, async () => {
    const random = prng(Number(process.env.CRASH_SEED ?? Date.now() % 100_000));
    worker = await startWorker();
    db = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 4 });
    store = await createPostgresEventStore(db);
    readModels = await openReadModels(db, readModelSchema);
    runner = new ProjectionRunner(store, readModels, { logger: { warn: () => undefined, error: () => undefined } });

    const rollbacks = async () =>
      Number((await db.pool.query<{ n: string }>('SELECT xact_rollback::text AS n FROM pg_stat_database WHERE datname = $1', [database.name])).rows[0]!.n);
    const rollbacksBefore = await rollbacks();
    const problemsPerCycle = Math.ceil(TARGET_EVENTS / KILLS / EVENTS_PER_PROBLEM);
    const kills: { at: number; openTransactions: number; afterMs: number }[] = [];
    for (let cycle = 0; cycle < KILLS; cycle += 1) {
      // A backlog: written while the worker is down (or, in the first cycle, while it runs).
      await writeScenario(store, { problems: problemsPerCycle, seed: 1000 + cycle });
      worker ??= await startWorker();
      // Wait for a projection batch to be under way, then kill at a random point of the catch-up.
      const deadline = Date.now() + 30_000;
      while ((await workerTransactions()) === 0) {
        if (Date.now() > deadline) throw new Error('no projection transaction seen within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      // A random point of the catch-up: wait a little, then kill as soon as a batch is seen open.
      const afterMs = Math.floor(random() * 60);
      await new Promise((resolve) => setTimeout(resolve, afterMs));
      let open = 0;
      const latest = Date.now() + 5000;
      while ((open = await workerTransactions()) === 0 && Date.now() < latest) await new Promise((resolve) => setTimeout(resolve, 1));
      await worker.kill('SIGKILL');
      kills.push({ at: await eventCount(db), openTransactions: open, afterMs });
      worker = undefined;
    }

    // The last restart catches up; then the worker stops on SIGTERM.
    worker = await startWorker();
    await caughtUp(180_000);
    expect(await worker.kill('SIGTERM')).toBe(0);
    worker = undefined;

    const total = await eventCount(db);
    const rolledBack = (await rollbacks()) - rollbacksBefore;
    const checkpoints = await runner.positions();
    expect(checkpoints.filter((c) => c.status !== 'running')).toEqual([]);
    // Exactly once: every projection counted every event of the log once, across all the kills.
    expect(checkpoints.map((c) => [c.name, c.eventsApplied])).toEqual(checkpoints.map((c) => [c.name, total]));
    const live = await snapshot();
    const started = Date.now();
    await runner.rebuildAll();
    const rebuildMs = Date.now() - started;
    const rebuilt = await snapshot();

    const differences: string[] = [];
    for (const [table, rows] of live) {
      const fresh = rebuilt.get(table) ?? [];
      if (rows.length === fresh.length && rows.every((row, i) => row === fresh[i])) continue;
      const liveSet = new Set(rows);
      const freshSet = new Set(fresh);
      const onlyLive = rows.filter((r) => !freshSet.has(r)).slice(0, 2);
      const onlyRebuilt = fresh.filter((r) => !liveSet.has(r)).slice(0, 2);
      differences.push(`${table}: ${rows.length} live rows, ${fresh.length} rebuilt; only live ${onlyLive.join(' ')}; only rebuilt ${onlyRebuilt.join(' ')}`);
    }
    const rowCounts = Object.fromEntries([...live].map(([table, rows]) => [table, rows.length]));
    console.log(
      `worker crash: ${total} events, ${kills.length} kills (${kills.filter((k) => k.openTransactions > 0).length} with a projection transaction open), ` +
        `${rolledBack} transactions rolled back in the database, rebuild ${rebuildMs} ms; kills ${JSON.stringify(kills)}; rows ${JSON.stringify(rowCounts)}`,
    );
    expect(differences).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(TARGET_EVENTS);
    expect(kills.length).toBeGreaterThanOrEqual(5);
    expect(kills.filter((k) => k.openTransactions > 0).length).toBeGreaterThanOrEqual(5);
    // The tables are not trivially empty.
    expect(Object.values(rowCounts).filter((n) => n > 0).length).toBeGreaterThanOrEqual(5);
  });
});
