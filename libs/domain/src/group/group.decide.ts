import type { Actor } from '../actor';
import type { AreaState } from '../area/area.state';
import { accept, reject, type Decision, type Refusal } from '../decision';
import { unknownCommand, type IsoDateTime } from '../event';
import { requirePartnership, requireRole, requireVisible } from '../guards';
import { checks, compact } from '../validation';
import type { GroupEvent, GroupMember } from './group.events';
import { DEFAULT_EVERY_DAYS, MAX_EVERY_DAYS, MAX_GROUP_MEMBERS, isCalendarDate, isTimeOfDay } from './group.schedule';
import type { GroupState, RegisteredGroup } from './group.state';

/** Register a tasking group. `areas` holds the state of each area in `areaCodes`, keyed by code. */
export type RegisterGroup = {
  type: 'RegisterGroup';
  actor: Actor;
  now: IsoDateTime;
  code: string;
  partnership: string;
  name: string;
  areaCodes: string[];
  areas: Readonly<Record<string, AreaState>>;
};

/** Set when a group meets: every `everyDays` days (fortnightly when not given) from the date `from`, at `time` (HH:MM) when given. */
export type SetGroupSchedule = {
  type: 'SetGroupSchedule';
  actor: Actor;
  now: IsoDateTime;
  everyDays?: number;
  from: string;
  time?: string;
};

/** Set a group's standing members, replacing the earlier list. */
export type SetGroupMembers = {
  type: 'SetGroupMembers';
  actor: Actor;
  now: IsoDateTime;
  members: readonly GroupMember[];
};

export type GroupCommand = RegisterGroup | SetGroupSchedule | SetGroupMembers;

export function decideGroup(command: GroupCommand, state: GroupState): Decision<GroupEvent> {
  switch (command.type) {
    case 'RegisterGroup':
      return register(command, state);
    case 'SetGroupSchedule':
      return setSchedule(command, state);
    case 'SetGroupMembers':
      return setMembers(command, state);
    default:
      return unknownCommand(command as never);
  }
}

function register(command: RegisterGroup, state: GroupState): Decision<GroupEvent> {
  const { actor } = command;
  const access = requirePartnership(actor, command.partnership) ?? requireRole(command, 'register tasking groups');
  if (access) return access;

  const v = checks().code('code', command.code).text('name', command.name).text('partnership', command.partnership);
  if (!Array.isArray(command.areaCodes)) v.fail('areaCodes', 'areaCodes must be a list of area codes');
  else command.areaCodes.forEach((code, i) => v.code(`areaCodes[${i}]`, code));
  const invalid = v.refusal();
  if (invalid) return invalid;

  if (state.status !== 'none') return reject('ALREADY_EXISTS', `tasking group ${command.code} already exists`);

  const areaCodes = [...new Set(command.areaCodes)];
  const unknown = areaCodes.filter((code) => {
    const area = command.areas[code];
    return area === undefined || area.status !== 'registered' || area.code !== code || area.partnership !== command.partnership;
  });
  if (unknown.length > 0) {
    return reject('UNKNOWN_AREA', `area${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} not registered in partnership ${command.partnership}`);
  }

  return accept({
    type: 'TaskingGroupRegistered',
    data: { code: command.code, partnership: command.partnership, name: command.name, areaCodes },
  });
}

/** The group exists in one of the actor's partnerships (else NOT_FOUND) and the actor holds the command's role. */
const requireGroup = (command: SetGroupSchedule | SetGroupMembers, state: GroupState, doing: string): Refusal | undefined =>
  requireVisible(command.actor, state, 'tasking group') ?? requireRole(command, doing);

function setSchedule(command: SetGroupSchedule, state: GroupState): Decision<GroupEvent> {
  const access = requireGroup(command, state, 'set group schedules');
  if (access) return access;
  const everyDays = command.everyDays ?? DEFAULT_EVERY_DAYS;
  const v = checks();
  if (!Number.isInteger(everyDays) || everyDays < 1 || everyDays > MAX_EVERY_DAYS) v.fail('everyDays', `everyDays must be a whole number from 1 to ${MAX_EVERY_DAYS}`);
  if (!isCalendarDate(command.from)) v.fail('from', 'from must be a date, YYYY-MM-DD');
  else v.meetingDate('from', command.from, command);
  if (command.time !== undefined && !isTimeOfDay(command.time)) v.fail('time', 'time must be HH:MM');
  const invalid = v.refusal();
  if (invalid) return invalid;
  const { schedule } = state as RegisteredGroup;
  if (schedule && schedule.everyDays === everyDays && schedule.from === command.from && schedule.time === command.time) return accept();
  return accept({ type: 'GroupScheduleSet', data: compact({ everyDays, from: command.from, time: command.time }) });
}

function setMembers(command: SetGroupMembers, state: GroupState): Decision<GroupEvent> {
  const access = requireGroup(command, state, 'set group members');
  if (access) return access;
  const v = checks();
  if (!Array.isArray(command.members) || command.members.length > MAX_GROUP_MEMBERS) v.fail('members', `members must be a list of at most ${MAX_GROUP_MEMBERS}`);
  else
    command.members.forEach((m, i) => {
      if (typeof m !== 'object' || m === null) v.fail(`members[${i}]`, `members[${i}] must be {name, agency, role?}`);
      else v.text(`members[${i}].name`, m.name).code(`members[${i}].agency`, m.agency).text(`members[${i}].role`, m.role, { optional: true });
    });
  const invalid = v.refusal();
  if (invalid) return invalid;
  const members: GroupMember[] = [];
  for (const { name, agency, role } of command.members) {
    if (!members.some((m) => m.name === name && m.agency === agency)) members.push(compact({ name, agency, role }));
  }
  return accept({ type: 'GroupMembersSet', data: { members } });
}
