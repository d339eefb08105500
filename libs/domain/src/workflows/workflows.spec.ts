import type { ActionEvent } from '../action/action.events';
import { actionDecider } from '../action/action.decide';
import { evolveAction, initialActionState, type ActionState } from '../action/action.state';
import type { AgencyState } from '../agency/agency.state';
import { initialAgencyState } from '../agency/agency.state';
import { fold } from '../decision';
import type { MeetingEvent } from '../meeting/meeting.events';
import { evolveMeeting, initialMeetingState, type MeetingState } from '../meeting/meeting.state';
import type { ProblemEvent } from '../problem/problem.events';
import { problemDecider } from '../problem/problem.decide';
import { evolveProblem, initialProblemState, type ProblemState } from '../problem/problem.state';
import {
  ACTION_ID,
  LATER,
  MEETING_ID,
  NOW,
  OTHER_PARTNERSHIP,
  PARTNERSHIP,
  actionAssigned,
  agencyState,
  councilOfficer,
  inspector,
  manager,
  meetingScheduled,
  outsideInspector,
  problemRaised,
} from '../testing/fixtures';
import { assignAction, type AssignAction } from './assign-action';
import { closeProblem, type CloseProblem } from './close-problem';
import { tableProblem, type TableProblem } from './table-problem';

const problemFrom = (...events: ProblemEvent[]): ProblemState => events.reduce(evolveProblem, initialProblemState);
const actionFrom = (...events: ActionEvent[]): ActionState => events.reduce(evolveAction, initialActionState);
const meetingFrom = (...events: MeetingEvent[]): MeetingState => events.reduce(evolveMeeting, initialMeetingState);

const raised = problemRaised();
const closedEvent: ProblemEvent = { type: 'ProblemClosed', data: { outcome: 'reduced', assessment: 'a', closedAt: '2025-03-09T12:00:00Z' } };
const meetingClosed: MeetingEvent = { type: 'MeetingClosed', data: { minutesNote: 'done' } };
const agreed = (actionId: string, agency = 'COUNCIL-ASB'): ProblemEvent => ({ type: 'ActionAgreed', data: { actionId, agency } });

describe('assignAction', () => {
  const command = (overrides: Partial<AssignAction> = {}): AssignAction => ({
    type: 'AssignAction',
    actor: inspector,
    now: NOW,
    actionId: ACTION_ID,
    agency: 'COUNCIL-ASB',
    description: 'Install temporary CCTV covering the parade',
    tactic: { category: 'prevention', name: 'cctv' },
    dueBy: '2025-03-15T17:00:00Z',
    assignedAt: '2025-03-02T10:00:00Z',
    ...overrides,
  });
  const assign = (overrides: Partial<AssignAction> = {}, agency: AgencyState = agencyState(), problem = problemFrom(raised), meeting?: MeetingState) =>
    assignAction({ problem, agency, meeting, command: command(overrides) });

  it('given an open problem and an active agency, decides ActionAgreed and ActionAssigned with the tactic in taxonomy spelling', () => {
    expect(assign()).toEqual({
      ok: true,
      events: {
        problem: [{ type: 'ActionAgreed', data: { actionId: ACTION_ID, agency: 'COUNCIL-ASB' } }],
        action: [actionAssigned()],
      },
    });
  });

  it('records the meeting where the action was agreed, and defaults assignedAt to now', () => {
    const decision = assign({ meetingId: MEETING_ID, assignedAt: undefined }, agencyState(), problemFrom(raised), meetingFrom(meetingScheduled()));
    expect(decision).toEqual({
      ok: true,
      events: {
        problem: [{ type: 'ActionAgreed', data: { actionId: ACTION_ID, agency: 'COUNCIL-ASB', meetingId: MEETING_ID } }],
        action: [actionAssigned({ meetingId: MEETING_ID, assignedAt: NOW })],
      },
    });
  });

  it('creates an action its agency can then claim', () => {
    const decision = assign();
    if (!decision.ok) throw new Error('expected success');
    const action = fold(actionDecider, decision.events.action);
    expect(actionDecider.decide({ type: 'ClaimAction', actor: councilOfficer, now: NOW }, action).ok).toBe(true);
    const problem = fold(problemDecider, [raised, ...decision.events.problem]);
    expect(problem).toMatchObject({ revision: 1, agreedActions: [{ actionId: ACTION_ID, agency: 'COUNCIL-ASB' }] });
  });

  const refusals: [string, () => ReturnType<typeof assignAction>, string][] = [
    ['a closed problem', () => assign({}, agencyState(), problemFrom(raised, closedEvent)), 'PROBLEM_CLOSED'],
    ['an unregistered agency', () => assign({}, initialAgencyState), 'UNKNOWN_AGENCY'],
    ['a deactivated agency', () => assign({}, agencyState('COUNCIL-ASB', false)), 'AGENCY_INACTIVE'],
    ['a tactic outside the taxonomy', () => assign({ tactic: { category: 'prevention', name: 'drone patrol' } }), 'UNKNOWN_TACTIC'],
    ['a tactic under the wrong category', () => assign({ tactic: { category: 'enforcement', name: 'CCTV' } }), 'UNKNOWN_TACTIC'],
    ['a meeting whose state is not known', () => assign({ meetingId: MEETING_ID }), 'NOT_FOUND'],
    ['an unknown meeting', () => assign({ meetingId: MEETING_ID }, agencyState(), problemFrom(raised), initialMeetingState), 'NOT_FOUND'],
    [
      'a meeting of another partnership',
      () => assign({ meetingId: MEETING_ID }, agencyState(), problemFrom(raised), meetingFrom(meetingScheduled({ partnership: OTHER_PARTNERSHIP }))),
      'NOT_FOUND',
    ],
    ['a closed meeting', () => assign({ meetingId: MEETING_ID }, agencyState(), problemFrom(raised), meetingFrom(meetingScheduled(), meetingClosed)), 'MEETING_CLOSED'],
    ['an officer', () => assign({ actor: councilOfficer }), 'FORBIDDEN_ROLE'],
    ['an inspector of another partnership', () => assign({ actor: outsideInspector }), 'NOT_FOUND'],
    ['an unknown problem', () => assign({}, agencyState(), initialProblemState), 'NOT_FOUND'],
    ['an assignedAt in the future', () => assign({ assignedAt: LATER }), 'VALIDATION_FAILED'],
    ['a malformed dueBy', () => assign({ dueBy: 'soon' }), 'VALIDATION_FAILED'],
  ];
  it.each(refusals)('refuses %s', (_name, decide, code) => {
    const decision = decide();
    expect(decision.ok ? 'accepted' : decision.error.code).toBe(code);
  });
});

describe('closeProblem', () => {
  const command = (overrides: Partial<CloseProblem> = {}): CloseProblem => ({
    type: 'CloseProblem',
    actor: inspector,
    now: NOW,
    outcome: 'reduced',
    assessment: 'Calls down by half over six weeks',
    displacement: 'spatial',
    diffusionOfBenefits: false,
    ...overrides,
  });
  const problemClosed = (overrides: Record<string, unknown> = {}) => ({
    type: 'ProblemClosed',
    data: {
      outcome: 'reduced',
      assessment: 'Calls down by half over six weeks',
      displacement: 'spatial',
      diffusionOfBenefits: false,
      closedAt: NOW,
      ...overrides,
    },
  });

  const a1 = actionAssigned({ actionId: 'a-1' });
  const a2 = actionAssigned({ actionId: 'a-2' });
  const a3 = actionAssigned({ actionId: 'a-3', agency: 'FIRE' });
  const claimed: ActionEvent = { type: 'ActionClaimed', data: { by: { userId: 'u', name: 'n', agency: 'COUNCIL-ASB' } } };
  const discharged: ActionEvent = { type: 'ActionDischarged', data: { result: 'completed', note: '', dischargedAt: NOW } };
  const cancelled: ActionEvent = { type: 'ActionCancelled', data: { reason: 'x' } };
  const problemWithThree = problemFrom(raised, agreed('a-1'), agreed('a-2'), agreed('a-3', 'FIRE'));

  it('given no agreed actions, closes with the outcome assessment', () => {
    expect(closeProblem({ problem: problemFrom(raised), actions: [], command: command() })).toEqual({
      ok: true,
      events: { problem: [problemClosed()], actions: {} },
    });
  });

  it('given every agreed action discharged or cancelled, closes (a manager may close)', () => {
    const decision = closeProblem({
      problem: problemWithThree,
      actions: [actionFrom(a1, claimed, discharged), actionFrom(a2, cancelled), actionFrom(a3, cancelled)],
      command: command({ actor: manager, closedAt: '2025-03-09T12:00:00Z' }),
    });
    expect(decision).toEqual({ ok: true, events: { problem: [problemClosed({ closedAt: '2025-03-09T12:00:00Z' })], actions: {} } });
  });

  it('given outstanding actions, refuses with ACTIONS_OUTSTANDING', () => {
    const decision = closeProblem({
      problem: problemWithThree,
      actions: [actionFrom(a1, claimed, discharged), actionFrom(a2), actionFrom(a3, claimed)],
      command: command(),
    });
    expect(decision.ok ? 'accepted' : decision.error.code).toBe('ACTIONS_OUTSTANDING');
    expect(decision.ok ? '' : decision.error.message).toContain('a-2');
  });

  it('given outstanding actions and override with a reason, closes and cancels only the open ones', () => {
    const decision = closeProblem({
      problem: problemWithThree,
      actions: [actionFrom(a1, claimed, discharged), actionFrom(a2), actionFrom(a3, claimed)],
      command: command({ override: true, overrideReason: 'Agency restructure' }),
    });
    const cancellation = [{ type: 'ActionCancelled', data: { reason: 'problem closed with override: Agency restructure' } }];
    expect(decision).toEqual({
      ok: true,
      events: {
        problem: [problemClosed({ override: true, overrideReason: 'Agency restructure' })],
        actions: { 'a-2': cancellation, 'a-3': cancellation },
      },
    });
  });

  it('given a problem reopened after closure, closes it again', () => {
    const reopened = problemFrom(raised, agreed('a-1'), closedEvent, { type: 'ProblemReopened', data: { reason: 'Back' } });
    const decision = closeProblem({ problem: reopened, actions: [actionFrom(a1, cancelled)], command: command({ outcome: 'eliminated' }) });
    expect(decision).toEqual({ ok: true, events: { problem: [problemClosed({ outcome: 'eliminated' })], actions: {} } });
    if (decision.ok) expect(problemFrom(raised, agreed('a-1'), closedEvent, { type: 'ProblemReopened', data: { reason: 'Back' } }, ...decision.events.problem)).toMatchObject({ status: 'closed', closures: 2 });
  });

  const refusals: [string, () => ReturnType<typeof closeProblem>, string][] = [
    ['a closed problem', () => closeProblem({ problem: problemFrom(raised, closedEvent), actions: [], command: command() }), 'PROBLEM_CLOSED'],
    ['an officer', () => closeProblem({ problem: problemFrom(raised), actions: [], command: command({ actor: councilOfficer }) }), 'FORBIDDEN_ROLE'],
    ['another partnership', () => closeProblem({ problem: problemFrom(raised), actions: [], command: command({ actor: outsideInspector }) }), 'NOT_FOUND'],
    ['an unknown problem', () => closeProblem({ problem: initialProblemState, actions: [], command: command() }), 'NOT_FOUND'],
    ['a closedAt in the future', () => closeProblem({ problem: problemFrom(raised), actions: [], command: command({ closedAt: LATER }) }), 'VALIDATION_FAILED'],
    ['an override without a reason', () => closeProblem({ problem: problemFrom(raised), actions: [], command: command({ override: true }) }), 'VALIDATION_FAILED'],
    ['a reason without override', () => closeProblem({ problem: problemFrom(raised), actions: [], command: command({ overrideReason: 'x' }) }), 'VALIDATION_FAILED'],
    ['an unknown outcome', () => closeProblem({ problem: problemFrom(raised), actions: [], command: command({ outcome: 'solved' as never }) }), 'VALIDATION_FAILED'],
    ['an unknown displacement', () => closeProblem({ problem: problemFrom(raised), actions: [], command: command({ displacement: 'sideways' as never }) }), 'VALIDATION_FAILED'],
  ];
  it.each(refusals)('refuses %s', (_name, decide, code) => {
    const decision = decide();
    expect(decision.ok ? 'accepted' : decision.error.code).toBe(code);
  });

  it('throws when the handler did not hand over an agreed action', () => {
    expect(() => closeProblem({ problem: problemWithThree, actions: [actionFrom(a1)], command: command() })).toThrow(/a-2/);
  });
});

describe('tableProblem', () => {
  const command: TableProblem = { type: 'TableProblem', actor: inspector, now: NOW };
  const meeting = meetingFrom(meetingScheduled());

  it('given an open problem and an open meeting of its partnership, tables it', () => {
    expect(tableProblem({ problem: problemFrom(raised), meeting, command })).toEqual({
      ok: true,
      events: { problem: [{ type: 'ProblemTabled', data: { meetingId: MEETING_ID } }] },
    });
  });

  it('given the problem already tabled at that meeting, decides nothing', () => {
    const problem = problemFrom(raised, { type: 'ProblemTabled', data: { meetingId: MEETING_ID } });
    expect(tableProblem({ problem, meeting, command })).toEqual({ ok: true, events: { problem: [] } });
  });

  const holdsBoth = { ...inspector, partnerships: [PARTNERSHIP, OTHER_PARTNERSHIP] };
  const refusals: [string, () => ReturnType<typeof tableProblem>, string][] = [
    ['a closed meeting', () => tableProblem({ problem: problemFrom(raised), meeting: meetingFrom(meetingScheduled(), meetingClosed), command }), 'MEETING_CLOSED'],
    ['a closed problem', () => tableProblem({ problem: problemFrom(raised, closedEvent), meeting, command }), 'PROBLEM_CLOSED'],
    ['an unknown meeting', () => tableProblem({ problem: problemFrom(raised), meeting: initialMeetingState, command }), 'NOT_FOUND'],
    ['an unknown problem', () => tableProblem({ problem: initialProblemState, meeting, command }), 'NOT_FOUND'],
    [
      'a meeting of another partnership than the problem',
      () =>
        tableProblem({
          problem: problemFrom(raised),
          meeting: meetingFrom(meetingScheduled({ partnership: OTHER_PARTNERSHIP })),
          command: { ...command, actor: holdsBoth },
        }),
      'NOT_FOUND',
    ],
    ['an inspector of another partnership', () => tableProblem({ problem: problemFrom(raised), meeting, command: { ...command, actor: outsideInspector } }), 'NOT_FOUND'],
    ['an officer', () => tableProblem({ problem: problemFrom(raised), meeting, command: { ...command, actor: councilOfficer } }), 'FORBIDDEN_ROLE'],
  ];
  it.each(refusals)('refuses %s', (_name, decide, code) => {
    const decision = decide();
    expect(decision.ok ? 'accepted' : decision.error.code).toBe(code);
  });
});
