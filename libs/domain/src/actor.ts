import type { Role } from './categories';

/** The user behind a command, from the token. A user may hold several roles. */
export type Actor = {
  userId: string;
  name: string;
  /** The code of the user's agency. */
  agency: string;
  roles: Role[];
  /** The partnerships the user may see and act in. */
  partnerships: string[];
};

/**
 * The actor of system-initiated commands: escalation of overdue actions, erasure at the end of
 * retention, incidents recorded by an import or an Open311 client.
 */
export type SystemActor = { system: 'deadlines' | 'retention' | 'imports' | 'open311' };

export const DEADLINES_ACTOR: SystemActor = { system: 'deadlines' };
export const RETENTION_ACTOR: SystemActor = { system: 'retention' };
export const IMPORTS_ACTOR: SystemActor = { system: 'imports' };
export const OPEN311_ACTOR: SystemActor = { system: 'open311' };

export const isSystemActor = (actor: Actor | SystemActor): actor is SystemActor => 'system' in actor;

export const hasRole = (actor: Actor, ...roles: Role[]): boolean => roles.some((role) => actor.roles.includes(role));

export const inPartnership = (actor: Actor, partnership: string): boolean => actor.partnerships.includes(partnership);
