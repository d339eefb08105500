import { randomUUID } from 'node:crypto';
import type { EventData, EventOfType } from '@tasking/domain';
import type { AppendResult, EventStore } from '@tasking/event-store';
import { appendAtomically, appendEvents, type AppendOptions } from './events';

/** Domain events with plausible defaults; override what a test is about. */
export const PARTNERSHIP = 'default';

export const problemRaised = (problemId: string, data: Partial<EventData<'ProblemRaised'>> = {}): EventOfType<'ProblemRaised'> => ({
  type: 'ProblemRaised',
  data: {
    problemId,
    partnership: PARTNERSHIP,
    title: 'Youth disorder at Church Street parade',
    description: 'Groups gathering outside the shops after 9pm',
    category: 'asb-youth',
    location: { areaCode: 'enfield-town', lat: 51.652, lng: -0.081 },
    source: 'tasking-meeting',
    raisedAt: '2025-03-01T09:00:00Z',
    ...data,
  },
});

export const actionAssigned = (actionId: string, problemId: string, data: Partial<EventData<'ActionAssigned'>> = {}): EventOfType<'ActionAssigned'> => ({
  type: 'ActionAssigned',
  data: {
    actionId,
    problemId,
    partnership: PARTNERSHIP,
    agency: 'COUNCIL-ASB',
    description: 'Install temporary CCTV covering the parade',
    tactic: { category: 'prevention', name: 'CCTV' },
    dueBy: '2025-03-15T17:00:00Z',
    assignedAt: '2025-03-02T10:00:00Z',
    ...data,
  },
});

export const agencyRegistered = (code: string, data: Partial<EventData<'AgencyRegistered'>> = {}): EventOfType<'AgencyRegistered'> => ({
  type: 'AgencyRegistered',
  data: { code, name: `Agency ${code}`, kind: 'local-authority', ...data },
});

export const meetingScheduled = (meetingId: string, data: Partial<EventData<'MeetingScheduled'>> = {}): EventOfType<'MeetingScheduled'> => ({
  type: 'MeetingScheduled',
  data: { meetingId, partnership: PARTNERSHIP, groupCode: 'enfield-safe', heldOn: '2025-03-05', chair: 'Insp Jane Hart', ...data },
});

/** Raises a problem; returns its id and the append result. */
export async function raiseProblem(
  store: EventStore,
  data: Partial<EventData<'ProblemRaised'>> = {},
  options?: AppendOptions,
): Promise<{ problemId: string; result: AppendResult }> {
  const problemId = data.problemId ?? randomUUID();
  const result = await appendEvents(store, `problem-${problemId}`, [problemRaised(problemId, data)], options);
  return { problemId, result };
}

/** Agrees an action on a problem as the command does: ActionAgreed and ActionAssigned in one append. */
export async function assignAction(
  store: EventStore,
  problemId: string,
  data: Partial<EventData<'ActionAssigned'>> = {},
  options?: AppendOptions,
): Promise<{ actionId: string; result: AppendResult }> {
  const actionId = data.actionId ?? randomUUID();
  const assigned = actionAssigned(actionId, problemId, data);
  const result = await appendAtomically(
    store,
    [
      { stream: `problem-${problemId}`, events: [{ type: 'ActionAgreed', data: { actionId, agency: assigned.data.agency, meetingId: assigned.data.meetingId } }] },
      { stream: `action-${actionId}`, events: [assigned] },
    ],
    options,
  );
  return { actionId, result };
}
