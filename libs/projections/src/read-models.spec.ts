import { randomUUID } from 'node:crypto';
import { appendEvents } from '../../../test/support/events';
import { problemRaised } from '../../../test/support/fixtures';
import { openTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { readModelSchema } from './index';
import { ProblemEntity } from './problems';
import { openReadModels, readModelMigrations, type ReadModels } from './read-models';

describe.each([
  ['postgres', false],
  ['embedded', true],
])('read models (%s)', (_, embedded) => {
  let test: TestDatabase;
  let readModels: ReadModels;
  let connects: jest.SpyInstance;

  beforeAll(async () => {
    test = await openTestDatabase({ embedded });
    connects = jest.spyOn(test.db.pool, 'connect');
    readModels = await openReadModels(test.db, readModelSchema);
  }, 60_000);

  afterAll(async () => {
    await readModels?.close();
    await test?.close();
  });

  it('runs the migrations into the database schema and registers the entities', async () => {
    const tables: { table_name: string }[] = await readModels.dataSource.query(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [test.db.schema],
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['actions', 'agencies', 'areas', 'events', 'interventions', 'meeting_attendees', 'meeting_problems', 'meetings', 'problems', 'projection_checkpoints', 'read_model_migrations', 'tasking_groups']),
    );
    expect(readModels.dataSource.getMetadata(ProblemEntity).tableName).toBe('problems');
    expect(readModels.projections.map((p) => p.name).slice(0, 5)).toEqual(['reference-data', 'problems', 'meetings', 'analytics', 'incidents']);
    // Open311 clients, partnership settings and requests.
    expect(readModels.projections.map((p) => p.name)).toEqual(expect.arrayContaining(['open311-settings', 'open311-requests']));
  });

  it('does not run a migration twice when opened again', async () => {
    const again = await openReadModels(test.db, readModelSchema);
    await again.close();
    const [row]: { n: string }[] = await readModels.dataSource.query('SELECT count(*)::text AS n FROM read_model_migrations');
    expect(Number(row!.n)).toBe(readModelMigrations(readModelSchema).length);
  });

  it('queries through the Database pool and leaves it open when closed', async () => {
    expect(connects).toHaveBeenCalled();
    const before = connects.mock.calls.length;
    await readModels.dataSource.getRepository(ProblemEntity).count();
    expect(connects.mock.calls.length).toBeGreaterThan(before);
    expect(test.db.pool.totalCount).toBeLessThanOrEqual(embedded ? 1 : 10);

    const other = await openReadModels(test.db, readModelSchema);
    await other.close();
    const { rows } = await test.db.pool.query('SELECT 1 AS one');
    expect(rows[0].one).toBe(1);
  });

  it('shares the one session with the event store without deadlock or lost writes', async () => {
    const work = Array.from({ length: 10 }, async (_, i) => {
      const problemId = randomUUID();
      await appendEvents(test.store, `problem-${problemId}`, [problemRaised(problemId)]);
      const runner = readModels.dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      await runner.query(`INSERT INTO agencies (code, name, kind, active, revision, position) VALUES ($1, 'x', 'other', true, 0, '')`, [`A${i}`]);
      if (i % 3 === 0) await runner.rollbackTransaction();
      else await runner.commitTransaction();
      await runner.release();
    });
    await Promise.all(work);
    const [row]: { n: string }[] = await readModels.dataSource.query(`SELECT count(*)::text AS n FROM agencies WHERE code LIKE 'A%'`);
    expect(Number(row!.n)).toBe(6);
    expect(test.db.pool.totalCount).toBeLessThanOrEqual(embedded ? 1 : 10);
  });
});
