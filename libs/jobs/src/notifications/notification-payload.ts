import {
  evolveAction,
  evolveAgency,
  evolveProblem,
  initialActionState,
  initialAgencyState,
  initialProblemState,
  type ActionEvent,
  type ActionState,
  type AgencyEvent,
  type AgencyState,
  type ProblemEvent,
  type ProblemState,
} from '@tasking/domain';
import type { EventStore, RecordedEvent } from '@tasking/event-store';

export type ActionStatusView = 'unclaimed' | 'claimed' | 'declined' | 'discharged' | 'cancelled';

/**
 * The body of a delivery (api.md): ids, agency, tactic, due date and status, and the problem's
 * title, category and area. No descriptions, notes or names.
 */
export interface NotificationBody {
  id: string;
  type: string;
  recordedAt: string;
  action: {
    id: string;
    problemId: string;
    meetingId?: string;
    agency: string;
    tactic: { category: string; name: string };
    dueBy: string;
    status: ActionStatusView;
    escalation?: { reason: string; dueBy: string };
    reassignedFrom?: string;
  };
  problem: { id: string; title: string; category: string; areaCode: string } | null;
}

const fold = <S, E>(events: readonly RecordedEvent[], evolve: (state: S, event: E) => S, initial: S): S =>
  events.reduce((state, event) => evolve(state, { type: event.type, data: event.data } as unknown as E), initial);

export const foldAction = (events: readonly RecordedEvent[]): ActionState => fold<ActionState, ActionEvent>(events, evolveAction, initialActionState);
export const foldAgency = (events: readonly RecordedEvent[]): AgencyState => fold<AgencyState, AgencyEvent>(events, evolveAgency, initialAgencyState);
export const foldProblem = (events: readonly RecordedEvent[]): ProblemState => fold<ProblemState, ProblemEvent>(events, evolveProblem, initialProblemState);

export function statusOf(action: ActionState): ActionStatusView {
  if (action.status === 'discharged' || action.status === 'cancelled') return action.status;
  if (action.status === 'open' && action.claimedBy) return 'claimed';
  if (action.status === 'open' && action.declined) return 'declined';
  return 'unclaimed';
}

type NotifiedEvent = { eventId: string; type: string; stream: string; revision: number; recordedAt: string };

/** The action as it stood right after the event (its revision), and its problem as it stands now. */
export async function notificationBody(store: EventStore, event: NotifiedEvent): Promise<NotificationBody | undefined> {
  return (await notificationFor(store, event))?.body;
}

/** The body of a delivery, and the partnership of its event (its action's): whose webhook it goes to. */
export async function notificationFor(store: EventStore, event: NotifiedEvent): Promise<{ body: NotificationBody; partnership: string } | undefined> {
  const actionEvents = (await store.read(event.stream)).filter((e) => e.revision <= event.revision);
  const action = foldAction(actionEvents);
  if (action.status === 'none') return undefined;
  const problem = foldProblem(await store.read(`problem-${action.problemId}`));
  const trigger = actionEvents.find((e) => e.revision === event.revision);
  const body: NotificationBody = {
    id: event.eventId,
    type: event.type,
    recordedAt: event.recordedAt,
    action: {
      id: action.actionId,
      problemId: action.problemId,
      ...(action.meetingId ? { meetingId: action.meetingId } : {}),
      agency: action.agency,
      tactic: { category: action.tactic.category, name: action.tactic.name },
      dueBy: action.dueBy,
      status: statusOf(action),
    },
    problem:
      problem.status === 'none'
        ? null
        : { id: problem.problemId, title: problem.title, category: problem.category, areaCode: problem.location.areaCode },
  };
  if (trigger?.type === 'ActionEscalated') {
    body.action.escalation = { reason: String(trigger.data['reason']), dueBy: String(trigger.data['dueBy']) };
  }
  if (trigger?.type === 'ActionReassigned') body.action.reassignedFrom = String(trigger.data['fromAgency']);
  return { body, partnership: action.partnership };
}
