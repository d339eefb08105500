/**
 * The state the analytics projector keeps per problem, action and area, and how events change it.
 * Pure: no I/O, no clock. Times are epoch milliseconds taken from event data, or from the event's
 * recordedAt for events that carry no time of their own (reassignment, due-date change, cancel).
 */
import type { ActionEvent, AreaEvent, EventData, ProblemEvent } from '@tasking/domain';
import type { RecordedEvent } from '@tasking/event-store';
import { parseMs } from './time';

/** Discharge results that make the action's tactic a "use" in the tactical-options library. */
export const USE_RESULTS = new Set<string>(['completed', 'partially-completed']);

/** Column name of an outcome or result in the aggregate tables: `reduced-harm` -> `reduced_harm`. */
export const column = (name: string): string => name.replace(/-/g, '_');

/** A tactic as one string, `category|name` (neither part contains `|`). */
export const tacticKey = (category: string, name: string): string => `${category}|${name}`;
export const splitTacticKey = (key: string): [string, string] => {
  const at = key.indexOf('|');
  return [key.slice(0, at), key.slice(at + 1)];
};

export interface ClosureModel {
  /** 1-based: the problem's n-th closure. */
  no: number;
  closedMs: number;
  outcome: string;
  /** Where and what the problem was when closed (it cannot be amended while closed). */
  area: string;
  category: string;
  /** A ProblemReopened followed it. */
  reopened: boolean;
}

export interface ProblemModel {
  id: string;
  partnership: string;
  category: string;
  area: string;
  lat: number | null;
  lng: number | null;
  priority: string | null;
  harm: number | null;
  raisedMs: number;
  status: 'open' | 'closed';
  closures: number;
  /** The latest closure (kept after a reopen). */
  last: ClosureModel | null;
  /** Tactic keys used on the problem: actions discharged completed / partially-completed, interventions. */
  tactics: string[];
  /** The closure this problem recurs after (maintained by the projector's recurrence step). */
  recurrenceOf: string | null;
  recurrenceClosure: number | null;
}

export interface ActionModel {
  id: string;
  problemId: string;
  partnership: string;
  agency: string;
  tacticCategory: string;
  tacticName: string;
  assignedMs: number;
  /** The current dueBy. */
  dueMs: number;
  status: 'open' | 'discharged' | 'cancelled';
  claimed: boolean;
  declined: boolean;
  /** When it stopped being open: dischargedAt, or the cancel's recordedAt. */
  closedMs: number | null;
  dischargedMs: number | null;
  result: string | null;
  /** [since, agency], the first at assignedAt, then one per reassignment (recordedAt). */
  agencies: [number, string][];
  /** [since, dueBy], the first at assignedAt, then one per due-date change (recordedAt). */
  dues: [number, number][];
  /** The problem's area and category as last written with the action's facts. */
  area: string | null;
  category: string | null;
}

export interface AreaModel {
  code: string;
  partnership: string;
  name: string;
  lat: number | null;
  lng: number | null;
}

/** The time an event was recorded: metadata.recordedAt, else the store's own. */
export function recordedMs(event: RecordedEvent): number {
  return parseMs(event.metadata?.['recordedAt']) ?? parseMs(event.recordedAt) ?? 0;
}

const orNull = <T>(value: T | undefined): T | null => value ?? null;

export function newProblem(id: string, data: EventData<'ProblemRaised'>, fallbackMs: number): ProblemModel {
  return {
    id,
    partnership: data.partnership,
    category: data.category,
    area: data.location.areaCode,
    lat: orNull(data.location.lat),
    lng: orNull(data.location.lng),
    priority: orNull(data.priority),
    harm: null,
    raisedMs: parseMs(data.raisedAt) ?? fallbackMs,
    status: 'open',
    closures: 0,
    last: null,
    tactics: [],
    recurrenceOf: null,
    recurrenceClosure: null,
  };
}

/** Applies one problem event after its ProblemRaised; returns the closure it added, if any. */
export function evolveProblem(problem: ProblemModel, event: ProblemEvent, atMs: number): ClosureModel | undefined {
  switch (event.type) {
    case 'ProblemAmended': {
      const { category, location } = event.data;
      if (category) problem.category = category;
      if (location) {
        problem.area = location.areaCode;
        problem.lat = orNull(location.lat);
        problem.lng = orNull(location.lng);
      }
      return undefined;
    }
    case 'ProblemPrioritised':
      problem.priority = event.data.priority;
      problem.harm = orNull(event.data.harmScore);
      return undefined;
    case 'ProblemClosed': {
      if (problem.status === 'closed') return undefined;
      problem.status = 'closed';
      problem.closures += 1;
      problem.last = {
        no: problem.closures,
        closedMs: parseMs(event.data.closedAt) ?? atMs,
        outcome: event.data.outcome,
        area: problem.area,
        category: problem.category,
        reopened: false,
      };
      return problem.last;
    }
    case 'ProblemReopened':
      if (problem.status !== 'closed') return undefined;
      problem.status = 'open';
      if (problem.last) problem.last.reopened = true;
      return undefined;
    default:
      return undefined;
  }
}

/** A tactic by category and name (as events and the analytics tables spell it). */
export interface TacticUse {
  category: string;
  name: string;
}

/** Adds a tactic used on the problem; false when it was already one of its tactics. */
export function addTactic(problem: ProblemModel, tactic: TacticUse): boolean {
  const key = tacticKey(tactic.category, tactic.name);
  if (problem.tactics.includes(key)) return false;
  problem.tactics = [...problem.tactics, key].sort();
  return true;
}

/** What an action's model takes from its ActionAssigned. */
export type AssignmentFacts = Omit<EventData<'ActionAssigned'>, 'description' | 'meetingId'>;

export function newAction(id: string, data: AssignmentFacts, fallbackMs: number): ActionModel {
  const assignedMs = parseMs(data.assignedAt) ?? fallbackMs;
  const dueMs = parseMs(data.dueBy) ?? assignedMs;
  return {
    id,
    problemId: data.problemId,
    partnership: data.partnership,
    agency: data.agency,
    tacticCategory: data.tactic.category,
    tacticName: data.tactic.name,
    assignedMs,
    dueMs,
    status: 'open',
    claimed: false,
    declined: false,
    closedMs: null,
    dischargedMs: null,
    result: null,
    agencies: [[assignedMs, data.agency]],
    dues: [[assignedMs, dueMs]],
    area: null,
    category: null,
  };
}

/**
 * Applies one action event after its ActionAssigned. Returns the tactic that became a use of the
 * action's problem (a discharge completed or partially completed, or an intervention), if any.
 */
export function evolveAction(action: ActionModel, event: ActionEvent, atMs: number): TacticUse | undefined {
  if (event.type === 'InterventionRecorded') return event.data.tactic;
  if (action.status !== 'open') return undefined;
  switch (event.type) {
    case 'ActionClaimed':
      action.claimed = true;
      return undefined;
    case 'ActionDeclined':
      action.declined = true;
      return undefined;
    case 'ActionReleased':
      action.claimed = false;
      return undefined;
    case 'ActionReassigned': {
      const to = event.data.toAgency;
      action.agency = to;
      action.agencies = [...action.agencies, [atMs, to]];
      action.claimed = false;
      action.declined = false;
      return undefined;
    }
    case 'ActionDueDateChanged': {
      const due = parseMs(event.data.dueBy);
      if (due !== undefined) {
        action.dueMs = due;
        action.dues = [...action.dues, [atMs, due]];
      }
      return undefined;
    }
    case 'ActionDischarged': {
      const at = parseMs(event.data.dischargedAt) ?? atMs;
      action.status = 'discharged';
      action.closedMs = at;
      action.dischargedMs = at;
      action.result = event.data.result;
      return USE_RESULTS.has(event.data.result) ? { category: action.tacticCategory, name: action.tacticName } : undefined;
    }
    case 'ActionCancelled':
      action.status = 'cancelled';
      action.closedMs = atMs;
      return undefined;
    default:
      return undefined;
  }
}

export function newArea(data: EventData<'AreaRegistered'>): AreaModel {
  return { code: data.code, partnership: data.partnership, name: data.name, lat: data.centroid.lat, lng: data.centroid.lng };
}

/** A registration again, or an update: the name and centroid it gives. */
export function evolveArea(area: AreaModel, event: AreaEvent): void {
  const { name, centroid } = event.data;
  if (name) area.name = name;
  if (centroid) {
    area.lat = centroid.lat;
    area.lng = centroid.lng;
  }
}

// ---------------------------------------------------------------------------------------------
// Derived facts of an action's history

/** Change times made monotonic and never before the assignment, so "as at" is well defined. */
function effective<T>(changes: readonly [number, T][], start: number): [number, T][] {
  let previous = start;
  return changes.map(([at, value], i) => {
    const time = i === 0 ? start : Math.max(at, previous);
    previous = time;
    return [time, value];
  });
}

/** The value of the last change at or before `atMs`. */
function inForce<T>(changes: readonly [number, T][], atMs: number): T {
  let value = changes[0]![1];
  for (const [time, v] of changes) {
    if (time <= atMs) value = v;
    else break;
  }
  return value;
}

export interface DischargeFacts {
  agency: string;
  dischargedMs: number;
  result: string;
  /** The dueBy in force when discharged (changes recorded at or before dischargedAt). */
  dueAtDischargeMs: number;
  /** Discharged at or before that dueBy. */
  onTime: boolean;
  days: number;
}

export function dischargeFacts(action: ActionModel): DischargeFacts | undefined {
  if (action.status !== 'discharged' || action.dischargedMs === null) return undefined;
  const dues = effective(action.dues, action.assignedMs);
  const due = inForce(dues, action.dischargedMs);
  return {
    agency: action.agency,
    dischargedMs: action.dischargedMs,
    result: action.result ?? 'completed',
    dueAtDischargeMs: due,
    onTime: action.dischargedMs <= due,
    days: (action.dischargedMs - action.assignedMs) / 86_400_000,
  };
}

/** +1/-1 steps of "in process" and "overdue" for one agency, at an instant in microseconds. */
export interface ProcessDelta {
  atUs: number;
  agency: string;
  inProcess: number;
  overdue: number;
}

/**
 * The action's in-process and overdue history as steps, such that for any instant T (ms):
 *   in process at T for agency X  =  sum of `inProcess` of X's steps with atUs < T * 1000
 *   overdue at T for agency X     =  sum of `overdue` of X's steps with atUs < T * 1000
 * where in process at T = assigned before T, open as at T (closed at or after T), and assigned to X
 * as at T (the last reassignment before T); overdue = in process and T >= the dueBy in force as at T.
 * State is constant on each interval (t_k, t_k+1] between change points, so a step at t_k counts
 * from just after t_k; a due date d starts counting at T = d, hence its step at d*1000 - 1.
 */
export function processDeltas(action: ActionModel): ProcessDelta[] {
  const start = action.assignedMs;
  const end = action.closedMs ?? Number.POSITIVE_INFINITY;
  if (!(end > start)) return [];
  const agencies = effective(action.agencies, start);
  const dues = effective(action.dues, start);
  const points = [...new Set([start, ...agencies.map(([t]) => t), ...dues.map(([t]) => t)])].filter((t) => t < end).sort((a, b) => a - b);
  const steps = new Map<string, ProcessDelta>();
  const step = (atUs: number, agency: string, inProcess: number, overdue: number) => {
    const key = `${atUs} ${agency}`;
    const found = steps.get(key);
    if (found) {
      found.inProcess += inProcess;
      found.overdue += overdue;
    } else steps.set(key, { atUs, agency, inProcess, overdue });
  };
  points.forEach((lo, i) => {
    const hi = i + 1 < points.length ? points[i + 1]! : end;
    const agency = inForce(agencies, lo);
    const due = inForce(dues, lo);
    const finite = Number.isFinite(hi);
    step(lo * 1000, agency, 1, 0);
    if (finite) step(hi * 1000, agency, -1, 0);
    const overdueFrom = Math.max(lo * 1000, due * 1000 - 1);
    if (!finite) step(overdueFrom, agency, 0, 1);
    else if (overdueFrom < hi * 1000) {
      step(overdueFrom, agency, 0, 1);
      step(hi * 1000, agency, 0, -1);
    }
  });
  return [...steps.values()]
    .filter((s) => s.inProcess !== 0 || s.overdue !== 0)
    .sort((a, b) => a.atUs - b.atUs || (a.agency < b.agency ? -1 : a.agency > b.agency ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Bins for exact medians: a histogram locates the bin holding the middle, detail rows of that bin
// give the exact value. Bins must be monotone in the value; their width only affects speed.

export function dayBin(days: number): number {
  if (!(days >= 0)) return -1;
  if (days < 60) return Math.floor(days);
  if (days < 368) return 60 + Math.floor((days - 60) / 7);
  return Math.min(400, 104 + Math.floor((days - 368) / 30));
}
