import { DeciderSpecification } from '../testing/specification';
import { NOW, OTHER_PARTNERSHIP, PARTNERSHIP, admin, areaState, groupRegistered, groupState, inspector } from '../testing/fixtures';
import { initialAreaState } from '../area/area.state';
import { decideGroup, type RegisterGroup } from './group.decide';
import { evolveGroup, groupOf, groupStreamName, initialGroupState, legacyGroupStreamName } from './group.state';

const given = DeciderSpecification.for(decideGroup, evolveGroup, initialGroupState);

const register = (overrides: Partial<RegisterGroup> = {}): RegisterGroup => ({
  type: 'RegisterGroup',
  actor: admin,
  now: NOW,
  code: 'enfield-safe',
  partnership: PARTNERSHIP,
  name: 'Enfield SAFE',
  areaCodes: ['enfield-town'],
  areas: { 'enfield-town': areaState() },
  ...overrides,
});

describe('tasking group', () => {
  it('registers a group over registered areas of its partnership', () => {
    given([]).when(register()).then(groupRegistered());
  });

  it('lists each area once', () => {
    given([])
      .when(register({ areaCodes: ['enfield-town', 'edmonton', 'enfield-town'], areas: { 'enfield-town': areaState(), edmonton: areaState('edmonton') } }))
      .then({ type: 'TaskingGroupRegistered', data: { code: 'enfield-safe', partnership: PARTNERSHIP, name: 'Enfield SAFE', areaCodes: ['enfield-town', 'edmonton'] } });
  });

  it('refuses a code already registered', () => {
    given([groupRegistered()]).when(register()).thenFails('ALREADY_EXISTS');
  });

  it('refuses an unregistered area', () => {
    const error = given([]).when(register({ areaCodes: ['enfield-town', 'nowhere'], areas: { 'enfield-town': areaState(), nowhere: initialAreaState } })).thenFails('UNKNOWN_AREA');
    expect(error.message).toContain('nowhere');
  });

  it('refuses an area of another partnership', () => {
    given([]).when(register({ areas: { 'enfield-town': areaState('enfield-town', OTHER_PARTNERSHIP) } })).thenFails('UNKNOWN_AREA');
  });

  it('refuses an area whose state was not given', () => {
    given([]).when(register({ areas: {} })).thenFails('UNKNOWN_AREA');
  });

  it('refuses a code that cannot name a stream', () => {
    given([]).when(register({ code: 'enfield safe/1' })).thenFails('VALIDATION_FAILED');
  });

  it('refuses an inspector', () => {
    given([]).when(register({ actor: inspector })).thenFails('FORBIDDEN_ROLE');
  });

  it('answers not found for a partnership the admin does not hold', () => {
    given([]).when(register({ partnership: OTHER_PARTNERSHIP })).thenFails('NOT_FOUND');
  });

  describe('codes per partnership', () => {
    it('names a stream per partnership and code', () => {
      expect(groupStreamName('north', 'east-group')).toBe('group-north.east-group');
      expect(groupStreamName('south', 'east-group')).not.toBe(groupStreamName('north', 'east-group'));
      expect(legacyGroupStreamName('east-group')).toBe('group-east-group');
    });

    it("finds a group registered before codes were per partnership in its own partnership only", () => {
      const legacy = groupState('east-group', PARTNERSHIP);
      expect(groupOf(PARTNERSHIP, initialGroupState, legacy)).toBe(legacy);
      expect(groupOf(OTHER_PARTNERSHIP, initialGroupState, legacy)).toEqual(initialGroupState);
      const own = groupState('east-group', OTHER_PARTNERSHIP);
      expect(groupOf(OTHER_PARTNERSHIP, own, legacy)).toBe(own);
    });
  });
});
