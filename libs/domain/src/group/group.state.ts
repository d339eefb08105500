import { unknownEvent } from '../event';
import type { GroupEvent, GroupMember, GroupSchedule } from './group.events';

export type NoGroup = { status: 'none'; revision: number };

export type RegisteredGroup = {
  status: 'registered';
  /** 0-based index of the last event folded. */
  revision: number;
  code: string;
  partnership: string;
  name: string;
  areaCodes: string[];
  schedule?: GroupSchedule;
  members: GroupMember[];
};

export type GroupState = NoGroup | RegisteredGroup;

export const initialGroupState: GroupState = { status: 'none', revision: -1 };

/**
 * The stream of partnership `partnership`'s tasking group `code`: group codes are per partnership,
 * so two partnerships may each have an `east-group`, and neither learns of the other's.
 * (Partnership codes hold no ".", so the name is unambiguous.) Groups registered before codes
 * were per partnership live in `legacyGroupStreamName(code)`; see `groupOf`.
 */
export const groupStreamName = (partnership: string, code: string): string => `group-${partnership}.${code}`;
export const legacyGroupStreamName = (code: string): string => `group-${code}`;

/**
 * Partnership `partnership`'s group `code`, given the states of its stream and of the legacy
 * stream of that code: the legacy group counts only when it is this partnership's; another
 * partnership's answers as no group at all.
 */
export function groupOf(partnership: string, scoped: GroupState, legacy: GroupState): GroupState {
  if (scoped.status !== 'none') return scoped;
  return legacy.status === 'registered' && legacy.partnership === partnership ? legacy : scoped;
}

export function evolveGroup(state: GroupState, event: GroupEvent): GroupState {
  const revision = state.revision + 1;
  switch (event.type) {
    case 'TaskingGroupRegistered': {
      const { code, partnership, name, areaCodes } = event.data;
      return { status: 'registered', revision, code, partnership, name, areaCodes: [...areaCodes], members: [] };
    }
    case 'GroupScheduleSet':
      return state.status === 'none' ? { ...state, revision } : { ...state, revision, schedule: { ...event.data } };
    case 'GroupMembersSet':
      return state.status === 'none' ? { ...state, revision } : { ...state, revision, members: event.data.members.map((m) => ({ ...m })) };
    default:
      unknownEvent(event as never);
      return { ...state, revision };
  }
}
