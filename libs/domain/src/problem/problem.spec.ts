import type { ProblemClosed, ProblemEvent } from './problem.events';
import { decideProblem, type AmendProblem } from './problem.decide';
import { evolveProblem, initialProblemState } from './problem.state';
import { DeciderSpecification } from '../testing/specification';
import {
  NOW,
  OTHER_PARTNERSHIP,
  PARTNERSHIP,
  areaState,
  councilOfficer,
  groupState,
  inspector,
  manager,
  outsideInspector,
  problemRaised,
  raiseProblemCommand,
} from '../testing/fixtures';
import { initialAreaState } from '../area/area.state';
import { initialGroupState } from '../group/group.state';

const given = DeciderSpecification.for(decideProblem, evolveProblem, initialProblemState);

const raise = raiseProblemCommand;

const raised = problemRaised();
const closed: ProblemClosed = {
  type: 'ProblemClosed',
  data: { outcome: 'reduced', assessment: 'Calls down by half', closedAt: '2025-03-09T12:00:00Z' },
};

describe('problem', () => {
  describe('RaiseProblem', () => {
    it('raises a problem', () => {
      given([]).when(raise()).then(raised);
    });

    it('defaults source to tasking-meeting and raisedAt to now', () => {
      given([])
        .when(raise({ raisedAt: undefined, priority: 'high', groupCode: 'enfield-safe', group: groupState() }))
        .then(problemRaised({ raisedAt: NOW, priority: 'high', groupCode: 'enfield-safe' }));
    });

    it('keeps a given source', () => {
      given([]).when(raise({ source: 'community' })).then(problemRaised({ source: 'community' }));
    });

    it('refuses a partnership the inspector does not hold as not found', () => {
      given([]).when(raise({ partnership: OTHER_PARTNERSHIP, area: areaState('enfield-town', OTHER_PARTNERSHIP) })).thenFails('NOT_FOUND');
    });

    it('refuses an officer', () => {
      const error = given([]).when(raise({ actor: councilOfficer })).thenFails('FORBIDDEN_ROLE');
      expect(error.message).toBe('only inspectors may raise problems');
    });

    it('refuses a raisedAt in the future', () => {
      const error = given([]).when(raise({ raisedAt: '2025-03-11T00:00:00Z' })).thenFails('VALIDATION_FAILED');
      expect(error.errors).toEqual([{ field: 'raisedAt', message: 'raisedAt must not be in the future' }]);
    });

    it('refuses an unknown category, a latitude out of range and half a coordinate', () => {
      const error = given([])
        .when(raise({ category: 'jaywalking' as never, location: { areaCode: 'enfield-town', lat: 91 } }))
        .thenFails('VALIDATION_FAILED');
      expect(error.errors?.map((e) => e.field)).toEqual(['category', 'location.lat', 'location']);
    });

    it('refuses an unregistered area', () => {
      given([]).when(raise({ area: initialAreaState })).thenFails('UNKNOWN_AREA');
    });

    it('refuses an area of another partnership', () => {
      given([]).when(raise({ area: areaState('enfield-town', OTHER_PARTNERSHIP) })).thenFails('UNKNOWN_AREA');
    });

    it('refuses an unregistered group', () => {
      given([]).when(raise({ groupCode: 'enfield-safe', group: initialGroupState })).thenFails('UNKNOWN_GROUP');
    });

    it('refuses a group of another partnership', () => {
      given([]).when(raise({ groupCode: 'enfield-safe', group: groupState('enfield-safe', OTHER_PARTNERSHIP) })).thenFails('UNKNOWN_GROUP');
    });

    it('refuses an id already used', () => {
      given([raised]).when(raise()).thenFails('ALREADY_EXISTS');
    });
  });

  describe('AmendProblem', () => {
    const amend = (overrides: Partial<AmendProblem> = {}): AmendProblem => ({ type: 'AmendProblem', actor: inspector, now: NOW, ...overrides });

    it('records only the fields that changed', () => {
      given([raised])
        .when(amend({ title: 'Youth disorder, Church Street', description: raised.data.description, category: 'criminal-damage' }))
        .then({ type: 'ProblemAmended', data: { title: 'Youth disorder, Church Street', category: 'criminal-damage' } });
    });

    it('decides nothing when nothing changes', () => {
      given([raised]).when(amend({ title: raised.data.title })).thenNothing();
    });

    it('moves the problem to another registered area of the partnership', () => {
      given([raised])
        .when(amend({ location: { areaCode: 'edmonton', address: 'Fore Street' }, area: areaState('edmonton') }))
        .then({ type: 'ProblemAmended', data: { location: { areaCode: 'edmonton', address: 'Fore Street' } } });
    });

    it('refuses to move the problem to an unknown area', () => {
      given([raised]).when(amend({ location: { areaCode: 'edmonton' }, area: initialAreaState })).thenFails('UNKNOWN_AREA');
    });

    it('refuses to move the problem to an area of another partnership', () => {
      given([raised]).when(amend({ location: { areaCode: 'tottenham' }, area: areaState('tottenham', OTHER_PARTNERSHIP) })).thenFails('UNKNOWN_AREA');
    });

    it('refuses an empty amendment', () => {
      given([raised]).when(amend()).thenFails('VALIDATION_FAILED');
    });

    it('refuses a closed problem', () => {
      given([raised, closed]).when(amend({ title: 'New title' })).thenFails('PROBLEM_CLOSED');
    });

    it('answers not found for an unknown problem', () => {
      given([]).when(amend({ title: 'New title' })).thenFails('NOT_FOUND');
    });

    it('answers not found for a problem of another partnership, whatever its state', () => {
      given([raised, closed]).when(amend({ actor: outsideInspector, title: 'New title' })).thenFails('NOT_FOUND');
    });

    it('refuses a manager (role before state)', () => {
      given([raised, closed]).when(amend({ actor: manager, title: 'New title' })).thenFails('FORBIDDEN_ROLE');
    });
  });

  describe('PrioritiseProblem', () => {
    const prioritise = { type: 'PrioritiseProblem', actor: inspector, now: NOW, priority: 'high', harmScore: 70, rationale: 'Repeat victims' } as const;

    it('prioritises an open problem', () => {
      given([raised]).when(prioritise).then({ type: 'ProblemPrioritised', data: { priority: 'high', harmScore: 70, rationale: 'Repeat victims' } });
    });

    it('refuses a harm score above 100', () => {
      given([raised]).when({ ...prioritise, harmScore: 101 }).thenFails('VALIDATION_FAILED');
    });

    it('refuses a closed problem', () => {
      given([raised, closed]).when(prioritise).thenFails('PROBLEM_CLOSED');
    });

    it('refuses an officer', () => {
      given([raised]).when({ ...prioritise, actor: councilOfficer }).thenFails('FORBIDDEN_ROLE');
    });
  });

  describe('AnalyseProblem', () => {
    const analyse = {
      type: 'AnalyseProblem',
      actor: inspector,
      now: NOW,
      victim: 'Shopkeepers on the parade',
      location: 'Poor lighting behind the bus stop',
      hypotheses: ['Gathering follows the 9pm closure of the youth club'],
    } as const;

    it('records the analysis triangle', () => {
      given([raised])
        .when(analyse)
        .then({
          type: 'ProblemAnalysed',
          data: {
            victim: 'Shopkeepers on the parade',
            location: 'Poor lighting behind the bus stop',
            hypotheses: ['Gathering follows the 9pm closure of the youth club'],
          },
        });
    });

    it('defaults hypotheses to none', () => {
      given([raised])
        .when({ type: 'AnalyseProblem', actor: inspector, now: NOW, offender: 'Local teenagers' })
        .then({ type: 'ProblemAnalysed', data: { offender: 'Local teenagers', hypotheses: [] } });
    });

    it('refuses an empty analysis', () => {
      given([raised]).when({ type: 'AnalyseProblem', actor: inspector, now: NOW }).thenFails('VALIDATION_FAILED');
    });

    it('refuses a closed problem', () => {
      given([raised, closed]).when(analyse).thenFails('PROBLEM_CLOSED');
    });

    it('refuses an officer', () => {
      given([raised]).when({ ...analyse, actor: councilOfficer }).thenFails('FORBIDDEN_ROLE');
    });
  });

  describe('ReviewProblem', () => {
    const review = { type: 'ReviewProblem', actor: inspector, now: NOW, rag: 'amber', note: 'CCTV up, lighting pending' } as const;

    it('records a review', () => {
      given([raised]).when(review).then({ type: 'ProblemReviewed', data: { rag: 'amber', note: 'CCTV up, lighting pending' } });
    });

    it('records the meeting of a review', () => {
      given([raised])
        .when({ ...review, meetingId: 'm-1' })
        .then({ type: 'ProblemReviewed', data: { meetingId: 'm-1', rag: 'amber', note: 'CCTV up, lighting pending' } });
    });

    it('refuses an unknown rag', () => {
      given([raised]).when({ ...review, rag: 'purple' as never }).thenFails('VALIDATION_FAILED');
    });

    it('refuses a closed problem', () => {
      given([raised, closed]).when(review).thenFails('PROBLEM_CLOSED');
    });

    it('refuses a manager', () => {
      given([raised]).when({ ...review, actor: manager }).thenFails('FORBIDDEN_ROLE');
    });
  });

  describe('ReopenProblem', () => {
    const reopen = { type: 'ReopenProblem', actor: inspector, now: NOW, reason: 'Disorder returned' } as const;

    it('reopens a closed problem', () => {
      given([raised, closed]).when(reopen).then({ type: 'ProblemReopened', data: { reason: 'Disorder returned' } });
    });

    it('refuses an open problem', () => {
      given([raised]).when(reopen).thenFails('PROBLEM_NOT_CLOSED');
    });

    it('refuses a problem reopened since its closure', () => {
      given([raised, closed, { type: 'ProblemReopened', data: { reason: 'x' } }]).when(reopen).thenFails('PROBLEM_NOT_CLOSED');
    });

    it('refuses a manager', () => {
      given([raised, closed]).when({ ...reopen, actor: manager }).thenFails('FORBIDDEN_ROLE');
    });

    it('answers not found in another partnership', () => {
      given([raised, closed]).when({ ...reopen, actor: outsideInspector }).thenFails('NOT_FOUND');
    });
  });

  describe('evolve', () => {
    it('tracks revision, status, agreed actions, tabling and closures', () => {
      const events: ProblemEvent[] = [
        raised,
        { type: 'ProblemTabled', data: { meetingId: 'm-1' } },
        { type: 'ActionAgreed', data: { actionId: 'a-1', agency: 'COUNCIL-ASB', meetingId: 'm-1' } },
        { type: 'ProblemPrioritised', data: { priority: 'low', rationale: 'r' } },
        closed,
        { type: 'ProblemReopened', data: { reason: 'back' } },
      ];
      const state = events.reduce(evolveProblem, initialProblemState);
      expect(state).toMatchObject({
        status: 'open',
        revision: 5,
        partnership: PARTNERSHIP,
        priority: 'low',
        tabledAt: ['m-1'],
        agreedActions: [{ actionId: 'a-1', agency: 'COUNCIL-ASB', meetingId: 'm-1' }],
        lastClosure: { outcome: 'reduced', closedAt: '2025-03-09T12:00:00Z', override: false },
        closures: 1,
        reopenings: 1,
      });
    });

    it('starts at revision -1', () => {
      expect(initialProblemState).toEqual({ status: 'none', revision: -1 });
    });
  });
});
