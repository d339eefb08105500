import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { QueryBus } from '@nestjs/cqrs';
import { signDevToken } from '@tasking/auth';
import { EmergingHotspotsQuery, FindIncidentsQuery, ProblemIncidentsQuery, type IncidentFilters } from '@tasking/projections';
import { FixedClock, loadConfig } from '@tasking/shared';
import { createApp } from '../../apps/api/src/create-app';
import { openRuntime, type Runtime } from '@tasking/runtime';
import { seedDemo, type SeedSummary } from '../../apps/api/src/seed/demo-seed';
import { TEST_DATABASE_URL, dropSchema } from '../support/test-database';

const secret = randomBytes(24).toString('hex');
const NOW = new Date('2026-11-20T12:00:00Z');

describe('demo seed', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let runtime: Runtime;
  let app: NestFastifyApplication;
  let summary: SeedSummary;

  beforeAll(async () => {
    const config = loadConfig({ DATABASE_URL: TEST_DATABASE_URL, AUTH_JWT_SECRET: secret, RATE_LIMIT_PER_USER_PER_MINUTE: '0', RATE_LIMIT_PER_IP_PER_MINUTE: '0', LOG_LEVEL: 'silent' });
    runtime = await openRuntime(config, { schema, clock: new FixedClock(NOW) });
    app = await createApp(runtime);
    summary = await seedDemo(app, { partnership: 'default', now: NOW });
    expect(await runtime.projections.waitFor(await runtime.store.headPosition(), 60_000)).toBe(true);
  }, 600_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await dropSchema(schema);
  });

  const get = async (url: string) => {
    const token = await signDevToken(secret, { sub: 'm', name: 'Manager', agency: 'COUNCIL-ASB', roles: ['manager'] });
    const response = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
    return response.json();
  };

  it('writes a partnership with months of history through the command layer', async () => {
    expect(summary.problems).toBeGreaterThanOrEqual(25);
    expect(summary.actions).toBeGreaterThanOrEqual(60);
    expect(summary.meetings).toBeGreaterThanOrEqual(12);
    const problems = await get('/v1/problems?limit=500');
    expect(problems.items.length).toBe(summary.problems);
    const statuses = new Set(problems.items.map((p: { status: string }) => p.status));
    expect(statuses).toEqual(new Set(['open', 'closed']));
    const agencies = await get('/v1/agencies');
    expect(agencies.items.length).toBe(7);
  });

  it('gives both groups a fortnightly schedule, members and a next meeting, and records apologies', async () => {
    const groups = await get('/v1/groups');
    expect(groups.items).toHaveLength(2);
    for (const group of groups.items) {
      expect(group.schedule).toMatchObject({ everyDays: 14 });
      expect(group.members).toHaveLength(7);
      expect(group.nextMeeting.date >= '2026-11-20').toBe(true);
    }
    const meetings = await get('/v1/meetings?limit=100');
    const records = await Promise.all(meetings.items.map((m: { id: string }) => get(`/v1/meetings/${m.id}`)));
    expect(records.some((r) => r.attendees.some((a: { status?: string }) => a.status === 'apologies'))).toBe(true);
  });

  it('leaves discharged, in-process and overdue actions, and dates spread over months', async () => {
    const actions = await get('/v1/actions?limit=500');
    const byStatus = (status: string) => actions.items.filter((a: { status: string }) => a.status === status).length;
    expect(byStatus('discharged')).toBeGreaterThan(20);
    expect(byStatus('claimed') + byStatus('unclaimed')).toBeGreaterThan(5);
    const overdue = await get('/v1/actions?overdue=true&limit=500');
    expect(overdue.items.length).toBeGreaterThan(0);
    const events = await runtime.store.readAll('', 100_000);
    const recorded = events.map((e) => Date.parse(String(e.metadata['recordedAt'])));
    expect(Math.max(...recorded) - Math.min(...recorded)).toBeGreaterThan(90 * 86_400_000);
  });

  const incidents = (filters: IncidentFilters) => app.get(QueryBus).execute(new FindIncidentsQuery(['default'], filters, 100_000, undefined));

  it("gives the areas LSOA codes, a ward code and the neighbours their boundaries touch", async () => {
    const areas = await get('/v1/areas');
    expect(areas.items).toHaveLength(6);
    const codes = new Set<string>();
    for (const area of areas.items) {
      expect(area.lsoaCodes.length).toBeGreaterThanOrEqual(5);
      for (const code of area.lsoaCodes) codes.add(code);
      expect(area.externalCode).toMatch(/^E05099\d{3}$/);
      expect(area.neighbours.length).toBeGreaterThan(0);
      for (const code of area.neighbours) expect(areas.items.find((a: { code: string }) => a.code === code).neighbours).toContain(area.code);
    }
    expect([...codes].every((code) => /^E01099\d{3}$/.test(code))).toBe(true);
    expect(codes.size).toBe(areas.items.reduce((n: number, a: { lsoaCodes: string[] }) => n + a.lsoaCodes.length, 0));
  });

  it('registers police, council and fire sources, and records a year of incidents from each', async () => {
    const sources = await get('/v1/sources');
    const kinds = Object.fromEntries(sources.items.map((s: { code: string; kind: string }) => [s.code, s.kind]));
    expect(kinds).toMatchObject({ police: 'police', council: 'council', fire: 'fire' });
    const counts: Record<string, number> = {};
    for (const source of ['police', 'council', 'fire', 'console']) counts[source] = (await incidents({ source })).length;
    expect(counts['police']).toBeGreaterThan(350);
    expect(counts['council']).toBeGreaterThan(190);
    expect(counts['fire']).toBeGreaterThan(70);
    expect(counts['console']).toBeGreaterThanOrEqual(30);
    expect(summary.incidents).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
    const police = await incidents({ source: 'police' });
    const categories = new Set(police.map((i) => i.category));
    for (const category of ['violence', 'asb-general', 'criminal-damage', 'public-order', 'theft', 'shoplifting']) expect(categories).toContain(category);
    const times = police.map((i) => i.occurredAt.getTime());
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(300 * 86_400_000);
  });

  it('leaves residents\' reports to triage: one with no area, a duplicate and a dismissed one', async () => {
    const untriaged = await incidents({ statuses: ['untriaged'] });
    expect(untriaged.length).toBeGreaterThanOrEqual(30);
    expect(untriaged.filter((i) => i.unmapped)).toHaveLength(1);
    expect(await incidents({ statuses: ['duplicate'] })).toHaveLength(1);
    expect(await incidents({ statuses: ['dismissed'] })).toHaveLength(1);
  });

  it('links incidents to several problems, and flags one rising pair no problem covers and one a problem does', async () => {
    const linked = await incidents({ statuses: ['linked'] });
    expect(linked.length).toBe(summary.linked);
    const problemIds = new Set(linked.map((i) => i.problemId));
    expect(problemIds.size).toBeGreaterThanOrEqual(5);
    const counts = await Promise.all([...problemIds].map((id) => app.get(QueryBus).execute(new ProblemIncidentsQuery(id!, 'Europe/London'))));
    expect(counts.reduce((n, c) => n + c.count, 0)).toBe(linked.length);
    const emerging = await app.get(QueryBus).execute(
      new EmergingHotspotsQuery({ partnerships: ['default'], granularity: 'week', recentWeeks: 4, baselineWeeks: 52, now: NOW, timeZone: 'Europe/London' }),
    );
    const flagged = emerging.items.filter((i) => i.qValue < 0.05);
    expect(flagged.find((i) => i.areaCode === 'station-quarter' && i.category === 'noise')).toMatchObject({ covered: false });
    expect(flagged.find((i) => i.areaCode === 'northfield-estate' && i.category === 'arson')).toMatchObject({ covered: true });
  });

  it('is deterministic: the same seed gives the same events', async () => {
    // Counted in the table itself: a reader's view can lag behind other sessions' open transactions.
    const ids = async () => (await runtime.db.pool.query<{ event_id: string }>('SELECT event_id FROM events ORDER BY sequence')).rows.map((r) => r.event_id);
    const before = await ids();
    const again = await seedDemo(app, { partnership: 'default', now: NOW });
    // The Open311 client's key is shown by the run that registers the client only.
    const { open311ApiKey, ...first } = summary;
    expect(open311ApiKey).toMatch(/\S{20,}/);
    expect(again).toEqual(first);
    // Every command carried an idempotency key, so ids are derived and a second run appends nothing.
    expect(await ids()).toEqual(before);
  });
});
