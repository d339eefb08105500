import { DEADLINES_ACTOR } from '../actor';
import { DeciderSpecification } from '../testing/specification';
import {
  LATER,
  NOW,
  actionAssigned,
  agencyState,
  councilColleague,
  councilOfficer,
  fireOfficer,
  inspector,
  manager,
  outsideOfficer,
} from '../testing/fixtures';
import { initialAgencyState } from '../agency/agency.state';
import type { ActionCancelled, ActionClaimed, ActionDeclined, ActionDischarged, ActionEvent } from './action.events';
import { decideAction, type EscalateAction, type RecordIntervention } from './action.decide';
import { evolveAction, initialActionState, isOverdue } from './action.state';

const given = DeciderSpecification.for(decideAction, evolveAction, initialActionState);

const assigned = actionAssigned();
const claimedBySam: ActionClaimed = {
  type: 'ActionClaimed',
  data: { by: { userId: councilOfficer.userId, name: councilOfficer.name, agency: 'COUNCIL-ASB' } },
};
const declined: ActionDeclined = { type: 'ActionDeclined', data: { reasonCode: 'not-our-remit', note: 'Private land: landlord issue' } };
const discharged: ActionDischarged = {
  type: 'ActionDischarged',
  data: { result: 'completed', note: 'Camera installed', dischargedAt: '2025-03-08T15:00:00Z' },
};
const cancelled: ActionCancelled = { type: 'ActionCancelled', data: { reason: 'No longer needed' } };

const claim = (actor = councilOfficer) => ({ type: 'ClaimAction', actor, now: NOW }) as const;

describe('action', () => {
  describe('ClaimAction', () => {
    it('lets an officer of the action agency claim it', () => {
      given([assigned]).when(claim()).then(claimedBySam);
    });

    it('refuses a second claim (double claim)', () => {
      const error = given([assigned, claimedBySam]).when(claim(councilColleague)).thenFails('ACTION_ALREADY_CLAIMED');
      expect(error.message).toContain('Sam Patel');
    });

    it('refuses an officer of another agency, naming the rule', () => {
      const error = given([assigned]).when(claim(fireOfficer)).thenFails('WRONG_AGENCY');
      expect(error.message).toBe('only officers of agency COUNCIL-ASB may claim this action');
    });

    it('refuses an officer of another agency whatever the state (permissions first)', () => {
      given([assigned, discharged]).when(claim(fireOfficer)).thenFails('WRONG_AGENCY');
      given([assigned, claimedBySam]).when(claim(fireOfficer)).thenFails('WRONG_AGENCY');
    });

    it('refuses an inspector', () => {
      given([assigned]).when(claim(inspector)).thenFails('FORBIDDEN_ROLE');
    });

    it('answers not found to an officer of another partnership, before the role and agency', () => {
      given([assigned]).when(claim(outsideOfficer)).thenFails('NOT_FOUND');
      given([assigned]).when(claim({ ...inspector, partnerships: ['haringey'] })).thenFails('NOT_FOUND');
    });

    it('answers not found for an unknown action', () => {
      given([]).when(claim()).thenFails('NOT_FOUND');
    });

    it('refuses a discharged or cancelled action', () => {
      given([assigned, claimedBySam, discharged]).when(claim()).thenFails('ACTION_CLOSED');
      given([assigned, cancelled]).when(claim()).thenFails('ACTION_CLOSED');
    });

    it('refuses a declined action until it is reassigned', () => {
      given([assigned, declined]).when(claim()).thenFails('ACTION_ALREADY_DECLINED');
    });

    it('decline, then reassign, then claim by the new agency', () => {
      const reassigned: ActionEvent = { type: 'ActionReassigned', data: { fromAgency: 'COUNCIL-ASB', toAgency: 'FIRE', reason: 'Fire safety' } };
      given([assigned, declined, reassigned])
        .when(claim(fireOfficer))
        .then({ type: 'ActionClaimed', data: { by: { userId: fireOfficer.userId, name: fireOfficer.name, agency: 'FIRE' } } });
      given([assigned, declined, reassigned]).when(claim()).thenFails('WRONG_AGENCY');
    });

    it('can be claimed again after a release', () => {
      given([assigned, claimedBySam, { type: 'ActionReleased', data: { reason: 'On leave' } }])
        .when(claim(councilColleague))
        .then({ type: 'ActionClaimed', data: { by: { userId: councilColleague.userId, name: councilColleague.name, agency: 'COUNCIL-ASB' } } });
    });
  });

  describe('DeclineAction', () => {
    const decline = { type: 'DeclineAction', actor: councilOfficer, now: NOW, reasonCode: 'not-our-remit', note: 'Private land: landlord issue' } as const;

    it('declines an unclaimed action', () => {
      given([assigned]).when(decline).then(declined);
    });

    it('refuses to decline twice', () => {
      given([assigned, declined]).when({ ...decline, actor: councilColleague }).thenFails('ACTION_ALREADY_DECLINED');
    });

    it('refuses a claimed action', () => {
      given([assigned, claimedBySam]).when(decline).thenFails('ACTION_ALREADY_CLAIMED');
    });

    it('refuses an unknown reason code', () => {
      const error = given([assigned]).when({ ...decline, reasonCode: 'too-busy' as never }).thenFails('VALIDATION_FAILED');
      expect(error.errors?.[0]?.field).toBe('reasonCode');
    });

    it('refuses an officer of another agency', () => {
      given([assigned]).when({ ...decline, actor: fireOfficer }).thenFails('WRONG_AGENCY');
    });

    it('refuses an inspector', () => {
      given([assigned]).when({ ...decline, actor: inspector }).thenFails('FORBIDDEN_ROLE');
    });

    it('refuses a closed action', () => {
      given([assigned, cancelled]).when(decline).thenFails('ACTION_CLOSED');
    });

    it('may decline again after a reassignment back', () => {
      given([
        assigned,
        declined,
        { type: 'ActionReassigned', data: { fromAgency: 'COUNCIL-ASB', toAgency: 'FIRE', reason: 'r' } },
        { type: 'ActionReassigned', data: { fromAgency: 'FIRE', toAgency: 'COUNCIL-ASB', reason: 'r' } },
      ])
        .when(decline)
        .then(declined);
    });
  });

  describe('ReleaseAction', () => {
    const release = (actor = councilOfficer) => ({ type: 'ReleaseAction', actor, now: NOW, reason: 'Off sick' }) as const;
    const released: ActionEvent = { type: 'ActionReleased', data: { reason: 'Off sick' } };

    it('lets the claimant release the claim', () => {
      given([assigned, claimedBySam]).when(release()).then(released);
    });

    it('lets an inspector release any claim', () => {
      given([assigned, claimedBySam]).when(release(inspector)).then(released);
    });

    it('refuses a colleague who is not the claimant', () => {
      given([assigned, claimedBySam]).when(release(councilColleague)).thenFails('NOT_CLAIMANT');
    });

    it('refuses an officer of another agency', () => {
      given([assigned, claimedBySam]).when(release(fireOfficer)).thenFails('WRONG_AGENCY');
    });

    it('refuses a manager', () => {
      given([assigned, claimedBySam]).when(release(manager)).thenFails('FORBIDDEN_ROLE');
    });

    it('refuses an unclaimed action', () => {
      given([assigned]).when(release()).thenFails('ACTION_NOT_CLAIMED');
      given([assigned]).when(release(inspector)).thenFails('ACTION_NOT_CLAIMED');
    });

    it('refuses a closed action', () => {
      given([assigned, claimedBySam, discharged]).when(release()).thenFails('ACTION_CLOSED');
    });
  });

  describe('ReassignAction', () => {
    const reassign = { type: 'ReassignAction', actor: inspector, now: NOW, agency: 'FIRE', reason: 'Fire safety issue', newAgency: agencyState('FIRE') } as const;
    const reassigned: ActionEvent = { type: 'ActionReassigned', data: { fromAgency: 'COUNCIL-ASB', toAgency: 'FIRE', reason: 'Fire safety issue' } };

    it('reassigns to another active agency', () => {
      given([assigned, declined]).when(reassign).then(reassigned);
    });

    it('clears the claim', () => {
      const state = [assigned, claimedBySam, reassigned].reduce(evolveAction, initialActionState);
      expect(state).toMatchObject({ agency: 'FIRE', claimedBy: null, declined: null });
    });

    it('refuses the same agency', () => {
      given([assigned]).when({ ...reassign, agency: 'COUNCIL-ASB', newAgency: agencyState('COUNCIL-ASB') }).thenFails('VALIDATION_FAILED');
    });

    it('refuses an unregistered agency', () => {
      given([assigned]).when({ ...reassign, newAgency: initialAgencyState }).thenFails('UNKNOWN_AGENCY');
    });

    it('refuses a deactivated agency', () => {
      given([assigned]).when({ ...reassign, newAgency: agencyState('FIRE', false) }).thenFails('AGENCY_INACTIVE');
    });

    it('refuses a closed action', () => {
      given([assigned, cancelled]).when(reassign).thenFails('ACTION_CLOSED');
    });

    it('refuses an officer', () => {
      given([assigned]).when({ ...reassign, actor: councilOfficer }).thenFails('FORBIDDEN_ROLE');
    });
  });

  describe('RecordIntervention', () => {
    const record = (overrides: Partial<RecordIntervention> = {}): RecordIntervention => ({
      type: 'RecordIntervention',
      actor: councilOfficer,
      now: NOW,
      interventionId: 'i-1',
      tactic: { category: 'prevention', name: 'cctv' },
      description: 'Camera mounted on the lamp post at the parade',
      occurredAt: '2025-03-07T11:00:00Z',
      ...overrides,
    });

    it('records an intervention, storing the tactic in the taxonomy spelling ("cctv" is "CCTV")', () => {
      given([assigned, claimedBySam])
        .when(record())
        .then({
          type: 'InterventionRecorded',
          data: {
            interventionId: 'i-1',
            tactic: { category: 'prevention', name: 'CCTV' },
            description: 'Camera mounted on the lamp post at the parade',
            occurredAt: '2025-03-07T11:00:00Z',
          },
        });
    });

    it('lets a colleague of the claimant record (teams cover) and defaults occurredAt to now', () => {
      given([assigned, claimedBySam])
        .when(record({ actor: councilColleague, occurredAt: undefined, tactic: { category: ' Enforcement ', name: '  Warning   LETTER ' } }))
        .then({
          type: 'InterventionRecorded',
          data: {
            interventionId: 'i-1',
            tactic: { category: 'enforcement', name: 'warning letter' },
            description: 'Camera mounted on the lamp post at the parade',
            occurredAt: NOW,
          },
        });
    });

    it('refuses an unclaimed action', () => {
      given([assigned]).when(record()).thenFails('ACTION_NOT_CLAIMED');
    });

    it('refuses a tactic outside the taxonomy', () => {
      given([assigned, claimedBySam]).when(record({ tactic: { category: 'prevention', name: 'drone patrol' } })).thenFails('UNKNOWN_TACTIC');
    });

    it('refuses an occurredAt in the future', () => {
      given([assigned, claimedBySam]).when(record({ occurredAt: LATER })).thenFails('VALIDATION_FAILED');
    });

    it('refuses an intervention id already recorded', () => {
      given([
        assigned,
        claimedBySam,
        { type: 'InterventionRecorded', data: { interventionId: 'i-1', tactic: { category: 'prevention', name: 'CCTV' }, description: 'd', occurredAt: NOW } },
      ])
        .when(record())
        .thenFails('ALREADY_EXISTS');
    });

    it('refuses an officer of another agency', () => {
      given([assigned, claimedBySam]).when(record({ actor: fireOfficer })).thenFails('WRONG_AGENCY');
    });

    it('refuses a closed action', () => {
      given([assigned, claimedBySam, discharged]).when(record()).thenFails('ACTION_CLOSED');
    });
  });

  describe('ChangeActionDueDate', () => {
    const redate = { type: 'ChangeActionDueDate', actor: inspector, now: NOW, dueBy: '2025-03-29T17:00:00Z', reason: 'Supplier delay' } as const;

    it('changes the due date of an open action', () => {
      given([assigned]).when(redate).then({ type: 'ActionDueDateChanged', data: { dueBy: '2025-03-29T17:00:00Z', reason: 'Supplier delay' } });
    });

    it('refuses a malformed date', () => {
      given([assigned]).when({ ...redate, dueBy: 'next Friday' }).thenFails('VALIDATION_FAILED');
    });

    it('refuses a closed action', () => {
      given([assigned, cancelled]).when(redate).thenFails('ACTION_CLOSED');
    });

    it('refuses an officer', () => {
      given([assigned]).when({ ...redate, actor: councilOfficer }).thenFails('FORBIDDEN_ROLE');
    });
  });

  describe('EscalateAction', () => {
    const escalate = (now: string): EscalateAction => ({ type: 'EscalateAction', actor: DEADLINES_ACTOR, now });
    const escalatedAt0: ActionEvent = { type: 'ActionEscalated', data: { reason: 'overdue', dueBy: '2025-03-15T17:00:00Z', dueByRevision: 0 } };
    const redated: ActionEvent = { type: 'ActionDueDateChanged', data: { dueBy: '2025-03-18T17:00:00Z', reason: 'More time' } };

    it('escalates an open action at its due time', () => {
      given([assigned]).when(escalate('2025-03-15T17:00:00Z')).then(escalatedAt0);
    });

    it('decides nothing before the due time', () => {
      given([assigned]).when(escalate('2025-03-15T16:59:59Z')).thenNothing();
    });

    it('escalates once per due date: a second escalation of the same revision decides nothing', () => {
      given([assigned, escalatedAt0]).when(escalate(LATER)).thenNothing();
    });

    it('escalates again after the due date changes (two escalations in all)', () => {
      given([assigned, escalatedAt0, redated])
        .when(escalate(LATER))
        .then({ type: 'ActionEscalated', data: { reason: 'overdue', dueBy: '2025-03-18T17:00:00Z', dueByRevision: 2 } });
      given([assigned, escalatedAt0, redated, { type: 'ActionEscalated', data: { reason: 'overdue', dueBy: '2025-03-18T17:00:00Z', dueByRevision: 2 } }])
        .when(escalate(LATER))
        .thenNothing();
    });

    it('compares times, not strings, across offsets', () => {
      given([assigned]).when(escalate('2025-03-15T18:30:00+01:00')).then(escalatedAt0);
    });

    it('decides nothing for a discharged or cancelled action', () => {
      given([assigned, claimedBySam, discharged]).when(escalate(LATER)).thenNothing();
      given([assigned, cancelled]).when(escalate(LATER)).thenNothing();
    });

    it('still escalates a declined or claimed action (it is open)', () => {
      given([assigned, declined]).when(escalate(LATER)).then(escalatedAt0);
      given([assigned, claimedBySam]).when(escalate(LATER)).then(escalatedAt0);
    });

    it('refuses a user', () => {
      given([assigned])
        .when({ type: 'EscalateAction', actor: inspector as never, now: LATER })
        .thenFails('FORBIDDEN_ROLE');
    });

    it('answers not found for an unknown action', () => {
      given([]).when(escalate(LATER)).thenFails('NOT_FOUND');
    });
  });

  describe('DischargeAction', () => {
    const discharge = {
      type: 'DischargeAction',
      actor: councilOfficer,
      now: NOW,
      result: 'completed',
      note: 'Camera installed',
      dischargedAt: '2025-03-08T15:00:00Z',
    } as const;

    it('discharges a claimed action', () => {
      given([assigned, claimedBySam]).when(discharge).then(discharged);
    });

    it('lets a colleague discharge and defaults dischargedAt to now', () => {
      given([assigned, claimedBySam])
        .when({ ...discharge, actor: councilColleague, result: 'partially-completed', dischargedAt: undefined })
        .then({ type: 'ActionDischarged', data: { result: 'partially-completed', note: 'Camera installed', dischargedAt: NOW } });
    });

    it('refuses an unclaimed action (discharge unclaimed)', () => {
      given([assigned]).when(discharge).thenFails('ACTION_NOT_CLAIMED');
    });

    it('refuses a dischargedAt in the future', () => {
      given([assigned, claimedBySam]).when({ ...discharge, dischargedAt: '2025-03-10T10:00:01Z' }).thenFails('VALIDATION_FAILED');
    });

    it('refuses an unknown result', () => {
      given([assigned, claimedBySam]).when({ ...discharge, result: 'done' as never }).thenFails('VALIDATION_FAILED');
    });

    it('refuses an officer of another agency', () => {
      given([assigned, claimedBySam]).when({ ...discharge, actor: fireOfficer }).thenFails('WRONG_AGENCY');
    });

    it('refuses an inspector', () => {
      given([assigned, claimedBySam]).when({ ...discharge, actor: inspector }).thenFails('FORBIDDEN_ROLE');
    });

    it('refuses to discharge twice', () => {
      given([assigned, claimedBySam, discharged]).when(discharge).thenFails('ACTION_CLOSED');
    });
  });

  describe('CancelAction', () => {
    const cancel = { type: 'CancelAction', actor: inspector, now: NOW, reason: 'No longer needed' } as const;

    it('cancels an open action, claimed or not', () => {
      given([assigned]).when(cancel).then(cancelled);
      given([assigned, claimedBySam]).when(cancel).then(cancelled);
    });

    it('refuses a closed action', () => {
      given([assigned, cancelled]).when(cancel).thenFails('ACTION_CLOSED');
      given([assigned, claimedBySam, discharged]).when(cancel).thenFails('ACTION_CLOSED');
    });

    it('refuses an officer and a manager', () => {
      given([assigned]).when({ ...cancel, actor: councilOfficer }).thenFails('FORBIDDEN_ROLE');
      given([assigned]).when({ ...cancel, actor: manager }).thenFails('FORBIDDEN_ROLE');
    });
  });

  describe('evolve', () => {
    it('tracks the revision that set the current due date', () => {
      const state = [
        assigned,
        claimedBySam,
        { type: 'ActionDueDateChanged', data: { dueBy: '2025-03-18T17:00:00Z', reason: 'r' } } as const,
        { type: 'ActionEscalated', data: { reason: 'overdue', dueBy: '2025-03-18T17:00:00Z', dueByRevision: 2 } } as const,
      ].reduce(evolveAction, initialActionState);
      expect(state).toMatchObject({ status: 'open', revision: 3, dueBy: '2025-03-18T17:00:00Z', dueByRevision: 2, escalatedDueByRevision: 2 });
    });

    it('computes overdue at query time', () => {
      const state = evolveAction(initialActionState, assigned);
      expect(isOverdue(state, '2025-03-15T16:59:59Z')).toBe(false);
      expect(isOverdue(state, '2025-03-15T17:00:00Z')).toBe(true);
      expect(isOverdue(evolveAction(state, cancelled), LATER)).toBe(false);
    });
  });
});
