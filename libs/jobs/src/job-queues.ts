import { Queue, Worker, type Job, type JobsOptions as BullJobOptions } from 'bullmq';
import type { Clock, Config } from '@tasking/shared';
import { delayUntil, type PlannedJob } from './reactions';
import { queueName, QUEUE_KINDS, RETENTION, type QueueKind } from './queues';
import { RedisUnavailableError, withTimeout, type JobsLogger, type RedisConnections } from './redis';

/**
 * A failed job keeps its error's message in Redis, where the dashboard shows it: no stack (the
 * queues keep none, `stackTraceLimit: 0`), no file paths of this server, and a bounded length.
 * The error keeps its class (BullMQ tells DelayedError and UnrecoverableError apart by it).
 */
export function scrubFailure(error: unknown): unknown {
  if (error instanceof Error) {
    error.message = error.message.replace(/(?<![\w:/\\])(?:file:\/\/)?(?:[A-Za-z]:)?(?:[\\/][\w.@+-]+){2,}/g, '<path>').slice(0, 500);
  }
  return error;
}

const SWEEP_SCHEDULER = 'deadline-sweep';

/** What a queue's worker runs for each job. */
export type JobProcessor = (job: Job, token?: string) => Promise<unknown>;

export interface JobQueuesOptions {
  config: Pick<Config, 'queuePrefix' | 'webhookAttempts' | 'webhookRetryBaseMs'>;
  clock: Clock;
  /** The database schema (part of the queues' names when not `public`). */
  schema: string;
  logger: JobsLogger;
  /** How long a request waits on Redis before giving up on it. */
  timeoutMs: number;
  /** Whether requests may hand work to a queue right now. */
  usable: () => boolean;
}

/**
 * The four queues of a deployment and this process's workers on them: their names and Redis
 * namespace, the producer-side queues, adding the reactor's jobs, the deadline sweep's schedule,
 * and the counts per state.
 */
export class JobQueues {
  private readonly queueMap = new Map<QueueKind, Queue>();
  private readonly workers: Worker[] = [];
  private ns: string | undefined;

  constructor(
    private readonly redis: RedisConnections,
    private readonly options: JobQueuesOptions,
  ) {}

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  /** Whether requests may hand work to a queue right now. */
  usable(): boolean {
    return this.options.usable();
  }

  /** The queue's full name (QUEUE_PREFIX, and the schema when not `public`). */
  queueName(kind: QueueKind): string {
    return queueName(this.options.config.queuePrefix, this.options.schema, kind);
  }

  /** Sets this deployment's Redis namespace (namespace.ts), read from the database's identity. */
  setNamespace(namespace: string): void {
    this.ns = namespace;
  }

  get hasNamespace(): boolean {
    return this.ns !== undefined;
  }

  /** This deployment's Redis namespace, known once the jobs are prepared. */
  get namespace(): string {
    if (!this.ns) throw new Error('the jobs have not started: their Redis namespace is not known yet');
    return this.ns;
  }

  /** BullMQ's key prefix for this deployment's queues: `bull:<namespace>`. */
  get keyPrefix(): string {
    return `bull:${this.namespace}`;
  }

  /**
   * Producer-side queues (created on first use, on the fail-fast connection). A queue checks the
   * server's version once, when its connection is first ready: it must wait for that rather than
   * ask at once, or a queue made while Redis is still being dialled or away (the dashboard makes
   * all four at start-up) has its one check refused by the offline connection and fails every
   * command for the life of the process. Callers check `redis.isUp()` and bound their waits.
   */
  queue(kind: QueueKind): Queue {
    let queue = this.queueMap.get(kind);
    if (!queue) {
      queue = new Queue(this.queueName(kind), {
        connection: this.redis.producer(),
        prefix: this.keyPrefix,
        defaultJobOptions: { ...RETENTION[kind], stackTraceLimit: 0 },
      });
      queue.on('error', () => undefined); // reported through redisStatus()
      this.queueMap.set(kind, queue);
    }
    return queue;
  }

  queues(): Queue[] {
    return QUEUE_KINDS.map((kind) => this.queue(kind));
  }

  /** Starts a worker on each queue, with its concurrency and processor. */
  startWorkers(processors: Record<QueueKind, { concurrency: number; process: JobProcessor }>): void {
    for (const kind of QUEUE_KINDS) {
      const { concurrency, process } = processors[kind];
      const worker = new Worker(this.queueName(kind), (job, token) => process(job, token).catch((error: unknown) => Promise.reject(scrubFailure(error))), {
        connection: this.redis.worker(`worker:${kind}`),
        prefix: this.keyPrefix,
        concurrency,
        // A job whose lock vanished (Redis restarted while it ran) goes back to the queue after
        // one or two checks: seconds, not the default 30 s per check. Running jobs keep renewing
        // their lock, so a check never takes them.
        stalledInterval: 5_000,
        ...RETENTION[kind],
      });
      worker.on('error', (error) => this.options.logger.warn(`worker ${kind}: ${error.message}`));
      this.workers.push(worker);
    }
  }

  /** Schedules the repeatable deadline sweep. */
  async scheduleSweep(everyMs: number): Promise<void> {
    await withTimeout(
      this.queue('deadlines').upsertJobScheduler(SWEEP_SCHEDULER, { every: everyMs }, { name: 'sweep', data: {}, opts: { ...RETENTION.deadlines } }),
      this.timeoutMs * 3,
      'Redis did not answer',
    );
  }

  /** Has Redis accept all the planned jobs (or throws). */
  async add(planned: readonly PlannedJob[]): Promise<void> {
    if (!this.redis.isUp()) throw new RedisUnavailableError('Redis is unreachable');
    const { config, clock } = this.options;
    const byQueue = new Map<QueueKind, { name: string; data: unknown; opts: BullJobOptions }[]>();
    for (const job of planned) {
      const opts: BullJobOptions = { jobId: job.jobId, ...RETENTION[job.queue] };
      if (job.queue === 'notifications') {
        opts.attempts = config.webhookAttempts;
        opts.backoff = { type: 'exponential', delay: config.webhookRetryBaseMs };
      } else if (job.queue === 'deadlines') {
        opts.delay = delayUntil(job.runAt, clock);
        opts.attempts = 10;
        opts.backoff = { type: 'exponential', delay: 1000 };
      }
      const list = byQueue.get(job.queue) ?? [];
      list.push({ name: job.name, data: job.data, opts });
      byQueue.set(job.queue, list);
    }
    for (const [kind, jobs] of byQueue) {
      await withTimeout(this.queue(kind).addBulk(jobs), this.timeoutMs * 3, `Redis did not accept ${jobs.length} ${kind} job(s) in time`);
    }
  }

  /** Jobs per state of each queue, for the admin route (and metrics). */
  async counts(): Promise<Record<string, Record<string, number>>> {
    if (!this.redis.isUp()) throw new RedisUnavailableError();
    const entries = await Promise.all(
      QUEUE_KINDS.map(async (kind) => [this.queueName(kind), await withTimeout(this.queue(kind).getJobCounts(), this.timeoutMs, 'Redis did not answer')] as const),
    );
    return Object.fromEntries(entries);
  }

  /** Closes this process's workers and queues. */
  async close(): Promise<void> {
    await Promise.allSettled(this.workers.splice(0).map((worker) => worker.close()));
    await Promise.allSettled([...this.queueMap.values()].map((queue) => queue.close()));
    this.queueMap.clear();
  }
}
