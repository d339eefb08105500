import { unknownEvent } from '../event';
import type { GroupEvent } from './group.events';

export type NoGroup = { status: 'none'; revision: number };

export type RegisteredGroup = {
  status: 'registered';
  /** 0-based index of the last event folded. */
  revision: number;
  code: string;
  partnership: string;
  name: string;
  areaCodes: string[];
};

export type GroupState = NoGroup | RegisteredGroup;

export const initialGroupState: GroupState = { status: 'none', revision: -1 };

export function evolveGroup(state: GroupState, event: GroupEvent): GroupState {
  const revision = state.revision + 1;
  switch (event.type) {
    case 'TaskingGroupRegistered': {
      const { code, partnership, name, areaCodes } = event.data;
      return { status: 'registered', revision, code, partnership, name, areaCodes: [...areaCodes] };
    }
    default:
      unknownEvent(event as never);
      return { ...state, revision };
  }
}
