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
  /** The webhook URL of each partnership that set one, by partnership code. */
  webhooks?: Readonly<Record<string, string>>;
  /** Set by an AgencyWebhookSet without a partnership (written before webhooks were per partnership). */
  webhookUrl?: string;
  deactivationReason?: string;
};

/**
 * The URL deliveries of `partnership`'s events go to: that partnership's webhook, or for the
 * default partnership a webhook set before webhooks were per partnership; never another's.
 */
export function webhookUrlFor(state: AgencyState, partnership: string, defaultPartnership: string): string | undefined {
  if (state.status === 'none') return undefined;
  return state.webhooks?.[partnership] ?? (partnership === defaultPartnership ? state.webhookUrl : undefined);
}

export type AgencyState = NoAgency | RegisteredAgency;

export const initialAgencyState: AgencyState = { status: 'none', revision: -1 };

export function evolveAgency(state: AgencyState, event: AgencyEvent): AgencyState {
  const revision = state.revision + 1;
  switch (event.type) {
    case 'AgencyRegistered': {
      const { code, name, kind } = event.data;
      return { status: 'active', revision, code, name, kind };
    }
    case 'AgencyWebhookSet': {
      if (state.status === 'none') return { ...state, revision };
      const { url, partnership } = event.data;
      return partnership === undefined ? { ...state, revision, webhookUrl: url } : { ...state, revision, webhooks: { ...state.webhooks, [partnership]: url } };
    }
    case 'AgencyDeactivated':
      return state.status === 'none' ? { ...state, revision } : { ...state, status: 'inactive', revision, deactivationReason: event.data.reason };
    default:
      unknownEvent(event);
      return { ...state, revision };
  }
}
