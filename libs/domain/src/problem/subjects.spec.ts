import { DEADLINES_ACTOR, RETENTION_ACTOR } from '../actor';
import type { ProblemClosed, SubjectAdded, SubjectErased } from './problem.events';
import { decideProblem, type AddSubject, type EraseSubject, type ErasePersonalData } from './problem.decide';
import { evolveProblem, initialProblemState, type ExistingProblem } from './problem.state';
import { PERSONAL_DATA_FIELDS, retentionEndsAt } from '../personal-data';
import { DOMAIN_EVENT_TYPES } from '../events';
import { DeciderSpecification } from '../testing/specification';
import { NOW, admin, councilOfficer, fireOfficer, inspector, manager, outsideInspector, problemRaised } from '../testing/fixtures';

const given = DeciderSpecification.for(decideProblem, evolveProblem, initialProblemState);
const SUBJECT_ID = '3c9d2f1a-7b6e-4d5c-8a9b-0e1f2a3b4c05';

/** The subject `add` adds and `added` records. */
const SUBJECT = {
  subjectId: SUBJECT_ID,
  role: 'victim',
  name: 'Alex Morgan',
  dateOfBirth: '1990-04-01',
  address: '12 Church Street',
  notes: 'Shop owner, targeted repeatedly',
} as const;

const add = (overrides: Partial<AddSubject> = {}): AddSubject => ({
  type: 'AddSubject',
  actor: inspector,
  now: NOW,
  ...SUBJECT,
  actionAgencies: [],
  ...overrides,
});
const added = (overrides: Partial<SubjectAdded['data']> = {}): SubjectAdded => ({
  type: 'SubjectAdded',
  data: {
    ...SUBJECT,
    addedAt: NOW,
    ...overrides,
  },
});
const erase = (overrides: Partial<EraseSubject> = {}): EraseSubject => ({
  type: 'EraseSubject',
  actor: inspector,
  now: NOW,
  subjectId: SUBJECT_ID,
  reason: 'Data-subject request',
  ...overrides,
});
const erased: SubjectErased = { type: 'SubjectErased', data: { subjectId: SUBJECT_ID, reason: 'Data-subject request', erasedAt: NOW } };
const closed: ProblemClosed = { type: 'ProblemClosed', data: { outcome: 'reduced', assessment: 'Calls down', closedAt: '2019-03-09T12:00:00Z' } };
const retention = (overrides: Partial<ErasePersonalData> = {}): ErasePersonalData => ({
  type: 'ErasePersonalData',
  actor: RETENTION_ACTOR,
  now: '2025-03-09T12:00:00Z',
  retentionYears: 6,
  ...overrides,
});

describe('subjects: people named on a problem', () => {
  describe('AddSubject', () => {
    it('adds a subject with its personal fields', () => {
      given([problemRaised()]).when(add()).then(added());
    });

    it('keeps only the fields given', () => {
      given([problemRaised()])
        .when(add({ role: 'witness', dateOfBirth: undefined, address: undefined, notes: undefined }))
        .then({ type: 'SubjectAdded', data: { subjectId: SUBJECT_ID, role: 'witness', name: 'Alex Morgan', addedAt: NOW } });
    });

    it('lets an officer of an agency holding one of its actions add one', () => {
      given([problemRaised()]).when(add({ actor: councilOfficer, actionAgencies: ['COUNCIL-ASB'] })).then(added());
    });

    it('refuses an officer of an agency without an action on the problem', () => {
      const error = given([problemRaised()]).when(add({ actor: fireOfficer, actionAgencies: ['COUNCIL-ASB'] })).thenFails('WRONG_AGENCY');
      expect(error.message).toMatch(/COUNCIL-ASB/);
    });

    it('refuses managers and admins', () => {
      expect(given([problemRaised()]).when(add({ actor: manager })).thenFails('FORBIDDEN_ROLE').message).toBe(
        'only inspectors or officers may add subjects to problems',
      );
      given([problemRaised()]).when(add({ actor: admin })).thenFails('FORBIDDEN_ROLE');
    });

    it('answers not found for a problem of another partnership, before the role', () => {
      given([problemRaised()]).when(add({ actor: outsideInspector })).thenFails('NOT_FOUND');
      given([]).when(add()).thenFails('NOT_FOUND');
    });

    it('refuses an unknown role, an empty name and a date of birth that is not a past date', () => {
      const error = given([problemRaised()])
        .when(add({ role: 'suspect' as never, name: ' ', dateOfBirth: '2030-01-01' }))
        .thenFails('VALIDATION_FAILED');
      expect(error.errors?.map((e) => e.field)).toEqual(['role', 'name', 'dateOfBirth']);
      given([problemRaised()]).when(add({ dateOfBirth: '1990-04-01T00:00:00Z' })).thenFails('VALIDATION_FAILED');
    });

    it('refuses a closed problem and a subject id already used', () => {
      given([problemRaised(), closed]).when(add()).thenFails('PROBLEM_CLOSED');
      given([problemRaised(), added()]).when(add()).thenFails('ALREADY_EXISTS');
    });
  });

  describe('EraseSubject', () => {
    it('erases a subject', () => {
      given([problemRaised(), added()]).when(erase()).then(erased);
    });

    it('lets an admin erase, also on a closed problem', () => {
      given([problemRaised(), added(), closed]).when(erase({ actor: admin })).then(erased);
    });

    it('refuses officers and managers', () => {
      given([problemRaised(), added()]).when(erase({ actor: councilOfficer })).thenFails('FORBIDDEN_ROLE');
      expect(given([problemRaised(), added()]).when(erase({ actor: manager })).thenFails('FORBIDDEN_ROLE').message).toBe(
        'only inspectors or admins may erase subjects',
      );
    });

    it('answers not found for a subject not on the problem', () => {
      given([problemRaised()]).when(erase()).thenFails('NOT_FOUND');
    });

    it('needs a reason', () => {
      given([problemRaised(), added()]).when(erase({ reason: '' })).thenFails('VALIDATION_FAILED');
    });

    it('has nothing to do for a subject already erased, by request or by retention', () => {
      given([problemRaised(), added(), erased]).when(erase()).thenNothing();
      const retained = { type: 'ProblemPersonalDataErased' as const, data: { reason: 'retention' as const, closedAt: closed.data.closedAt, retentionYears: 6, erasedAt: NOW } };
      given([problemRaised(), added(), closed, retained]).when(erase()).thenNothing();
    });
  });

  describe('ErasePersonalData (retention)', () => {
    const done = {
      type: 'ProblemPersonalDataErased' as const,
      data: { reason: 'retention' as const, closedAt: '2019-03-09T12:00:00Z', retentionYears: 6, erasedAt: '2025-03-09T12:00:00Z' },
    };

    it('erases once the retention period after the latest closure has run out', () => {
      given([problemRaised(), closed]).when(retention()).then(done);
    });

    it('has nothing to do before then, while open, or when done for this closure', () => {
      given([problemRaised(), closed]).when(retention({ now: '2025-03-09T11:59:59Z' })).thenNothing();
      given([problemRaised()]).when(retention()).thenNothing();
      given([problemRaised(), closed, done]).when(retention({ now: '2030-01-01T00:00:00Z' })).thenNothing();
    });

    it('erases again after a reopening and a later closure have run their period', () => {
      const reopened = { type: 'ProblemReopened' as const, data: { reason: 'back' } };
      const closedAgain: ProblemClosed = { ...closed, data: { ...closed.data, closedAt: '2025-06-01T00:00:00Z' } };
      given([problemRaised(), closed, done, reopened, closedAgain]).when(retention({ now: '2031-06-01T00:00:00Z' })).then({
        type: 'ProblemPersonalDataErased',
        data: { reason: 'retention', closedAt: '2025-06-01T00:00:00Z', retentionYears: 6, erasedAt: '2031-06-01T00:00:00Z' },
      });
    });

    it('is for the retention system alone', () => {
      given([problemRaised(), closed]).when(retention({ actor: DEADLINES_ACTOR })).thenFails('FORBIDDEN_ROLE');
      given([problemRaised(), closed]).when(retention({ actor: inspector as never })).thenFails('FORBIDDEN_ROLE');
      given([]).when(retention()).thenFails('NOT_FOUND');
    });

    it('marks every subject erased in the state', () => {
      const state = [problemRaised(), added(), closed, done].reduce(evolveProblem, initialProblemState) as ExistingProblem;
      expect(state.subjects).toEqual([{ subjectId: SUBJECT_ID, role: 'victim', erased: true }]);
      expect(state.personalDataErased).toBe(true);
    });
  });

  it('counts retention in calendar years (UTC)', () => {
    expect(retentionEndsAt('2019-03-09T12:00:00Z', 6)).toBe('2025-03-09T12:00:00.000Z');
    expect(retentionEndsAt('2020-02-29T00:00:00Z', 1)).toBe('2021-03-01T00:00:00.000Z');
  });

  it('says for every event type which fields are personal, each a string path under a problem or subject key', () => {
    expect(Object.keys(PERSONAL_DATA_FIELDS).sort()).toEqual([...DOMAIN_EVENT_TYPES].sort());
    expect(PERSONAL_DATA_FIELDS.SubjectAdded.map((f) => `${f.key}:${f.path}`)).toEqual(['subject:name', 'subject:dateOfBirth', 'subject:address', 'subject:notes']);
    expect(PERSONAL_DATA_FIELDS.ProblemRaised.map((f) => f.path)).toEqual(['title', 'description', 'location.address']);
    expect(PERSONAL_DATA_FIELDS.SubjectAdded.some((f) => f.path === 'role')).toBe(false);
  });
});
