import type { DeclineReasonCode, DischargeResult, EscalationReason, Tactic } from '../categories';
import type { Event, IsoDateTime } from '../event';

/** The officer who claimed an action. */
export type Claimant = { userId: string; name: string; agency: string };

export type ActionAssigned = Event<
  'ActionAssigned',
  {
    actionId: string;
    problemId: string;
    partnership: string;
    agency: string;
    description: string;
    tactic: Tactic;
    dueBy: IsoDateTime;
    meetingId?: string;
    assignedAt: IsoDateTime;
    /** Its case reference, e.g. `SAFE-2026-0142/3`; absent when its problem has none. */
    reference?: string;
  }
>;

export type ActionClaimed = Event<'ActionClaimed', { by: Claimant }>;

export type ActionDeclined = Event<'ActionDeclined', { reasonCode: DeclineReasonCode; note: string }>;

export type ActionReleased = Event<'ActionReleased', { reason: string }>;

/** Clears the claim and the decline. */
export type ActionReassigned = Event<'ActionReassigned', { fromAgency: string; toAgency: string; reason: string }>;

export type InterventionRecorded = Event<
  'InterventionRecorded',
  {
    interventionId: string;
    tactic: Tactic;
    description: string;
    occurredAt: IsoDateTime;
  }
>;

export type ActionDueDateChanged = Event<'ActionDueDateChanged', { dueBy: IsoDateTime; reason: string }>;

/** At most once for the due date set by the event at `dueByRevision` of the action's stream. */
export type ActionEscalated = Event<'ActionEscalated', { reason: EscalationReason; dueBy: IsoDateTime; dueByRevision: number }>;

export type ActionDischarged = Event<'ActionDischarged', { result: DischargeResult; note: string; dischargedAt: IsoDateTime }>;

export type ActionCancelled = Event<'ActionCancelled', { reason: string }>;

export type ActionEvent =
  | ActionAssigned
  | ActionClaimed
  | ActionDeclined
  | ActionReleased
  | ActionReassigned
  | InterventionRecorded
  | ActionDueDateChanged
  | ActionEscalated
  | ActionDischarged
  | ActionCancelled;

/** Every action event type (a record keyed by the union, so the list cannot miss one). */
const actionEventTypes: Record<ActionEvent['type'], true> = {
  ActionAssigned: true,
  ActionClaimed: true,
  ActionDeclined: true,
  ActionReleased: true,
  ActionReassigned: true,
  InterventionRecorded: true,
  ActionDueDateChanged: true,
  ActionEscalated: true,
  ActionDischarged: true,
  ActionCancelled: true,
};
export const ACTION_EVENT_TYPES = Object.keys(actionEventTypes) as readonly ActionEvent['type'][];
