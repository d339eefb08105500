/** The rules for times callers supply (docs/security.md, "Times and clocks"), as given/when/then. */
import { decideAction, type DischargeAction } from './action/action.decide';
import type { ActionEvent } from './action/action.events';
import { evolveAction, initialActionState } from './action/action.state';
import { RETENTION_ACTOR } from './actor';
import { decideMeeting, type ScheduleMeeting } from './meeting/meeting.decide';
import { evolveMeeting, initialMeetingState } from './meeting/meeting.state';
import { decideProblem, type AddSubject, type RaiseProblem } from './problem/problem.decide';
import type { ProblemEvent } from './problem/problem.events';
import { evolveProblem, initialProblemState, type ProblemState } from './problem/problem.state';
import { DeciderSpecification } from './testing/specification';
import {
  ACTION_ID,
  MEETING_ID,
  NOW,
  PARTNERSHIP,
  actionAssigned,
  agencyState,
  areaState,
  councilOfficer,
  groupState,
  inspector,
  problemRaised,
} from './testing/fixtures';
import { dateIn } from './times';
import { assignAction, type AssignAction } from './workflows/assign-action';
import { closeProblem, type CloseProblem } from './workflows/close-problem';

const problemFrom = (...events: ProblemEvent[]): ProblemState => events.reduce(evolveProblem, initialProblemState);
const raised = problemRaised(); // raisedAt 2025-03-01T09:00:00Z; NOW is 2025-03-10T10:00:00Z

const close = (problem: ProblemState, overrides: Partial<CloseProblem> = {}) =>
  closeProblem({
    problem,
    actions: [],
    command: { type: 'CloseProblem', actor: inspector, now: NOW, outcome: 'reduced', assessment: 'Calls down by half', ...overrides },
  });
const codeOf = (decision: { ok: true } | { ok: false; error: { code: string } }): string => (decision.ok ? 'accepted' : decision.error.code);

describe('times about an aggregate\'s own life', () => {
  it('refuses a closedAt before the problem was raised (TIME_BEFORE_LAST_EVENT), naming the field', () => {
    const decision = close(problemFrom(raised), { closedAt: '2025-02-01T00:00:00Z' });
    expect(codeOf(decision)).toBe('TIME_BEFORE_LAST_EVENT');
    expect(decision.ok ? [] : decision.error.errors?.map((e) => e.field)).toEqual(['closedAt']);
  });

  it('refuses a closedAt more than 10 years ago', () => {
    const decision = close(problemFrom(raised), { closedAt: '2001-01-01T00:00:00Z' });
    expect(decision.ok ? [] : decision.error.errors).toEqual([{ field: 'closedAt', message: 'closedAt must not be more than 10 years ago' }]);
  });

  it('refuses a closedAt before the problem\'s last recorded event (a review recorded after it)', () => {
    const reviewed: ProblemEvent = { type: 'ProblemReviewed', data: { rag: 'amber', note: 'still going' }, recordedAt: '2025-03-08T12:00:00Z' };
    expect(codeOf(close(problemFrom(raised, reviewed), { closedAt: '2025-03-07T12:00:00Z' }))).toBe('TIME_BEFORE_LAST_EVENT');
    expect(codeOf(close(problemFrom(raised, reviewed), { closedAt: '2025-03-08T12:00:00Z' }))).toBe('accepted');
  });

  it('refuses closing a reopened problem at a time before the reopening was recorded', () => {
    const closed: ProblemEvent = { type: 'ProblemClosed', data: { outcome: 'reduced', assessment: 'a', closedAt: '2025-03-05T12:00:00Z' } };
    const reopened: ProblemEvent = { type: 'ProblemReopened', data: { reason: 'back' }, recordedAt: '2025-03-09T09:00:00Z' };
    expect(codeOf(close(problemFrom(raised, closed, reopened), { closedAt: '2025-03-06T00:00:00Z' }))).toBe('TIME_BEFORE_LAST_EVENT');
  });

  it('accepts a closedAt between the last event and now, and a bare date of the last event\'s day', () => {
    expect(codeOf(close(problemFrom(raised), { closedAt: '2025-03-09T12:00:00Z' }))).toBe('accepted');
    expect(codeOf(close(problemFrom(raised), { closedAt: '2025-03-01' }))).toBe('accepted');
  });

  it('compares a bare closedAt as a date in the zone: "today" in Auckland is tomorrow in UTC', () => {
    const lateEvening = '2025-03-10T22:00:00Z'; // 2025-03-11 11:00 in Pacific/Auckland
    expect(codeOf(close(problemFrom(raised), { now: lateEvening, closedAt: '2025-03-11', timeZone: 'Pacific/Auckland' }))).toBe('accepted');
    expect(codeOf(close(problemFrom(raised), { now: lateEvening, closedAt: '2025-03-11', timeZone: 'UTC' }))).toBe('VALIDATION_FAILED');
  });

  it('refuses a raisedAt more than 10 years ago, and accepts one 9 years ago', () => {
    const given = DeciderSpecification.for(decideProblem, evolveProblem, initialProblemState);
    const raise = (raisedAt: string): RaiseProblem => ({
      type: 'RaiseProblem',
      actor: inspector,
      now: NOW,
      problemId: raised.data.problemId,
      partnership: PARTNERSHIP,
      title: 't',
      description: 'd',
      category: 'asb-youth',
      location: { areaCode: 'enfield-town' },
      raisedAt,
      area: areaState(),
    });
    const error = given([]).when(raise('1901-01-01T00:00:00Z')).thenFails('VALIDATION_FAILED');
    expect(error.errors).toEqual([{ field: 'raisedAt', message: 'raisedAt must not be more than 10 years ago' }]);
    expect(decideProblem(raise('2016-03-10T10:00:00Z'), initialProblemState).ok).toBe(true);
  });

  describe('dischargedAt', () => {
    const given = DeciderSpecification.for(decideAction, evolveAction, initialActionState);
    const claimed: ActionEvent = { type: 'ActionClaimed', data: { by: { userId: councilOfficer.userId, name: councilOfficer.name, agency: 'COUNCIL-ASB' } }, recordedAt: '2025-03-04T08:00:00Z' };
    const discharge = (dischargedAt: string): DischargeAction => ({ type: 'DischargeAction', actor: councilOfficer, now: NOW, result: 'completed', note: '', dischargedAt });

    it('refuses one before the claim was recorded', () => {
      given([actionAssigned(), claimed]).when(discharge('2025-03-03T08:00:00Z')).thenFails('TIME_BEFORE_LAST_EVENT');
    });

    it('refuses one before the action was assigned', () => {
      given([actionAssigned(), { ...claimed, recordedAt: undefined }]).when(discharge('2025-03-01T08:00:00Z')).thenFails('TIME_BEFORE_LAST_EVENT');
    });

    it('accepts one after the last event', () => {
      given([actionAssigned(), claimed])
        .when(discharge('2025-03-05T08:00:00Z'))
        .then({ type: 'ActionDischarged', data: { result: 'completed', note: '', dischargedAt: '2025-03-05T08:00:00Z' } });
    });
  });

  it('refuses an assignedAt before the problem\'s last event', () => {
    const decision = assignAction({
      problem: problemFrom(raised),
      agency: agencyState(),
      command: {
        type: 'AssignAction',
        actor: inspector,
        now: NOW,
        actionId: ACTION_ID,
        agency: 'COUNCIL-ASB',
        description: 'd',
        tactic: { category: 'prevention', name: 'cctv' },
        dueBy: '2025-03-15T17:00:00Z',
        assignedAt: '2025-02-01T00:00:00Z',
      },
    });
    expect(codeOf(decision)).toBe('TIME_BEFORE_LAST_EVENT');
  });

  it('folds the latest of recorded and stated times as the aggregate\'s last event time', () => {
    const reviewed: ProblemEvent = { type: 'ProblemReviewed', data: { rag: 'red', note: 'n' }, recordedAt: '2025-03-02T00:00:00Z' };
    const state = problemFrom({ ...raised, recordedAt: '2025-03-01T10:00:00Z' }, reviewed);
    expect(state.status === 'open' && state.lastEventAt).toBe('2025-03-02T00:00:00Z');
  });
});

describe('times about the outside world', () => {
  const given = DeciderSpecification.for(decideAction, evolveAction, initialActionState);
  const claimed: ActionEvent = { type: 'ActionClaimed', data: { by: { userId: councilOfficer.userId, name: councilOfficer.name, agency: 'COUNCIL-ASB' } } };
  const record = (occurredAt: string) =>
    ({ type: 'RecordIntervention', actor: councilOfficer, now: NOW, interventionId: 'i-1', tactic: { category: 'prevention', name: 'cctv' }, description: 'd', occurredAt }) as const;

  it('accepts an intervention\'s occurredAt up to 1 day ahead and up to 10 years back', () => {
    expect(decideAction(record('2025-03-11T09:00:00Z'), [actionAssigned(), claimed].reduce(evolveAction, initialActionState)).ok).toBe(true);
    expect(decideAction(record('2015-03-11T00:00:00Z'), [actionAssigned(), claimed].reduce(evolveAction, initialActionState)).ok).toBe(true);
  });

  it('refuses an occurredAt more than 10 years back or more than 1 day ahead', () => {
    given([actionAssigned(), claimed]).when(record('2015-03-09T00:00:00Z')).thenFails('VALIDATION_FAILED');
    const error = given([actionAssigned(), claimed]).when(record('2025-03-11T10:00:01Z')).thenFails('VALIDATION_FAILED');
    expect(error.errors).toEqual([{ field: 'occurredAt', message: 'occurredAt must lie between 10 years ago and 1 day from now' }]);
  });

  describe('a meeting\'s date', () => {
    const givenMeeting = DeciderSpecification.for(decideMeeting, evolveMeeting, initialMeetingState);
    const schedule = (heldOn: string): ScheduleMeeting => ({
      type: 'ScheduleMeeting',
      actor: inspector,
      now: NOW,
      meetingId: MEETING_ID,
      partnership: PARTNERSHIP,
      groupCode: 'enfield-safe',
      heldOn,
      chair: 'Insp Jane Hart',
      group: groupState(),
    });
    it('is refused more than 10 years back or more than 2 years ahead', () => {
      givenMeeting([]).when(schedule('2014-01-01')).thenFails('VALIDATION_FAILED');
      givenMeeting([]).when(schedule('2027-03-11')).thenFails('VALIDATION_FAILED');
    });
    it('is accepted in the coming year', () => {
      givenMeeting([]).when(schedule('2026-01-15')).then({
        type: 'MeetingScheduled',
        data: { meetingId: MEETING_ID, partnership: PARTNERSHIP, groupCode: 'enfield-safe', heldOn: '2026-01-15', chair: 'Insp Jane Hart' },
      });
    });
  });

  it('compares a date of birth with today in the zone', () => {
    const given = DeciderSpecification.for(decideProblem, evolveProblem, initialProblemState);
    const add = (timeZone: string): AddSubject => ({
      type: 'AddSubject',
      actor: inspector,
      now: '2025-03-10T22:00:00Z',
      timeZone,
      subjectId: 's-1',
      role: 'victim',
      name: 'A Person',
      dateOfBirth: '2025-03-11',
      actionAgencies: [],
    });
    given([raised]).when(add('UTC')).thenFails('VALIDATION_FAILED');
    expect(decideProblem(add('Pacific/Auckland'), problemFrom(raised)).ok).toBe(true);
  });
});

describe('due dates (DUE_DATE_IN_PAST)', () => {
  const assign = (overrides: Partial<AssignAction>) =>
    assignAction({
      problem: problemFrom(raised),
      agency: agencyState(),
      command: {
        type: 'AssignAction',
        actor: inspector,
        now: NOW,
        actionId: ACTION_ID,
        agency: 'COUNCIL-ASB',
        description: 'd',
        tactic: { category: 'prevention', name: 'cctv' },
        dueBy: '2025-03-15T17:00:00Z',
        ...overrides,
      },
    });

  it('refuses assigning an action due in the past, naming dueBy', () => {
    const decision = assign({ dueBy: '2025-01-01T00:00:00Z' });
    expect(codeOf(decision)).toBe('DUE_DATE_IN_PAST');
    expect(decision.ok ? [] : decision.error.errors?.map((e) => e.field)).toEqual(['dueBy']);
  });

  it('accepts a due date of today given as a date (due by the end of the day in the zone)', () => {
    expect(codeOf(assign({ dueBy: dateIn(NOW, 'Europe/London'), timeZone: 'Europe/London' }))).toBe('accepted');
  });

  it('accepts a past due date when the chair records an action agreed earlier, and says so', () => {
    expect(codeOf(assign({ dueBy: '2025-01-01T00:00:00Z', agreedEarlier: true }))).toBe('accepted');
  });

  it('refuses agreedEarlier that is not a boolean', () => {
    expect(codeOf(assign({ agreedEarlier: 'yes' as never }))).toBe('VALIDATION_FAILED');
  });

  it('refuses changing a due date to the past', () => {
    DeciderSpecification.for(decideAction, evolveAction, initialActionState)([actionAssigned()])
      .when({ type: 'ChangeActionDueDate', actor: inspector, now: NOW, dueBy: '2025-03-09T00:00:00Z', reason: 'r' })
      .thenFails('DUE_DATE_IN_PAST');
  });
});

describe('retention counts from when the closure was recorded', () => {
  const given = DeciderSpecification.for(decideProblem, evolveProblem, initialProblemState);
  const erase = (now: string) => ({ type: 'ErasePersonalData', actor: RETENTION_ACTOR, now, retentionYears: 6 }) as const;
  const closedLongAgo: ProblemEvent = {
    type: 'ProblemClosed',
    data: { outcome: 'reduced', assessment: 'a', closedAt: '2001-01-01T00:00:00Z' },
    recordedAt: '2025-03-10T10:00:00Z',
  };
  const oldRaise = problemRaised({ raisedAt: '2000-06-01T00:00:00Z' });

  it('does not erase a problem whose closure, dated back, was recorded less than the period ago', () => {
    given([oldRaise, closedLongAgo]).when(erase('2025-03-10T11:00:00Z')).thenNothing();
  });

  it('erases it once the period has run from the recording', () => {
    given([oldRaise, closedLongAgo])
      .when(erase('2031-03-10T10:00:00Z'))
      .then({
        type: 'ProblemPersonalDataErased',
        data: { reason: 'retention', closedAt: '2001-01-01T00:00:00Z', retentionYears: 6, erasedAt: '2031-03-10T10:00:00Z' },
      });
  });
});

describe('reassigning hands the new agency no overdue action (DUE_DATE_IN_PAST)', () => {
  const given = DeciderSpecification.for(decideAction, evolveAction, initialActionState);
  const reassign = (now: string, dueBy?: string) =>
    ({ type: 'ReassignAction', actor: inspector, now, agency: 'FIRE', reason: 'Declined', ...(dueBy === undefined ? {} : { dueBy }), newAgency: agencyState('FIRE') }) as const;
  const assigned = actionAssigned(); // due 2025-03-15T17:00:00Z

  it('refuses reassigning an action whose due date has passed without a new one', () => {
    const error = given([assigned]).when(reassign('2025-03-16T09:00:00Z')).thenFails('DUE_DATE_IN_PAST');
    expect(error.errors?.map((e) => e.field)).toEqual(['dueBy']);
  });

  it('refuses a new due date in the past', () => {
    given([assigned]).when(reassign('2025-03-16T09:00:00Z', '2025-03-16T08:00:00Z')).thenFails('DUE_DATE_IN_PAST');
  });

  it('reassigns and re-dates in one decision', () => {
    given([assigned])
      .when(reassign('2025-03-16T09:00:00Z', '2025-03-30T17:00:00Z'))
      .then([
        { type: 'ActionReassigned', data: { fromAgency: 'COUNCIL-ASB', toAgency: 'FIRE', reason: 'Declined' } },
        { type: 'ActionDueDateChanged', data: { dueBy: '2025-03-30T17:00:00Z', reason: 'Declined' } },
      ]);
  });

  it('reassigns an action not yet due as before', () => {
    given([assigned]).when(reassign(NOW)).then({ type: 'ActionReassigned', data: { fromAgency: 'COUNCIL-ASB', toAgency: 'FIRE', reason: 'Declined' } });
  });
});

describe('dateIn', () => {
  it('gives the date of one instant in each zone asked, the same the second time as the first', () => {
    const instant = '2026-08-31T23:00:00.000Z';
    for (let round = 0; round < 2; round += 1) {
      expect(dateIn(instant, 'Europe/London')).toBe('2026-09-01');
      expect(dateIn(instant, 'UTC')).toBe('2026-08-31');
      expect(dateIn(instant, 'Asia/Kolkata')).toBe('2026-09-01');
      expect(dateIn(Date.parse(instant), 'America/New_York')).toBe('2026-08-31');
    }
  });

  it('still refuses an unknown zone and a time that is not one', () => {
    expect(() => dateIn('2026-08-31T23:00:00.000Z', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => dateIn('not a time', 'Europe/London')).toThrow(RangeError);
  });
});
