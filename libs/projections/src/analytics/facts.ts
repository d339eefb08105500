/**
 * What each problem, closure and action contributes to the aggregate tables. The projector adds
 * an entity's contributions after a batch and subtracts its contributions before it, so every
 * aggregate is exactly the sum over the current entities, whatever the batch boundaries.
 *
 * Time-bucketed aggregates get each contribution twice: in its calendar month (BUCKET_TIME_ZONE)
 * and in the all-time row whose month is 'infinity'. Area/category aggregates also get it under
 * the wildcard category '*', so a query with or without a category filter reads one key per area.
 */
import { DISCHARGE_RESULTS, OUTCOMES, SUCCESS_OUTCOMES } from '@tasking/domain';
import {
  column,
  dayBin,
  dischargeFacts,
  splitTacticKey,
  type ActionModel,
  type ClosureModel,
  type ProblemModel,
  type ProcessDelta,
} from './model';
import { BUCKET_TIME_ZONE, DAY_MS, MonthGrid, isoOf } from './time';

export interface AggregateSpec {
  table: string;
  keys: readonly { name: string; type: 'text' | 'timestamptz' | 'integer' }[];
  measures: readonly { name: string; type: 'integer' | 'bigint' }[];
}

const text = (name: string) => ({ name, type: 'text' as const });
const int = (name: string) => ({ name, type: 'integer' as const });
const big = (name: string) => ({ name, type: 'bigint' as const });
const month = { name: 'month', type: 'timestamptz' as const };
const SUCCESS = new Set<string>(SUCCESS_OUTCOMES);
const outcomeMeasures = OUTCOMES.map((o) => int(column(o)));

export const AGGREGATES = {
  /** Raised (by raisedAt) and closures (by closedAt) per area, category ('*': any) and month. */
  areaMonth: {
    table: 'analytics_area_month',
    keys: [text('partnership'), text('category'), month, text('area_code')],
    measures: [int('raised'), int('closed'), int('reopened'), int('recurrences'), ...outcomeMeasures],
  },
  /** Histogram of closures' days open (raisedAt -> closedAt) per month (filtered medians read the closures themselves). */
  daysOpenHist: {
    table: 'analytics_days_open_hist',
    keys: [text('partnership'), month, int('bin')],
    measures: [int('n')],
  },
  /** Open problems (by priority, with the score's problem part) and open actions per area and category. */
  openArea: {
    table: 'analytics_open_area',
    keys: [text('partnership'), text('area_code'), text('category')],
    measures: [
      int('open_problems'),
      int('open_high'),
      int('open_medium'),
      int('open_low'),
      int('open_unset'),
      big('score_e4'),
      int('open_actions'),
      int('unclaimed_actions'),
      int('declined_actions'),
    ],
  },
  /** Sum of problems' coordinates per area (1e-7 degree units, exact), for the fallback centroid. */
  areaCoords: {
    table: 'analytics_area_coords',
    keys: [text('partnership'), text('area_code')],
    measures: [int('n'), big('sum_lat_e7'), big('sum_lng_e7')],
  },
  /** Discharges (by dischargedAt) and in-process / overdue steps per agency and month. */
  dischargeMonth: {
    table: 'analytics_discharge_month',
    keys: [text('partnership'), month, text('agency')],
    measures: [int('discharged'), ...DISCHARGE_RESULTS.map((r) => int(column(r))), int('on_time'), int('in_process_delta'), int('overdue_delta')],
  },
  /** Histogram of days from assignment to discharge per agency and month. */
  dischargeHist: {
    table: 'analytics_discharge_hist',
    keys: [text('partnership'), month, text('agency'), int('bin')],
    measures: [int('n')],
  },
  /** The tactical-options library: uses and their problems' outcomes, and discharges, per category and tactic. */
  tactic: {
    table: 'analytics_tactic',
    keys: [text('partnership'), text('problem_category'), text('tactic_category'), text('tactic_name')],
    measures: [int('uses'), int('closed_uses'), int('successes'), ...outcomeMeasures, int('discharged')],
  },
  /** Histogram of days to discharge per category and tactic. */
  tacticHist: {
    table: 'analytics_tactic_hist',
    keys: [text('partnership'), text('problem_category'), text('tactic_category'), text('tactic_name'), int('bin')],
    measures: [int('n')],
  },
  /** Uses per area, for suggestions (same area first). */
  tacticArea: {
    table: 'analytics_tactic_area',
    keys: [text('partnership'), text('problem_category'), text('area_code'), text('tactic_category'), text('tactic_name')],
    measures: [int('uses')],
  },
} as const satisfies Record<string, AggregateSpec>;

export type AggregateName = keyof typeof AGGREGATES;
export type Emit = (aggregate: AggregateName, key: readonly (string | number)[], measures: Record<string, number>) => void;

export const ALL_TIME = 'infinity';
export const ANY = '*';

const grid = MonthGrid.of(BUCKET_TIME_ZONE);
const monthCache = new Map<number, string>();

/** The bucket month (ISO instant of its start) holding an instant, and the all-time bucket. */
export function months(ms: number): [string, string] {
  const index = grid.indexOf(ms);
  let iso = monthCache.get(index);
  if (iso === undefined) {
    iso = isoOf(grid.startOfIndex(index));
    monthCache.set(index, iso);
  }
  return [iso, ALL_TIME];
}

const categories = (category: string): [string, string] => [category, ANY];

const PRIORITY_WEIGHT: Record<string, number> = { high: 3, medium: 2, low: 1 };

/** A problem's priority weight x (1 + harmScore/100), times 10,000 and rounded, so sums are exact integers. */
export function scoreE4(priority: string | null, harm: number | null): number {
  const weight = (priority !== null && PRIORITY_WEIGHT[priority]) || 1;
  return weight * Math.round((100 + (harm ?? 0)) * 100);
}

export const toE7 = (degrees: number): number => Math.round(degrees * 1e7);

type Group<T> = { same: (a: T, b: T) => boolean; facts: (x: T, emit: Emit) => void };

/**
 * A problem's contributions in groups, each with what it depends on: a batch re-emits only the
 * groups whose inputs changed (a tactic use leaves the raised and open-problem figures alone).
 */
const PROBLEM_GROUPS: Group<ProblemModel>[] = [
  {
    same: (a, b) => a.partnership === b.partnership && a.raisedMs === b.raisedMs && a.area === b.area && a.category === b.category,
    facts: (p, emit) => {
      for (const m of months(p.raisedMs)) {
        for (const category of categories(p.category)) emit('areaMonth', [p.partnership, category, m, p.area], { raised: 1 });
      }
    },
  },
  {
    same: (a, b) =>
      a.partnership === b.partnership && a.status === b.status && a.priority === b.priority && a.harm === b.harm && a.area === b.area && a.category === b.category,
    facts: (p, emit) => {
      if (p.status !== 'open') return;
      const priority = p.priority !== null && p.priority in PRIORITY_WEIGHT ? p.priority : 'unset';
      emit('openArea', [p.partnership, p.area, p.category], { open_problems: 1, [`open_${priority}`]: 1, score_e4: scoreE4(p.priority, p.harm) });
    },
  },
  {
    same: (a, b) => a.partnership === b.partnership && a.area === b.area && a.lat === b.lat && a.lng === b.lng,
    facts: (p, emit) => {
      if (p.lat !== null && p.lng !== null) emit('areaCoords', [p.partnership, p.area], { n: 1, sum_lat_e7: toE7(p.lat), sum_lng_e7: toE7(p.lng) });
    },
  },
  {
    same: (a, b) =>
      a.partnership === b.partnership &&
      a.status === b.status &&
      a.area === b.area &&
      a.category === b.category &&
      (a.last?.outcome ?? null) === (b.last?.outcome ?? null) &&
      a.tactics.length === b.tactics.length &&
      a.tactics.every((t, i) => t === b.tactics[i]),
    facts: (p, emit) => {
      const closed = p.status === 'closed' && p.last !== null;
      for (const key of p.tactics) {
        const [tacticCategory, tacticName] = splitTacticKey(key);
        const measures: Record<string, number> = { uses: 1 };
        if (closed) {
          measures['closed_uses'] = 1;
          measures[column(p.last!.outcome)] = 1;
          if (SUCCESS.has(p.last!.outcome)) measures['successes'] = 1;
        }
        emit('tactic', [p.partnership, p.category, tacticCategory, tacticName], measures);
        emit('tacticArea', [p.partnership, p.category, p.area, tacticCategory, tacticName], { uses: 1 });
      }
    },
  },
];

/** Subtracts what changed of a problem's contributions and adds the new ones. */
export function problemFactsChange(before: ProblemModel | null, now: ProblemModel, minus: Emit, plus: Emit): void {
  for (const group of PROBLEM_GROUPS) {
    if (before && group.same(before, now)) continue;
    if (before) group.facts(before, minus);
    group.facts(now, plus);
  }
}

export interface ClosureDerived {
  daysOpen: number;
  bin: number;
}

export const closureDerived = (p: ProblemModel, c: ClosureModel): ClosureDerived => {
  const daysOpen = (c.closedMs - p.raisedMs) / DAY_MS;
  return { daysOpen, bin: dayBin(daysOpen) };
};

/** A closure's contribution, except its recurrences (linked by the recurrence step). */
export function closureFacts(p: ProblemModel, c: ClosureModel, emit: Emit): void {
  const { bin } = closureDerived(p, c);
  const measures: Record<string, number> = { closed: 1, [column(c.outcome)]: 1 };
  if (c.reopened) measures['reopened'] = 1;
  for (const m of months(c.closedMs)) {
    for (const category of categories(c.category)) emit('areaMonth', [p.partnership, category, m, c.area], measures);
    emit('daysOpenHist', [p.partnership, m, bin], { n: 1 });
  }
}

/** Recurrences linked to a closure, +1 or -1. */
export function recurrenceFacts(partnership: string, area: string, category: string, closedMs: number, delta: number, emit: Emit): void {
  for (const m of months(closedMs)) {
    for (const c of categories(category)) emit('areaMonth', [partnership, c, m, area], { recurrences: delta });
  }
}

/** Where an action's problem is: its area and category (actions follow an amended problem). */
export interface ProblemContext {
  area: string;
  category: string;
}

/** An action with the area and category of its problem, and its in-process / overdue steps. */
export interface ActionView {
  action: ActionModel;
  ctx: ProblemContext | null;
  steps: readonly ProcessDelta[];
}

const sameCtx = (a: ProblemContext | null, b: ProblemContext | null) => a?.area === b?.area && a?.category === b?.category;

const ACTION_GROUPS: Group<ActionView>[] = [
  {
    same: (a, b) =>
      a.action.partnership === b.action.partnership &&
      a.action.status === b.action.status &&
      a.action.claimed === b.action.claimed &&
      a.action.declined === b.action.declined &&
      sameCtx(a.ctx, b.ctx),
    facts: ({ action: a, ctx }, emit) => {
      if (a.status !== 'open' || !ctx) return;
      emit('openArea', [a.partnership, ctx.area, ctx.category], {
        open_actions: 1,
        unclaimed_actions: !a.claimed && !a.declined ? 1 : 0,
        declined_actions: a.declined ? 1 : 0,
      });
    },
  },
  {
    // Discharge facts exist once discharged and never change after (the action is closed),
    // unless its problem moves to another category.
    same: (a, b) => {
      const [was, is] = [a.action.status === 'discharged', b.action.status === 'discharged'];
      if (!was && !is) return true;
      return (
        was &&
        is &&
        a.action.partnership === b.action.partnership &&
        a.action.dischargedMs === b.action.dischargedMs &&
        a.action.agency === b.action.agency &&
        a.action.result === b.action.result &&
        sameCtx(a.ctx, b.ctx)
      );
    },
    facts: ({ action: a, ctx }, emit) => {
      const discharge = dischargeFacts(a);
      if (!discharge) return;
      const bin = dayBin(discharge.days);
      for (const m of months(discharge.dischargedMs)) {
        emit('dischargeMonth', [a.partnership, m, discharge.agency], {
          discharged: 1,
          [column(discharge.result)]: 1,
          on_time: discharge.onTime ? 1 : 0,
        });
        emit('dischargeHist', [a.partnership, m, discharge.agency, bin], { n: 1 });
      }
      if (ctx) {
        emit('tactic', [a.partnership, ctx.category, a.tacticCategory, a.tacticName], { discharged: 1 });
        emit('tacticHist', [a.partnership, ctx.category, a.tacticCategory, a.tacticName, bin], { n: 1 });
      }
    },
  },
  {
    same: (a, b) => sameSteps(a.steps, b.steps),
    facts: ({ action: a, steps }, emit) => {
      for (const step of steps) {
        for (const m of months(Math.floor(step.atUs / 1000))) {
          emit('dischargeMonth', [a.partnership, m, step.agency], { in_process_delta: step.inProcess, overdue_delta: step.overdue });
        }
      }
    },
  },
];

export function sameSteps(a: readonly ProcessDelta[], b: readonly ProcessDelta[]): boolean {
  return (
    a.length === b.length &&
    a.every((s, i) => s.atUs === b[i]!.atUs && s.agency === b[i]!.agency && s.inProcess === b[i]!.inProcess && s.overdue === b[i]!.overdue)
  );
}

/** Subtracts what changed of an action's contributions and adds the new ones. */
export function actionFactsChange(before: ActionView | null, now: ActionView, minus: Emit, plus: Emit): void {
  for (const group of ACTION_GROUPS) {
    if (before && group.same(before, now)) continue;
    if (before) group.facts(before, minus);
    group.facts(now, plus);
  }
}
