import type { Actor } from '../actor';
import { PROBLEM_CATEGORIES, type ProblemCategory } from '../categories';
import { accept, type Decision } from '../decision';
import { unknownCommand, type IsoDateTime } from '../event';
import { requirePartnership, requireRole } from '../guards';
import { checks, sameValue } from '../validation';
import type { PartnershipEvent } from './partnership.events';
import { evolvePartnership, type PartnershipState } from './partnership.state';

type CommandBase = { actor: Actor; now: IsoDateTime };

/** Only the settings given change; the same settings again decide no events. */
export type ChangePartnershipSettings = CommandBase & {
  type: 'ChangePartnershipSettings';
  partnership: string;
  open311Jurisdictions?: string[];
  publicDescriptions?: boolean;
};

/** The same service again decides no events. */
export type ChangeOpen311Service = CommandBase & {
  type: 'ChangeOpen311Service';
  partnership: string;
  category: ProblemCategory;
  reportable: boolean;
  name?: string;
  description?: string;
};

export type PartnershipCommand = ChangePartnershipSettings | ChangeOpen311Service;

/** A `jurisdiction_id` alias: what a client may send in a query string. */
export const JURISDICTION_ID = /^[A-Za-z0-9._-]{1,100}$/;
export const MAX_JURISDICTIONS = 20;

export function decidePartnership(command: PartnershipCommand, state: PartnershipState): Decision<PartnershipEvent> {
  switch (command.type) {
    case 'ChangePartnershipSettings':
      return changeSettings(command, state);
    case 'ChangeOpen311Service':
      return changeService(command, state);
    default:
      return unknownCommand(command);
  }
}

function changeSettings(command: ChangePartnershipSettings, state: PartnershipState): Decision<PartnershipEvent> {
  const { open311Jurisdictions, publicDescriptions } = command;
  const refused =
    requireRole(command, 'change partnership settings') ??
    requirePartnership(command.actor, command.partnership) ??
    (() => {
      const v = checks().boolean('publicDescriptions', publicDescriptions, { optional: true });
      if (open311Jurisdictions !== undefined) {
        if (!Array.isArray(open311Jurisdictions) || open311Jurisdictions.length > MAX_JURISDICTIONS) {
          v.fail('open311Jurisdictions', `open311Jurisdictions must be a list of at most ${MAX_JURISDICTIONS}`);
        } else if (!open311Jurisdictions.every((id) => typeof id === 'string' && JURISDICTION_ID.test(id))) {
          v.fail('open311Jurisdictions', 'each jurisdiction must be 1 to 100 letters, digits, dots, dashes or underscores');
        } else if (new Set(open311Jurisdictions).size !== open311Jurisdictions.length) {
          v.fail('open311Jurisdictions', 'jurisdictions must not repeat');
        }
      }
      return v.refusal();
    })();
  if (refused) return refused;
  const data = {
    ...(open311Jurisdictions === undefined || sameValue(open311Jurisdictions, state.open311Jurisdictions) ? {} : { open311Jurisdictions }),
    ...(publicDescriptions === undefined || publicDescriptions === state.publicDescriptions ? {} : { publicDescriptions }),
  };
  return Object.keys(data).length === 0 ? accept() : accept({ type: 'PartnershipSettingsChanged', data });
}

function changeService(command: ChangeOpen311Service, state: PartnershipState): Decision<PartnershipEvent> {
  const { category, reportable, name, description } = command;
  const refused =
    requireRole(command, 'change Open311 services') ??
    requirePartnership(command.actor, command.partnership) ??
    checks()
      .oneOf('category', category, PROBLEM_CATEGORIES)
      .boolean('reportable', reportable)
      .text('name', name, { optional: true })
      .text('description', description, { optional: true })
      .refusal();
  if (refused) return refused;
  const changed: PartnershipEvent = {
    type: 'Open311ServiceChanged',
    data: { category, reportable, ...(name === undefined ? {} : { name }), ...(description === undefined ? {} : { description }) },
  };
  return sameValue(evolvePartnership(state, changed).services[category], state.services[category]) ? accept() : accept(changed);
}
