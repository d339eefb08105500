import { PROBLEM_CATEGORIES, type ProblemCategory } from '../categories';
import { unknownEvent } from '../event';
import type { PartnershipEvent } from './partnership.events';

export type Open311Service = { category: ProblemCategory; reportable: boolean; name: string; description: string };

export type PartnershipState = {
  /** 0-based index of the last event folded; -1 for a partnership with its defaults. */
  revision: number;
  open311Jurisdictions: readonly string[];
  publicDescriptions: boolean;
  /** The services changed from their defaults, by category. */
  services: Readonly<Partial<Record<ProblemCategory, Open311Service>>>;
};

export const initialPartnershipState: PartnershipState = { revision: -1, open311Jurisdictions: [], publicDescriptions: false, services: {} };

/** Categories not reported over Open311 unless a partnership says so: they need a conversation, not a form. */
export const NOT_REPORTABLE_BY_DEFAULT: readonly ProblemCategory[] = ['hate-crime', 'exploitation'];

/** `fly-tipping` → `Fly tipping`. */
export const defaultServiceName = (category: ProblemCategory): string => {
  const words = category.replace(/^asb-/, 'antisocial behaviour: ').replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export const defaultOpen311Service = (category: ProblemCategory): Open311Service => {
  const name = defaultServiceName(category);
  return { category, reportable: !NOT_REPORTABLE_BY_DEFAULT.includes(category), name, description: name };
};

/** Every category as an Open311 service of the partnership, reportable or not. */
export const open311ServicesOf = (state: PartnershipState): Open311Service[] =>
  PROBLEM_CATEGORIES.map((category) => state.services[category] ?? defaultOpen311Service(category));

export function evolvePartnership(state: PartnershipState, event: PartnershipEvent): PartnershipState {
  const revision = state.revision + 1;
  switch (event.type) {
    case 'PartnershipSettingsChanged': {
      const { open311Jurisdictions, publicDescriptions } = event.data;
      return {
        ...state,
        revision,
        ...(open311Jurisdictions === undefined ? {} : { open311Jurisdictions }),
        ...(publicDescriptions === undefined ? {} : { publicDescriptions }),
      };
    }
    case 'Open311ServiceChanged': {
      const { category, reportable, name, description } = event.data;
      const fallback = defaultOpen311Service(category);
      const service = { category, reportable, name: name ?? fallback.name, description: description ?? name ?? fallback.description };
      return { ...state, revision, services: { ...state.services, [category]: service } };
    }
    default:
      unknownEvent(event);
      return { ...state, revision };
  }
}
