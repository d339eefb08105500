import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { Roles } from '@tasking/auth';
import { UnknownProjectionError, type ProjectionRunner } from '@tasking/projections';
import { ApiError } from '@tasking/shared';
import type { JobsService } from '@tasking/jobs';
import { JOBS, PROJECTIONS } from '@tasking/runtime';
import { CLOCK, type Clock } from '@tasking/shared';
import { NoBody, UuidParam } from '../../commands/request-validation';
import { redisUnavailable } from '../../jobs/jobs-admin.controller';
import { ReadsProjections } from '../read-your-writes';

/** Operations on the projections: their state and lag, and rebuilds as background jobs (admin). */
@Controller('v1/admin')
@Roles('admin')
export class AdminProjectionsController {
  constructor(
    @Inject(PROJECTIONS) private readonly runner: ProjectionRunner,
    @Inject(JOBS) private readonly jobs: JobsService | undefined,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('projections')
  @ReadsProjections()
  async projections() {
    const items = await this.runner.lag(this.clock.now());
    return { items, nextCursor: null };
  }

  @Post('projections/:name/rebuild')
  @HttpCode(202)
  async rebuild(@Param('name') name: string, @Body(NoBody) _body: undefined) {
    try {
      // A projection-rebuild queue job where Redis and a worker serve; else in this process.
      const job = this.jobs ? await this.jobs.startRebuild(name) : this.runner.jobs.start(name);
      return { jobId: job.id, job };
    } catch (error) {
      if (error instanceof UnknownProjectionError) throw new ApiError('NOT_FOUND', error.message);
      throw error;
    }
  }

  @Get('jobs/:id')
  async job(@Param('id', UuidParam) id: string) {
    const job = this.jobs ? await this.jobs.job(id).catch(redisUnavailable) : this.runner.jobs.get(id);
    if (!job) throw new ApiError('NOT_FOUND', `no job ${id} (jobs live in the process that started them, until it restarts)`);
    return job;
  }
}
