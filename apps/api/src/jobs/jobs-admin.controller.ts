import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@tasking/auth';
import { listDeadLetters, RedisUnavailableError, type JobsService } from '@tasking/jobs';
import { ApiError, isUuid, type Config } from '@tasking/shared';
import { CONFIG, DATABASE, JOBS } from '@tasking/runtime';
import type { Database } from '@tasking/event-store';
import { NoBody } from '../commands/request-validation';
import { DashboardAccess } from './queue-dashboard';

export class DeadLetterQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor from a previous page' })
  cursor?: string;
}

export function jobsOf(jobs: JobsService | undefined): JobsService {
  if (!jobs) throw new ApiError('SERVICE_UNAVAILABLE', 'jobs are not configured in this process', undefined, { 'retry-after': '5' });
  return jobs;
}

export const redisUnavailable = (error: unknown): never => {
  if (error instanceof RedisUnavailableError) {
    throw new ApiError('SERVICE_UNAVAILABLE', `${error.message}; try again shortly`, undefined, { 'retry-after': '5' });
  }
  throw error;
};

/** Operations on the job queues (admin): their state, the webhook dead letters, the dashboard's tickets. */
@Controller('v1/admin')
@Roles('admin')
export class JobsAdminController {
  constructor(
    @Inject(JOBS) private readonly jobs: JobsService | undefined,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(DATABASE) private readonly db: Database,
    private readonly dashboard: DashboardAccess,
  ) {}

  /** Redis as this process sees it and the jobs per queue and state (null while Redis is away). */
  @Get('queues')
  async queues() {
    const jobs = jobsOf(this.jobs);
    const redis = jobs.redisState();
    const counts = redis.status === 'up' ? await jobs.counts().catch(() => null) : null;
    return { redis, queues: counts };
  }

  /** Notifications that exhausted their attempts (or whose target was refused), of the admin's partnerships, newest first. */
  @Get('webhooks/dead-letters')
  async deadLetters(@CurrentPrincipal() principal: Principal, @Query() query: DeadLetterQuery) {
    const limit = query.limit ?? 50;
    let after: { failedAt: string; eventId: string; agency: string } | undefined;
    if (query.cursor) {
      try {
        const [failedAt, eventId, agency] = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')) as string[];
        if (typeof failedAt !== 'string' || typeof eventId !== 'string' || typeof agency !== 'string') throw new Error('bad cursor');
        // The SQL casts the key back (timestamptz, text): anything but what a page handed out is refused here.
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(failedAt) || Number.isNaN(Date.parse(failedAt)) || !isUuid(eventId) || !/^[A-Za-z0-9_-]{1,64}$/.test(agency)) {
          throw new Error('bad cursor');
        }
        after = { failedAt, eventId, agency };
      } catch {
        throw new ApiError('VALIDATION_FAILED', 'cursor is not a cursor of this list', [{ field: 'cursor', message: 'cursor must be a nextCursor from a previous page' }]);
      }
    }
    const scope = { partnerships: principal.partnerships, defaultPartnership: this.config.defaultPartnership };
    const rows = await listDeadLetters(this.db, limit + 1, scope, after);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify([last.failedAt, last.eventId, last.agency])).toString('base64url') : null,
    };
  }

  /**
   * A single-use ticket for the queue dashboard: the browser opens the returned URL once, which
   * sets a short-lived httpOnly same-site cookie; the bearer token never goes into a URL. The
   * board spans every partnership's queues, so it is the `operator` role's, not an admin's.
   */
  @Post('queues/ticket')
  @Roles('operator')
  @HttpCode(201)
  async ticket(@CurrentPrincipal() principal: Principal, @Body(NoBody) _body: undefined) {
    if (!this.config.queueDashboard) throw new ApiError('NOT_FOUND', 'the queue dashboard is off (QUEUE_DASHBOARD=true turns it on)');
    const issued = await this.dashboard.issue(principal.userId).catch(redisUnavailable);
    return { url: `${DashboardAccess.BASE_PATH}?ticket=${issued.ticket}`, expiresInSeconds: issued.expiresInSeconds };
  }
}
