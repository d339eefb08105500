import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { UnknownProjectionError, type ProjectionRunner } from '@tasking/projections';
import type { Clock } from '@tasking/shared';
import type { JobQueues } from './job-queues';
import { viewOf, type JobView } from './job-view';
import { RETENTION, type RebuildJobData } from './queues';
import { RedisUnavailableError, withTimeout, type JobsLogger } from './redis';

/**
 * Projection rebuilds as the admin routes start them: a `projection-rebuild` job where the queues
 * are usable, else the runner's in-process rebuild job; and the worker's side, running one.
 */
export class Rebuilds {
  constructor(
    private readonly projections: ProjectionRunner,
    private readonly clock: Clock,
    private readonly queues: JobQueues,
    private readonly logger: JobsLogger,
  ) {}

  /** Starts a rebuild: a `projection-rebuild` job when queues are usable, else in this process. */
  async start(projection: string): Promise<JobView> {
    if (!this.projections.has(projection)) throw new UnknownProjectionError(projection);
    if (this.queues.usable()) {
      try {
        const queue = this.queues.queue('projection-rebuild');
        const { timeoutMs } = this.queues;
        const pending = await withTimeout(queue.getJobs(['active', 'waiting', 'delayed', 'prioritized']), timeoutMs, 'Redis did not answer');
        const running = pending.find((job) => (job.data as RebuildJobData).projection === projection);
        if (running) return await viewOf(this.queues, running, 'projection-rebuild');
        const job = await withTimeout(
          queue.add('rebuild', { projection, requestedAt: this.clock.now().toISOString() } satisfies RebuildJobData, {
            // A plain uuid, like the in-process rebuild jobs: GET /v1/admin/jobs/:id takes either.
            jobId: randomUUID(),
            attempts: 1,
            ...RETENTION['projection-rebuild'],
          }),
          timeoutMs,
          'Redis did not accept the rebuild job',
        );
        return await viewOf(this.queues, job, 'projection-rebuild');
      } catch (error) {
        if (!(error instanceof RedisUnavailableError)) throw error;
        this.logger.warn(`rebuild of ${projection} runs in this process: ${error.message}`);
      }
    }
    return { ...this.projections.jobs.start(projection), runner: 'in-process' };
  }

  /** Runs a queued rebuild (the worker's processor), reporting its progress on the job. */
  async run(job: Job<RebuildJobData>): Promise<unknown> {
    let last = 0;
    let pending: Promise<void> = Promise.resolve();
    const result = await this.projections.rebuild(job.data.projection, (progress) => {
      const now = Date.now();
      if (now - last < 250 && progress.done !== progress.total) return;
      last = now;
      pending = pending.then(() => job.updateProgress({ done: progress.done, total: progress.total }).catch(() => undefined));
    });
    await pending;
    await job.updateProgress({ done: result.events, total: result.events }).catch(() => undefined);
    return { position: result.position, events: result.events };
  }
}
