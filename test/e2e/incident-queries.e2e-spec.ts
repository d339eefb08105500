import { randomUUID } from 'node:crypto';
import type { EventData } from '@tasking/domain';
import { appendAtomically, appendEvents } from '../support/events';
import { incidentRecorded } from '../support/incidents';
import { injectJson } from '../support/inject';
import { StoryClock } from '../support/story-clock';
import { NORTH, SOUTH, startCommandApp, type CommandApp } from './support/command-app';
import { people, raiseProblem, registerReferenceData, type People } from './support/fixtures';

describe('incidents over HTTP: the list, CSV, GeoJSON, one incident with suggestions, problem detail, hotspots, emerging hotspots', () => {
  let t: CommandApp;
  let p: People;
  const clock = new StoryClock();
  let problemId: string;
  const ids: Record<string, string> = {};
  const get = (url: string, token: string) => injectJson(t.app, 'GET', url, { token });
  const caughtUp = async (position: string) => expect(await t.runtime.projections.waitFor(position, 20_000)).toBe(true);

  /** `n` police records of drugs in an area, spread over [from, from + days) at noon UTC. */
  const spread = (n: number, from: string, days: number, data: Partial<EventData<'IncidentRecorded'>> = {}) =>
    Array.from({ length: n }, (_, i) => ({
      partnership: NORTH,
      ...data,
      occurredAt: new Date(Date.parse(`${from}T12:00:00Z`) + Math.floor((i * days) / n) * 86_400_000).toISOString(),
    }));

  async function record(named: Record<string, Partial<EventData<'IncidentRecorded'>>>, rest: Partial<EventData<'IncidentRecorded'>>[] = []) {
    const list = [...Object.entries(named), ...rest.map((data) => [randomUUID(), data] as const)].map(([name, data]) => {
      const id = randomUUID();
      if (name in named) ids[name] = id;
      return { stream: `incident-${id}`, events: [incidentRecorded(id, data)] };
    });
    return (await appendAtomically(t.runtime.store, list)).position;
  }

  beforeAll(async () => {
    t = await startCommandApp({ TIME_ZONE: 'Europe/London' }, { clock });
    p = await people(t);
    clock.hold('2026-02-20T10:00:00Z');
    await registerReferenceData(t, p);
    problemId = await raiseProblem(t, p.inspector, { category: 'drugs', location: { areaCode: 'enfield-town', lat: 51.652, lng: -0.081 } });
    clock.hold('2026-03-04T09:00:00Z');
    const position = await record(
      {
        report: { partnership: NORTH, source: 'open311', channel: 'open311', triage: true, occurredAt: '2026-03-03T20:00:00Z', location: { lat: 51.6521, lng: -0.0812, areaCode: 'enfield-town' } },
        nearby: { partnership: NORTH, source: 'open311', channel: 'open311', triage: true, occurredAt: '2026-03-02T21:00:00Z', location: { lat: 51.6522, lng: -0.0812, areaCode: 'enfield-town' } },
        unmapped: { partnership: NORTH, source: 'open311', channel: 'open311', triage: true, unmapped: true, occurredAt: '2026-03-01T08:00:00Z', location: { lat: 51.7, lng: -0.2 } },
        withdrawn: { partnership: NORTH, occurredAt: '2026-02-10T12:00:00Z' },
        dated: { partnership: NORTH, occurredAt: '2026-01-15', occurredPrecision: 'day', location: { lat: 51.615, lng: -0.067, areaCode: 'edmonton' } },
        south: { partnership: SOUTH, occurredAt: '2026-02-10T12:00:00Z', location: { lat: 51.588, lng: -0.072, areaCode: 'tottenham' } },
      },
      [...spread(12, '2026-02-02', 28, { location: { lat: 51.652, lng: -0.081, areaCode: 'enfield-town' } }), ...spread(4, '2025-03-01', 300, { location: { lat: 51.652, lng: -0.081, areaCode: 'enfield-town' } })],
    );
    await appendEvents(t.runtime.store, `incident-${ids['withdrawn']}`, [{ type: 'IncidentWithdrawn', data: { reason: 'import-withdrawn', importId: 'import-1' } }]);
    const linked = await appendEvents(t.runtime.store, `incident-${ids['report']}`, [{ type: 'IncidentLinked', data: { problemId } }]);
    await caughtUp(position);
    await caughtUp(linked.position);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('lists incidents latest first, all but withdrawn by default, with the filters and pages; inspectors and managers only', async () => {
    const all = await get('/v1/incidents?limit=500', p.inspector);
    expect(all.status).toBe(200);
    expect(all.headers['x-projection-position']).toEqual(expect.any(String));
    expect(all.body.items).toHaveLength(20);
    expect(all.body.items[0]).toEqual({
      id: ids['report'],
      partnership: NORTH,
      channel: 'open311',
      source: 'open311',
      category: 'drugs',
      sourceCategory: 'Drugs',
      status: 'linked',
      unmapped: false,
      areaCode: 'enfield-town',
      occurredAt: '2026-03-03T20:00:00.000Z',
      occurredPrecision: 'exact',
      lat: 51.6521,
      lng: -0.0812,
      problemId,
    });
    const times = all.body.items.map((i: { occurredAt: string }) => i.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    // A date is shown as the date it names.
    expect(all.body.items.find((i: { id: string }) => i.id === ids['dated'])).toMatchObject({ occurredAt: '2026-01-15', occurredPrecision: 'day', areaCode: 'edmonton' });

    expect((await get('/v1/incidents?status=untriaged', p.manager)).body.items.map((i: { id: string }) => i.id)).toEqual([ids['nearby'], ids['unmapped']]);
    expect((await get('/v1/incidents?status=withdrawn', p.inspector)).body.items.map((i: { id: string }) => i.id)).toEqual([ids['withdrawn']]);
    expect((await get('/v1/incidents?unmapped=true', p.inspector)).body.items.map((i: { id: string }) => i.id)).toEqual([ids['unmapped']]);
    expect((await get('/v1/incidents?channel=open311&areaCode=Enfield-Town', p.inspector)).body.items).toHaveLength(2);
    expect((await get('/v1/incidents?source=police&from=2026-02-02&to=2026-03-02', p.inspector)).body.items).toHaveLength(12);
    expect((await get('/v1/incidents?partnership=south', p.inspector)).body.items).toEqual([]);

    const first = await get('/v1/incidents?limit=10', p.inspector);
    const second = await get(`/v1/incidents?limit=10&cursor=${first.body.nextCursor}`, p.inspector);
    expect(second.body.nextCursor).toBeNull();
    expect([...first.body.items, ...second.body.items]).toEqual(all.body.items);

    expect((await get('/v1/incidents', p.council)).status).toBe(403);
    expect((await get('/v1/incidents', p.northAdmin)).status).toBe(403);
    for (const bad of ['status=open', 'status=linked,linked', 'unmapped=yes', 'category=nuisance', 'from=yesterday', 'channel=phone', 'limit=0']) {
      const answer = await get(`/v1/incidents?${bad}`, p.inspector);
      expect([bad, answer.status, answer.body.code]).toEqual([bad, 400, 'VALIDATION_FAILED']);
    }
  });

  it('exports the list as CSV and the map as GeoJSON points', async () => {
    const csv = await injectJson(t.app, 'GET', '/v1/incidents?format=csv&status=untriaged,linked', { token: p.inspector });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,partnership,channel,source,category,sourceCategory,status,unmapped,areaCode,occurredAt,occurredPrecision,lat,lng,problemId');
    expect(lines.slice(1)).toEqual([
      `${ids['report']},north,open311,open311,drugs,Drugs,linked,false,enfield-town,2026-03-03T20:00:00.000Z,exact,51.6521,-0.0812,${problemId}`,
      `${ids['nearby']},north,open311,open311,drugs,Drugs,untriaged,false,enfield-town,2026-03-02T21:00:00.000Z,exact,51.6522,-0.0812,`,
      `${ids['unmapped']},north,open311,open311,drugs,Drugs,untriaged,true,,2026-03-01T08:00:00.000Z,exact,51.7,-0.2,`,
    ]);

    const geo = await get('/v1/incidents.geojson?channel=open311', p.manager);
    expect(geo.status).toBe(200);
    expect(geo.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    expect(geo.body).toMatchObject({ type: 'FeatureCollection', nextCursor: null });
    expect(geo.body.features[0]).toEqual({
      type: 'Feature',
      id: ids['report'],
      geometry: { type: 'Point', coordinates: [-0.0812, 51.6521] },
      properties: expect.objectContaining({ id: ids['report'], status: 'linked' }),
    });
    expect(geo.body.features).toHaveLength(3);
  });

  it('shows one incident with suggested problems and likely duplicates; another partnership gets 404', async () => {
    const detail = await get(`/v1/incidents/${ids['nearby']}`, p.inspector);
    expect(detail.status).toBe(200);
    expect(detail.headers['x-projection-position']).toEqual(expect.any(String));
    expect(detail.body).toMatchObject({ id: ids['nearby'], status: 'untriaged', triage: true, duplicateOf: null, revision: 0 });
    expect(detail.body.suggestions.problems.map((problem: { id: string }) => problem.id)).toEqual([problemId]);
    // 11 m away and 23 hours apart: the linked report is a likely duplicate.
    expect(detail.body.suggestions.duplicates.map((i: { id: string }) => i.id)).toEqual([ids['report']]);
    // The incident's own fields: none personal.
    const { suggestions: _suggestions, ...own } = detail.body;
    expect(Object.keys(own).sort()).toEqual(
      ['id', 'partnership', 'channel', 'source', 'category', 'sourceCategory', 'status', 'unmapped', 'areaCode', 'occurredAt', 'occurredPrecision', 'lat', 'lng', 'problemId', 'triage', 'duplicateOf', 'recordedAt', 'revision'].sort(),
    );

    expect((await get(`/v1/incidents/${ids['south']}`, p.inspector)).status).toBe(404);
    expect((await get(`/v1/incidents/${ids['nearby']}`, p.southInspector)).status).toBe(404);
    expect((await get(`/v1/incidents/${randomUUID()}`, p.inspector)).status).toBe(404);
    expect((await get('/v1/incidents/not-a-uuid', p.inspector)).status).toBe(400);
  });

  it('gives a problem its linked incidents by week and hotspots their incidents in the window', async () => {
    const problem = await get(`/v1/problems/${problemId}`, p.council);
    expect(problem.status).toBe(200);
    expect(problem.body.incidents).toEqual({ count: 1, byWeek: [{ week: '2026-W10', count: 1 }] });

    const hotspots = await get('/v1/hotspots?from=2026-02-01&to=2026-03-04', p.council);
    expect(hotspots.status).toBe(200);
    // 12 police records and the two reports of enfield-town; the withdrawn one does not count.
    expect(hotspots.body.items.find((item: { areaCode: string }) => item.areaCode === 'enfield-town')).toMatchObject({ openProblems: 1, incidents: 14 });
  });

  it('finds the emerging hotspot, covered by the open problem, with the windows it compared', async () => {
    const emerging = await get('/v1/hotspots/emerging', p.manager);
    expect(emerging.status).toBe(200);
    expect(emerging.body.granularity).toBe('week');
    expect(emerging.body.windows).toEqual({
      granularity: 'week',
      recent: { from: '2026-02-02', to: '2026-03-02', days: 28 },
      baseline: { from: '2025-02-03', to: '2026-02-02', days: 364 },
    });
    expect(emerging.body.items).toEqual([
      {
        partnership: NORTH,
        areaCode: 'enfield-town',
        category: 'drugs',
        recent: 12,
        baseline: 4,
        covered: true,
        expected: expect.closeTo((4 * 28) / 364, 12),
        ratio: expect.closeTo(39, 10),
        pValue: expect.any(Number),
        qValue: expect.any(Number),
      },
    ]);
    expect(emerging.body.items[0].pValue).toBeLessThan(1e-6);
    expect((await get('/v1/hotspots/emerging?category=theft', p.inspector)).body.items).toEqual([]);
    expect((await get('/v1/hotspots/emerging?granularity=month', p.inspector)).body.windows.recent).toEqual({ from: '2026-02-01', to: '2026-03-01', days: 28 });
    expect((await get('/v1/hotspots/emerging', p.council)).status).toBe(403);
    expect((await get('/v1/hotspots/emerging?partnership=south', p.inspector)).status).toBe(404);
    for (const bad of ['recentWeeks=0', 'recentWeeks=27', 'baselineWeeks=3', 'granularity=day', 'recentWeeks=two']) {
      const answer = await get(`/v1/hotspots/emerging?${bad}`, p.inspector);
      expect([bad, answer.status, answer.body.code]).toEqual([bad, 400, 'VALIDATION_FAILED']);
    }
  });
});
