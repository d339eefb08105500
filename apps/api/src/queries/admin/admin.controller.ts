import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Roles } from '@tasking/auth';
import type { JobsService } from '@tasking/jobs';
import { ProjectionLagQuery, UnknownProjectionError } from '@tasking/projections';
import { JOBS } from '@tasking/runtime';
import { ApiError, CLOCK, type Clock } from '@tasking/shared';
import { NoBody, UuidParam } from '../../commands/request-validation';
import { jobsOf, redisUnavailable } from '../../jobs/jobs-admin.controller';
import { ReadsProjections } from '../read-your-writes';

/**
 * Operations on the projections: their state and lag, and rebuilds as background jobs (admin).
 * Rebuilds have one tracker, the jobs service: it queues a `projection-rebuild` job where Redis
 * and a worker serve, else runs it in this process (the runner's in-process jobs), and looks a job
 * up in either place.
 */
@Controller('v1/admin')
@Roles('admin')
export class AdminProjectionsController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(JOBS) private readonly jobs: JobsService | undefined,
  ) {}

  @Get('projections')
  @ReadsProjections()
  async projections() {
    const items = await this.queries.execute(new ProjectionLagQuery(this.clock.now()));
    return { items, nextCursor: null };
  }

  @Post('projections/:name/rebuild')
  @HttpCode(202)
  async rebuild(@Param('name') name: string, @Body(NoBody) _body: undefined) {
    try {
      const job = await jobsOf(this.jobs).startRebuild(name);
      return { jobId: job.id, job };
    } catch (error) {
      if (error instanceof UnknownProjectionError) throw new ApiError('NOT_FOUND', error.message);
      throw error;
    }
  }

  @Get('jobs/:id')
  async job(@Param('id', UuidParam) id: string) {
    const job = await jobsOf(this.jobs).job(id).catch(redisUnavailable);
    if (!job) throw new ApiError('NOT_FOUND', `no job ${id} (jobs live in the process that started them, until it restarts)`);
    return job;
  }
}
