import { appendEvents, appendAtomically } from '../../../../test/support/events';
import { openTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { openReadModels, type ReadModels } from '../read-models';
import { ProjectionRunner } from '../runner/projection-runner';
import { ANALYTICS_TABLES } from './analytics.projection';
import { analyticsReadModel } from './index';
import { queryDischarged } from './queries/discharged.query';
import { queryHotspots } from './queries/hotspots.query';
import { queryOutcomes } from './queries/outcomes.query';
import { queryTacticalOptions } from './queries/tactics.query';
import { uuidOf } from './testing/events';

/** Through the real store and runner, on PostgreSQL and on the embedded PGlite: live, then rebuilt. */
describe.each([
  ['postgres', false],
  ['embedded', true],
])('analytics projection under the runner (%s)', (_, embedded) => {
  let test: TestDatabase;
  let readModels: ReadModels;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    test = await openTestDatabase({ embedded });
    readModels = await openReadModels(test.db, [analyticsReadModel]);
    runner = new ProjectionRunner(test.store, readModels, { batchSize: 4, idleWaitMs: 50, logger: { warn: () => undefined, error: () => undefined } });
    await runner.start();
  }, 60_000);

  afterAll(async () => {
    await runner?.stop();
    await readModels?.close();
    await test?.close();
  });

  const dump = async () => {
    const tables: Record<string, string[]> = {};
    for (const table of ANALYTICS_TABLES) {
      const rows: { row: string }[] = await readModels.dataSource.query(`SELECT to_jsonb(t)::text AS row FROM ${table} t ORDER BY 1`);
      tables[table] = rows.map((r) => r.row);
    }
    return tables;
  };

  it('projects appended events, and a rebuild gives identical tables', async () => {
    const problem = uuidOf(`runner-${embedded}-p`);
    const action = uuidOf(`runner-${embedded}-a`);
    const later = uuidOf(`runner-${embedded}-later`);
    await appendEvents(test.store, 'area-town', [{ type: 'AreaRegistered', data: { code: 'town', name: 'Town', partnership: 'default', centroid: { lat: 51.6, lng: -0.1 } } }], {
      recordedAt: '2025-01-01T00:00:00Z',
    });
    await appendEvents(
      test.store,
      `problem-${problem}`,
      [
        {
          type: 'ProblemRaised',
          data: {
            problemId: problem,
            partnership: 'default',
            title: 'Fly-tipping behind the parade',
            description: 'Bags dumped weekly',
            category: 'fly-tipping',
            location: { areaCode: 'town', lat: 51.61, lng: -0.11 },
            priority: 'high',
            source: 'tasking-meeting',
            raisedAt: '2025-01-02T09:00:00Z',
          },
        },
      ],
      { recordedAt: '2025-01-02T09:00:00Z' },
    );
    await appendAtomically(
      test.store,
      [
        { stream: `problem-${problem}`, events: [{ type: 'ActionAgreed', data: { actionId: action, agency: 'COUNCIL-ASB' } }] },
        {
          stream: `action-${action}`,
          events: [
            {
              type: 'ActionAssigned',
              data: {
                actionId: action,
                problemId: problem,
                partnership: 'default',
                agency: 'COUNCIL-ASB',
                description: 'Clear the site',
                tactic: { category: 'environmental', name: 'fly-tip removal' },
                dueBy: '2025-01-10T17:00:00Z',
                assignedAt: '2025-01-03T09:00:00Z',
              },
            },
          ],
        },
      ],
      { recordedAt: '2025-01-03T09:00:00Z' },
    );
    await appendEvents(test.store, `action-${action}`, [{ type: 'ActionReassigned', data: { fromAgency: 'COUNCIL-ASB', toAgency: 'COUNCIL-ENV', reason: 'remit' } }], {
      recordedAt: '2025-01-04T09:00:00Z',
    });
    await appendEvents(
      test.store,
      `action-${action}`,
      [
        { type: 'ActionClaimed', data: { by: { userId: 'u1', name: 'Sam', agency: 'COUNCIL-ENV' } } },
        { type: 'ActionDischarged', data: { result: 'completed', note: 'cleared', dischargedAt: '2025-01-08T09:00:00Z' } },
      ],
      { recordedAt: '2025-01-08T09:00:00Z' },
    );
    await appendEvents(test.store, `problem-${problem}`, [{ type: 'ProblemClosed', data: { outcome: 'eliminated', assessment: 'gone', closedAt: '2025-01-20T09:00:00Z' } }], {
      recordedAt: '2025-01-20T09:00:00Z',
    });
    const { position } = await appendEvents(
      test.store,
      `problem-${later}`,
      [
        {
          type: 'ProblemRaised',
          data: {
            problemId: later,
            partnership: 'default',
            title: 'Fly-tipping again',
            description: 'Back',
            category: 'fly-tipping',
            location: { areaCode: 'town' },
            source: 'community',
            raisedAt: '2025-02-20T09:00:00Z',
          },
        },
      ],
      { recordedAt: '2025-02-20T09:00:00Z' },
    );
    expect(await runner.waitFor(position, 10_000, ['analytics'])).toBe(true);

    const sql = readModels.dataSource;
    const now = Date.parse('2025-03-01T00:00:00Z');
    expect(await queryHotspots(sql, { partnerships: ['default'], fromMs: null, toMs: now, nowMs: now })).toEqual([
      expect.objectContaining({ areaCode: 'town', openProblems: 1, raised: 2, closed: 1, score: 1 }),
    ]);
    expect(await queryDischarged(sql, { partnerships: ['default'], fromMs: null, toMs: now })).toMatchObject({
      discharged: 1,
      onTimeRate: 1,
      medianDaysToDischarge: 5,
      byAgency: [expect.objectContaining({ agency: 'COUNCIL-ENV', discharged: 1 })],
    });
    expect(await queryOutcomes(sql, { partnerships: ['default'], fromMs: null, toMs: now, timeZone: 'Europe/London' })).toMatchObject({
      closed: 1,
      recurrences: 1,
      medianDaysOpen: 18,
      byMonth: [expect.objectContaining({ month: '2025-01' })],
    });
    expect((await queryTacticalOptions(sql, { partnerships: ['default'], limit: 10, offset: 0 })).items).toEqual([
      expect.objectContaining({ problemCategory: 'fly-tipping', uses: 1, closedUses: 1, successRate: 1, medianDaysToDischarge: 5 }),
    ]);

    const live = await dump();
    const rebuilt = await runner.rebuild('analytics');
    expect(rebuilt.position).toBe(position);
    expect(await dump()).toEqual(live);
  }, 60_000);
});
