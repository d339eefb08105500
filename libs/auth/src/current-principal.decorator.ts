import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiError } from '@tasking/shared';
import type { AuthenticatedRequest } from './auth.guard';
import type { Principal } from './principal';

/** The verified caller of this request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new ApiError('UNAUTHENTICATED', 'a bearer token is required');
  return principal;
});
