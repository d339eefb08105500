import { TACTICS } from '@tasking/domain';
import type { RecordedEvent } from '@tasking/event-store';
import { openTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { openReadModels, type ReadModels } from '../read-models';
import { ANALYTICS_TABLES, applyAnalytics } from './analytics.projection';
import { AGGREGATES } from './facts';
import { analyticsReadModel } from './index';
import { queryDischarged, queryDischargedItems } from './queries/discharged.query';
import { MEDIAN_TARGETS_SQL, mediansOf } from './queries/plan';
import { queryAreaPositions, queryHotspots } from './queries/hotspots.query';
import { queryOutcomes } from './queries/outcomes.query';
import { querySuggestions, queryTacticalOptions } from './queries/tactics.query';
import { EventLog, uuidOf } from './testing/events';

const ms = (iso: string) => Date.parse(iso);

/** A fresh schema with the analytics tables (through the read-model migrations) per suite. */
function analyticsDatabase() {
  const ctx = {} as { test: TestDatabase; readModels: ReadModels };
  beforeAll(async () => {
    ctx.test = await openTestDatabase();
    ctx.readModels = await openReadModels(ctx.test.db, [analyticsReadModel]);
  }, 60_000);
  afterAll(async () => {
    await ctx.readModels?.close();
    await ctx.test?.close();
  });
  return {
    sql: () => ctx.readModels.dataSource,
    apply: async (events: readonly RecordedEvent[], batchSize = events.length) => {
      for (let i = 0; i < events.length; i += batchSize) {
        await ctx.readModels.dataSource.transaction((tx) => applyAnalytics(tx, events.slice(i, i + batchSize)));
      }
    },
  };
}

describe('analytics migration', () => {
  const db = analyticsDatabase();

  it('creates every table the projection owns, with the columns the projector writes', async () => {
    const rows = (await db.sql().query(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name LIKE 'analytics%'`,
    )) as { table_name: string; column_name: string }[];
    expect([...new Set(rows.map((r) => r.table_name))].sort()).toEqual([...ANALYTICS_TABLES].sort());
    for (const spec of Object.values(AGGREGATES)) {
      const columns = rows.filter((r) => r.table_name === spec.table).map((r) => r.column_name);
      expect(columns.sort()).toEqual([...spec.keys, ...spec.measures].map((c) => c.name).sort());
    }
  });
});

describe('exact medians in SQL', () => {
  const db = analyticsDatabase();

  it('finds the bins and offsets of the middle values from signed histogram rows', async () => {
    // Values 1,2 | 5,6,7 | 9 in bins 0 | 1 | 2 (six values: the 3rd and 4th, 5 and 6), and a
    // group whose rows cancel out to three values (the 2nd).
    const rows = await db.sql().query(
      `WITH hist(grp, bin, n) AS (VALUES ('a', 0, 2), ('a', 1, 4), ('a', 1, -1), ('a', 2, 1), ('b', 5, 3), ('b', 6, 1), ('b', 6, -1)),
       ${MEDIAN_TARGETS_SQL}
       SELECT grp, bin, off, k FROM targets ORDER BY grp, k`,
    );
    expect(rows.map((r: Record<string, unknown>) => [r['grp'], Number(r['bin']), Number(r['off']), Number(r['k'])])).toEqual([
      ['a', 1, 0, 2],
      ['a', 1, 1, 3],
      ['b', 5, 1, 1],
    ]);
    expect(mediansOf([{ grp: 'a', value: 5 }, { grp: 'a', value: 6 }, { grp: 'b', value: 4 }])).toEqual(new Map([['a', 5.5], ['b', 4]]));
  });
});

describe('hotspot caseloads', () => {
  const db = analyticsDatabase();
  const [p1, p2, p3, p4, p5, px] = ['p1', 'p2', 'p3', 'p4', 'p5', 'px'].map((n) => uuidOf(`hot-${n}`)) as [string, string, string, string, string, string];
  const [a1, a2, a3, a4, a5, ax] = ['a1', 'a2', 'a3', 'a4', 'a5', 'ax'].map((n) => uuidOf(`hot-${n}`)) as [string, string, string, string, string, string];
  const now = ms('2025-03-01T00:00:00Z');
  const query = (extra: { category?: string; fromMs?: number | null; toMs?: number } = {}) =>
    queryHotspots(db.sql(), { partnerships: ['east'], fromMs: null, toMs: now, nowMs: now, ...extra });

  beforeAll(async () => {
    const log = new EventLog();
    log.area('north', 'east', { lat: 51.6, lng: -0.1 });
    log.raise(p3, { areaCode: 'north', category: 'asb-youth', raisedAt: '2024-12-01T10:00:00Z', priority: 'low' });
    log.raise(p1, { areaCode: 'north', category: 'asb-youth', raisedAt: '2025-01-05T10:00:00Z' });
    log.prioritise(p1, 'high', 50, '2025-01-05T11:00:00Z');
    log.raise(p2, { areaCode: 'north', category: 'burglary', raisedAt: '2025-01-20T10:00:00Z', priority: 'medium' });
    log.close(p3, 'reduced', '2025-01-25T10:00:00Z');
    log.raise(p4, { areaCode: 'south', category: 'graffiti', raisedAt: '2025-02-01T10:00:00Z', lat: 51.4, lng: -0.12 });
    log.raise(p5, { areaCode: 'south', category: 'graffiti', raisedAt: '2025-02-03T10:00:00Z', lat: 51.42, lng: -0.14 });
    log.prioritise(p5, 'low', 20, '2025-02-03T11:00:00Z');
    // Another partnership's problem, even in an area with the same code, must not count.
    log.raise(px, { areaCode: 'north', category: 'asb-youth', raisedAt: '2025-01-06T10:00:00Z', partnership: 'west', priority: 'high' });
    log.assign(ax, px, { agency: 'POLICE', assignedAt: '2025-01-06T10:00:00Z', dueBy: '2025-01-07T10:00:00Z', partnership: 'west' });

    log.assign(a1, p1, { agency: 'COUNCIL', assignedAt: '2025-01-06T10:00:00Z', dueBy: '2025-02-01T10:00:00Z' });
    log.assign(a2, p1, { agency: 'POLICE', assignedAt: '2025-01-06T10:00:00Z', dueBy: '2025-04-01T10:00:00Z' });
    log.claim(a2, 'POLICE', '2025-01-07T10:00:00Z');
    log.assign(a3, p2, { agency: 'FIRE', assignedAt: '2025-01-21T10:00:00Z', dueBy: '2025-02-15T10:00:00Z' });
    log.decline(a3, '2025-01-22T10:00:00Z');
    log.assign(a4, p4, { agency: 'COUNCIL', assignedAt: '2025-02-02T10:00:00Z', dueBy: '2025-03-10T10:00:00Z' });
    log.assign(a5, p4, { agency: 'COUNCIL', assignedAt: '2025-02-02T10:00:00Z', dueBy: '2025-02-10T10:00:00Z' });
    log.claim(a5, 'COUNCIL', '2025-02-03T10:00:00Z');
    log.discharge(a5, 'completed', '2025-02-05T10:00:00Z');
    await db.apply(log.events, 3);
  });

  it('counts open problems, open / unclaimed / declined / overdue actions and scores each area, highest first', async () => {
    expect(await query()).toEqual([
      {
        areaCode: 'north',
        openProblems: 2,
        openActions: 3,
        unclaimedActions: 1,
        declinedActions: 1,
        overdueActions: 2,
        raised: 3,
        closed: 1,
        byCategory: { 'asb-youth': 1, burglary: 1 },
        byPriority: { high: 1, medium: 1, low: 0, unset: 0 },
        // high x (1 + 50/100) + medium x 1 + 0.5 per overdue action
        score: 4.5 + 2 + 1,
      },
      {
        areaCode: 'south',
        openProblems: 2,
        openActions: 1,
        unclaimedActions: 1,
        declinedActions: 0,
        overdueActions: 0,
        raised: 2,
        closed: 0,
        byCategory: { graffiti: 2 },
        byPriority: { high: 0, medium: 0, low: 1, unset: 1 },
        score: 1 + 1.2,
      },
    ]);
  });

  it('computes overdue at query time: open and now >= dueBy', async () => {
    const atDue = await queryHotspots(db.sql(), { partnerships: ['east'], fromMs: null, toMs: now, nowMs: ms('2025-02-01T10:00:00Z') });
    expect(atDue.find((i) => i.areaCode === 'north')!.overdueActions).toBe(1);
    const before = await queryHotspots(db.sql(), { partnerships: ['east'], fromMs: null, toMs: now, nowMs: ms('2025-02-01T09:59:59Z') });
    expect(before.find((i) => i.areaCode === 'north')!.overdueActions).toBe(0);
  });

  it('counts problems raised and closed in [from, to) by the times in the events', async () => {
    const items = await query({ fromMs: ms('2025-01-10T00:00:00Z'), toMs: ms('2025-02-01T10:00:00Z') });
    expect(items.map((i) => [i.areaCode, i.raised, i.closed])).toEqual([
      ['north', 1, 1],
      ['south', 0, 0],
    ]);
    const wide = await query({ fromMs: ms('2024-11-15T00:00:00Z'), toMs: ms('2025-02-01T10:00:01Z') });
    expect(wide.map((i) => [i.areaCode, i.raised, i.closed])).toEqual([
      ['north', 3, 1],
      ['south', 1, 0],
    ]);
  });

  it('restricts every figure to the category asked for', async () => {
    expect(await query({ category: 'asb-youth' })).toEqual([
      {
        areaCode: 'north',
        openProblems: 1,
        openActions: 2,
        unclaimedActions: 1,
        declinedActions: 0,
        overdueActions: 1,
        raised: 2,
        closed: 1,
        byCategory: { 'asb-youth': 1 },
        byPriority: { high: 1, medium: 0, low: 0, unset: 0 },
        score: 5,
      },
    ]);
  });

  it('shows another partnership only to its own callers', async () => {
    const west = await queryHotspots(db.sql(), { partnerships: ['west'], fromMs: null, toMs: now, nowMs: now });
    expect(west).toEqual([expect.objectContaining({ areaCode: 'north', openProblems: 1, openActions: 1, overdueActions: 1, score: 3.5 })]);
    const both = await queryHotspots(db.sql(), { partnerships: ['east', 'west'], fromMs: null, toMs: now, nowMs: now });
    expect(both.find((i) => i.areaCode === 'north')!.openProblems).toBe(3);
  });

  it('places areas at their registered centroid, else at the mean of their problems', async () => {
    const positions = await queryAreaPositions(db.sql(), ['east']);
    expect(positions.get('north')).toEqual({ code: 'north', name: 'Area north', lat: 51.6, lng: -0.1, source: 'registered' });
    expect(positions.get('south')).toEqual({ code: 'south', name: null, lat: 51.41, lng: -0.13, source: 'problems' });
  });

  it('moves a problem and its actions when its location is amended', async () => {
    const log = new EventLog();
    log.amend(p2, { location: { areaCode: 'east-end' } }, '2025-02-20T10:00:00Z');
    await db.apply(log.events);
    const items = await query();
    expect(items.find((i) => i.areaCode === 'north')).toMatchObject({ openProblems: 1, openActions: 2, declinedActions: 0, overdueActions: 1, raised: 2 });
    expect(items.find((i) => i.areaCode === 'east-end')).toMatchObject({
      openProblems: 1,
      openActions: 1,
      declinedActions: 1,
      overdueActions: 1,
      raised: 1,
      byCategory: { burglary: 1 },
      score: 2.5,
    });
  });
});

describe('discharged actions', () => {
  const db = analyticsDatabase();
  const q = uuidOf('dis-q');
  const [d1, d2, d3, d4, d5, dx] = ['d1', 'd2', 'd3', 'd4', 'd5', 'dx'].map((n) => uuidOf(`dis-${n}`)) as [string, string, string, string, string, string];
  const summary = (fromIso: string | null, toIso: string, agency?: string) =>
    queryDischarged(db.sql(), { partnerships: ['east'], agency, fromMs: fromIso === null ? null : ms(fromIso), toMs: ms(toIso) });
  const agencyOf = async (fromIso: string | null, toIso: string) =>
    Object.fromEntries((await summary(fromIso, toIso)).byAgency.map((a) => [a.agency, [a.discharged, a.inProcess, a.overdue]]));

  beforeAll(async () => {
    const log = new EventLog();
    log.raise(q, { areaCode: 'north', raisedAt: '2025-02-20T10:00:00Z' });
    // Declined by COUNCIL, then reassigned to FIRE (no time in the event: its recordedAt counts).
    log.assign(d1, q, { agency: 'COUNCIL', assignedAt: '2025-03-02T10:00:00Z', dueBy: '2025-03-15T17:00:00Z' });
    log.decline(d1, '2025-03-03T10:00:00Z');
    log.reassign(d1, 'COUNCIL', 'FIRE', '2025-03-05T12:00:00Z');
    log.claim(d1, 'FIRE', '2025-03-06T10:00:00Z');
    // Escalated at its due date, then given more time, then discharged before the new date: on time.
    log.assign(d2, q, { agency: 'POLICE', assignedAt: '2025-03-01T09:00:00Z', dueBy: '2025-03-08T09:00:00Z' });
    log.claim(d2, 'POLICE', '2025-03-01T10:00:00Z');
    log.escalate(d2, '2025-03-08T09:00:00Z', '2025-03-08T09:00:00Z');
    log.changeDue(d2, '2025-03-20T09:00:00Z', '2025-03-08T12:00:00Z');
    log.discharge(d2, 'completed', '2025-03-12T09:00:00Z');
    // Discharged late.
    log.assign(d3, q, { agency: 'POLICE', assignedAt: '2025-03-01T09:00:00Z', dueBy: '2025-03-05T09:00:00Z' });
    log.claim(d3, 'POLICE', '2025-03-01T10:00:00Z');
    log.discharge(d3, 'partially-completed', '2025-03-07T09:00:00Z');
    log.assign(d4, q, { agency: 'POLICE', assignedAt: '2025-03-01T09:00:00Z', dueBy: '2025-03-30T09:00:00Z' });
    log.claim(d4, 'POLICE', '2025-03-01T10:00:00Z');
    log.discharge(d4, 'not-achieved', '2025-03-03T09:00:00Z');
    // Cancelled (its recordedAt ends it).
    log.assign(d5, q, { agency: 'COUNCIL', assignedAt: '2025-03-01T09:00:00Z', dueBy: '2025-03-04T00:00:00Z' });
    log.cancel(d5, '2025-03-06T00:00:00Z');
    // Another partnership.
    log.raise(uuidOf('dis-qx'), { areaCode: 'north', raisedAt: '2025-02-20T10:00:00Z', partnership: 'west' });
    log.assign(dx, uuidOf('dis-qx'), { agency: 'POLICE', assignedAt: '2025-03-01T09:00:00Z', dueBy: '2025-03-02T09:00:00Z', partnership: 'west' });
    log.claim(dx, 'POLICE', '2025-03-01T10:00:00Z');
    log.discharge(dx, 'completed', '2025-03-10T09:00:00Z');
    await db.apply(log.events, 1);
  });

  it('counts discharges in the window by result, on time against the dueBy in force when discharged, with the median days', async () => {
    expect(await summary('2025-03-01T00:00:00Z', '2025-03-31T00:00:00Z')).toEqual({
      discharged: 3,
      inProcess: 1,
      overdue: 1,
      byResult: { completed: 1, 'partially-completed': 1, 'not-achieved': 1 },
      onTimeRate: 0.6667,
      medianDaysToDischarge: 6,
      byAgency: [
        { agency: 'FIRE', discharged: 0, inProcess: 1, overdue: 1, byResult: { completed: 0, 'partially-completed': 0, 'not-achieved': 0 }, onTimeRate: null, medianDaysToDischarge: null },
        { agency: 'POLICE', discharged: 3, inProcess: 0, overdue: 0, byResult: { completed: 1, 'partially-completed': 1, 'not-achieved': 1 }, onTimeRate: 0.6667, medianDaysToDischarge: 6 },
      ],
    });
  });

  it('narrows to one agency', async () => {
    const police = await summary('2025-03-01T00:00:00Z', '2025-03-31T00:00:00Z', 'POLICE');
    expect(police.byAgency.map((a) => a.agency)).toEqual(['POLICE']);
    expect(police).toMatchObject({ discharged: 3, inProcess: 0, overdue: 0 });
  });

  it('keeps a declined action with its agency until reassigned, then in process for the new agency only', async () => {
    expect(await agencyOf('2025-03-01T00:00:00Z', '2025-03-04T00:00:00Z')).toEqual({ COUNCIL: [0, 2, 1], POLICE: [1, 2, 0] });
    expect(await agencyOf('2025-03-04T00:00:00Z', '2025-03-05T12:00:00Z')).toEqual({ COUNCIL: [0, 2, 1], POLICE: [0, 2, 1] });
    expect(await agencyOf('2025-03-04T00:00:00Z', '2025-03-05T12:00:00.001Z')).toEqual({ COUNCIL: [0, 1, 1], FIRE: [0, 1, 0], POLICE: [0, 2, 1] });
    expect(await agencyOf('2025-03-04T00:00:00Z', '2025-03-10T00:00:00Z')).toEqual({ FIRE: [0, 1, 0], POLICE: [1, 1, 0] });
  });

  it('judges overdue as at `to` by the due date in force then', async () => {
    // d2 was due 03-08 09:00 until 12:00 that day, when it got until 03-20.
    expect(await agencyOf(null, '2025-03-08T10:00:00Z')).toEqual({ FIRE: [0, 1, 0], POLICE: [2, 1, 1] });
    expect(await agencyOf(null, '2025-03-08T12:00:00Z')).toEqual({ FIRE: [0, 1, 0], POLICE: [2, 1, 1] });
    expect(await agencyOf(null, '2025-03-08T12:00:00.001Z')).toEqual({ FIRE: [0, 1, 0], POLICE: [2, 1, 0] });
    expect(await agencyOf(null, '2025-03-15T17:00:00Z')).toEqual({ FIRE: [0, 1, 1], POLICE: [3, 0, 0] });
  });

  it('lists the discharges behind the numbers, latest first, a page at a time', async () => {
    const request = { partnerships: ['east'], fromMs: ms('2025-03-01T00:00:00Z'), toMs: ms('2025-03-31T00:00:00Z'), limit: 2 };
    const first = await queryDischargedItems(db.sql(), request);
    expect(first.items).toEqual([
      {
        actionId: d2,
        problemId: q,
        partnership: 'east',
        agency: 'POLICE',
        areaCode: 'north',
        problemCategory: 'asb-youth',
        tactic: { category: 'prevention', name: 'CCTV' },
        result: 'completed',
        assignedAt: '2025-03-01T09:00:00.000Z',
        dueBy: '2025-03-20T09:00:00.000Z',
        dischargedAt: '2025-03-12T09:00:00.000Z',
        onTime: true,
        daysToDischarge: 11,
      },
      expect.objectContaining({ actionId: d3, onTime: false, dueBy: '2025-03-05T09:00:00.000Z', daysToDischarge: 6 }),
    ]);
    const second = await queryDischargedItems(db.sql(), { ...request, after: first.next });
    expect(second.items.map((i) => i.actionId)).toEqual([d4]);
    expect(second.next).toBeUndefined();
    const both = await queryDischargedItems(db.sql(), { ...request, partnerships: ['east', 'west'], limit: 10 });
    expect(both.items.map((i) => i.actionId)).toEqual([d2, dx, d3, d4]);
  });
});

describe('tactical-options library', () => {
  const db = analyticsDatabase();
  const cctv = { category: 'prevention', name: 'CCTV' };
  const hardening = { category: 'prevention', name: 'target hardening' };
  const leaflets = { category: 'engagement', name: 'leaflet drop' };
  const gating = { category: 'prevention', name: 'alley gating' };
  const lighting = { category: 'prevention', name: 'street lighting' };
  const r1 = uuidOf('tac-r1');
  const u1 = uuidOf('tac-u1');
  const cctvDays: number[] = [];
  const library = (extra: { problemCategory?: string; q?: string } = {}) =>
    queryTacticalOptions(db.sql(), { partnerships: ['east'], limit: 50, offset: 0, ...extra });

  beforeAll(async () => {
    const log = new EventLog();
    log.area('north', 'east', { lat: 51.6, lng: -0.1 });
    log.area('south', 'east', { lat: 51.4, lng: -0.12 });
    log.area('far', 'east', { lat: 52.5, lng: -1.9 });
    // CCTV on 50 burglaries in the north: 40 closed reduced, 10 no change.
    for (let i = 0; i < 50; i += 1) {
      const problem = uuidOf(`tac-t${i}`);
      const action = uuidOf(`tac-ta${i}`);
      log.raise(problem, { areaCode: 'north', category: 'burglary', raisedAt: '2025-01-01T00:00:00Z' });
      log.assign(action, problem, { agency: 'POLICE', assignedAt: '2025-01-02T00:00:00Z', dueBy: '2025-03-01T00:00:00Z', tactic: cctv });
      const days = 1 + (i % 7) + i / 100;
      cctvDays.push(days);
      log.discharge(action, i % 3 === 0 ? 'partially-completed' : 'completed', new Date(ms('2025-01-02T00:00:00Z') + days * 86_400_000).toISOString());
      if (i === 3) {
        // A second CCTV action on the same problem is the same use.
        log.assign(uuidOf('tac-extra'), problem, { agency: 'COUNCIL', assignedAt: '2025-01-02T00:00:00Z', dueBy: '2025-03-01T00:00:00Z', tactic: cctv });
        log.discharge(uuidOf('tac-extra'), 'completed', '2025-01-12T00:00:00Z');
        cctvDays.push(10);
      }
      if (i === 4) {
        // Not achieved: no use, but its days count for the tactic's median.
        log.assign(uuidOf('tac-lighting'), problem, { agency: 'COUNCIL', assignedAt: '2025-01-02T00:00:00Z', dueBy: '2025-03-01T00:00:00Z', tactic: lighting });
        log.discharge(uuidOf('tac-lighting'), 'not-achieved', '2025-01-05T00:00:00Z');
      }
      log.close(problem, i < 40 ? 'reduced' : 'no-change', '2025-02-01T00:00:00Z');
    }
    // Target hardening once, in the south: 1 success out of 1.
    const s1 = uuidOf('tac-s1');
    log.raise(s1, { areaCode: 'south', category: 'burglary', raisedAt: '2025-01-01T00:00:00Z' });
    log.assign(uuidOf('tac-sa'), s1, { agency: 'COUNCIL', assignedAt: '2025-01-02T00:00:00Z', dueBy: '2025-03-01T00:00:00Z', tactic: hardening });
    log.discharge(uuidOf('tac-sa'), 'partially-completed', '2025-01-04T00:00:00Z');
    log.close(s1, 'eliminated', '2025-02-01T00:00:00Z');
    // An open burglary in the north where leaflets were dropped (an intervention on a CCTV action still open).
    log.raise(r1, { areaCode: 'north', category: 'burglary', raisedAt: '2025-01-01T00:00:00Z' });
    log.assign(uuidOf('tac-ra'), r1, { agency: 'POLICE', assignedAt: '2025-01-02T00:00:00Z', dueBy: '2025-03-01T00:00:00Z', tactic: cctv });
    log.claim(uuidOf('tac-ra'), 'POLICE', '2025-01-03T00:00:00Z');
    log.intervene(uuidOf('tac-ra'), leaflets, '2025-01-04T00:00:00Z');
    // Alley gating far away, on a problem closed, reopened (not closed any more).
    log.raise(u1, { areaCode: 'far', category: 'burglary', raisedAt: '2025-01-01T00:00:00Z' });
    log.assign(uuidOf('tac-ua'), u1, { agency: 'COUNCIL', assignedAt: '2025-01-02T00:00:00Z', dueBy: '2025-03-01T00:00:00Z', tactic: gating });
    log.discharge(uuidOf('tac-ua'), 'completed', '2025-01-03T00:00:00Z');
    log.close(u1, 'eliminated', '2025-02-01T00:00:00Z');
    log.reopen(u1, '2025-02-10T00:00:00Z');
    // Another partnership's CCTV must not count.
    const w1 = uuidOf('tac-w1');
    log.raise(w1, { areaCode: 'north', category: 'burglary', raisedAt: '2025-01-01T00:00:00Z', partnership: 'west' });
    log.assign(uuidOf('tac-wa'), w1, { agency: 'POLICE', assignedAt: '2025-01-02T00:00:00Z', dueBy: '2025-03-01T00:00:00Z', tactic: cctv, partnership: 'west' });
    log.discharge(uuidOf('tac-wa'), 'completed', '2025-01-03T00:00:00Z');
    log.close(w1, 'worsened', '2025-02-01T00:00:00Z');
    await db.apply(log.events, 17);
  });

  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.floor(sorted.length / 2)]!) / 2;
  };

  it('ranks by the Wilson lower bound: 40 successes of 50 above 1 of 1; no closed use last', async () => {
    const { items } = await library();
    expect(items.map((i) => [i.tactic.name, i.uses, i.closedUses, i.successRate, i.successLowerBound])).toEqual([
      ['CCTV', 50, 50, 0.8, 0.6696],
      ['target hardening', 1, 1, 1, 0.2065],
      ['leaflet drop', 1, 0, null, null],
      ['alley gating', 1, 0, null, null],
    ]);
    expect(items[0]).toEqual({
      problemCategory: 'burglary',
      tactic: cctv,
      uses: 50,
      closedUses: 50,
      outcomes: { eliminated: 0, reduced: 40, 'reduced-harm': 0, 'handled-better': 0, 'responsibility-shifted': 0, displaced: 0, 'no-change': 10, worsened: 0 },
      successRate: 0.8,
      successLowerBound: 0.6696,
      medianDaysToDischarge: Math.round(median(cctvDays) * 100) / 100,
    });
  });

  it("counts a reopened problem's use as closed only once it is closed again, with its latest outcome", async () => {
    const log = new EventLog();
    log.close(u1, 'worsened', '2025-02-20T00:00:00Z');
    await db.apply(log.events);
    const { items } = await library({ q: 'alley' });
    expect(items).toEqual([
      expect.objectContaining({ tactic: gating, uses: 1, closedUses: 1, successRate: 0, outcomes: expect.objectContaining({ eliminated: 0, worsened: 1 }) }),
    ]);
  });

  it('searches tactic names and categories case-insensitively, and filters by problem category', async () => {
    expect((await library({ q: 'cctv' })).items.map((i) => i.tactic.name)).toEqual(['CCTV']);
    expect((await library({ q: 'PREVENT' })).items.map((i) => i.tactic.name)).toEqual(['CCTV', 'target hardening', 'alley gating']);
    expect((await library({ q: '%' })).items).toEqual([]);
    expect((await library({ problemCategory: 'graffiti' })).items).toEqual([]);
    expect((await library({ problemCategory: 'burglary' })).items).toHaveLength(4);
  });

  it('pages with an offset', async () => {
    const first = await queryTacticalOptions(db.sql(), { partnerships: ['east'], limit: 3, offset: 0 });
    expect(first.nextOffset).toBe(3);
    const second = await queryTacticalOptions(db.sql(), { partnerships: ['east'], limit: 3, offset: 3 });
    // (alley gating, closed again by the spec above, now has a lower bound of 0 and ranks above leaflets)
    expect(second.items.map((i) => i.tactic.name)).toEqual(['leaflet drop']);
    expect(second.nextOffset).toBeUndefined();
  });

  it('suggests tactics used in the same area first, then nearby areas by distance, then every other tactic', async () => {
    const result = await querySuggestions(db.sql(), ['east'], r1);
    expect(result!.problem).toEqual({ problemId: r1, category: 'burglary', areaCode: 'north' });
    const items = result!.items;
    expect(items.slice(0, 4).map((i) => [i.rank, i.tactic.name, i.tier, i.nearestAreaCode, i.usedOnThisProblem])).toEqual([
      [1, 'CCTV', 'same-area', null, false],
      [2, 'leaflet drop', 'same-area', null, true],
      [3, 'target hardening', 'nearby', 'south', false],
      [4, 'alley gating', 'nearby', 'far', false],
    ]);
    expect(items[2]!.distanceKm).toBeCloseTo(22.27, 1);
    expect(items.slice(4).every((i) => i.tier === 'unused' && i.uses === 0)).toBe(true);
    expect(items).toHaveLength(TACTICS.length);
    expect(items.find((i) => i.tactic.name === 'street lighting')).toMatchObject({ tier: 'unused', medianDaysToDischarge: 3 });
    expect(await querySuggestions(db.sql(), ['west'], r1)).toBeUndefined();
  });
});

describe('outcomes', () => {
  const db = analyticsDatabase();
  const id = (name: string) => uuidOf(`out-${name}`);
  const outcomes = (extra: { areaCode?: string; category?: string; fromMs?: number | null; toMs?: number; timeZone?: string } = {}) =>
    queryOutcomes(db.sql(), { partnerships: ['east'], fromMs: null, toMs: ms('2025-12-01T00:00:00Z'), timeZone: 'Europe/London', ...extra });
  const zero = { eliminated: 0, reduced: 0, 'reduced-harm': 0, 'handled-better': 0, 'responsibility-shifted': 0, displaced: 0, 'no-change': 0, worsened: 0 };

  beforeAll(async () => {
    const log = new EventLog();
    // Closed, reopened, closed again: two closures, the first one reopened.
    log.raise(id('o1'), { areaCode: 'north', raisedAt: '2025-01-01T00:00:00Z' });
    log.close(id('o1'), 'reduced', '2025-01-11T00:00:00Z');
    log.reopen(id('o1'), '2025-01-20T00:00:00Z');
    log.close(id('o1'), 'no-change', '2025-02-10T00:00:00Z');
    log.raise(id('o2'), { areaCode: 'north', raisedAt: '2025-01-05T00:00:00Z' });
    log.close(id('o2'), 'eliminated', '2025-01-25T00:00:00Z');
    // 23:30 UTC on 31 March is 00:30 on 1 April in London (BST).
    log.raise(id('o3'), { areaCode: 'north', category: 'burglary', raisedAt: '2025-02-01T00:00:00Z' });
    log.close(id('o3'), 'worsened', '2025-03-31T23:30:00Z');
    // A recurrence of o1's second closure (59 days after).
    log.raise(id('o4'), { areaCode: 'north', raisedAt: '2025-04-10T00:00:00Z' });
    // 89 days after a closure in the south: a recurrence; 91 days after: not.
    log.raise(id('r1'), { areaCode: 'south', category: 'noise', raisedAt: '2025-01-01T00:00:00Z' });
    log.close(id('r1'), 'reduced', '2025-01-10T12:00:00Z');
    log.raise(id('r2'), { areaCode: 'south', category: 'noise', raisedAt: '2025-04-09T12:00:00Z' });
    log.raise(id('r3'), { areaCode: 'south', category: 'noise', raisedAt: '2025-04-11T12:00:00Z' });
    log.raise(id('r4'), { areaCode: 'south', category: 'graffiti', raisedAt: '2025-02-01T00:00:00Z' });
    // A closure recorded after the problem that recurs was raised (backdated closedAt) still links.
    log.raise(id('w5'), { areaCode: 'west', category: 'noise', raisedAt: '2025-03-01T00:00:00Z' });
    log.raise(id('w6'), { areaCode: 'west', category: 'noise', raisedAt: '2025-01-01T00:00:00Z' }, );
    log.close(id('w6'), 'handled-better', '2025-02-15T00:00:00Z', '2025-03-05T00:00:00Z');
    // Another partnership.
    log.raise(id('x1'), { areaCode: 'north', raisedAt: '2025-01-01T00:00:00Z', partnership: 'west' });
    log.close(id('x1'), 'displaced', '2025-01-15T00:00:00Z');
    await db.apply(log.events, 2);
  });

  it('counts every closure in the month it happened, reopen rate and recurrences, per area and category', async () => {
    expect(await outcomes({ areaCode: 'north', category: 'asb-youth' })).toEqual({
      closed: 3,
      byOutcome: { ...zero, reduced: 1, 'no-change': 1, eliminated: 1 },
      medianDaysOpen: 20,
      reopenRate: 0.3333,
      recurrences: 1,
      byMonth: [
        { month: '2025-01', closed: 2, byOutcome: { ...zero, reduced: 1, eliminated: 1 }, medianDaysOpen: 15, reopenRate: 0.5, recurrences: 0 },
        { month: '2025-02', closed: 1, byOutcome: { ...zero, 'no-change': 1 }, medianDaysOpen: 40, reopenRate: 0, recurrences: 1 },
      ],
    });
  });

  it('puts months in the configured time zone', async () => {
    const london = await outcomes({ areaCode: 'north', category: 'burglary' });
    expect(london.byMonth.map((m) => m.month)).toEqual(['2025-04']);
    const utc = await outcomes({ areaCode: 'north', category: 'burglary', timeZone: 'UTC' });
    expect(utc.byMonth.map((m) => m.month)).toEqual(['2025-03']);
    expect(utc.byMonth[0]).toMatchObject({ closed: 1, medianDaysOpen: 58.98, byOutcome: { ...zero, worsened: 1 } });
  });

  it('links a new problem raised within 90 days after a closure in its area and category, not later', async () => {
    const south = await outcomes({ areaCode: 'south' });
    expect(south).toMatchObject({ closed: 1, recurrences: 1 });
    const [linked]: { problem_id: string; recurrence_of: string | null }[][] = [
      await db.sql().query('SELECT problem_id, recurrence_of FROM analytics_problem WHERE problem_id = ANY($1::uuid[]) ORDER BY raised_at', [[id('r2'), id('r3'), id('r4')]]),
    ];
    expect(linked).toEqual([
      { problem_id: id('r4'), recurrence_of: null },
      { problem_id: id('r2'), recurrence_of: id('r1') },
      { problem_id: id('r3'), recurrence_of: null },
    ]);
    expect(await outcomes({ areaCode: 'west' })).toMatchObject({ closed: 1, recurrences: 1, byMonth: [expect.objectContaining({ month: '2025-02', recurrences: 1 })] });
  });

  it('reads windows and every area, without other partnerships', async () => {
    const all = await outcomes();
    expect(all).toMatchObject({ closed: 6, recurrences: 3, byOutcome: { ...zero, reduced: 2, 'no-change': 1, eliminated: 1, worsened: 1, 'handled-better': 1 } });
    expect(all.byMonth.map((m) => [m.month, m.closed])).toEqual([
      ['2025-01', 3],
      ['2025-02', 2],
      ['2025-04', 1],
    ]);
    const february = await outcomes({ fromMs: ms('2025-02-01T00:00:00Z'), toMs: ms('2025-03-01T00:00:00Z') });
    expect(february).toMatchObject({ closed: 2, medianDaysOpen: (40 + 45) / 2, byMonth: [expect.objectContaining({ month: '2025-02' })] });
    expect(await outcomes({ fromMs: ms('2025-06-01T00:00:00Z') })).toMatchObject({ closed: 0, medianDaysOpen: null, reopenRate: null, byMonth: [] });
  });
});
