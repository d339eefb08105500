import type { AgencyKind } from '../categories';
import { unknownEvent } from '../event';
import type { AgencyEvent } from './agency.events';

export type NoAgency = { status: 'none'; revision: number };

export type RegisteredAgency = {
  status: 'active' | 'inactive';
  /** 0-based index of the last event folded. */
  revision: number;
  code: string;
  name: string;
  kind: AgencyKind;
  webhookUrl?: string;
  deactivationReason?: string;
};

export type AgencyState = NoAgency | RegisteredAgency;

export const initialAgencyState: AgencyState = { status: 'none', revision: -1 };

export function evolveAgency(state: AgencyState, event: AgencyEvent): AgencyState {
  const revision = state.revision + 1;
  switch (event.type) {
    case 'AgencyRegistered': {
      const { code, name, kind } = event.data;
      return { status: 'active', revision, code, name, kind };
    }
    case 'AgencyWebhookSet':
      return state.status === 'none' ? { ...state, revision } : { ...state, revision, webhookUrl: event.data.url };
    case 'AgencyDeactivated':
      return state.status === 'none' ? { ...state, revision } : { ...state, status: 'inactive', revision, deactivationReason: event.data.reason };
    default:
      unknownEvent(event);
      return { ...state, revision };
  }
}
