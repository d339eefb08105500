import { inPartnership, type Actor } from '../actor';
import { AGENCY_KINDS, type AgencyKind } from '../categories';
import { accept, reject, type Decision, type Refusal } from '../decision';
import { unknownCommand, type IsoDateTime } from '../event';
import { requirePartnership, requireRole } from '../guards';
import { checks, type Checks } from '../validation';
import type { AgencyEvent } from './agency.events';
import type { AgencyState, RegisteredAgency } from './agency.state';

type CommandBase = { actor: Actor; now: IsoDateTime };

/**
 * Register an agency; with `webhookUrl`, AgencyWebhookSet follows in the same append. The webhook
 * secret is not part of the command: the application keeps it outside the log.
 */
export type RegisterAgency = CommandBase & {
  type: 'RegisterAgency';
  code: string;
  name: string;
  kind: AgencyKind;
  /** With `webhookPartnership`: the partnership the webhook serves. */
  webhookUrl?: string;
  webhookPartnership?: string;
};

/** An agency's webhook for one partnership; the admin must hold that partnership. */
export type SetAgencyWebhook = CommandBase & { type: 'SetAgencyWebhook'; url: string; partnership: string };

/**
 * Deactivating an inactive agency decides no events. Agencies are shared by partnerships, so an
 * admin must hold every partnership the agency serves (`servedPartnerships`: those where it has a
 * webhook, holds or held actions, or raised problems, as the handler finds them).
 */
export type DeactivateAgency = CommandBase & { type: 'DeactivateAgency'; reason: string; servedPartnerships: readonly string[] };

export type AgencyCommand = RegisterAgency | SetAgencyWebhook | DeactivateAgency;

export function decideAgency(command: AgencyCommand, state: AgencyState): Decision<AgencyEvent> {
  switch (command.type) {
    case 'RegisterAgency':
      return register(command, state);
    case 'SetAgencyWebhook':
      return setWebhook(command, state);
    case 'DeactivateAgency':
      return deactivate(command, state);
    default:
      return unknownCommand(command);
  }
}

/** http or https, with a host and without user name or password. */
export const isAcceptableWebhookUrl = (value: unknown): value is string => {
  if (typeof value !== 'string' || value.length > 2000 || /\s/.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
};

const checkUrl = (v: Checks, field: string, value: unknown): Checks =>
  isAcceptableWebhookUrl(value) ? v : v.fail(field, `${field} must be an http or https URL without credentials`);

// Agencies are shared across partnerships: reading and registering them need no partnership; a
// webhook belongs to one partnership, and deactivation touches every partnership the agency serves.
const existingAgency = (command: SetAgencyWebhook | DeactivateAgency, state: AgencyState, doing: string): Refusal | undefined =>
  (state.status === 'none' ? reject('NOT_FOUND', 'agency not found') : undefined) ?? requireRole(command, doing);

function register(command: RegisterAgency, state: AgencyState): Decision<AgencyEvent> {
  const refused =
    requireRole(command, 'register agencies') ??
    (() => {
      const v = checks().code('code', command.code).text('name', command.name).oneOf('kind', command.kind, AGENCY_KINDS);
      if (command.webhookUrl !== undefined) {
        checkUrl(v, 'webhookUrl', command.webhookUrl).text('webhookPartnership', command.webhookPartnership);
      }
      return v.refusal();
    })() ??
    (command.webhookUrl !== undefined && command.webhookPartnership !== undefined ? requirePartnership(command.actor, command.webhookPartnership) : undefined) ??
    (state.status !== 'none' ? reject('ALREADY_EXISTS', `agency ${command.code} already exists`) : undefined);
  if (refused) return refused;
  const registered: AgencyEvent = { type: 'AgencyRegistered', data: { code: command.code, name: command.name, kind: command.kind } };
  return command.webhookUrl === undefined || command.webhookPartnership === undefined
    ? accept<AgencyEvent>(registered)
    : accept<AgencyEvent>(registered, { type: 'AgencyWebhookSet', data: { url: command.webhookUrl, partnership: command.webhookPartnership } });
}

function setWebhook(command: SetAgencyWebhook, state: AgencyState): Decision<AgencyEvent> {
  const refused =
    existingAgency(command, state, 'set agency webhooks') ??
    requirePartnership(command.actor, command.partnership) ??
    checkUrl(checks(), 'url', command.url).refusal();
  if (refused) return refused;
  return accept({ type: 'AgencyWebhookSet', data: { url: command.url, partnership: command.partnership } });
}

function deactivate(command: DeactivateAgency, state: AgencyState): Decision<AgencyEvent> {
  const refused =
    existingAgency(command, state, 'deactivate agencies') ??
    (command.servedPartnerships.every((p) => inPartnership(command.actor, p))
      ? undefined
      : reject('FORBIDDEN_ROLE', `only admins of every partnership agency ${(state as RegisteredAgency).code} serves may deactivate it`)) ??
    checks().text('reason', command.reason).refusal();
  if (refused) return refused;
  if ((state as RegisteredAgency).status === 'inactive') return accept();
  return accept({ type: 'AgencyDeactivated', data: { reason: command.reason } });
}
