import type { ProblemEvent } from './problem.events';
import { decideProblem } from './problem.decide';
import { evolveProblem, initialProblemState, type ProblemState } from './problem.state';
import { actionReference, isProblemReference, isReferencePrefix, problemReference, referencePrefix, referenceYear } from './reference';
import { DeciderSpecification, WorkflowSpecification } from '../testing/specification';
import {
  ACTION_ID,
  actionAssigned,
  agencyState,
  assignActionCommand,
  problemRaised,
  raiseProblemCommand,
} from '../testing/fixtures';
import { assignAction } from '../workflows/assign-action';

const raise = raiseProblemCommand;

const assign = assignActionCommand;

const problemFrom = (...events: ProblemEvent[]): ProblemState => events.reduce(evolveProblem, initialProblemState);

describe('case references', () => {
  describe('formats', () => {
    it('writes a problem reference with a number of at least four digits, and an action reference after it', () => {
      expect(problemReference('SAFE', 2026, 142)).toBe('SAFE-2026-0142');
      expect(problemReference('SAFE', 2026, 12345)).toBe('SAFE-2026-12345');
      expect(actionReference('SAFE-2026-0142', 3)).toBe('SAFE-2026-0142/3');
      expect(isProblemReference('SAFE-2026-0142')).toBe(true);
      expect(isProblemReference('safe-2026-0142')).toBe(false);
      expect(isProblemReference('SAFE-26-0142')).toBe(false);
    });

    it('takes the configured prefix, or derives one from the partnership code', () => {
      expect(referencePrefix('enfield', 'SAFE')).toBe('SAFE');
      expect(referencePrefix('north-enfield-csp')).toBe('NORTHENF');
      expect(referencePrefix('enfield')).toBe('ENFIELD');
      expect(isReferencePrefix('SAFE2')).toBe(true);
      expect(isReferencePrefix('safe')).toBe(false);
      expect(isReferencePrefix('NINELONGX')).toBe(false);
    });

    it('counts in the UTC year', () => {
      expect(referenceYear('2026-12-31T23:59:59Z')).toBe(2026);
      expect(referenceYear('2027-01-01T00:30:00+01:00')).toBe(2026);
    });
  });

  describe('RaiseProblem', () => {
    const given = DeciderSpecification.for(decideProblem, evolveProblem, initialProblemState);

    it('records the issued reference on ProblemRaised', () => {
      given([]).when(raise({ reference: 'SAFE-2025-0007' })).then(problemRaised({ reference: 'SAFE-2025-0007' }));
    });

    it('refuses a reference of another shape', () => {
      given([]).when(raise({ reference: 'not a reference' })).thenFails('VALIDATION_FAILED');
    });

    it('keeps the reference in the problem state; a problem raised before references has none', () => {
      expect(problemFrom(problemRaised({ reference: 'SAFE-2025-0007' }))).toMatchObject({ reference: 'SAFE-2025-0007' });
      expect(problemFrom(problemRaised())).not.toHaveProperty('reference');
    });
  });

  describe('AssignAction', () => {
    const given = WorkflowSpecification.for(assignAction);
    const agreed: ProblemEvent = { type: 'ActionAgreed', data: { actionId: 'a-1', agency: 'COUNCIL-ASB' } };

    it('numbers an action after the actions already agreed on its problem', () => {
      given({ problem: problemFrom(problemRaised({ reference: 'SAFE-2025-0007' }), agreed, agreed), agency: agencyState() })
        .when(assign())
        .then({
          problem: [{ type: 'ActionAgreed', data: { actionId: ACTION_ID, agency: 'COUNCIL-ASB' } }],
          action: [actionAssigned({ reference: 'SAFE-2025-0007/3' })],
        });
    });

    it('gives no reference to an action on a problem without one', () => {
      given({ problem: problemFrom(problemRaised()), agency: agencyState() })
        .when(assign())
        .then({
          problem: [{ type: 'ActionAgreed', data: { actionId: ACTION_ID, agency: 'COUNCIL-ASB' } }],
          action: [actionAssigned()],
        });
    });
  });
});
