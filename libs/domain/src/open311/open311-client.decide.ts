import { accept, reject, type Decision } from '../decision';
import { unknownCommand, type IsoDateTime } from '../event';
import type { Actor } from '../actor';
import { requirePartnership, requireRole, requireVisible } from '../guards';
import { checks } from '../validation';
import type { Open311ClientEvent } from './open311-client.events';
import type { Open311ClientState } from './open311-client.state';

type CommandBase = { actor: Actor; now: IsoDateTime };

/** The key is made by the application and shown once; the command carries only its prefix and hash. */
export type RegisterOpen311Client = CommandBase & {
  type: 'RegisterOpen311Client';
  clientId: string;
  partnership: string;
  name: string;
  externalIdAttribute?: string;
  keyPrefix: string;
  keyHash: string;
};

/** Revoking a revoked client decides no events. */
export type RevokeOpen311Client = CommandBase & { type: 'RevokeOpen311Client' };

export type Open311ClientCommand = RegisterOpen311Client | RevokeOpen311Client;

/** An Open311 attribute name as FixMyStreet sends them (`attribute[name]`). */
export const OPEN311_ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export function decideOpen311Client(command: Open311ClientCommand, state: Open311ClientState): Decision<Open311ClientEvent> {
  switch (command.type) {
    case 'RegisterOpen311Client':
      return register(command, state);
    case 'RevokeOpen311Client':
      return revoke(command, state);
    default:
      return unknownCommand(command);
  }
}

function register(command: RegisterOpen311Client, state: Open311ClientState): Decision<Open311ClientEvent> {
  const refused =
    requireRole(command, 'register Open311 clients') ??
    requirePartnership(command.actor, command.partnership) ??
    (() => {
      const v = checks().text('name', command.name).text('keyPrefix', command.keyPrefix).text('keyHash', command.keyHash);
      if (command.externalIdAttribute !== undefined && !OPEN311_ATTRIBUTE_NAME.test(command.externalIdAttribute)) {
        v.fail('externalIdAttribute', 'externalIdAttribute must be 1 to 100 letters, digits, dots, dashes or underscores');
      }
      return v.refusal();
    })() ??
    (state.status !== 'none' ? reject('ALREADY_EXISTS', `Open311 client ${command.clientId} already exists`) : undefined);
  if (refused) return refused;
  const { clientId, partnership, name, externalIdAttribute, keyPrefix, keyHash } = command;
  return accept({
    type: 'Open311ClientRegistered',
    data: { clientId, partnership, name, ...(externalIdAttribute === undefined ? {} : { externalIdAttribute }), keyPrefix, keyHash },
  });
}

function revoke(command: RevokeOpen311Client, state: Open311ClientState): Decision<Open311ClientEvent> {
  const refused = requireVisible(command.actor, state, 'Open311 client') ?? requireRole(command, 'revoke Open311 clients');
  if (refused) return refused;
  return state.status === 'revoked' ? accept() : accept({ type: 'Open311ClientRevoked', data: {} });
}
