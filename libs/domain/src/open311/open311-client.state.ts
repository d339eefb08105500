import { unknownEvent } from '../event';
import type { Open311ClientEvent } from './open311-client.events';

export type NoOpen311Client = { status: 'none'; revision: number };

export type RegisteredOpen311Client = {
  status: 'active' | 'revoked';
  /** 0-based index of the last event folded. */
  revision: number;
  clientId: string;
  partnership: string;
  name: string;
  externalIdAttribute?: string;
};

export type Open311ClientState = NoOpen311Client | RegisteredOpen311Client;

export const initialOpen311ClientState: Open311ClientState = { status: 'none', revision: -1 };

export function evolveOpen311Client(state: Open311ClientState, event: Open311ClientEvent): Open311ClientState {
  const revision = state.revision + 1;
  switch (event.type) {
    case 'Open311ClientRegistered': {
      const { clientId, partnership, name, externalIdAttribute } = event.data;
      return { status: 'active', revision, clientId, partnership, name, ...(externalIdAttribute === undefined ? {} : { externalIdAttribute }) };
    }
    case 'Open311ClientRevoked':
      return state.status === 'none' ? { ...state, revision } : { ...state, status: 'revoked', revision };
    default:
      unknownEvent(event);
      return { ...state, revision };
  }
}
