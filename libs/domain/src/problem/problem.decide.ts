import type { Actor, SystemActor } from '../actor';
import type { AreaState } from '../area/area.state';
import {
  DEFAULT_PROBLEM_SOURCE,
  PRIORITIES,
  PROBLEM_CATEGORIES,
  PROBLEM_SOURCES,
  RAGS,
  SUBJECT_ROLES,
  type Priority,
  type ProblemCategory,
  type ProblemSource,
  type Rag,
  type SubjectRole,
} from '../categories';
import { accept, reject, type Decision, type Refusal } from '../decision';
import { unknownCommand, type IsoDateTime } from '../event';
import type { GroupState } from '../group/group.state';
import type { UserCommandType } from '../command-roles';
import { requirePartnership, requireRole, requireSystem, requireVisible } from '../guards';
import { retentionEndsAt } from '../personal-data';
import { latestOf } from '../times';
import { checks, compact, isLater, sameValue, type Checks } from '../validation';
import type { ProblemAmended, ProblemEvent, ProblemLocation } from './problem.events';
import type { ExistingProblem, ProblemState } from './problem.state';
import { isProblemReference } from './reference';

/** `timeZone`: the zone of bare dates (TIME_ZONE; default UTC). */
type CommandBase = { actor: Actor; now: IsoDateTime; timeZone?: string };

/**
 * Raise a problem. `area` is the state of the area named by `location.areaCode`, `group` that of
 * `groupCode` when given (the handler reads them; they are not changed).
 */
export type RaiseProblem = CommandBase & {
  type: 'RaiseProblem';
  problemId: string;
  partnership: string;
  title: string;
  description: string;
  category: ProblemCategory;
  location: ProblemLocation;
  priority?: Priority;
  /** Default `tasking-meeting`. */
  source?: ProblemSource;
  groupCode?: string;
  /** Default `now`; not in the future, not more than 10 years ago. */
  raisedAt?: IsoDateTime;
  /** Issued by the application from the partnership's counter (`issueReference`, reference.ts). */
  reference?: string;
  area: AreaState;
  group?: GroupState;
};

/** Amend; `area` is needed only when `location.areaCode` changes (the state of the new area). */
export type AmendProblem = CommandBase & {
  type: 'AmendProblem';
  title?: string;
  description?: string;
  category?: ProblemCategory;
  location?: ProblemLocation;
  area?: AreaState;
};

export type PrioritiseProblem = CommandBase & {
  type: 'PrioritiseProblem';
  priority: Priority;
  harmScore?: number;
  rationale: string;
};

export type AnalyseProblem = CommandBase & {
  type: 'AnalyseProblem';
  victim?: string;
  offender?: string;
  location?: string;
  hypotheses?: readonly string[];
};

export type ReviewProblem = CommandBase & {
  type: 'ReviewProblem';
  rag: Rag;
  note: string;
  meetingId?: string;
};

export type ReopenProblem = CommandBase & { type: 'ReopenProblem'; reason: string };

/**
 * Name a person on the problem. Inspectors may (they raise and run problems); so may officers of
 * an agency holding one of the problem's actions (they meet victims and witnesses while they
 * work it). `actionAgencies` are the agencies the problem's actions give access to its subjects
 * (the handler reads the action streams: an action held and worked now, not cancelled, declined or
 * reassigned away, and not assigned to its agency by that agency itself).
 */
export type AddSubject = CommandBase & {
  type: 'AddSubject';
  subjectId: string;
  role: SubjectRole;
  name: string;
  /** YYYY-MM-DD, not in the future. */
  dateOfBirth?: string;
  address?: string;
  notes?: string;
  actionAgencies: readonly string[];
};

/** Erase a subject's personal data (inspectors and admins): a data-subject request, or data recorded in error. */
export type EraseSubject = CommandBase & { type: 'EraseSubject'; subjectId: string; reason: string };

/**
 * From the retention sweep: erase the problem's personal data once it has been closed for
 * `retentionYears` (RETENTION_YEARS_AFTER_CLOSURE). Nothing to do while open, before then, or
 * when already done for the latest closure.
 */
export type ErasePersonalData = { type: 'ErasePersonalData'; actor: SystemActor; now: IsoDateTime; retentionYears: number };

/**
 * Commands on the problem stream alone. Tabling, assigning an action and closing read other
 * aggregates or write other streams: see `workflows/`.
 */
export type ProblemCommand =
  | RaiseProblem
  | AmendProblem
  | PrioritiseProblem
  | AnalyseProblem
  | ReviewProblem
  | ReopenProblem
  | AddSubject
  | EraseSubject
  | ErasePersonalData;

export function decideProblem(command: ProblemCommand, state: ProblemState): Decision<ProblemEvent> {
  switch (command.type) {
    case 'RaiseProblem':
      return raise(command, state);
    case 'AmendProblem':
      return amend(command, state);
    case 'PrioritiseProblem':
      return prioritise(command, state);
    case 'AnalyseProblem':
      return analyse(command, state);
    case 'ReviewProblem':
      return review(command, state);
    case 'ReopenProblem':
      return reopen(command, state);
    case 'AddSubject':
      return addSubject(command, state);
    case 'EraseSubject':
      return eraseSubject(command, state);
    case 'ErasePersonalData':
      return erasePersonalData(command, state);
    default:
      return unknownCommand(command);
  }
}

/** Partnership (NOT_FOUND), then role: the checks every command on an existing problem starts with. */
export const problemAccess = (command: { type: UserCommandType; actor: Actor }, state: ProblemState, doing: string): Refusal | undefined =>
  requireVisible(command.actor, state, 'problem') ?? requireRole(command, doing);

export const requireOpenProblem = (state: ExistingProblem, doing: string): Refusal | undefined =>
  state.status === 'open' ? undefined : reject('PROBLEM_CLOSED', `problem ${state.problemId} is closed: reopen it to ${doing}`);

const checkLocation = (v: Checks, field: string, location: ProblemLocation | undefined): Checks => {
  if (typeof location !== 'object' || location === null) return v.fail(field, `${field} must be an object with an areaCode`);
  v.code(`${field}.areaCode`, location.areaCode)
    .lat(`${field}.lat`, location.lat, { optional: true })
    .lng(`${field}.lng`, location.lng, { optional: true })
    .text(`${field}.address`, location.address, { optional: true });
  if ((location.lat === undefined) !== (location.lng === undefined)) v.fail(field, `${field} needs both lat and lng, or neither`);
  return v;
};

const copyLocation = (location: ProblemLocation): ProblemLocation =>
  compact({ areaCode: location.areaCode, lat: location.lat, lng: location.lng, address: location.address });

const requireArea = (area: AreaState | undefined, areaCode: string, partnership: string): Refusal | undefined =>
  area !== undefined && area.status === 'registered' && area.code === areaCode && area.partnership === partnership
    ? undefined
    : reject('UNKNOWN_AREA', `area ${areaCode} is not registered in partnership ${partnership}`);

const requireGroup = (group: GroupState | undefined, groupCode: string, partnership: string): Refusal | undefined =>
  group !== undefined && group.status === 'registered' && group.code === groupCode && group.partnership === partnership
    ? undefined
    : reject('UNKNOWN_GROUP', `tasking group ${groupCode} is not registered in partnership ${partnership}`);

function raise(command: RaiseProblem, state: ProblemState): Decision<ProblemEvent> {
  const { actor, now } = command;
  const access = requirePartnership(actor, command.partnership) ?? requireRole(command, 'raise problems');
  if (access) return access;

  const v = checks()
    .text('problemId', command.problemId)
    .text('title', command.title)
    .text('description', command.description)
    .oneOf('category', command.category, PROBLEM_CATEGORIES)
    .oneOf('priority', command.priority, PRIORITIES, { optional: true })
    .oneOf('source', command.source, PROBLEM_SOURCES, { optional: true })
    .lifeTime('raisedAt', command.raisedAt, { optional: true, now, timeZone: command.timeZone });
  if (command.reference !== undefined && !isProblemReference(command.reference)) v.fail('reference', 'reference must look like SAFE-2026-0142');
  checkLocation(v, 'location', command.location);
  if (command.groupCode !== undefined) v.code('groupCode', command.groupCode);
  const refused =
    v.refusal() ??
    (state.status !== 'none' ? reject('ALREADY_EXISTS', `problem ${command.problemId} already exists`) : undefined) ??
    requireArea(command.area, command.location.areaCode, command.partnership) ??
    (command.groupCode !== undefined ? requireGroup(command.group, command.groupCode, command.partnership) : undefined);
  if (refused) return refused;

  return accept({
    type: 'ProblemRaised',
    data: compact({
      problemId: command.problemId,
      partnership: command.partnership,
      title: command.title,
      description: command.description,
      category: command.category,
      location: copyLocation(command.location),
      priority: command.priority,
      source: command.source ?? DEFAULT_PROBLEM_SOURCE,
      groupCode: command.groupCode,
      raisedAt: command.raisedAt ?? now,
      reference: command.reference,
    }),
  });
}

function amend(command: AmendProblem, state: ProblemState): Decision<ProblemEvent> {
  const access = problemAccess(command, state, 'amend problems');
  if (access) return access;
  const problem = state as ExistingProblem;

  const v = checks()
    .text('title', command.title, { optional: true })
    .text('description', command.description, { optional: true })
    .oneOf('category', command.category, PROBLEM_CATEGORIES, { optional: true });
  if (command.location !== undefined) checkLocation(v, 'location', command.location);
  if ([command.title, command.description, command.category, command.location].every((f) => f === undefined)) {
    v.fail('body', 'nothing to amend: give title, description, category or location');
  }
  const refused =
    v.refusal() ??
    requireOpenProblem(problem, 'amend it') ??
    (command.location !== undefined && command.location.areaCode !== problem.location.areaCode
      ? requireArea(command.area, command.location.areaCode, problem.partnership)
      : undefined);
  if (refused) return refused;

  const location = command.location === undefined ? undefined : copyLocation(command.location);
  const changed: ProblemAmended['data'] = compact({
    title: command.title !== undefined && command.title !== problem.title ? command.title : undefined,
    description: command.description !== undefined && command.description !== problem.description ? command.description : undefined,
    category: command.category !== undefined && command.category !== problem.category ? command.category : undefined,
    location: location !== undefined && !sameValue(location, problem.location) ? location : undefined,
  });
  // Amending to what is already there changes nothing: no event.
  return Object.keys(changed).length === 0 ? accept() : accept({ type: 'ProblemAmended', data: changed });
}

function prioritise(command: PrioritiseProblem, state: ProblemState): Decision<ProblemEvent> {
  const refused =
    problemAccess(command, state, 'prioritise problems') ??
    checks()
      .oneOf('priority', command.priority, PRIORITIES)
      .number('harmScore', command.harmScore, 0, 100, { optional: true })
      .text('rationale', command.rationale)
      .refusal() ??
    requireOpenProblem(state as ExistingProblem, 'prioritise it');
  if (refused) return refused;
  return accept({
    type: 'ProblemPrioritised',
    data: compact({ priority: command.priority, harmScore: command.harmScore, rationale: command.rationale }),
  });
}

function analyse(command: AnalyseProblem, state: ProblemState): Decision<ProblemEvent> {
  const access = problemAccess(command, state, 'analyse problems');
  if (access) return access;
  const v = checks()
    .text('victim', command.victim, { optional: true })
    .text('offender', command.offender, { optional: true })
    .text('location', command.location, { optional: true });
  const hypotheses = command.hypotheses ?? [];
  if (!Array.isArray(hypotheses)) v.fail('hypotheses', 'hypotheses must be a list of strings');
  else hypotheses.forEach((h, i) => v.text(`hypotheses[${i}]`, h));
  if (command.victim === undefined && command.offender === undefined && command.location === undefined && hypotheses.length === 0) {
    v.fail('body', 'nothing to record: give victim, offender, location or hypotheses');
  }
  const refused = v.refusal() ?? requireOpenProblem(state as ExistingProblem, 'analyse it');
  if (refused) return refused;
  return accept({
    type: 'ProblemAnalysed',
    data: compact({ victim: command.victim, offender: command.offender, location: command.location, hypotheses: [...hypotheses] }),
  });
}

function review(command: ReviewProblem, state: ProblemState): Decision<ProblemEvent> {
  const refused =
    problemAccess(command, state, 'review problems') ??
    checks()
      .oneOf('rag', command.rag, RAGS)
      .text('note', command.note)
      .text('meetingId', command.meetingId, { optional: true })
      .refusal() ??
    requireOpenProblem(state as ExistingProblem, 'review it');
  if (refused) return refused;
  return accept({ type: 'ProblemReviewed', data: compact({ meetingId: command.meetingId, rag: command.rag, note: command.note }) });
}

function reopen(command: ReopenProblem, state: ProblemState): Decision<ProblemEvent> {
  const refused =
    problemAccess(command, state, 'reopen problems') ??
    checks().text('reason', command.reason).refusal() ??
    ((state as ExistingProblem).status !== 'closed'
      ? reject('PROBLEM_NOT_CLOSED', `problem ${(state as ExistingProblem).problemId} is open: only a closed problem can be reopened`)
      : undefined);
  if (refused) return refused;
  return accept({ type: 'ProblemReopened', data: { reason: command.reason } });
}

function addSubject(command: AddSubject, state: ProblemState): Decision<ProblemEvent> {
  const { actor, now } = command;
  const access =
    problemAccess(command, state, 'add subjects to problems') ??
    (actor.roles.includes('inspector') || command.actionAgencies.includes(actor.agency)
      ? undefined
      : reject(
          'WRONG_AGENCY',
          `only inspectors, or officers of an agency holding one of this problem's actions (${command.actionAgencies.join(', ') || 'none yet'}), may add subjects to it`,
        ));
  if (access) return access;
  const problem = state as ExistingProblem;

  const v = checks()
    .text('subjectId', command.subjectId)
    .oneOf('role', command.role, SUBJECT_ROLES)
    .text('name', command.name)
    .text('address', command.address, { optional: true })
    .text('notes', command.notes, { optional: true });
  v.pastDate('dateOfBirth', command.dateOfBirth, { optional: true, now, timeZone: command.timeZone });
  const refused =
    v.refusal() ??
    requireOpenProblem(problem, 'add subjects') ??
    (problem.subjects.some((s) => s.subjectId === command.subjectId) ? reject('ALREADY_EXISTS', `subject ${command.subjectId} already exists`) : undefined);
  if (refused) return refused;
  return accept({
    type: 'SubjectAdded',
    data: compact({
      subjectId: command.subjectId,
      role: command.role,
      name: command.name,
      dateOfBirth: command.dateOfBirth,
      address: command.address,
      notes: command.notes,
      addedAt: now,
    }),
  });
}

function eraseSubject(command: EraseSubject, state: ProblemState): Decision<ProblemEvent> {
  const refused =
    problemAccess(command, state, 'erase subjects') ?? checks().text('reason', command.reason).refusal();
  if (refused) return refused;
  const subject = (state as ExistingProblem).subjects.find((s) => s.subjectId === command.subjectId);
  if (!subject) return reject('NOT_FOUND', `subject ${command.subjectId} not found on this problem`);
  // Already erased (by a request or by retention): nothing to do; the handler still makes sure the key is gone.
  if (subject.erased) return accept();
  return accept({ type: 'SubjectErased', data: { subjectId: command.subjectId, reason: command.reason, erasedAt: command.now } });
}

function erasePersonalData(command: ErasePersonalData, state: ProblemState): Decision<ProblemEvent> {
  const refusedSystem = requireSystem(command, 'erase a problem\'s personal data');
  if (refusedSystem) return refusedSystem;
  if (state.status === 'none') return reject('NOT_FOUND', 'problem not found');
  const refused = checks().number('retentionYears', command.retentionYears, 1, 100).refusal();
  if (refused) return refused;
  const closure = state.lastClosure;
  if (state.status !== 'closed' || closure === undefined || state.personalDataErased) return accept();
  // From when the closure was recorded: a closedAt dated back cannot bring the erasure forward.
  const closedFrom = latestOf(closure.closedAt, closure.recordedAt) ?? closure.closedAt;
  if (isLater(retentionEndsAt(closedFrom, command.retentionYears), command.now)) return accept();
  return accept({
    type: 'ProblemPersonalDataErased',
    data: { reason: 'retention', closedAt: closure.closedAt, retentionYears: command.retentionYears, erasedAt: command.now },
  });
}
