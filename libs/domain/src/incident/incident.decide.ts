import { isSystemActor, type Actor, type SystemActor } from '../actor';
import { PROBLEM_CATEGORIES } from '../categories';
import { accept, reject, type Decision, type Refusal } from '../decision';
import { unknownCommand, type IsoDateTime } from '../event';
import { requirePartnership, requireRole, requireSystem, requireVisible } from '../guards';
import { retentionEndsAt } from '../personal-data';
import type { AreaState } from '../area/area.state';
import type { ProblemState } from '../problem/problem.state';
import { checks, compact, isLater, type Checks } from '../validation';
import {
  DISMISS_REASON_CODES,
  INCIDENT_CHANNELS,
  OCCURRED_PRECISIONS,
  WITHDRAW_REASONS,
  type DismissReasonCode,
  type IncidentChannel,
  type IncidentEvent,
  type IncidentLocation,
  type IncidentRecorded,
  type IncidentUpdated,
  type WithdrawReason,
} from './incident.events';
import type { ExistingIncident, IncidentState } from './incident.state';

type CommandBase = { actor: Actor; now: IsoDateTime };

/**
 * Record an incident: every field of IncidentRecorded, computed by the application where they
 * need more than the domain (the id, the content hash, the area, the source's triage flag).
 * A person records reports taken by phone or at a counter (channel `console`); the `imports`
 * system records imported rows (`import`), the `open311` system Open311 requests (`open311`).
 * `sourceKnown`: the source is registered for the partnership, or is a built-in one. `area`: when
 * the caller named `location.areaCode` (a report taken at a counter), that area's state as read;
 * an area the application resolved from the partnership's areas needs no check.
 * A stream that exists is refused (ALREADY_EXISTS): callers that want idempotency compare the
 * content hash first and treat an equal one as unchanged.
 */
export type RecordIncident = {
  type: 'RecordIncident';
  actor: Actor | SystemActor;
  now: IsoDateTime;
  sourceKnown: boolean;
  area?: AreaState;
} & IncidentRecorded['data'];

/** From an import: the mapped fields that changed and the new hash. Nothing is decided when the hash is the incident's. */
export type UpdateIncident = {
  type: 'UpdateIncident';
  actor: SystemActor;
  now: IsoDateTime;
} & IncidentUpdated['data'];

/** From an import: its record left a complete extract, or the import was withdrawn. Nothing to do when already withdrawn. */
export type WithdrawIncident = { type: 'WithdrawIncident'; actor: SystemActor; now: IsoDateTime; reason: WithdrawReason; importId: string };

/** Link to a problem of the incident's partnership; `problem` is that problem's state, as the handler read it. */
export type LinkIncident = CommandBase & { type: 'LinkIncident'; problemId: string; problem: ProblemState };

export type UnlinkIncident = CommandBase & { type: 'UnlinkIncident'; reason: string };

/** Mark as a duplicate of incident `of`; `original` is that incident's state, as the handler read it. */
export type MarkIncidentDuplicate = CommandBase & { type: 'MarkIncidentDuplicate'; of: string; original: IncidentState };

export type DismissIncident = CommandBase & { type: 'DismissIncident'; reasonCode: DismissReasonCode; note?: string };

/**
 * From the retention sweep: erase the incident's personal data `retentionYears`
 * (INCIDENT_RETENTION_YEARS) after it was recorded, or when the retention of the problem it is
 * linked to ends (that problem's personal data erased), whichever is later. `linkedProblem` is
 * the state of the problem the incident is linked to, when it is.
 */
export type EraseIncidentPersonalData = {
  type: 'EraseIncidentPersonalData';
  actor: SystemActor;
  now: IsoDateTime;
  retentionYears: number;
  linkedProblem?: ProblemState;
};

export type IncidentCommand =
  | RecordIncident
  | UpdateIncident
  | WithdrawIncident
  | LinkIncident
  | UnlinkIncident
  | MarkIncidentDuplicate
  | DismissIncident
  | EraseIncidentPersonalData;

export function decideIncident(command: IncidentCommand, state: IncidentState): Decision<IncidentEvent> {
  switch (command.type) {
    case 'RecordIncident':
      return record(command, state);
    case 'UpdateIncident':
      return update(command, state);
    case 'WithdrawIncident':
      return withdraw(command, state);
    case 'LinkIncident':
      return link(command, state);
    case 'UnlinkIncident':
      return unlink(command, state);
    case 'MarkIncidentDuplicate':
      return markDuplicate(command, state);
    case 'DismissIncident':
      return dismiss(command, state);
    case 'EraseIncidentPersonalData':
      return erasePersonalData(command, state);
    default:
      return unknownCommand(command);
  }
}

/** The systems that record incidents, and the channel each records on; people record on `console`. */
const SYSTEM_CHANNELS: Readonly<Partial<Record<SystemActor['system'], IncidentChannel>>> = { imports: 'import', open311: 'open311' };

function requireRecorder(command: RecordIncident): Refusal | undefined {
  const { actor, channel } = command;
  if (isSystemActor(actor)) {
    return SYSTEM_CHANNELS[actor.system] === channel ? undefined : reject('FORBIDDEN_ROLE', `the ${actor.system} system may not record incidents on channel ${channel}`);
  }
  return (
    requireRole({ type: command.type, actor }, 'record incidents') ??
    requirePartnership(actor, command.partnership) ??
    (channel === 'console' ? undefined : reject('FORBIDDEN_ROLE', `people record incidents on channel console, not ${channel}`))
  );
}

const CONTENT_HASH = /^[0-9a-f]{64}$/;

function checkLocation(v: Checks, location: IncidentLocation | undefined): Checks {
  if (location === null || typeof location !== 'object') return v.fail('location', 'location must be an object');
  v.lat('location.lat', location.lat, { optional: true })
    .lng('location.lng', location.lng, { optional: true })
    .text('location.lsoaCode', location.lsoaCode, { optional: true })
    .text('location.address', location.address, { optional: true });
  if ((location.lat === undefined) !== (location.lng === undefined)) v.fail('location', 'location needs both lat and lng, or neither');
  if (location.areaCode !== undefined) v.code('location.areaCode', location.areaCode);
  return v;
}

function checkRecord(command: RecordIncident): Refusal | undefined {
  const clock = { now: command.now };
  const v = checks()
    .text('incidentId', command.incidentId)
    .code('source', command.source)
    .text('externalId', command.externalId)
    .oneOf('category', command.category, PROBLEM_CATEGORIES)
    .text('sourceCategory', command.sourceCategory)
    .worldTime('occurredAt', command.occurredAt, clock)
    .oneOf('occurredPrecision', command.occurredPrecision, OCCURRED_PRECISIONS)
    .worldTime('reportedAt', command.reportedAt, { ...clock, optional: true })
    .boolean('unmapped', command.unmapped)
    .text('outcome', command.outcome, { optional: true })
    .text('context', command.context, { optional: true })
    .text('description', command.description, { optional: true })
    .oneOf('channel', command.channel, INCIDENT_CHANNELS)
    .boolean('triage', command.triage);
  checkLocation(v, command.location);
  if (command.reporter !== undefined) {
    v.text('reporter.name', command.reporter.name, { optional: true })
      .text('reporter.email', command.reporter.email, { optional: true })
      .text('reporter.phone', command.reporter.phone, { optional: true });
  }
  (command.attributes ?? []).forEach((attribute, i) => v.text(`attributes[${i}].name`, attribute.name).text(`attributes[${i}].value`, attribute.value, { allowEmpty: true }));
  if (command.channel === 'import') v.text('importId', command.importId);
  else if (command.importId !== undefined) v.fail('importId', 'importId is given only for imported incidents');
  if (typeof command.contentHash !== 'string' || !CONTENT_HASH.test(command.contentHash)) v.fail('contentHash', 'contentHash must be a SHA-256 in hex');
  return v.refusal();
}

/** The area the caller named is registered in the incident's partnership (UNKNOWN_AREA otherwise, as for a raise). */
function requireNamedArea({ area, location, partnership }: RecordIncident): Refusal | undefined {
  if (area === undefined) return undefined;
  return area.status === 'none' || area.code !== location.areaCode || area.partnership !== partnership
    ? reject('UNKNOWN_AREA', `area ${location.areaCode ?? ''} is not registered in partnership ${partnership}`)
    : undefined;
}

function record(command: RecordIncident, state: IncidentState): Decision<IncidentEvent> {
  const refused =
    requireRecorder(command) ??
    checkRecord(command) ??
    (command.sourceKnown ? undefined : reject('UNKNOWN_SOURCE', `source ${command.source} is not registered for partnership ${command.partnership}`)) ??
    requireNamedArea(command) ??
    (state.status !== 'none' ? reject('ALREADY_EXISTS', `incident ${command.incidentId} already exists`) : undefined);
  if (refused) return refused;
  const { type: _type, actor: _actor, now: _now, sourceKnown: _sourceKnown, area: _area, location, reporter, ...data } = command;
  return accept<IncidentEvent>({
    type: 'IncidentRecorded',
    data: compact({
      ...data,
      location: compact(location),
      reporter: reporter === undefined ? undefined : compact(reporter),
    }) as IncidentRecorded['data'],
  });
}

const existing = (state: IncidentState): Refusal | undefined => (state.status === 'none' ? reject('NOT_FOUND', 'incident not found') : undefined);

function update(command: UpdateIncident, state: IncidentState): Decision<IncidentEvent> {
  const refused = requireSystem(command, 'update incidents') ?? existing(state);
  if (refused) return refused;
  const v = checks()
    .oneOf('category', command.category, PROBLEM_CATEGORIES, { optional: true })
    .text('sourceCategory', command.sourceCategory, { optional: true })
    .worldTime('occurredAt', command.occurredAt, { now: command.now, optional: true })
    .oneOf('occurredPrecision', command.occurredPrecision, OCCURRED_PRECISIONS, { optional: true })
    .boolean('unmapped', command.unmapped, { optional: true })
    .text('outcome', command.outcome, { optional: true, allowEmpty: true })
    .text('context', command.context, { optional: true, allowEmpty: true })
    .text('description', command.description, { optional: true, allowEmpty: true })
    .time('sourceUpdatedAt', command.sourceUpdatedAt)
    .text('importId', command.importId, { optional: true });
  if (command.location !== undefined) checkLocation(v, command.location);
  if (typeof command.contentHash !== 'string' || !CONTENT_HASH.test(command.contentHash)) v.fail('contentHash', 'contentHash must be a SHA-256 in hex');
  const invalid = v.refusal();
  if (invalid) return invalid;
  if ((state as ExistingIncident).contentHash === command.contentHash) return accept();
  const { type: _type, actor: _actor, now: _now, location, ...data } = command;
  return accept<IncidentEvent>({
    type: 'IncidentUpdated',
    data: compact({ ...data, location: location === undefined ? undefined : compact(location) }) as IncidentUpdated['data'],
  });
}

function withdraw(command: WithdrawIncident, state: IncidentState): Decision<IncidentEvent> {
  const refused =
    requireSystem(command, 'withdraw incidents') ??
    existing(state) ??
    checks().oneOf('reason', command.reason, WITHDRAW_REASONS).text('importId', command.importId).refusal();
  if (refused) return refused;
  if ((state as ExistingIncident).status === 'withdrawn') return accept();
  return accept({ type: 'IncidentWithdrawn', data: { reason: command.reason, importId: command.importId } });
}

type TriageCommand = LinkIncident | UnlinkIncident | MarkIncidentDuplicate | DismissIncident;

/** The incident visible to the inspector, and not withdrawn. */
function triageAccess(command: TriageCommand, state: IncidentState, doing: string): Refusal | undefined {
  return (
    requireVisible(command.actor, state.status === 'none' ? state : { status: state.status, partnership: state.partnership }, 'incident') ??
    requireRole(command, doing) ??
    ((state as ExistingIncident).status === 'withdrawn' ? reject('INCIDENT_WITHDRAWN', 'the incident was withdrawn by its import') : undefined)
  );
}

const DISPOSITION_TEXT = { linked: 'linked to a problem', duplicate: 'marked a duplicate', dismissed: 'dismissed' } as const;

/** Link, duplicate and dismiss each end triage: an incident already triaged is refused. */
const requireUntriaged = (incident: ExistingIncident): Refusal | undefined =>
  incident.disposition === undefined ? undefined : reject('INCIDENT_ALREADY_TRIAGED', `the incident is already ${DISPOSITION_TEXT[incident.disposition.kind]}`);

function link(command: LinkIncident, state: IncidentState): Decision<IncidentEvent> {
  const refused = triageAccess(command, state, 'link incidents') ?? checks().text('problemId', command.problemId).refusal();
  if (refused) return refused;
  const incident = state as ExistingIncident;
  const problem = command.problem;
  // Another partnership's problem answers as an unknown one (domain.md, "Partnerships").
  if (problem.status === 'none' || problem.problemId !== command.problemId || problem.partnership !== incident.partnership) {
    return reject('NOT_FOUND', `problem ${command.problemId} not found`);
  }
  const blocked = requireUntriaged(incident) ?? (problem.status === 'closed' ? reject('PROBLEM_CLOSED', 'the problem is closed: reopen it to link incidents') : undefined);
  if (blocked) return blocked;
  return accept({ type: 'IncidentLinked', data: { problemId: command.problemId } });
}

function unlink(command: UnlinkIncident, state: IncidentState): Decision<IncidentEvent> {
  const refused = triageAccess(command, state, 'unlink incidents') ?? checks().text('reason', command.reason).refusal();
  if (refused) return refused;
  const { disposition } = state as ExistingIncident;
  if (disposition?.kind !== 'linked') return reject('INCIDENT_NOT_LINKED', 'the incident is not linked to a problem');
  return accept({ type: 'IncidentUnlinked', data: { problemId: disposition.problemId, reason: command.reason } });
}

function markDuplicate(command: MarkIncidentDuplicate, state: IncidentState): Decision<IncidentEvent> {
  const refused = triageAccess(command, state, 'mark incidents as duplicates') ?? checks().text('of', command.of).refusal();
  if (refused) return refused;
  const incident = state as ExistingIncident;
  if (command.of === incident.incidentId) return reject('VALIDATION_FAILED', 'an incident cannot duplicate itself', [{ field: 'of', message: 'of must name another incident' }]);
  const original = command.original;
  if (original.status === 'none' || original.incidentId !== command.of || original.partnership !== incident.partnership) {
    return reject('NOT_FOUND', `incident ${command.of} not found`);
  }
  const blocked = requireUntriaged(incident);
  if (blocked) return blocked;
  return accept({ type: 'IncidentMarkedDuplicate', data: { of: command.of } });
}

function dismiss(command: DismissIncident, state: IncidentState): Decision<IncidentEvent> {
  const refused =
    triageAccess(command, state, 'dismiss incidents') ??
    checks().oneOf('reasonCode', command.reasonCode, DISMISS_REASON_CODES).text('note', command.note, { optional: true }).refusal() ??
    requireUntriaged(state as ExistingIncident);
  if (refused) return refused;
  return accept({ type: 'IncidentDismissed', data: compact({ reasonCode: command.reasonCode, note: command.note }) });
}

/** Whether the retention of the problem an incident is linked to has ended (its personal data erased). */
const linkedRetentionEnded = (incident: ExistingIncident, problem: ProblemState | undefined): boolean =>
  incident.disposition?.kind !== 'linked' || (problem !== undefined && problem.status !== 'none' && problem.personalDataErased);

function erasePersonalData(command: EraseIncidentPersonalData, state: IncidentState): Decision<IncidentEvent> {
  const refused = requireSystem(command, "erase an incident's personal data") ?? existing(state) ?? checks().number('retentionYears', command.retentionYears, 1, 100).refusal();
  if (refused) return refused;
  const incident = state as ExistingIncident;
  // Retention counts from when the incident was recorded; a fold that does not know when waits.
  if (incident.personalDataErased || incident.recordedAt === undefined) return accept();
  if (isLater(retentionEndsAt(incident.recordedAt, command.retentionYears), command.now)) return accept();
  if (!linkedRetentionEnded(incident, command.linkedProblem)) return accept();
  return accept({ type: 'IncidentPersonalDataErased', data: { erasedAt: command.now } });
}
