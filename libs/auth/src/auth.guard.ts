import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '@tasking/shared';
import type { Principal, Role } from './principal';
import type { TokenVerifier } from './token-verifier';

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');
const PUBLIC = 'tasking:public';
const ROLES_KEY = 'tasking:roles';

/** The route needs no token (health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC, true);
/** The caller needs at least one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Longer than any token an identity provider issues; a longer header is refused before it is read. */
export const MAX_AUTHORIZATION_LENGTH = 8192;

/**
 * The token of an `Authorization: Bearer <token>` header, or undefined. Bounded work: the length
 * is checked first, then one pass over at most MAX_AUTHORIZATION_LENGTH characters, and no
 * pattern: the JWT library judges the token's format.
 */
export function bearerToken(value: string | undefined): string | undefined {
  if (value === undefined || value.length > MAX_AUTHORIZATION_LENGTH) return undefined;
  const trimmed = value.trim();
  let end = 0;
  while (end < trimmed.length && !isWhitespace(trimmed.charCodeAt(end))) end += 1;
  if (trimmed.slice(0, end).toLowerCase() !== 'bearer') return undefined;
  const token = trimmed.slice(end).trimStart();
  for (let i = 0; i < token.length; i += 1) if (isWhitespace(token.charCodeAt(i))) return undefined;
  return token === '' ? undefined : token;
}

const isWhitespace = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0b || code === 0x0c;

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers['authorization'];
    const value = Array.isArray(header) ? header[0] : header;
    const token = bearerToken(value);
    if (token === undefined) throw new ApiError('UNAUTHENTICATED', 'a bearer token is required', undefined, { 'www-authenticate': 'Bearer' });
    const principal = await this.verifier.verify(token);
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.some((role) => principal.roles.includes(role))) {
      throw new ApiError('FORBIDDEN_ROLE', `this needs the role ${roles.join(' or ')}`);
    }
    return true;
  }
}
