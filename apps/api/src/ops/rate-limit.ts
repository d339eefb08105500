import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerRequest } from '@nestjs/throttler';
import type { AuthenticatedRequest } from '@tasking/auth';
import { ApiError } from '@tasking/shared';

export const IP_THROTTLER = 'ip';
export const USER_THROTTLER = 'user';

abstract class NamedThrottlerGuard extends ThrottlerGuard {
  protected abstract readonly throttlerName: string;

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    if (request.throttler.name !== this.throttlerName) return true;
    return super.handleRequest(request);
  }

  protected override async throwThrottlingException(_: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire || detail.timeToExpire));
    throw new ApiError('RATE_LIMITED', `too many requests: try again in ${seconds} s`, undefined, { 'retry-after': String(seconds) });
  }
}

/** Runs before authentication, so unauthenticated floods are limited too. */
@Injectable()
export class IpRateLimitGuard extends NamedThrottlerGuard {
  protected readonly throttlerName = IP_THROTTLER;
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    return String(req['ip'] ?? 'unknown');
  }
}

/** Runs after authentication: the budget belongs to the token's user, wherever they call from. */
@Injectable()
export class UserRateLimitGuard extends NamedThrottlerGuard {
  protected readonly throttlerName = USER_THROTTLER;
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    return (req as unknown as AuthenticatedRequest).principal?.userId ?? `anonymous:${String(req['ip'])}`;
  }
}
