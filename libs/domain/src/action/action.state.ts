import type { DeclineReasonCode, DischargeResult, Tactic } from '../categories';
import { unknownEvent, type IsoDateTime } from '../event';
import { eventTimeOf, latestOf } from '../times';
import type { ActionEvent, Claimant } from './action.events';

export type NoAction = { status: 'none'; revision: number };

export type ExistingAction = {
  /** open from ActionAssigned until ActionDischarged or ActionCancelled (a declined action stays open). */
  status: 'open' | 'discharged' | 'cancelled';
  /** 0-based index of the last event folded. */
  revision: number;
  actionId: string;
  problemId: string;
  partnership: string;
  agency: string;
  description: string;
  tactic: Tactic;
  dueBy: IsoDateTime;
  /** Revision of the event that set the current dueBy (ActionAssigned or the latest ActionDueDateChanged). */
  dueByRevision: number;
  meetingId?: string;
  assignedAt: IsoDateTime;
  claimedBy: Claimant | null;
  declined: { reasonCode: DeclineReasonCode; note: string } | null;
  /** The dueByRevision of the latest escalation, null when never escalated. */
  escalatedDueByRevision: number | null;
  interventionIds: string[];
  result?: DischargeResult;
  dischargedAt?: IsoDateTime;
  /** The latest time in the action's history (event times and when they were recorded). */
  lastEventAt?: IsoDateTime;
};

export type ActionState = NoAction | ExistingAction;

export const initialActionState: ActionState = { status: 'none', revision: -1 };

export function evolveAction(state: ActionState, event: ActionEvent): ActionState {
  const next = evolveActionData(state, event);
  if (next.status === 'none') return next;
  const lastEventAt = latestOf(state.status === 'none' ? undefined : state.lastEventAt, eventTimeOf(event));
  return lastEventAt === undefined ? next : { ...next, lastEventAt };
}

function evolveActionData(state: ActionState, event: ActionEvent): ActionState {
  const revision = state.revision + 1;
  if (event.type === 'ActionAssigned') {
    const { actionId, problemId, partnership, agency, description, tactic, dueBy, meetingId, assignedAt } = event.data;
    return {
      status: 'open',
      revision,
      actionId,
      problemId,
      partnership,
      agency,
      description,
      tactic,
      dueBy,
      dueByRevision: revision,
      meetingId,
      assignedAt,
      claimedBy: null,
      declined: null,
      escalatedDueByRevision: null,
      interventionIds: [],
    };
  }
  // Events before ActionAssigned cannot be produced by the decider; count them and move on.
  if (state.status === 'none') return { ...state, revision };

  switch (event.type) {
    case 'ActionClaimed':
      return { ...state, revision, claimedBy: { ...event.data.by } };
    case 'ActionDeclined':
      return { ...state, revision, declined: { reasonCode: event.data.reasonCode, note: event.data.note } };
    case 'ActionReleased':
      return { ...state, revision, claimedBy: null };
    case 'ActionReassigned':
      return { ...state, revision, agency: event.data.toAgency, claimedBy: null, declined: null };
    case 'InterventionRecorded':
      return { ...state, revision, interventionIds: [...state.interventionIds, event.data.interventionId] };
    case 'ActionDueDateChanged':
      return { ...state, revision, dueBy: event.data.dueBy, dueByRevision: revision };
    case 'ActionEscalated':
      return { ...state, revision, escalatedDueByRevision: event.data.dueByRevision };
    case 'ActionDischarged':
      return { ...state, status: 'discharged', revision, result: event.data.result, dischargedAt: event.data.dischargedAt };
    case 'ActionCancelled':
      return { ...state, status: 'cancelled', revision };
    default:
      unknownEvent(event);
      return { ...state, revision };
  }
}

/** Open and at or after its current dueBy (computed, never stored). */
export const isOverdue = (state: ActionState, now: IsoDateTime): boolean =>
  state.status === 'open' && Date.parse(now) >= Date.parse(state.dueBy);
