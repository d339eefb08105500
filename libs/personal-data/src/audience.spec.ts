import type { RecordedEvent } from '@tasking/event-store';
import { agenciesGivenAccessByActions, audienceFromHistory } from './audience';

let position = 0;
const event = (stream: string, type: string, data: Record<string, unknown>, byAgency?: string): RecordedEvent => ({
  eventId: `e${++position}`,
  stream,
  revision: 0,
  type,
  data,
  metadata: { actor: byAgency === undefined ? { system: 'deadlines' } : { userId: 'u', name: 'n', agency: byAgency, role: 'inspector' } },
  position: String(position).padStart(10, '0'),
  recordedAt: '2025-04-01T09:00:00.000Z',
});
const assigned = (id: string, agency: string, by?: string) => event(`action-${id}`, 'ActionAssigned', { agency }, by);

describe('which actions give their agency access to a problem\'s subjects', () => {
  it('an action assigned by another agency, while held and worked, discharged included', () => {
    expect(agenciesGivenAccessByActions([assigned('a1', 'FIRE', 'POLICE')])).toEqual(['FIRE']);
    expect(agenciesGivenAccessByActions([assigned('a1', 'FIRE', 'POLICE'), event('action-a1', 'ActionDischarged', { result: 'completed' }, 'FIRE')])).toEqual(['FIRE']);
  });

  it('none once cancelled or declined, nor after reassignment away', () => {
    expect(agenciesGivenAccessByActions([assigned('a1', 'FIRE', 'POLICE'), event('action-a1', 'ActionCancelled', {}, 'POLICE')])).toEqual([]);
    expect(agenciesGivenAccessByActions([assigned('a1', 'FIRE', 'POLICE'), event('action-a1', 'ActionDeclined', {}, 'FIRE')])).toEqual([]);
    const reassigned = [assigned('a1', 'FIRE', 'POLICE'), event('action-a1', 'ActionDeclined', {}, 'FIRE'), event('action-a1', 'ActionReassigned', { fromAgency: 'FIRE', toAgency: 'HOUSING' }, 'POLICE')];
    expect(agenciesGivenAccessByActions(reassigned)).toEqual(['HOUSING']);
  });

  it('none for an agency that assigned or reassigned the action to itself', () => {
    expect(agenciesGivenAccessByActions([assigned('a1', 'FIRE', 'FIRE')])).toEqual([]);
    expect(agenciesGivenAccessByActions([assigned('a1', 'POLICE', 'POLICE'), event('action-a1', 'ActionReassigned', { toAgency: 'FIRE' }, 'FIRE')])).toEqual([]);
    // Another action of the same agency, assigned by someone else, still gives access.
    expect(agenciesGivenAccessByActions([assigned('a1', 'FIRE', 'FIRE'), assigned('a2', 'FIRE', 'POLICE')])).toEqual(['FIRE']);
  });

  it('reads the raising agency and the partnership from ProblemRaised, and skips the problem\'s own events', () => {
    const raised = event('problem-p1', 'ProblemRaised', { partnership: 'north' }, 'POLICE');
    expect(audienceFromHistory([raised, assigned('a1', 'FIRE', 'POLICE'), event('problem-p1', 'ActionAgreed', { actionId: 'a1', agency: 'FIRE' }, 'POLICE')])).toEqual({
      partnership: 'north',
      raisedByAgency: 'POLICE',
      actionAgencies: ['FIRE'],
    });
  });
});
