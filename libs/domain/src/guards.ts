import { hasRole, inPartnership, isSystemActor, type Actor, type SystemActor } from './actor';
import type { Role } from './categories';
import { COMMAND_ROLES, SYSTEM_COMMANDS, type SystemCommandType, type UserCommandType } from './command-roles';
import { reject, type Refusal } from './decision';

const ROLE_PLURALS: Record<Role, string> = {
  inspector: 'inspectors',
  officer: 'officers',
  manager: 'managers',
  admin: 'admins',
};

const orList = (words: string[]): string =>
  words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;

/**
 * The aggregate must exist and sit in one of the actor's partnerships; otherwise NOT_FOUND, so an
 * id from another partnership answers exactly as an unknown id.
 */
export const requireVisible = (
  actor: Actor,
  aggregate: { status: string; partnership?: string },
  kind: string,
): Refusal | undefined => {
  if (aggregate.status === 'none' || aggregate.partnership === undefined || !inPartnership(actor, aggregate.partnership)) {
    return reject('NOT_FOUND', `${kind} not found`);
  }
  return undefined;
};

/** A command naming a partnership: the actor must hold it, else NOT_FOUND as for an unknown partnership. */
export const requirePartnership = (actor: Actor, partnership: string): Refusal | undefined =>
  inPartnership(actor, partnership) ? undefined : reject('NOT_FOUND', `partnership ${partnership} not found among yours`);

/** The actor holds one of the command's roles (COMMAND_ROLES); e.g. "only inspectors or managers may close problems". */
export const requireRole = (command: { type: UserCommandType; actor: Actor }, doing: string): Refusal | undefined => {
  const allowed: readonly Role[] = COMMAND_ROLES[command.type];
  return hasRole(command.actor, ...allowed) ? undefined : reject('FORBIDDEN_ROLE', `only ${orList(allowed.map((r) => ROLE_PLURALS[r]))} may ${doing}`);
};

/** The command's own system sends it (SYSTEM_COMMANDS); e.g. "only the deadlines system may escalate actions". */
export const requireSystem = (command: { type: SystemCommandType; actor: Actor | SystemActor }, doing: string): Refusal | undefined => {
  const system = SYSTEM_COMMANDS[command.type];
  return isSystemActor(command.actor) && command.actor.system === system ? undefined : reject('FORBIDDEN_ROLE', `only the ${system} system may ${doing}`);
};

/** e.g. "only officers of agency COUNCIL-ASB may claim this action". */
export const requireAgency = (actor: Actor, agency: string, doing: string): Refusal | undefined =>
  actor.agency === agency ? undefined : reject('WRONG_AGENCY', `only officers of agency ${agency} may ${doing}`);
