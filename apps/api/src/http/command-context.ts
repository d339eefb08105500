import type { FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from '@tasking/auth';
import { ApiError, canonicalJson, newId, sha256Hex, type Clock } from '@tasking/shared';
import type { CommandContext } from '@tasking/application';
import { deadlineOf } from './server-limits';

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const SAFE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** The correlation id a client sent, or this request's own id. */
export function correlationIdOf(request: FastifyRequest): string {
  const sent = header(request, 'x-correlation-id');
  return sent && SAFE_ID.test(sent) ? sent : String(request.id ?? newId());
}

export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(-?\d{1,15})"?\s*$/.exec(value);
  if (!match || Number(match[1]) < -1) {
    throw new ApiError('VALIDATION_FAILED', 'If-Match must be a revision such as "3"', [{ field: 'If-Match', message: 'not a revision' }]);
  }
  return Number(match[1]);
}

/** Who, when and under which request a command runs; headers validated here. */
export function commandContext(request: FastifyRequest, clock: Clock): CommandContext {
  const principal = (request as unknown as AuthenticatedRequest).principal;
  if (!principal) throw new ApiError('UNAUTHENTICATED', 'a bearer token is required');
  const key = header(request, 'idempotency-key');
  if (key !== undefined && (key.length === 0 || key.length > 200 || !/^[\x21-\x7e]+$/.test(key))) {
    throw new ApiError('VALIDATION_FAILED', 'Idempotency-Key must be 1 to 200 visible ASCII characters', [
      { field: 'Idempotency-Key', message: 'invalid' },
    ]);
  }
  return {
    principal,
    now: clock.now(),
    correlationId: correlationIdOf(request),
    ifMatch: parseIfMatch(header(request, 'if-match')),
    deadline: deadlineOf(request),
    idempotency:
      key === undefined
        ? undefined
        : { key, method: request.method, path: request.url.split('?')[0]!, bodyHash: sha256Hex(canonicalJson(request.body ?? null)) },
  };
}
