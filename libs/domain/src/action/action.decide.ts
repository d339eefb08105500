import { hasRole, type Actor, type SystemActor } from '../actor';
import type { AgencyState } from '../agency/agency.state';
import { DECLINE_REASON_CODES, DISCHARGE_RESULTS, normaliseTactic, type DeclineReasonCode, type DischargeResult, type TacticInput } from '../categories';
import { accept, reject, type Decision, type Refusal } from '../decision';
import { unknownCommand, type IsoDateTime } from '../event';
import type { UserCommandType } from '../command-roles';
import { requireAgency, requireRole, requireSystem, requireVisible } from '../guards';
import { checks, isAtOrAfter, requireDueDateAhead, requireNotBeforeLastEvent, type Checks } from '../validation';
import type { ActionEvent } from './action.events';
import type { ActionState, ExistingAction } from './action.state';

/** `timeZone`: the zone of bare dates (TIME_ZONE; default UTC). */
type CommandBase = { actor: Actor; now: IsoDateTime; timeZone?: string };

export type ClaimAction = CommandBase & { type: 'ClaimAction' };

export type DeclineAction = CommandBase & { type: 'DeclineAction'; reasonCode: DeclineReasonCode; note: string };

/** By the claimant, or an inspector. */
export type ReleaseAction = CommandBase & { type: 'ReleaseAction'; reason: string };

/**
 * `agency` is the new agency's code, `newAgency` its state (the handler reads it). `dueBy`, when
 * given, re-dates the action in the same decision (not in the past); without it the current due
 * date must not have passed (DUE_DATE_IN_PAST): the new agency is never handed an overdue action.
 */
export type ReassignAction = CommandBase & { type: 'ReassignAction'; agency: string; reason: string; dueBy?: IsoDateTime; newAgency: AgencyState };

export type RecordIntervention = CommandBase & {
  type: 'RecordIntervention';
  interventionId: string;
  /** Matched to the taxonomy case-insensitively. */
  tactic: TacticInput;
  description: string;
  /** Default `now`; from 10 years ago to 1 day ahead (a time in the outside world). */
  occurredAt?: IsoDateTime;
};

/** `dueBy` not in the past (DUE_DATE_IN_PAST). */
export type ChangeActionDueDate = CommandBase & { type: 'ChangeActionDueDate'; dueBy: IsoDateTime; reason: string };

/**
 * From the deadlines job. Decides ActionEscalated when the action is open, now >= dueBy and the
 * current due date has not been escalated yet; otherwise no events (nothing to do), never an error.
 */
export type EscalateAction = { type: 'EscalateAction'; actor: SystemActor; now: IsoDateTime };

export type DischargeAction = CommandBase & {
  type: 'DischargeAction';
  result: DischargeResult;
  note: string;
  /** Default `now`; not in the future, not before the action's last event. */
  dischargedAt?: IsoDateTime;
};

export type CancelAction = CommandBase & { type: 'CancelAction'; reason: string };

/** Commands on an existing action's stream. Assigning creates the action: see `workflows/assign-action`. */
export type ActionCommand =
  | ClaimAction
  | DeclineAction
  | ReleaseAction
  | ReassignAction
  | RecordIntervention
  | ChangeActionDueDate
  | EscalateAction
  | DischargeAction
  | CancelAction;

export function decideAction(command: ActionCommand, state: ActionState): Decision<ActionEvent> {
  switch (command.type) {
    case 'ClaimAction':
      return claim(command, state);
    case 'DeclineAction':
      return decline(command, state);
    case 'ReleaseAction':
      return release(command, state);
    case 'ReassignAction':
      return reassign(command, state);
    case 'RecordIntervention':
      return recordIntervention(command, state);
    case 'ChangeActionDueDate':
      return changeDueDate(command, state);
    case 'EscalateAction':
      return escalate(command, state);
    case 'DischargeAction':
      return discharge(command, state);
    case 'CancelAction':
      return cancel(command, state);
    default:
      return unknownCommand(command);
  }
}

/** Partnership (NOT_FOUND) then role (FORBIDDEN_ROLE). */
const access = (command: { type: UserCommandType; actor: Actor }, state: ActionState, doing: string): Refusal | undefined =>
  requireVisible(command.actor, state, 'action') ?? requireRole(command, doing);

/** Partnership, role officer, then the action's agency (WRONG_AGENCY). */
const officerAccess = (command: { type: UserCommandType; actor: Actor }, state: ActionState, doing: string): Refusal | undefined =>
  access(command, state, doing) ?? requireAgency(command.actor, (state as ExistingAction).agency, doing);

export const requireOpenAction = (action: ExistingAction): Refusal | undefined =>
  action.status === 'open' ? undefined : reject('ACTION_CLOSED', `action ${action.actionId} is ${action.status}: no further changes`);

const requireClaimed = (action: ExistingAction, doing: string): Refusal | undefined =>
  action.claimedBy !== null ? undefined : reject('ACTION_NOT_CLAIMED', `action ${action.actionId} must be claimed before you ${doing}`);

const requireNotClaimed = (action: ExistingAction): Refusal | undefined =>
  action.claimedBy === null
    ? undefined
    : reject('ACTION_ALREADY_CLAIMED', `action ${action.actionId} is already claimed by ${action.claimedBy.name} (${action.claimedBy.agency})`);

const requireNotDeclined = (action: ExistingAction): Refusal | undefined =>
  action.declined === null
    ? undefined
    : reject(
        'ACTION_ALREADY_DECLINED',
        `action ${action.actionId} was declined by agency ${action.agency} (${action.declined.reasonCode}): it waits for an inspector to reassign or cancel it`,
      );

const checkTactic = (v: Checks, field: string, tactic: TacticInput | undefined): Checks =>
  typeof tactic === 'object' && tactic !== null
    ? v.text(`${field}.category`, tactic.category).text(`${field}.name`, tactic.name)
    : v.fail(field, `${field} must be {category, name}`);

function claim(command: ClaimAction, state: ActionState): Decision<ActionEvent> {
  const refused = officerAccess(command, state, 'claim this action');
  if (refused) return refused;
  const action = state as ExistingAction;
  const blocked = requireOpenAction(action) ?? requireNotClaimed(action) ?? requireNotDeclined(action);
  if (blocked) return blocked;
  const { userId, name, agency } = command.actor;
  return accept({ type: 'ActionClaimed', data: { by: { userId, name, agency } } });
}

function decline(command: DeclineAction, state: ActionState): Decision<ActionEvent> {
  const refused =
    officerAccess(command, state, 'decline this action') ??
    checks()
      .oneOf('reasonCode', command.reasonCode, DECLINE_REASON_CODES)
      .text('note', command.note, { allowEmpty: true })
      .refusal();
  if (refused) return refused;
  const action = state as ExistingAction;
  const blocked = requireOpenAction(action) ?? requireNotClaimed(action) ?? requireNotDeclined(action);
  if (blocked) return blocked;
  return accept({ type: 'ActionDeclined', data: { reasonCode: command.reasonCode, note: command.note } });
}

function release(command: ReleaseAction, state: ActionState): Decision<ActionEvent> {
  const { actor } = command;
  const doing = 'release this action';
  const refused =
    access(command, state, doing) ??
    (hasRole(actor, 'inspector')
      ? undefined
      : (requireAgency(actor, (state as ExistingAction).agency, doing) ?? requireClaimant(actor, state as ExistingAction))) ??
    checks().text('reason', command.reason).refusal();
  if (refused) return refused;
  const action = state as ExistingAction;
  const blocked = requireOpenAction(action) ?? requireClaimed(action, 'release it');
  if (blocked) return blocked;
  return accept({ type: 'ActionReleased', data: { reason: command.reason } });
}

/** Only the claimant may release their own claim (an unclaimed action is left to the state rules). */
const requireClaimant = (actor: Actor, action: ExistingAction): Refusal | undefined =>
  action.claimedBy === null || action.claimedBy.userId === actor.userId
    ? undefined
    : reject('NOT_CLAIMANT', `only the claimant (${action.claimedBy.name}) or an inspector may release this action`);

/** Reassigning without a new due date: the current one must not have passed. */
const requireNotOverdue = (action: ExistingAction, clock: ReassignAction): Refusal | undefined => {
  if (requireDueDateAhead('dueBy', action.dueBy, clock, false) === undefined) return undefined;
  const message = `the action was due ${action.dueBy}: give the new agency a due date not in the past`;
  return reject('DUE_DATE_IN_PAST', `action ${action.actionId}: ${message}`, [{ field: 'dueBy', message }]);
};

function reassign(command: ReassignAction, state: ActionState): Decision<ActionEvent> {
  const refused =
    access(command, state, 'reassign actions') ??
    checks().code('agency', command.agency).text('reason', command.reason).time('dueBy', command.dueBy, { optional: true }).refusal();
  if (refused) return refused;
  const action = state as ExistingAction;
  const { newAgency } = command;
  const blocked =
    requireOpenAction(action) ??
    (command.agency === action.agency
      ? reject('VALIDATION_FAILED', `action ${action.actionId} is already assigned to agency ${action.agency}: reassign it to another agency`, [
          { field: 'agency', message: `agency must differ from the current agency ${action.agency}` },
        ])
      : undefined) ??
    (newAgency.status === 'none' || newAgency.code !== command.agency
      ? reject('UNKNOWN_AGENCY', `agency ${command.agency} is not registered`)
      : undefined) ??
    (newAgency.status === 'inactive' ? reject('AGENCY_INACTIVE', `agency ${command.agency} is deactivated and cannot take actions`) : undefined) ??
    (command.dueBy !== undefined ? requireDueDateAhead('dueBy', command.dueBy, command, false) : requireNotOverdue(action, command));
  if (blocked) return blocked;
  const reassigned: ActionEvent = { type: 'ActionReassigned', data: { fromAgency: action.agency, toAgency: command.agency, reason: command.reason } };
  if (command.dueBy === undefined) return accept(reassigned);
  return accept<ActionEvent>(reassigned, { type: 'ActionDueDateChanged', data: { dueBy: command.dueBy, reason: command.reason } });
}

function recordIntervention(command: RecordIntervention, state: ActionState): Decision<ActionEvent> {
  const refused =
    officerAccess(command, state, 'record interventions on this action') ??
    checkTactic(checks(), 'tactic', command.tactic)
      .text('interventionId', command.interventionId)
      .text('description', command.description)
      .worldTime('occurredAt', command.occurredAt, { optional: true, now: command.now, timeZone: command.timeZone })
      .refusal();
  if (refused) return refused;
  const action = state as ExistingAction;
  const tactic = normaliseTactic(command.tactic);
  const blocked =
    requireOpenAction(action) ??
    requireClaimed(action, 'record interventions') ??
    (action.interventionIds.includes(command.interventionId)
      ? reject('ALREADY_EXISTS', `intervention ${command.interventionId} is already recorded`)
      : undefined) ??
    (tactic.ok ? undefined : tactic);
  if (blocked) return blocked;
  if (!tactic.ok) return tactic;
  return accept({
    type: 'InterventionRecorded',
    data: {
      interventionId: command.interventionId,
      tactic: tactic.value,
      description: command.description,
      occurredAt: command.occurredAt ?? command.now,
    },
  });
}

function changeDueDate(command: ChangeActionDueDate, state: ActionState): Decision<ActionEvent> {
  const refused =
    access(command, state, 're-date actions') ??
    checks().time('dueBy', command.dueBy).text('reason', command.reason).refusal() ??
    requireDueDateAhead('dueBy', command.dueBy, command, false) ??
    requireOpenAction(state as ExistingAction);
  if (refused) return refused;
  return accept({ type: 'ActionDueDateChanged', data: { dueBy: command.dueBy, reason: command.reason } });
}

function escalate(command: EscalateAction, state: ActionState): Decision<ActionEvent> {
  const refusedSystem = requireSystem(command, 'escalate actions');
  if (refusedSystem) return refusedSystem;
  if (state.status === 'none') return reject('NOT_FOUND', 'action not found');
  // Closed, not yet due, or this due date already escalated: nothing to do.
  if (state.status !== 'open' || !isAtOrAfter(command.now, state.dueBy) || state.escalatedDueByRevision === state.dueByRevision) {
    return accept();
  }
  return accept({ type: 'ActionEscalated', data: { reason: 'overdue', dueBy: state.dueBy, dueByRevision: state.dueByRevision } });
}

function discharge(command: DischargeAction, state: ActionState): Decision<ActionEvent> {
  const refused =
    officerAccess(command, state, 'discharge this action') ??
    checks()
      .oneOf('result', command.result, DISCHARGE_RESULTS)
      .text('note', command.note, { allowEmpty: true })
      .lifeTime('dischargedAt', command.dischargedAt, { optional: true, now: command.now, timeZone: command.timeZone })
      .refusal();
  if (refused) return refused;
  const action = state as ExistingAction;
  const blocked =
    requireOpenAction(action) ??
    requireClaimed(action, 'discharge it') ??
    requireNotBeforeLastEvent('dischargedAt', command.dischargedAt, action.lastEventAt, 'action', command.timeZone);
  if (blocked) return blocked;
  return accept({
    type: 'ActionDischarged',
    data: { result: command.result, note: command.note, dischargedAt: command.dischargedAt ?? command.now },
  });
}

function cancel(command: CancelAction, state: ActionState): Decision<ActionEvent> {
  const refused =
    access(command, state, 'cancel actions') ??
    checks().text('reason', command.reason).refusal() ??
    requireOpenAction(state as ExistingAction);
  if (refused) return refused;
  return accept({ type: 'ActionCancelled', data: { reason: command.reason } });
}
