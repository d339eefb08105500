import { randomUUID } from 'node:crypto';
import type { EventData } from '@tasking/domain';
import { appendAtomically, appendEvents } from '../../../../test/support/events';
import { raiseProblem } from '../../../../test/support/fixtures';
import { incidentRecorded } from '../../../../test/support/incidents';
import { openReadSide, type ReadSide } from '../../../../test/support/read-side';
import { EmergingHotspotsHandler, EmergingHotspotsQuery } from './emerging.queries';
import { AreaIncidentCountsHandler, AreaIncidentCountsQuery, FindIncidentHandler, FindIncidentQuery, ProblemIncidentsHandler, ProblemIncidentsQuery } from './incidents.queries';
import { binomialUpperTail } from './statistics';

describe.each([
  ['postgres', false],
  ['embedded', true],
])('incident queries (%s)', (_, embedded) => {
  let side: ReadSide;
  beforeAll(async () => {
    side = await openReadSide({ embedded });
  }, 60_000);
  afterAll(() => side.close());

  /** Records incidents in one append; returns their ids and the position. */
  async function record(list: Partial<EventData<'IncidentRecorded'>>[]) {
    const ids = list.map(() => randomUUID());
    const result = await appendAtomically(
      side.store,
      list.map((data, i) => ({ stream: `incident-${ids[i]}`, events: [incidentRecorded(ids[i]!, data)] })),
    );
    return { ids, position: result.position };
  }
  /** `n` incidents spread over [from, from + days) at noon UTC. */
  const spread = (n: number, from: string, days: number, data: Partial<EventData<'IncidentRecorded'>>) =>
    Array.from({ length: n }, (_, i) => ({ ...data, occurredAt: new Date(Date.parse(`${from}T12:00:00Z`) + Math.floor((i * days) / n) * 86_400_000).toISOString() }));

  it('suggests open problems of the category in the area or within 250 m, and duplicates within 50 m and 72 hours', async () => {
    const partnership = `p-${randomUUID()}`;
    // 51.65 N: 0.001° of latitude is 111 m.
    const inArea = await raiseProblem(side.store, { partnership, category: 'drugs', location: { areaCode: 'enfield-town' } });
    const near = await raiseProblem(side.store, { partnership, category: 'drugs', location: { areaCode: 'edmonton', lat: 51.6520, lng: -0.0795 } });
    await raiseProblem(side.store, { partnership, category: 'drugs', location: { areaCode: 'edmonton', lat: 51.6560, lng: -0.0810 } });
    await raiseProblem(side.store, { partnership, category: 'theft', location: { areaCode: 'enfield-town', lat: 51.652, lng: -0.081 } });
    const closed = await raiseProblem(side.store, { partnership, category: 'drugs', location: { areaCode: 'enfield-town', lat: 51.652, lng: -0.081 } });
    await appendEvents(side.store, `problem-${closed.problemId}`, [{ type: 'ProblemClosed', data: { outcome: 'eliminated', assessment: 'gone quiet', closedAt: '2025-03-05T10:00:00Z' } }]);
    const { ids, position } = await record([
      { partnership, occurredAt: '2025-03-04T21:15:00Z', location: { lat: 51.652, lng: -0.081, areaCode: 'enfield-town' } },
      { partnership, occurredAt: '2025-03-06T20:00:00Z', location: { lat: 51.6523, lng: -0.081, areaCode: 'enfield-town' } },
      { partnership, occurredAt: '2025-03-08T22:00:00Z', location: { lat: 51.652, lng: -0.081, areaCode: 'enfield-town' } },
      { partnership, occurredAt: '2025-03-04T21:00:00Z', location: { lat: 51.6526, lng: -0.081, areaCode: 'enfield-town' } },
      { partnership, occurredAt: '2025-03-04T21:00:00Z', category: 'theft', location: { lat: 51.652, lng: -0.081, areaCode: 'enfield-town' } },
      { partnership: 'elsewhere', occurredAt: '2025-03-04T21:00:00Z', location: { lat: 51.652, lng: -0.081, areaCode: 'enfield-town' } },
    ]);
    await side.caughtUp(position);
    const handler = new FindIncidentHandler(side.readModels);
    expect(await handler.execute(new FindIncidentQuery(ids[0]!, ['other']))).toBeUndefined();
    const found = (await handler.execute(new FindIncidentQuery(ids[0]!, [partnership])))!;
    expect(found.incident.id).toBe(ids[0]);
    // The problem 0.0035° east (about 242 m) is near; the one 0.004° north (445 m) in another area is not.
    expect(found.suggestions.problems.map((p) => p.id)).toEqual([near.problemId, inArea.problemId]);
    // 33 m away and 47 hours later: a duplicate; 72 m away, or 73 hours later, or another category or partnership: not.
    expect(found.suggestions.duplicates.map((i) => i.id)).toEqual([ids[1]]);
  });

  it('counts the incidents linked to a problem by ISO week in the zone', async () => {
    const problemId = randomUUID();
    const { ids } = await record([
      { occurredAt: '2025-06-15T23:30:00Z' },
      { occurredAt: '2025-06-17', occurredPrecision: 'day' },
      { occurredAt: '2025-05', occurredPrecision: 'month' },
      { occurredAt: '2025-06-02T10:00:00Z' },
      { occurredAt: '2025-06-03T10:00:00Z' },
    ]);
    for (const id of ids.slice(0, 4)) await appendEvents(side.store, `incident-${id}`, [{ type: 'IncidentLinked', data: { problemId } }]);
    const last = await appendEvents(side.store, `incident-${ids[4]}`, [{ type: 'IncidentLinked', data: { problemId } }, { type: 'IncidentUnlinked', data: { problemId, reason: 'no' } }]);
    await side.caughtUp(last.position);
    const handler = new ProblemIncidentsHandler(side.readModels);
    expect(await handler.execute(new ProblemIncidentsQuery(problemId, 'Europe/London'))).toEqual({
      count: 4,
      byWeek: [
        { week: '2025-W23', count: 1 },
        { week: '2025-W25', count: 2 },
      ],
    });
    expect((await handler.execute(new ProblemIncidentsQuery(problemId, 'UTC'))).byWeek).toEqual([
      { week: '2025-W23', count: 1 },
      { week: '2025-W24', count: 1 },
      { week: '2025-W25', count: 1 },
    ]);
  });

  it('counts incidents per area in a window, not withdrawn or duplicates', async () => {
    const partnership = `p-${randomUUID()}`;
    const { ids } = await record([
      { partnership, occurredAt: '2025-03-01T10:00:00Z' },
      { partnership, occurredAt: '2025-03-02T10:00:00Z', location: { areaCode: 'edmonton' } },
      { partnership, occurredAt: '2025-03-03T10:00:00Z', category: 'theft' },
      { partnership, occurredAt: '2025-03-04T10:00:00Z' },
      { partnership, occurredAt: '2025-04-04T10:00:00Z' },
    ]);
    const last = await appendEvents(side.store, `incident-${ids[3]}`, [{ type: 'IncidentWithdrawn', data: { reason: 'import-withdrawn', importId: 'i' } }]);
    await side.caughtUp(last.position);
    const handler = new AreaIncidentCountsHandler(side.readModels);
    const window = { fromMs: Date.parse('2025-03-01T00:00:00Z'), toMs: Date.parse('2025-04-01T00:00:00Z') };
    expect(Object.fromEntries(await handler.execute(new AreaIncidentCountsQuery({ partnerships: [partnership], ...window })))).toEqual({ 'enfield-town': 2, edmonton: 1 });
    expect(Object.fromEntries(await handler.execute(new AreaIncidentCountsQuery({ partnerships: [partnership], category: 'drugs', ...window })))).toEqual({
      'enfield-town': 1,
      edmonton: 1,
    });
  });

  describe('emerging hotspots', () => {
    /** `YYYY-MM` of a month index (year * 12 + month - 1). */
    const monthOf = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
    const partnership = `p-${randomUUID()}`;
    const now = new Date('2026-03-04T09:00:00Z');
    beforeAll(async () => {
      const area = (areaCode: string) => ({ lat: 51.65, lng: -0.08, areaCode });
      await raiseProblem(side.store, { partnership, category: 'drugs', location: { areaCode: 'enfield-town' } });
      const { position } = await record([
        // enfield-town drugs: 12 in the 4 recent weeks against 4 in the 52 before.
        ...spread(12, '2026-02-02', 28, { partnership, location: area('enfield-town') }),
        ...spread(4, '2025-03-01', 300, { partnership, location: area('enfield-town') }),
        // enfield-town theft: 3 recent, not tested.
        ...spread(3, '2026-02-02', 28, { partnership, category: 'theft', location: area('enfield-town') }),
        // edmonton drugs: the rate of the baseline.
        ...spread(5, '2026-02-02', 28, { partnership, location: area('edmonton') }),
        ...spread(65, '2025-02-03', 364, { partnership, location: area('edmonton') }),
        // ponders-end burglary: 6 recent against 2; the fire service's 40 burglaries before its data stops in January do not count.
        ...spread(6, '2026-02-02', 28, { partnership, category: 'burglary', location: area('ponders-end') }),
        ...spread(2, '2025-03-01', 300, { partnership, category: 'burglary', location: area('ponders-end') }),
        ...spread(40, '2025-02-03', 340, { partnership, category: 'burglary', source: 'fire', location: area('ponders-end') }),
        // Monthly police files: 8 in February 2026 against 12 over the year before.
        ...Array.from({ length: 8 }, () => ({ partnership, source: 'street', category: 'theft' as const, occurredAt: '2026-02', occurredPrecision: 'month' as const, location: area('edmonton') })),
        ...Array.from({ length: 12 }, (_, i) => ({ partnership, source: 'street', category: 'theft' as const, occurredAt: monthOf(2025 * 12 + 1 + i), occurredPrecision: 'month' as const, location: area('edmonton') })),
      ]);
      await side.caughtUp(position);
    }, 60_000);

    const run = (granularity: 'week' | 'month', timeZone = 'Europe/London', category?: string) =>
      new EmergingHotspotsHandler(side.readModels).execute(
        new EmergingHotspotsQuery({ partnerships: [partnership], category, granularity, recentWeeks: 4, baselineWeeks: 52, now, timeZone }),
      );

    it('tests the pairs with 5 or more recent against their baseline, clipped to the sources’ coverage', async () => {
      const answer = await run('week');
      expect(answer.windows).toEqual({
        granularity: 'week',
        recent: { from: '2026-02-02', to: '2026-03-02', days: 28 },
        baseline: { from: '2025-02-03', to: '2026-02-02', days: 364 },
      });
      expect(answer.items.map(({ areaCode, category, recent, baseline, covered }) => ({ areaCode, category, recent, baseline, covered }))).toEqual([
        { areaCode: 'enfield-town', category: 'drugs', recent: 12, baseline: 4, covered: true },
        { areaCode: 'ponders-end', category: 'burglary', recent: 6, baseline: 2, covered: false },
      ]);
      const [first] = answer.items;
      expect(first!.pValue).toBeCloseTo(binomialUpperTail(12, 16, 28 / 392), 15);
      expect(first!.expected).toBeCloseTo((4 * 28) / 364, 12);
      expect(first!.ratio).toBeCloseTo(12 / ((4 * 28) / 364), 10);
      // The same from the points when asked in another zone (no incident near a day's edge).
      expect((await run('week', 'UTC')).items).toEqual(answer.items);
      expect((await run('week', 'Europe/London', 'burglary')).items.map((i) => i.areaCode)).toEqual(['ponders-end']);
    });

    it('compares the last complete month with the 12 before it', async () => {
      const answer = await run('month');
      expect(answer.windows.recent).toEqual({ from: '2026-02-01', to: '2026-03-01', days: 28 });
      const street = answer.items.find((item) => item.category === 'theft');
      expect(street).toMatchObject({ areaCode: 'edmonton', recent: 8, baseline: 12, covered: false });
      expect(street!.pValue).toBeCloseTo(binomialUpperTail(8, 20, 28 / 393), 15);
      expect((await run('month', 'UTC')).items).toEqual(answer.items);
    });
  });
});
