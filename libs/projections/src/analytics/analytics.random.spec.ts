/**
 * A random but rule-abiding history (backdated times, reassignments, re-dated actions, reopened
 * problems, amendments that move problems) checked two ways:
 *  - batching: the tables are identical whether the log is applied in small random batches or in
 *    one, so live projection and rebuild agree;
 *  - definitions: every query, over random windows, equals a plain recomputation from the events
 *    (a second, deliberately naive implementation of domain.md), so the monthly buckets, window
 *    edges and histogram medians are exact.
 */
import type { RecordedEvent } from '@tasking/event-store';
import { openTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { openReadModels, type ReadModels } from '../read-models';
import { ANALYTICS_TABLES, applyAnalytics } from './analytics.projection';
import { analyticsReadModel } from './index';
import { queryDischarged } from './queries/discharged.query';
import { queryHotspots } from './queries/hotspots.query';
import { queryOutcomes } from './queries/outcomes.query';
import { queryTacticalOptions } from './queries/tactics.query';
import { EventLog, uuidOf } from './testing/events';
import { MonthGrid } from './time';

const DAY = 86_400_000;
const START = Date.parse('2024-10-01T00:00:00Z');
const END = Date.parse('2025-07-01T00:00:00Z');
const OUTCOMES = ['eliminated', 'reduced', 'reduced-harm', 'handled-better', 'responsibility-shifted', 'displaced', 'no-change', 'worsened'];
const SUCCESS = new Set(OUTCOMES.slice(0, 4));
const WEIGHT: Record<string, number> = { high: 3, medium: 2, low: 1 };
const TACTICS = [
  { category: 'prevention', name: 'CCTV' },
  { category: 'prevention', name: 'target hardening' },
  { category: 'engagement', name: 'leaflet drop' },
  { category: 'enforcement', name: 'warning letter' },
];

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Events per entity with their recordedAt, merged into one log ordered by recordedAt. */
function generate(seed: number, problems: number): RecordedEvent[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const pending: { at: number; order: number; add: (log: EventLog) => void }[] = [];
  let order = 0;
  const at = (time: number, add: (log: EventLog) => void) => pending.push({ at: time, order: order++, add });
  const areas: Record<string, string[]> = { east: ['n1', 'n2', 'n3', 'n4'], west: ['w1', 'w2'] };
  const categories = ['asb-youth', 'burglary', 'noise', 'graffiti'];
  const agencies = ['POLICE', 'COUNCIL', 'FIRE', 'HOUSING'];
  at(START - DAY, (log) => log.area('n1', 'east', { lat: 51.6, lng: -0.1 }));
  at(START - DAY, (log) => log.area('n2', 'east', { lat: 51.5, lng: -0.2 }));
  for (let i = 0; i < problems; i += 1) {
    const id = uuidOf(`random-${seed}-p${i}`);
    const partnership = random() < 0.8 ? 'east' : 'west';
    const raisedRec = START + Math.floor(random() * (END - START - 80 * DAY));
    const raisedAt = raisedRec - (random() < 0.3 ? Math.floor(random() * 5 * DAY) : 0);
    const area = pick(areas[partnership]!);
    const category = pick(categories);
    const located = random() < 0.7;
    at(raisedRec, (log) =>
      log.raise(id, { areaCode: area, category, raisedAt: iso(raisedAt), partnership, ...(located ? { lat: 51 + random(), lng: -random() } : {}) }),
    );
    let t = raisedRec;
    if (random() < 0.7) {
      t += Math.floor(random() * DAY);
      const priority = pick(['high', 'medium', 'low']);
      const harm = random() < 0.6 ? Math.round(random() * 10000) / 100 : undefined;
      at(t, (log) => log.prioritise(id, priority, harm, iso(t)));
    }
    if (random() < 0.15) {
      t += Math.floor(random() * 2 * DAY);
      const moved = { areaCode: pick(areas[partnership]!), lat: 51.5, lng: -0.5 };
      const newCategory = random() < 0.5 ? pick(categories) : undefined;
      const when = t;
      at(when, (log) => log.amend(id, { location: moved, ...(newCategory ? { category: newCategory } : {}) }, iso(when)));
    }
    let allClosed = true;
    let last = t;
    const actionCount = Math.floor(random() * 4);
    for (let k = 0; k < actionCount; k += 1) {
      const action = uuidOf(`random-${seed}-p${i}-a${k}`);
      let rec = t + Math.floor(random() * 10 * DAY);
      const assignedAt = rec - (random() < 0.2 ? Math.floor(random() * 2 * DAY) : 0);
      let agency = pick(agencies);
      const due = assignedAt + Math.floor((1 + random() * 30) * DAY);
      const tactic = pick(TACTICS);
      const first = agency;
      at(rec, (log) => log.assign(action, id, { agency: first, assignedAt: iso(assignedAt), dueBy: iso(due), tactic, partnership }));
      if (random() < 0.2) {
        rec += Math.floor(random() * 3 * DAY);
        const declinedAt = rec;
        at(declinedAt, (log) => log.decline(action, iso(declinedAt)));
        rec += Math.floor(random() * 3 * DAY);
        const to = pick(agencies.filter((a) => a !== agency));
        const from = agency;
        const reassignedAt = rec;
        at(reassignedAt, (log) => log.reassign(action, from, to, iso(reassignedAt)));
        agency = to;
      }
      if (random() < 0.25) {
        rec += Math.floor(random() * 20 * DAY);
        const newDue = rec + Math.floor((random() * 20 - 5) * DAY);
        const changedAt = rec;
        at(changedAt, (log) => log.changeDue(action, iso(newDue), iso(changedAt)));
      }
      const fate = random();
      if (fate < 0.7) {
        rec += Math.floor(random() * 5 * DAY);
        const claimedAt = rec;
        const by = agency;
        at(claimedAt, (log) => log.claim(action, by, iso(claimedAt)));
        if (random() < 0.3) {
          rec += Math.floor(random() * 5 * DAY);
          const occurredAt = rec;
          const other = pick(TACTICS);
          at(occurredAt, (log) => log.intervene(action, other, iso(occurredAt)));
        }
        rec += Math.floor(random() * 30 * DAY);
        const dischargeRec = rec;
        const dischargedAt = Math.max(assignedAt, dischargeRec - (random() < 0.3 ? Math.floor(random() * 3 * DAY) : 0));
        const result = pick(['completed', 'partially-completed', 'not-achieved']);
        at(dischargeRec, (log) => log.discharge(action, result, iso(dischargedAt), iso(dischargeRec)));
      } else if (fate < 0.85) {
        rec += Math.floor(random() * 30 * DAY);
        const cancelledAt = rec;
        at(cancelledAt, (log) => log.cancel(action, iso(cancelledAt)));
      } else allClosed = false;
      last = Math.max(last, rec);
    }
    if (allClosed && random() < 0.75) {
      let closeRec = last + Math.floor(random() * 20 * DAY) + 1;
      const closedAt = Math.max(raisedAt, closeRec - (random() < 0.3 ? Math.floor(random() * 20 * DAY) : 0));
      const outcome = pick(OUTCOMES);
      const recorded = closeRec;
      at(recorded, (log) => log.close(id, outcome, iso(closedAt), iso(recorded)));
      if (random() < 0.3) {
        closeRec += Math.floor(random() * 10 * DAY) + 1;
        const reopenedAt = closeRec;
        at(reopenedAt, (log) => log.reopen(id, iso(reopenedAt)));
        if (random() < 0.7) {
          closeRec += Math.floor(random() * 20 * DAY) + 1;
          const again = closeRec;
          const outcome2 = pick(OUTCOMES);
          at(again, (log) => log.close(id, outcome2, iso(again)));
        }
      }
    }
  }
  pending.sort((a, b) => a.at - b.at || a.order - b.order);
  const log = new EventLog();
  for (const p of pending) p.add(log);
  return log.events;
}

// ---------------------------------------------------------------------------------------------
// The reference: fold the log naively, then compute each figure straight from its definition.

interface RefClosure {
  closedMs: number;
  outcome: string;
  area: string;
  category: string;
  reopened: boolean;
  recurrences: number;
}
interface RefProblem {
  id: string;
  partnership: string;
  area: string;
  category: string;
  priority: string | null;
  harm: number | null;
  raisedMs: number;
  open: boolean;
  closures: RefClosure[];
  tactics: Set<string>;
}
interface RefAction {
  partnership: string;
  problemId: string;
  assignedMs: number;
  agencies: [number, string][];
  dues: [number, number][];
  open: boolean;
  claimed: boolean;
  declined: boolean;
  closedMs: number | null;
  dischargedMs: number | null;
  result: string | null;
  tactic: string;
}

function reference(events: readonly RecordedEvent[]) {
  const problems = new Map<string, RefProblem>();
  const actions = new Map<string, RefAction>();
  for (const e of events) {
    const [kind, ...rest] = e.stream.split('-');
    const id = rest.join('-');
    const d = e.data as any;
    const rec = Date.parse(e.recordedAt);
    if (kind === 'problem') {
      if (e.type === 'ProblemRaised') {
        problems.set(id, {
          id,
          partnership: d.partnership,
          area: d.location.areaCode,
          category: d.category,
          priority: d.priority ?? null,
          harm: null,
          raisedMs: Date.parse(d.raisedAt),
          open: true,
          closures: [],
          tactics: new Set(),
        });
        continue;
      }
      const p = problems.get(id)!;
      if (e.type === 'ProblemPrioritised') [p.priority, p.harm] = [d.priority, d.harmScore ?? null];
      if (e.type === 'ProblemAmended') {
        if (d.category) p.category = d.category;
        if (d.location) p.area = d.location.areaCode;
      }
      if (e.type === 'ProblemClosed') {
        p.open = false;
        p.closures.push({ closedMs: Date.parse(d.closedAt), outcome: d.outcome, area: p.area, category: p.category, reopened: false, recurrences: 0 });
      }
      if (e.type === 'ProblemReopened') {
        p.open = true;
        p.closures[p.closures.length - 1]!.reopened = true;
      }
    } else if (kind === 'action') {
      if (e.type === 'ActionAssigned') {
        const assigned = Date.parse(d.assignedAt);
        actions.set(id, {
          partnership: d.partnership,
          problemId: d.problemId,
          assignedMs: assigned,
          agencies: [[assigned, d.agency]],
          dues: [[assigned, Date.parse(d.dueBy)]],
          open: true,
          claimed: false,
          declined: false,
          closedMs: null,
          dischargedMs: null,
          result: null,
          tactic: `${d.tactic.category}|${d.tactic.name}`,
        });
        continue;
      }
      const a = actions.get(id)!;
      if (e.type === 'ActionClaimed') a.claimed = true;
      if (e.type === 'ActionDeclined') a.declined = true;
      if (e.type === 'ActionReassigned') {
        a.agencies.push([rec, d.toAgency]);
        [a.claimed, a.declined] = [false, false];
      }
      if (e.type === 'ActionDueDateChanged') a.dues.push([rec, Date.parse(d.dueBy)]);
      if (e.type === 'InterventionRecorded') problems.get(a.problemId)!.tactics.add(`${d.tactic.category}|${d.tactic.name}`);
      if (e.type === 'ActionDischarged') {
        [a.open, a.dischargedMs, a.closedMs, a.result] = [false, Date.parse(d.dischargedAt), Date.parse(d.dischargedAt), d.result];
        if (d.result !== 'not-achieved') problems.get(a.problemId)!.tactics.add(a.tactic);
      }
      if (e.type === 'ActionCancelled') [a.open, a.closedMs] = [false, rec];
    }
  }
  // Recurrences: the latest closure of another problem, same partnership, area, category, with closedAt <= raisedAt < closedAt + 90 days.
  for (const p of problems.values()) {
    let best: { closure: RefClosure; problem: string } | undefined;
    for (const q of problems.values()) {
      if (q.id === p.id || q.partnership !== p.partnership) continue;
      for (const c of q.closures) {
        if (c.area !== p.area || c.category !== p.category || !(c.closedMs <= p.raisedMs && p.raisedMs < c.closedMs + 90 * DAY)) continue;
        if (!best || c.closedMs > best.closure.closedMs || (c.closedMs === best.closure.closedMs && q.id > best.problem)) best = { closure: c, problem: q.id };
      }
    }
    if (best) best.closure.recurrences += 1;
  }
  const before = <T>(changes: [number, T][], t: number, inclusive: boolean) => {
    let value = changes[0]![1];
    for (const [time, v] of changes) if (inclusive ? time <= t : time < t) value = v;
    return value;
  };
  return { problems: [...problems.values()], actions: [...actions.values()], before };
}

const median = (values: number[]) => {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return Math.round(((s[Math.floor((s.length - 1) / 2)]! + s[Math.floor(s.length / 2)]!) / 2) * 100) / 100;
};
const rate = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10000) / 10000 : null);

describe('analytics over a random history', () => {
  const events = generate(20250301, 400);
  const ref = reference(events);
  let incremental: { test: TestDatabase; readModels: ReadModels };
  let whole: { test: TestDatabase; readModels: ReadModels };

  const open = async () => {
    const test = await openTestDatabase();
    return { test, readModels: await openReadModels(test.db, [analyticsReadModel]) };
  };

  beforeAll(async () => {
    [incremental, whole] = await Promise.all([open(), open()]);
    const random = mulberry32(7);
    for (let i = 0; i < events.length; ) {
      const size = 1 + Math.floor(random() * 40);
      const batch = events.slice(i, i + size);
      await incremental.readModels.dataSource.transaction((tx) => applyAnalytics(tx, batch));
      i += size;
    }
    await whole.readModels.dataSource.transaction((tx) => applyAnalytics(tx, events));
  }, 120_000);

  afterAll(async () => {
    for (const db of [incremental, whole]) {
      await db?.readModels.close();
      await db?.test.close();
    }
  });

  const sql = () => incremental.readModels.dataSource;

  it('builds the same tables whatever the batches', async () => {
    for (const table of ANALYTICS_TABLES) {
      const dump = async (db: { readModels: ReadModels }) =>
        ((await db.readModels.dataSource.query(`SELECT to_jsonb(t)::text AS row FROM ${table} t ORDER BY 1`)) as { row: string }[]).map((r) => r.row);
      const [a, b] = await Promise.all([dump(incremental), dump(whole)]);
      expect({ table, rows: a }).toEqual({ table, rows: b });
    }
    const [{ n }] = await sql().query('SELECT count(*)::int AS n FROM analytics_closure');
    expect(n).toBeGreaterThan(50);
  });

  // Windows: open or closed at either end, on month boundaries (London) or anywhere.
  const random = mulberry32(99);
  const grid = MonthGrid.of('Europe/London');
  const instant = () => {
    const t = START - 20 * DAY + Math.floor(random() * (END - START + 40 * DAY));
    return random() < 0.3 ? grid.floor(t) : t;
  };
  const windows: [number | null, number][] = [[null, END + 30 * DAY], [START, END]];
  for (let i = 0; i < 14; i += 1) {
    const [a, b] = [instant(), instant()].sort((x, y) => x - y) as [number, number];
    windows.push([random() < 0.25 ? null : a, b + 1]);
  }
  const inWindow = (t: number, [from, to]: [number | null, number]) => (from === null || t >= from) && t < to;

  it.each(windows.map((w) => [w[0] === null ? '-' : iso(w[0]), iso(w[1]), w] as const))('hotspots from %s to %s', async (_, __, w) => {
    for (const partnerships of [['east'], ['east', 'west']]) {
      for (const category of [undefined, 'burglary']) {
        const now = w[1];
        const scoped = ref.problems.filter((p) => partnerships.includes(p.partnership));
        const expected = new Map<string, { open: number; score: number; raised: number; closed: number; actions: number; unclaimed: number; overdue: number }>();
        const get = (area: string) => {
          if (!expected.has(area)) expected.set(area, { open: 0, score: 0, raised: 0, closed: 0, actions: 0, unclaimed: 0, overdue: 0 });
          return expected.get(area)!;
        };
        for (const p of scoped) {
          if (category && p.category !== category) {
            for (const c of p.closures) if (c.category === category && inWindow(c.closedMs, w)) get(c.area).closed += 1;
            continue;
          }
          if (inWindow(p.raisedMs, w)) get(p.area).raised += 1;
          for (const c of p.closures) if ((!category || c.category === category) && inWindow(c.closedMs, w)) get(c.area).closed += 1;
          if (p.open) {
            get(p.area).open += 1;
            get(p.area).score += (WEIGHT[p.priority ?? ''] ?? 1) * (1 + (p.harm ?? 0) / 100);
          }
        }
        for (const a of ref.actions) {
          const p = ref.problems.find((x) => x.id === a.problemId)!;
          if (!partnerships.includes(a.partnership) || !a.open || (category && p.category !== category)) continue;
          const e = get(p.area);
          e.actions += 1;
          if (!a.claimed && !a.declined) e.unclaimed += 1;
          if (now >= a.dues[a.dues.length - 1]![1]) {
            e.overdue += 1;
            e.score += 0.5;
          }
        }
        const items = await queryHotspots(sql(), { partnerships, category, fromMs: w[0], toMs: w[1], nowMs: now });
        const actual = Object.fromEntries(items.map((i) => [i.areaCode, [i.openProblems, i.score, i.raised, i.closed, i.openActions, i.unclaimedActions, i.overdueActions]]));
        const wanted = Object.fromEntries(
          [...expected]
            .filter(([, e]) => e.open + e.raised + e.closed + e.actions > 0)
            .map(([area, e]) => [area, [e.open, Math.round(e.score * 10000) / 10000, e.raised, e.closed, e.actions, e.unclaimed, e.overdue]]),
        );
        expect(actual).toEqual(wanted);
        const scores = items.map((i) => i.score);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
      }
    }
  });

  it.each(windows.map((w) => [w[0] === null ? '-' : iso(w[0]), iso(w[1]), w] as const))('discharged actions from %s to %s', async (_, __, w) => {
    const to = w[1];
    const scoped = ref.actions.filter((a) => a.partnership === 'east');
    const agencies = new Map<string, { discharged: number; onTime: number; days: number[]; inProcess: number; overdue: number; results: Record<string, number> }>();
    const get = (agency: string) => {
      if (!agencies.has(agency)) agencies.set(agency, { discharged: 0, onTime: 0, days: [], inProcess: 0, overdue: 0, results: { completed: 0, 'partially-completed': 0, 'not-achieved': 0 } });
      return agencies.get(agency)!;
    };
    for (const a of scoped) {
      if (a.dischargedMs !== null && inWindow(a.dischargedMs, w)) {
        const e = get(a.agencies[a.agencies.length - 1]![1]);
        e.discharged += 1;
        e.results[a.result!]! += 1;
        if (a.dischargedMs <= ref.before(a.dues, a.dischargedMs, true)) e.onTime += 1;
        e.days.push((a.dischargedMs - a.assignedMs) / DAY);
      }
      if (a.assignedMs < to && (a.closedMs === null || a.closedMs >= to)) {
        const e = get(ref.before(a.agencies, to, false));
        e.inProcess += 1;
        if (to >= ref.before(a.dues, to, false)) e.overdue += 1;
      }
    }
    const summary = await queryDischarged(sql(), { partnerships: ['east'], fromMs: w[0], toMs: w[1] });
    expect(Object.fromEntries(summary.byAgency.map((a) => [a.agency, a]))).toEqual(
      Object.fromEntries(
        [...agencies]
          .filter(([, e]) => e.discharged + e.inProcess + e.overdue > 0)
          .map(([agency, e]) => [
            agency,
            {
              agency,
              discharged: e.discharged,
              inProcess: e.inProcess,
              overdue: e.overdue,
              byResult: e.results,
              onTimeRate: rate(e.onTime, e.discharged),
              medianDaysToDischarge: median(e.days),
            },
          ]),
      ),
    );
    expect(summary.medianDaysToDischarge).toEqual(median([...agencies.values()].flatMap((e) => e.days)));
  });

  it.each(windows.map((w) => [w[0] === null ? '-' : iso(w[0]), iso(w[1]), w] as const))('outcomes from %s to %s', async (_, __, w) => {
    for (const filter of [{}, { areaCode: 'n1' }, { category: 'noise' }, { areaCode: 'n2', category: 'burglary' }] as { areaCode?: string; category?: string }[]) {
      for (const timeZone of ['Europe/London', 'America/New_York']) {
        const closures = ref.problems
          .filter((p) => p.partnership === 'east')
          .flatMap((p) => p.closures.map((c) => ({ ...c, raisedMs: p.raisedMs })))
          .filter((c) => (!filter.areaCode || c.area === filter.areaCode) && (!filter.category || c.category === filter.category) && inWindow(c.closedMs, w));
        const monthGrid = MonthGrid.of(timeZone);
        const figures = (list: typeof closures) => ({
          closed: list.length,
          byOutcome: Object.fromEntries(OUTCOMES.map((o) => [o, list.filter((c) => c.outcome === o).length])),
          medianDaysOpen: median(list.map((c) => (c.closedMs - c.raisedMs) / DAY)),
          reopenRate: rate(list.filter((c) => c.reopened).length, list.length),
          recurrences: list.reduce((sum, c) => sum + c.recurrences, 0),
        });
        const months = [...new Set(closures.map((c) => monthGrid.indexOf(c.closedMs)))].sort((a, b) => a - b);
        const result = await queryOutcomes(sql(), { partnerships: ['east'], ...filter, fromMs: w[0], toMs: w[1], timeZone });
        expect(result).toEqual({
          ...figures(closures),
          byMonth: months.map((m) => ({ month: MonthGrid.label(m), ...figures(closures.filter((c) => monthGrid.indexOf(c.closedMs) === m)) })),
        });
      }
    }
  });

  it('tactical options equal their definitions', async () => {
    const expected = new Map<string, { uses: number; closed: number; successes: number; outcomes: Record<string, number>; days: number[] }>();
    const get = (key: string) => {
      if (!expected.has(key)) expected.set(key, { uses: 0, closed: 0, successes: 0, outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, 0])), days: [] });
      return expected.get(key)!;
    };
    for (const p of ref.problems.filter((x) => x.partnership === 'east')) {
      for (const tactic of p.tactics) {
        const e = get(`${p.category}|${tactic}`);
        e.uses += 1;
        const last = p.closures[p.closures.length - 1];
        if (!p.open && last) {
          e.closed += 1;
          e.outcomes[last.outcome]! += 1;
          if (SUCCESS.has(last.outcome)) e.successes += 1;
        }
      }
    }
    for (const a of ref.actions.filter((x) => x.partnership === 'east' && x.dischargedMs !== null)) {
      const p = ref.problems.find((x) => x.id === a.problemId)!;
      get(`${p.category}|${a.tactic}`).days.push((a.dischargedMs! - a.assignedMs) / DAY);
    }
    const { items } = await queryTacticalOptions(sql(), { partnerships: ['east'], limit: 500, offset: 0 });
    expect(Object.fromEntries(items.map((i) => [`${i.problemCategory}|${i.tactic.category}|${i.tactic.name}`, [i.uses, i.closedUses, i.successRate, i.outcomes, i.medianDaysToDischarge]]))).toEqual(
      Object.fromEntries(
        [...expected].filter(([, e]) => e.uses > 0).map(([key, e]) => [key, [e.uses, e.closed, rate(e.successes, e.closed), e.outcomes, median(e.days)]]),
      ),
    );
  });
});
