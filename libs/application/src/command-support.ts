import type { Principal } from '@tasking/auth';
import { ROLES as DOMAIN_ROLES, evolveGroup, groupOf, groupStreamName, initialGroupState, legacyGroupStreamName, type Actor, type Decision, type DomainError, type GroupState, type IsoDateTime, type Role } from '@tasking/domain';
import { ApiError, newId, uuidV5 } from '@tasking/shared';
import { idempotencyBase, type CommandContext, type CommandPlan, type DomainRefusal, type StreamReader } from './command-runner';

/** The domain's actor: the verified principal, nothing from the body; roles outside the domain (`operator`) left out. */
export const actorOf = (ctx: CommandContext): Actor => {
  const { userId, name, agency, roles, partnerships } = ctx.principal;
  return { userId, name, agency, roles: roles.filter((role): role is Role => (DOMAIN_ROLES as readonly string[]).includes(role)), partnerships: [...partnerships] };
};

export const nowOf = (ctx: CommandContext): IsoDateTime => ctx.now.toISOString();

/** The streams `loadGroup` reads, for a prefetch. */
export const groupStreams = (partnership: string, code: string): string[] => [groupStreamName(partnership, code), legacyGroupStreamName(code)];

/** Partnership `partnership`'s tasking group `code` (its own stream, or one registered before codes were per partnership). */
export async function loadGroup(reader: StreamReader, partnership: string, code: string): Promise<GroupState> {
  return (await loadGroupStream(reader, partnership, code)).group;
}

/** The group as `loadGroup` finds it, and the stream its next events go to: the legacy one when the group lives there. */
export async function loadGroupStream(reader: StreamReader, partnership: string, code: string): Promise<{ group: GroupState; stream: string }> {
  const [scopedStream, legacyStream] = groupStreams(partnership, code) as [string, string];
  const scoped = await reader.load(scopedStream, evolveGroup, initialGroupState);
  const group = groupOf(partnership, scoped, await reader.load(legacyStream, evolveGroup, initialGroupState));
  return { group, stream: group.status !== 'none' && scoped.status === 'none' ? legacyStream : scopedStream };
}

/**
 * The id of an aggregate (or intervention) a command creates. Random; with an Idempotency-Key,
 * derived from the caller, method, path and key, so concurrent duplicates target the same stream
 * and the first one's events answer them all.
 */
export const newIdFor = (ctx: CommandContext, purpose: string): string =>
  ctx.idempotency ? uuidV5(`${idempotencyBase(ctx.principal.userId, ctx.idempotency)}\nnew:${purpose}`) : newId();

/**
 * The partnership a raise, schedule, group or area command acts in: the one named in the body
 * (the decider answers 404 when the caller does not hold it), else the caller's only one.
 */
export function partnershipOf(principal: Principal, given: string | undefined): string {
  if (given !== undefined) return given;
  const [only, ...more] = principal.partnerships;
  if (only === undefined) {
    throw new ApiError('FORBIDDEN_ROLE', 'your token grants no partnership of this deployment');
  }
  if (more.length > 0) {
    throw new ApiError('VALIDATION_FAILED', `you belong to several partnerships (${principal.partnerships.join(', ')}): name one`, [
      { field: 'partnership', message: `partnership is required: one of ${principal.partnerships.join(', ')}` },
    ]);
  }
  return only;
}

export const refusalOf = (error: DomainError): DomainRefusal =>
  error.errors ? { code: error.code, message: error.message, errors: error.errors } : { code: error.code, message: error.message };

/** A single-stream decision as a plan appending to the target's own stream. */
export function planOf<E extends { type: string; data: object }>(
  decision: Decision<E>,
  target: { id: string; stream: string },
): CommandPlan | DomainRefusal {
  if (!decision.ok) return refusalOf(decision.error);
  return { target, appends: [{ stream: target.stream, events: decision.events }] };
}
