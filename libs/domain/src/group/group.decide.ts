import type { Actor } from '../actor';
import type { AreaState } from '../area/area.state';
import { accept, reject, type Decision } from '../decision';
import { unknownCommand, type IsoDateTime } from '../event';
import { requirePartnership, requireRole } from '../guards';
import { checks } from '../validation';
import type { GroupEvent } from './group.events';
import type { GroupState } from './group.state';

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

export type GroupCommand = RegisterGroup;

export function decideGroup(command: GroupCommand, state: GroupState): Decision<GroupEvent> {
  switch (command.type) {
    case 'RegisterGroup':
      return register(command, state);
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
