import { randomUUID } from 'node:crypto';
import type { Position } from '@tasking/event-store';
import { UnknownProjectionError, describeError } from './errors';
import type { RebuildProgress, RebuildResult } from './rebuild';

export type JobState = 'running' | 'completed' | 'failed';

export interface JobView {
  id: string;
  type: 'projection-rebuild';
  projection: string;
  state: JobState;
  progress: RebuildProgress;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  result: { position: Position; events: number } | null;
}

/** What the jobs need of the runner. */
export interface Rebuilder {
  has(projection: string): boolean;
  rebuild(projection: string, onProgress: (progress: RebuildProgress) => void): Promise<RebuildResult>;
}

const KEPT_JOBS = 100;

/**
 * Rebuilds as background jobs of this process, with progress. Asking again while one runs for the
 * same projection answers the running job. Not a tracker of its own: the jobs service
 * (`JobsService.startRebuild`/`job` in libs/jobs) is the one the admin routes ask; it queues a
 * rebuild where Redis and a worker serve and runs it here otherwise.
 */
export class RebuildJobs {
  private readonly jobs = new Map<string, JobView>();

  constructor(
    private readonly runner: Rebuilder,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Starts a rebuild (throws UnknownProjectionError for an unknown name). */
  start(projection: string): JobView {
    if (!this.runner.has(projection)) throw new UnknownProjectionError(projection);
    const running = [...this.jobs.values()].find((job) => job.projection === projection && job.state === 'running');
    if (running) return { ...running };
    const job: JobView = {
      id: randomUUID(),
      type: 'projection-rebuild',
      projection,
      state: 'running',
      progress: { done: 0, total: null },
      startedAt: this.now().toISOString(),
      finishedAt: null,
      error: null,
      result: null,
    };
    this.jobs.set(job.id, job);
    this.trim();
    this.runner
      .rebuild(projection, (progress) => {
        job.progress = progress;
      })
      .then(
        (result) => {
          job.state = 'completed';
          job.result = { position: result.position, events: result.events };
        },
        (error: unknown) => {
          job.state = 'failed';
          job.error = describeError(error);
        },
      )
      .finally(() => {
        job.finishedAt = this.now().toISOString();
      });
    return { ...job };
  }

  get(id: string): JobView | undefined {
    const job = this.jobs.get(id);
    return job && { ...job, progress: { ...job.progress } };
  }

  private trim(): void {
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= KEPT_JOBS) return;
      if (job.state !== 'running') this.jobs.delete(id);
    }
  }
}
