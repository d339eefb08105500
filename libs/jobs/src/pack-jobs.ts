import { randomUUID } from 'node:crypto';
import type { Database } from '@tasking/event-store';
import type { ProjectionRunner } from '@tasking/projections';
import type { Clock } from '@tasking/shared';
import type { JobQueues } from './job-queues';
import { packJobId, RETENTION, type PackJobData } from './queues';
import { RedisUnavailableError, withTimeout, type JobsLogger } from './redis';
import { buildMeetingPack } from './reports/meeting-pack';
import { inCurrentShape, loadMeetingPack, storeMeetingPack, type StoredPack } from './reports/meeting-pack-store';

export type PackAnswer = { kind: 'ready'; pack: StoredPack } | { kind: 'pending'; jobId: string };

/** What a finished `reports` job returns: a reference to the pack in `meeting_packs`, never its contents. */
export interface PackReference {
  meetingId: string;
  position: string;
  generatedAt: string;
}

/** The pack's job failed on every attempt, and failed again when retried for this request. */
export class PackFailedError extends Error {
  readonly code = 'PACK_FAILED';
  constructor(
    readonly meetingId: string,
    readonly jobId: string,
  ) {
    super(`the meeting pack could not be built (job ${jobId} failed)`);
    this.name = 'PackFailedError';
  }
}

const PACK_PROJECTIONS = ['reference-data', 'problems', 'meetings'];

/** Meeting packs: the stored one when current, else one built by the `reports` queue or in this process. */
export class PackJobs {
  constructor(
    private readonly db: Database,
    private readonly projections: ProjectionRunner,
    private readonly clock: Clock,
    private readonly queues: JobQueues,
    private readonly logger: JobsLogger,
  ) {}

  /**
   * The stored pack when it was built at or after the read models' current position; otherwise
   * a new one, built by the `reports` queue (waiting up to `waitMs` for it) or, without Redis,
   * right here.
   */
  async meetingPack(meetingId: string, options: { refresh?: boolean; waitMs?: number } = {}): Promise<PackAnswer> {
    const position = await this.projections.positionOf(PACK_PROJECTIONS);
    const stored = await loadMeetingPack(this.db, meetingId);
    // A pack stored in an earlier shape is built again, as if refreshed.
    const refresh = options.refresh === true || (stored !== undefined && !inCurrentShape(stored));
    if (stored && !refresh && stored.position >= position) return { kind: 'ready', pack: stored };
    if (this.queues.usable()) {
      try {
        const { timeoutMs } = this.queues;
        const jobId = packJobId(meetingId, refresh ? `${position}-${randomUUID()}` : position);
        const job = await withTimeout(
          this.queues.queue('reports').add('pack', { meetingId } satisfies PackJobData, { jobId, attempts: 2, backoff: { type: 'fixed', delay: 500 }, ...RETENTION.reports }),
          timeoutMs,
          'Redis did not accept the pack job',
        );
        // A job of that id that failed before (its attempts spent) is what `add` finds: run it
        // again, once per request, rather than wait on it for ever.
        let retried = false;
        const deadline = Date.now() + (options.waitMs ?? 10_000);
        while (Date.now() < deadline) {
          const fresh = await loadMeetingPack(this.db, meetingId);
          if (fresh && fresh.position >= position && (!refresh || fresh.generatedAt !== stored?.generatedAt)) return { kind: 'ready', pack: fresh };
          if ((await withTimeout(job.getState(), timeoutMs, 'Redis did not answer')) === 'failed') {
            if (retried) throw new PackFailedError(meetingId, job.id!);
            // Another request may have moved it on first: then its state tells, next time round.
            await withTimeout(job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }), timeoutMs, 'Redis did not answer').catch((error: unknown) => {
              if (error instanceof RedisUnavailableError) throw error;
            });
            retried = true;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return { kind: 'pending', jobId: job.id! };
      } catch (error) {
        if (!(error instanceof RedisUnavailableError)) throw error;
        this.logger.warn(`meeting pack ${meetingId} built in this process: ${error.message}`);
      }
    }
    return { kind: 'ready', pack: await this.generate(meetingId) };
  }

  /** Builds and stores a meeting's pack from the read models as they stand. */
  async generate(meetingId: string): Promise<StoredPack> {
    const position = await this.projections.positionOf(PACK_PROJECTIONS);
    const pack = await buildMeetingPack(this.db, meetingId, this.clock.now(), position);
    return storeMeetingPack(this.db, pack);
  }

  /** The `reports` worker's processor: builds the pack and returns a reference to it. */
  async run(job: { data: PackJobData }): Promise<PackReference> {
    const stored = await this.generate(job.data.meetingId);
    return { meetingId: stored.meetingId, position: stored.position, generatedAt: stored.generatedAt };
  }
}
