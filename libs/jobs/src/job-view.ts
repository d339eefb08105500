import type { Job } from 'bullmq';
import type { JobQueues } from './job-queues';
import type { PackJobData, RebuildJobData } from './queues';
import { withTimeout } from './redis';

/** A background job as the admin routes show it (the shape of the in-process rebuild jobs, plus `queued`). */
export interface JobView {
  id: string;
  type: 'projection-rebuild' | 'meeting-pack';
  projection?: string;
  meetingId?: string;
  state: 'queued' | 'running' | 'completed' | 'failed';
  progress: { done: number; total: number | null };
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  result: unknown;
  /** `queue`: a BullMQ job; `in-process`: run by this API process (no Redis, or no worker). */
  runner: 'queue' | 'in-process';
}

/** A queued rebuild or pack job as a JobView, its state read from Redis. */
export async function viewOf(queues: JobQueues, read: Job, type: JobView['type']): Promise<JobView> {
  let job = read;
  const state = await withTimeout(job.getState(), queues.timeoutMs, 'Redis did not answer');
  if ((state === 'completed' || state === 'failed') && !job.finishedOn) {
    // It finished between reading the job and reading its state: read it again, so that the
    // result, error and finish time shown are those of the state shown.
    const again = await withTimeout(queues.queue(type === 'meeting-pack' ? 'reports' : 'projection-rebuild').getJob(job.id!), queues.timeoutMs, 'Redis did not answer');
    if (again) job = again;
  }
  const progress = job.progress as { done?: unknown; total?: unknown } | number | undefined;
  const done = typeof progress === 'object' && typeof progress?.done === 'number' ? progress.done : 0;
  const total = typeof progress === 'object' && typeof progress?.total === 'number' ? progress.total : null;
  return {
    id: job.id!,
    type,
    ...(type === 'projection-rebuild' ? { projection: (job.data as RebuildJobData).projection } : { meetingId: (job.data as PackJobData).meetingId }),
    state: state === 'completed' ? 'completed' : state === 'failed' ? 'failed' : state === 'active' ? 'running' : 'queued',
    progress: { done, total },
    startedAt: new Date(job.processedOn ?? job.timestamp).toISOString(),
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    error: state === 'failed' ? (job.failedReason ?? 'failed') : null,
    result: state === 'completed' ? (job.returnvalue ?? null) : null,
    runner: 'queue',
  };
}
