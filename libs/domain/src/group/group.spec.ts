import { DeciderSpecification } from '../testing/specification';
import { NOW, OTHER_PARTNERSHIP, PARTNERSHIP, admin, areaState, councilOfficer, groupRegistered, groupState, inspector, outsideInspector } from '../testing/fixtures';
import { initialAreaState } from '../area/area.state';
import { decideGroup, type RegisterGroup, type SetGroupMembers, type SetGroupSchedule } from './group.decide';
import { nextMeetingDate } from './group.schedule';
import type { GroupEvent } from './group.events';
import { evolveGroup, groupOf, type GroupState, groupStreamName, initialGroupState, legacyGroupStreamName } from './group.state';

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

  describe('SetGroupSchedule', () => {
    const schedule = (overrides: Partial<SetGroupSchedule> = {}): SetGroupSchedule => ({ type: 'SetGroupSchedule', actor: inspector, now: NOW, from: '2025-03-12', ...overrides });

    it('sets a fortnightly schedule by default', () => {
      given([groupRegistered()]).when(schedule()).then({ type: 'GroupScheduleSet', data: { everyDays: 14, from: '2025-03-12' } });
    });

    it('takes an interval and a time, and an admin may set it', () => {
      given([groupRegistered()])
        .when(schedule({ actor: admin, everyDays: 28, time: '18:30' }))
        .then({ type: 'GroupScheduleSet', data: { everyDays: 28, from: '2025-03-12', time: '18:30' } });
    });

    it('records nothing when the schedule is unchanged', () => {
      given([groupRegistered(), { type: 'GroupScheduleSet', data: { everyDays: 14, from: '2025-03-12' } }]).when(schedule()).thenNothing();
    });

    it('refuses a bad interval, date or time', () => {
      const error = given([groupRegistered()]).when(schedule({ everyDays: 0, from: '2025-02-30', time: '25:00' })).thenFails('VALIDATION_FAILED');
      expect(error.errors?.map((e) => e.field)).toEqual(['everyDays', 'from', 'time']);
    });

    it('refuses a first date more than 10 years back or more than 2 years ahead', () => {
      for (const from of ['2014-03-09', '2027-03-11']) {
        const error = given([groupRegistered()]).when(schedule({ from })).thenFails('VALIDATION_FAILED');
        expect(error.errors?.map((e) => e.field)).toEqual(['from']);
      }
      given([groupRegistered()]).when(schedule({ from: '2027-03-10' })).then({ type: 'GroupScheduleSet', data: { everyDays: 14, from: '2027-03-10' } });
    });

    it('answers not found for an unknown group or one of another partnership', () => {
      given([]).when(schedule()).thenFails('NOT_FOUND');
      given([groupRegistered()]).when(schedule({ actor: outsideInspector })).thenFails('NOT_FOUND');
    });

    it('refuses an officer', () => {
      given([groupRegistered()]).when(schedule({ actor: councilOfficer })).thenFails('FORBIDDEN_ROLE');
    });

    it('gives the next meeting date on or after a day', () => {
      const fortnightly = { everyDays: 14, from: '2025-03-12' };
      expect(nextMeetingDate(fortnightly, '2025-03-01')).toBe('2025-03-12');
      expect(nextMeetingDate(fortnightly, '2025-03-12')).toBe('2025-03-12');
      expect(nextMeetingDate(fortnightly, '2025-03-13')).toBe('2025-03-26');
      expect(nextMeetingDate(fortnightly, '2025-03-26')).toBe('2025-03-26');
      expect(nextMeetingDate({ everyDays: 7, from: '2025-03-27' }, '2025-03-31')).toBe('2025-04-03');
    });
  });

  describe('SetGroupMembers', () => {
    const members = (overrides: Partial<SetGroupMembers> = {}): SetGroupMembers => ({
      type: 'SetGroupMembers',
      actor: inspector,
      now: NOW,
      members: [
        { name: 'Insp Jane Hart', agency: 'POLICE', role: 'chair' },
        { name: 'Sam Patel', agency: 'COUNCIL-ASB' },
      ],
      ...overrides,
    });

    it('sets the members, each once', () => {
      const twice = [...members().members, { name: 'Sam Patel', agency: 'COUNCIL-ASB' }];
      given([groupRegistered()]).when(members({ members: twice })).then({ type: 'GroupMembersSet', data: { members: [...members().members] } });
    });

    it('may empty the list', () => {
      given([groupRegistered()]).when(members({ members: [] })).then({ type: 'GroupMembersSet', data: { members: [] } });
    });

    it('refuses a member without a name or with a malformed agency', () => {
      given([groupRegistered()]).when(members({ members: [{ name: ' ', agency: 'POLICE' }] })).thenFails('VALIDATION_FAILED');
      given([groupRegistered()]).when(members({ members: [{ name: 'A', agency: 'no agency' }] })).thenFails('VALIDATION_FAILED');
    });

    it('refuses more than 100 members', () => {
      const many = Array.from({ length: 101 }, (_, i) => ({ name: `Member ${i}`, agency: 'POLICE' }));
      given([groupRegistered()]).when(members({ members: many })).thenFails('VALIDATION_FAILED');
    });

    it('answers not found in another partnership and refuses an officer', () => {
      given([groupRegistered()]).when(members({ actor: outsideInspector })).thenFails('NOT_FOUND');
      given([groupRegistered()]).when(members({ actor: councilOfficer })).thenFails('FORBIDDEN_ROLE');
    });

    it('evolves: the group carries its schedule and members', () => {
      const events = [groupRegistered(), { type: 'GroupScheduleSet', data: { everyDays: 14, from: '2025-03-12' } }, { type: 'GroupMembersSet', data: { members: [{ name: 'A', agency: 'POLICE' }] } }] as const;
      const state = events.reduce<GroupState>((s, e) => evolveGroup(s, e as GroupEvent), initialGroupState);
      expect(state).toMatchObject({ status: 'registered', revision: 2, schedule: { everyDays: 14, from: '2025-03-12' }, members: [{ name: 'A', agency: 'POLICE' }] });
    });
  });
});
