import { randomUUID } from 'node:crypto';
import { openReadSide, type ReadSide } from '../../../../test/support/read-side';
import { writeScenario } from '../../../../test/support/scenario';
import { readModelSchema } from '../index';
import { openReadModels } from '../read-models';
import { RebuildAlreadyRunningError, UnknownProjectionError } from './errors';
import { ProjectionRunner, type RebuildProgress } from './projection-runner';

/** Every table of every projection, each row by row in a stable order. */
async function snapshot(side: ReadSide): Promise<Record<string, Record<string, unknown>[]>> {
  const tables = side.readModels.projections.flatMap((projection) => projection.tables);
  return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await side.rows(table)] as const)));
}

async function indexNames(side: ReadSide): Promise<string[]> {
  const rows: { indexname: string }[] = await side.readModels.dataSource.query(
    'SELECT indexname FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname',
    [side.db.schema],
  );
  return rows.map((row) => row.indexname);
}

describe.each([
  ['postgres', false, 60],
  ['embedded', true, 20],
])('rebuild (%s)', (_, embedded, problems) => {
  let side: ReadSide;
  beforeAll(async () => {
    // Small live batches, so the incremental tables are built from rows loaded back batch after batch.
    side = await openReadSide({ embedded, runner: { batchSize: 5, rebuildBatchSize: 37 } });
  }, 60_000);
  afterAll(() => side.close());

  it('gives tables equal, row by row, to the ones built incrementally, keeping index names and checkpoints', async () => {
    const last = await writeScenario(side.store, { problems, partnerships: ['default', 'elsewhere'] });
    await side.caughtUp(last.position);
    const incremental = await snapshot(side);
    expect(incremental['problems']!.length).toBe(problems);
    expect(incremental['actions']!.length).toBeGreaterThan(problems / 2);
    expect(incremental['interventions']!.length).toBeGreaterThan(0);
    const indexesBefore = await indexNames(side);
    const positionsBefore = await side.runner.positions();

    const progress: RebuildProgress[] = [];
    for (const name of side.runner.names) {
      const result = await side.runner.rebuild(name, (p) => progress.push(p));
      expect(result).toMatchObject({ projection: name, position: last.position });
    }
    expect(await snapshot(side)).toEqual(incremental);
    expect(await indexNames(side)).toEqual(indexesBefore);
    expect((await side.runner.positions()).map(({ name, position, status, eventsApplied }) => ({ name, position, status, eventsApplied }))).toEqual(
      positionsBefore.map(({ name, position, status, eventsApplied }) => ({ name, position, status, eventsApplied })),
    );
    const final = progress.at(-1)!;
    expect(final.done).toBe(final.total);
    expect(progress.some((p) => p.done > 0 && p.done < final.done)).toBe(true);
    // All at once, in one pass over the log: the same tables again.
    const all = await side.runner.rebuildAll();
    expect(all.map((r) => r.projection)).toEqual(side.runner.names);
    expect(await snapshot(side)).toEqual(incremental);
    // Swapped in vacuumed, with planner statistics: each table's row estimate is its row count.
    const estimates: { relname: string; reltuples: number; vacuumed: boolean }[] = await side.readModels.dataSource.query(
      `SELECT c.relname, c.reltuples::int AS reltuples, s.last_vacuum IS NOT NULL AS vacuumed
         FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
        WHERE c.relnamespace = $1::regnamespace AND c.relname = ANY($2::text[]) ORDER BY c.relname`,
      [side.db.schema, Object.keys(incremental)],
    );
    expect(estimates).toEqual(Object.keys(incremental).sort().map((relname) => ({ relname, reltuples: incremental[relname]!.length, vacuumed: true })));
    const leftovers: unknown[] = await side.readModels.dataSource.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rb\\_%'`);
    expect(leftovers).toEqual([]);
  });

  it('swaps in a rebuild made while events keep arriving, then matches a quiet rebuild', async () => {
    const job = side.runner.jobs.start('problems');
    expect(job).toMatchObject({ type: 'projection-rebuild', projection: 'problems', state: 'running' });
    expect(side.runner.jobs.start('problems').id).toBe(job.id);
    const during = await writeScenario(side.store, { problems: 5, seed: 7 });
    for (let i = 0; i < 200 && side.runner.jobs.get(job.id)!.state === 'running'; i += 1) await new Promise((r) => setTimeout(r, 50));
    const done = side.runner.jobs.get(job.id)!;
    expect(done).toMatchObject({ state: 'completed', error: null, finishedAt: expect.any(String) });
    expect(done.progress.done).toBe(done.result!.events);
    await side.caughtUp(during.position);
    const mixed = await snapshot(side);
    await side.runner.rebuild('problems');
    expect(await snapshot(side)).toEqual(mixed);
  });

  (embedded ? it.skip : it)(`catches up inside the swap with a live runner of another process that got ahead${embedded ? ' — skipped on embedded: one process only' : ''}`, async () => {
    // This runner is "another process" (the API with WORKER_MODE=separate): it rebuilds, while the
    // suite's started runner keeps the live projection going.
    const otherModels = await openReadModels(side.db, readModelSchema);
    const other = new ProjectionRunner(side.store, otherModels, { rebuildBatchSize: 37, logger: { warn: () => undefined, error: () => undefined } });
    const internals = (other as unknown as { shadowRebuild: { swap: (...args: unknown[]) => Promise<unknown> } }).shadowRebuild;
    const swap = internals.swap.bind(internals);
    let ahead = '';
    jest.spyOn(internals, 'swap').mockImplementationOnce(async (...args: unknown[]) => {
      const more = await writeScenario(side.store, { problems: 3, seed: 11 });
      await side.caughtUp(more.position);
      ahead = more.position;
      return swap(...args);
    });
    const result = await other.rebuild('problems');
    expect(ahead).not.toBe('');
    expect(result.position >= ahead).toBe(true);
    const swapped = await snapshot(side);
    await side.runner.rebuild('problems');
    expect(await snapshot(side)).toEqual(swapped);
    await other.stop();
    await otherModels.close();
  });

  it('refuses a second rebuild of a projection while one runs', async () => {
    const first = side.runner.rebuild('meetings');
    await expect(side.runner.rebuildAll(['problems', 'meetings'])).rejects.toBeInstanceOf(RebuildAlreadyRunningError);
    await first;
    await expect(side.runner.rebuild('problems')).resolves.toMatchObject({ projection: 'problems' });
  });

  it('refuses an unknown projection', async () => {
    await expect(side.runner.rebuild(`nope-${randomUUID()}`)).rejects.toBeInstanceOf(UnknownProjectionError);
    expect(() => side.runner.jobs.start('nope')).toThrow(UnknownProjectionError);
  });
});
