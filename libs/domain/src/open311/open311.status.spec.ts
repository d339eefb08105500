import { EXTENDED_STATUSES, STATUS_NOTES, extendedStatusOf, publicCoordinate, publicStatusOf, type IncidentStanding } from './open311.status';

const cases: [string, IncidentStanding, 'open' | 'closed', string][] = [
  ['untriaged', { triage: 'untriaged' }, 'open', 'OPEN'],
  ['recorded without triage', { triage: 'recorded' }, 'open', 'OPEN'],
  ['linked to an open problem without actions', { triage: 'linked', problem: { open: true, actionsAgreed: false } }, 'open', 'OPEN'],
  ['linked to an open problem with agreed actions', { triage: 'linked', problem: { open: true, actionsAgreed: true } }, 'open', 'IN_PROGRESS'],
  ['linked to a problem closed as reduced', { triage: 'linked', problem: { open: false, actionsAgreed: true, outcome: 'reduced' } }, 'closed', 'FIXED'],
  ['linked to a problem closed as eliminated', { triage: 'linked', problem: { open: false, actionsAgreed: false, outcome: 'eliminated' } }, 'closed', 'FIXED'],
  ['linked to a problem closed with no change', { triage: 'linked', problem: { open: false, actionsAgreed: true, outcome: 'no-change' } }, 'closed', 'NO_FURTHER_ACTION'],
  ['dismissed as not a problem', { triage: 'dismissed', dismissReason: 'not-a-problem' }, 'closed', 'NO_FURTHER_ACTION'],
  ['dismissed as out of area', { triage: 'dismissed', dismissReason: 'out-of-area' }, 'closed', 'NOT_COUNCILS_RESPONSIBILITY'],
  ['a duplicate of an open report', { triage: 'duplicate', originalClosed: false }, 'open', 'DUPLICATE'],
  ['a duplicate of a closed report', { triage: 'duplicate', originalClosed: true }, 'closed', 'DUPLICATE'],
  ['withdrawn', { triage: 'withdrawn' }, 'closed', 'NO_FURTHER_ACTION'],
];

describe('Open311 statuses', () => {
  it.each(cases)('%s: public %s, extended %s', (_name, standing, status, extended) => {
    expect(publicStatusOf(standing)).toBe(status);
    expect(extendedStatusOf(standing)).toBe(extended);
  });

  it('a displaced outcome is not a success', () => {
    expect(extendedStatusOf({ triage: 'linked', problem: { open: false, actionsAgreed: true, outcome: 'displaced' } })).toBe('NO_FURTHER_ACTION');
  });

  it('every extended status has its own notes', () => {
    const notes = EXTENDED_STATUSES.map((status) => STATUS_NOTES[status]);
    expect(new Set(notes).size).toBe(EXTENDED_STATUSES.length);
  });

  it.each([
    [51.65234, 51.652],
    [-0.08151, -0.082],
    [51.6525, 51.653],
    [-0.0006, -0.001],
    [0, 0],
  ])('rounds %d to %d', (value, rounded) => {
    expect(publicCoordinate(value)).toBe(rounded);
  });
});
