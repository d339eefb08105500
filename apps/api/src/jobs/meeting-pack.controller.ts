import { Controller, Get, Header, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { IsIn, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles, type Principal } from '@tasking/auth';
import { PackFailedError, type JobsService } from '@tasking/jobs';
import { FindMeetingRowQuery } from '@tasking/projections';
import { ApiError } from '@tasking/shared';
import { JOBS } from '@tasking/runtime';
import { UuidParam } from '../commands/request-validation';
import { jobsOf, redisUnavailable } from './jobs-admin.controller';

export class MeetingPackQuery {
  @IsOptional()
  @IsIn(['json', 'html'])
  format?: 'json' | 'html';

  @IsOptional()
  @IsIn(['true', 'false'])
  refresh?: 'true' | 'false';
}

// The quality an `Accept` header gives a media type: its most specific matching range decides
// (the type itself, then its major type with any subtype, then any type at all).
function quality(accept: string, type: string): number {
  const [major] = type.split('/');
  let best = { specificity: -1, q: 0 };
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const specificity = range === type ? 2 : range === `${major}/*` ? 1 : range === '*/*' ? 0 : -1;
    if (specificity <= best.specificity) continue;
    const q = params.find((param) => param.startsWith('q='));
    best = { specificity, q: q ? Number(q.slice(2)) || 0 : 1 };
  }
  return best.q;
}

/** `?format=` when given; otherwise HTML when `Accept` prefers `text/html` to `application/json`, else JSON. */
export function packFormat(format: 'json' | 'html' | undefined, accept: string | undefined): 'json' | 'html' {
  if (format) return format;
  if (!accept) return 'json';
  return quality(accept, 'text/html') > quality(accept, 'application/json') ? 'html' : 'json';
}

/**
 * The tasking-meeting pack of a meeting (no personal data, so every role of the meeting's
 * partnership may read it). Built by the `reports` queue (or in this process without Redis) from
 * the read models, stored in `meeting_packs`, and rebuilt when the read models have moved on.
 */
@Controller('v1/meetings')
@Roles('inspector', 'officer', 'manager', 'admin')
export class MeetingPackController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(JOBS) private readonly jobs: JobsService | undefined,
  ) {}

  @Get(':id/pack')
  @Header('cache-control', 'no-store')
  @Header('vary', 'accept')
  async pack(
    @Param('id', UuidParam) id: string,
    @Query() query: MeetingPackQuery,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const meeting = await this.queries.execute(new FindMeetingRowQuery(id));
    if (!meeting || !principal.partnerships.includes(meeting.partnership)) throw new ApiError('NOT_FOUND', 'meeting not found');
    const answer = await jobsOf(this.jobs)
      .meetingPack(id, { refresh: query.refresh === 'true' })
      .catch((error: unknown) => {
        if (error instanceof PackFailedError) {
          throw new ApiError('PACK_FAILED', `${error.message}; ask again to retry it`, undefined, { 'retry-after': '30' });
        }
        return redisUnavailable(error);
      });
    if (answer.kind === 'pending') {
      reply.status(202).header('retry-after', '2');
      return { status: 'pending', jobId: answer.jobId };
    }
    if (packFormat(query.format, accept) === 'html') {
      reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
      return answer.pack.html;
    }
    return answer.pack.pack;
  }
}
