import type { ActionEvent } from '../action/action.events';
import { decideAction } from '../action/action.decide';
import { evolveAction, initialActionState, type ActionState } from '../action/action.state';
import { initialAgencyState } from '../agency/agency.state';
import type { RefusalCode } from '../errors';
import type { MeetingEvent } from '../meeting/meeting.events';
import { evolveMeeting, initialMeetingState, type MeetingState } from '../meeting/meeting.state';
import type { ProblemClosed, ProblemEvent } from '../problem/problem.events';
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
  assignActionCommand,
  councilOfficer,
  inspector,
  manager,
  meetingScheduled,
  outsideInspector,
  problemRaised,
} from '../testing/fixtures';
import { WorkflowSpecification } from '../testing/specification';
import { assignAction, type AssignAction } from './assign-action';
import { closeProblem, type CloseProblem } from './close-problem';
import { tableProblem, type TableProblem } from './table-problem';

// States folded with the functions the command handlers load streams with.
const problemFrom = (...events: ProblemEvent[]): ProblemState => events.reduce(evolveProblem, initialProblemState);
const actionFrom = (...events: ActionEvent[]): ActionState => events.reduce(evolveAction, initialActionState);
const meetingFrom = (...events: MeetingEvent[]): MeetingState => events.reduce(evolveMeeting, initialMeetingState);

const raised = problemRaised();
const closedEvent: ProblemEvent = { type: 'ProblemClosed', data: { outcome: 'reduced', assessment: 'a', closedAt: '2025-03-09T12:00:00Z' } };
const meetingClosed: MeetingEvent = { type: 'MeetingClosed', data: { minutesNote: 'done' } };
const agreed = (actionId: string, agency = 'COUNCIL-ASB'): ProblemEvent => ({ type: 'ActionAgreed', data: { actionId, agency } });

describe('assignAction', () => {
  const given = WorkflowSpecification.for(assignAction);
  const command = assignActionCommand;
  const open = { problem: problemFrom(raised), agency: agencyState() };

  it('given an open problem and an active agency, decides ActionAgreed and ActionAssigned with the tactic in taxonomy spelling', () => {
    given(open)
      .when(command())
      .then({
        problem: [{ type: 'ActionAgreed', data: { actionId: ACTION_ID, agency: 'COUNCIL-ASB' } }],
        action: [actionAssigned()],
      });
  });

  it('records the meeting where the action was agreed, and defaults assignedAt to now', () => {
    given({ ...open, meeting: meetingFrom(meetingScheduled()) })
      .when(command({ meetingId: MEETING_ID, assignedAt: undefined }))
      .then({
        problem: [{ type: 'ActionAgreed', data: { actionId: ACTION_ID, agency: 'COUNCIL-ASB', meetingId: MEETING_ID } }],
        action: [actionAssigned({ meetingId: MEETING_ID, assignedAt: NOW })],
      });
  });

  it('creates an action its agency can then claim', () => {
    const decision = assignAction({ ...open, command: command() });
    if (!decision.ok) throw new Error('expected success');
    const action = actionFrom(...decision.events.action);
    expect(decideAction({ type: 'ClaimAction', actor: councilOfficer, now: NOW }, action).ok).toBe(true);
    expect(problemFrom(raised, ...decision.events.problem)).toMatchObject({ revision: 1, agreedActions: [{ actionId: ACTION_ID, agency: 'COUNCIL-ASB' }] });
  });

  it.each<[string, Parameters<typeof given>[0], Partial<AssignAction>, RefusalCode]>([
    ['a closed problem', { ...open, problem: problemFrom(raised, closedEvent) }, {}, 'PROBLEM_CLOSED'],
    ['an unregistered agency', { ...open, agency: initialAgencyState }, {}, 'UNKNOWN_AGENCY'],
    ['a deactivated agency', { ...open, agency: agencyState('COUNCIL-ASB', false) }, {}, 'AGENCY_INACTIVE'],
    ['a tactic outside the taxonomy', open, { tactic: { category: 'prevention', name: 'drone patrol' } }, 'UNKNOWN_TACTIC'],
    ['a tactic under the wrong category', open, { tactic: { category: 'enforcement', name: 'CCTV' } }, 'UNKNOWN_TACTIC'],
    ['a meeting whose state is not known', open, { meetingId: MEETING_ID }, 'NOT_FOUND'],
    ['an unknown meeting', { ...open, meeting: initialMeetingState }, { meetingId: MEETING_ID }, 'NOT_FOUND'],
    ['a meeting of another partnership', { ...open, meeting: meetingFrom(meetingScheduled({ partnership: OTHER_PARTNERSHIP })) }, { meetingId: MEETING_ID }, 'NOT_FOUND'],
    ['a closed meeting', { ...open, meeting: meetingFrom(meetingScheduled(), meetingClosed) }, { meetingId: MEETING_ID }, 'MEETING_CLOSED'],
    ['an officer', open, { actor: councilOfficer }, 'FORBIDDEN_ROLE'],
    ['an inspector of another partnership', open, { actor: outsideInspector }, 'NOT_FOUND'],
    ['an unknown problem', { ...open, problem: initialProblemState }, {}, 'NOT_FOUND'],
    ['an assignedAt in the future', open, { assignedAt: LATER }, 'VALIDATION_FAILED'],
    ['a malformed dueBy', open, { dueBy: 'soon' }, 'VALIDATION_FAILED'],
  ])('given %s, refuses', (_name, states, overrides, code) => {
    given(states).when(command(overrides)).thenFails(code);
  });
});

describe('closeProblem', () => {
  const given = WorkflowSpecification.for(closeProblem);
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
  const problemClosed = (overrides: Partial<ProblemClosed['data']> = {}): ProblemClosed => ({
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
  const openProblem = { problem: problemFrom(raised), actions: [] };

  it('given no agreed actions, closes with the outcome assessment', () => {
    given(openProblem).when(command()).then({ problem: [problemClosed()], actions: {} });
  });

  it('given every agreed action discharged or cancelled, closes (a manager may close)', () => {
    given({ problem: problemWithThree, actions: [actionFrom(a1, claimed, discharged), actionFrom(a2, cancelled), actionFrom(a3, cancelled)] })
      .when(command({ actor: manager, closedAt: '2025-03-09T12:00:00Z' }))
      .then({ problem: [problemClosed({ closedAt: '2025-03-09T12:00:00Z' })], actions: {} });
  });

  it('given outstanding actions, refuses with ACTIONS_OUTSTANDING', () => {
    const error = given({ problem: problemWithThree, actions: [actionFrom(a1, claimed, discharged), actionFrom(a2), actionFrom(a3, claimed)] })
      .when(command())
      .thenFails('ACTIONS_OUTSTANDING');
    expect(error.message).toContain('a-2');
  });

  it('given outstanding actions and override with a reason, closes and cancels only the open ones', () => {
    const cancellation: [ActionEvent & { type: 'ActionCancelled' }] = [{ type: 'ActionCancelled', data: { reason: 'problem closed with override: Agency restructure' } }];
    given({ problem: problemWithThree, actions: [actionFrom(a1, claimed, discharged), actionFrom(a2), actionFrom(a3, claimed)] })
      .when(command({ override: true, overrideReason: 'Agency restructure' }))
      .then({
        problem: [problemClosed({ override: true, overrideReason: 'Agency restructure' })],
        actions: { 'a-2': cancellation, 'a-3': cancellation },
      });
  });

  it('given a problem reopened after closure, closes it again', () => {
    const history = [raised, agreed('a-1'), closedEvent, { type: 'ProblemReopened', data: { reason: 'Back' } } as ProblemEvent];
    given({ problem: problemFrom(...history), actions: [actionFrom(a1, cancelled)] })
      .when(command({ outcome: 'eliminated' }))
      .then({ problem: [problemClosed({ outcome: 'eliminated' })], actions: {} });
    expect(problemFrom(...history, problemClosed({ outcome: 'eliminated' }))).toMatchObject({ status: 'closed', closures: 2 });
  });

  it.each<[string, Parameters<typeof given>[0], Partial<CloseProblem>, RefusalCode]>([
    ['a closed problem', { problem: problemFrom(raised, closedEvent), actions: [] }, {}, 'PROBLEM_CLOSED'],
    ['an officer', openProblem, { actor: councilOfficer }, 'FORBIDDEN_ROLE'],
    ['another partnership', openProblem, { actor: outsideInspector }, 'NOT_FOUND'],
    ['an unknown problem', { problem: initialProblemState, actions: [] }, {}, 'NOT_FOUND'],
    ['a closedAt in the future', openProblem, { closedAt: LATER }, 'VALIDATION_FAILED'],
    ['an override without a reason', openProblem, { override: true }, 'VALIDATION_FAILED'],
    ['a reason without override', openProblem, { overrideReason: 'x' }, 'VALIDATION_FAILED'],
    ['an unknown outcome', openProblem, { outcome: 'solved' as never }, 'VALIDATION_FAILED'],
    ['an unknown displacement', openProblem, { displacement: 'sideways' as never }, 'VALIDATION_FAILED'],
  ])('given %s, refuses', (_name, states, overrides, code) => {
    given(states).when(command(overrides)).thenFails(code);
  });

  it('throws when the handler did not hand over an agreed action', () => {
    expect(() => closeProblem({ problem: problemWithThree, actions: [actionFrom(a1)], command: command() })).toThrow(/a-2/);
  });
});

describe('tableProblem', () => {
  const given = WorkflowSpecification.for(tableProblem);
  const command: TableProblem = { type: 'TableProblem', actor: inspector, now: NOW };
  const meeting = meetingFrom(meetingScheduled());
  const tabled: ProblemEvent = { type: 'ProblemTabled', data: { meetingId: MEETING_ID } };

  it('given an open problem and an open meeting of its partnership, tables it', () => {
    given({ problem: problemFrom(raised), meeting }).when(command).then({ problem: [{ type: 'ProblemTabled', data: { meetingId: MEETING_ID } }] });
  });

  it('given the problem already tabled at that meeting, decides nothing', () => {
    given({ problem: problemFrom(raised, tabled), meeting }).when(command).then({ problem: [] });
  });

  const holdsBoth = { ...inspector, partnerships: [PARTNERSHIP, OTHER_PARTNERSHIP] };
  it.each<[string, Parameters<typeof given>[0], TableProblem, RefusalCode]>([
    ['a closed meeting', { problem: problemFrom(raised), meeting: meetingFrom(meetingScheduled(), meetingClosed) }, command, 'MEETING_CLOSED'],
    ['a closed problem', { problem: problemFrom(raised, closedEvent), meeting }, command, 'PROBLEM_CLOSED'],
    ['an unknown meeting', { problem: problemFrom(raised), meeting: initialMeetingState }, command, 'NOT_FOUND'],
    ['an unknown problem', { problem: initialProblemState, meeting }, command, 'NOT_FOUND'],
    [
      'a meeting of another partnership than the problem',
      { problem: problemFrom(raised), meeting: meetingFrom(meetingScheduled({ partnership: OTHER_PARTNERSHIP })) },
      { ...command, actor: holdsBoth },
      'NOT_FOUND',
    ],
    ['an inspector of another partnership', { problem: problemFrom(raised), meeting }, { ...command, actor: outsideInspector }, 'NOT_FOUND'],
    ['an officer', { problem: problemFrom(raised), meeting }, { ...command, actor: councilOfficer }, 'FORBIDDEN_ROLE'],
  ])('given %s, refuses', (_name, states, tableCommand, code) => {
    given(states).when(tableCommand).thenFails(code);
  });
});
