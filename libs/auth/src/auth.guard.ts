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
    const match = value ? /^Bearer\s+([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.?[A-Za-z0-9\-_.+/=]*)\s*$/i.exec(value) : null;
    if (!match) throw new ApiError('UNAUTHENTICATED', 'a bearer token is required', undefined, { 'www-authenticate': 'Bearer' });
    const principal = await this.verifier.verify(match[1]!);
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.some((role) => principal.roles.includes(role))) {
      throw new ApiError('FORBIDDEN_ROLE', `this needs the role ${roles.join(' or ')}`);
    }
    return true;
  }
}
