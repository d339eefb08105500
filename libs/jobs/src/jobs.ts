import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job, type JobsOptions as BullJobOptions } from 'bullmq';
import type { Database, EventStore, RecordedEvent } from '@tasking/event-store';
import { UnknownProjectionError, type ProjectionRunner } from '@tasking/projections';
import type { Clock, ClockGuard, Config } from '@tasking/shared';
import { DeadlineProcessor, type Escalator } from './deadlines/deadline.processor';
import { databaseIdentity, jobsNamespace } from './namespace';
import { NotificationProcessor, type WebhookSecretSource } from './notifications/notification.processor';
import { delayUntil, jobsFor } from './reactions';
import { Reactor, type ReactorOptions } from './reactor';
import { buildMeetingPack, loadMeetingPack, storeMeetingPack, type StoredPack } from './reports/meeting-pack';
import {
  packJobId,
  queueName,
  QUEUE_KINDS,
  RETENTION,
  type PackJobData,
  type QueueKind,
  type RebuildJobData,
} from './queues';
import {
  assertNoEviction,
  consoleJobsLogger,
  RedisConnections,
  RedisEvictionPolicyError,
  redactRedisUrl,
  type JobsLogger,
  type RedisStatus,
} from './redis';

export interface JobsDependencies {
  config: Config;
  clock: Clock;
  db: Database;
  store: EventStore;
  projections: ProjectionRunner;
  secrets: WebhookSecretSource;
  escalator: Escalator;
  /** Holds deadline jobs and sweeps back while the wall clock cannot be trusted. */
  clockGuard?: ClockGuard;
}

export interface JobsOptions {
  /** Run the reactor and the queue workers in this process (inline mode, or apps/worker). */
  run: boolean;
  /**
   * Some process consumes the queues (this one, or apps/worker with WORKER_MODE=separate): only
   * then do rebuilds and meeting packs go through a queue; otherwise, or while Redis is away,
   * they run in this process.
   */
  queues: boolean;
  logger?: JobsLogger;
  reactor?: ReactorOptions;
  /** The deadline sweep's period. Default 5 minutes. */
  sweepEveryMs?: number;
  /** Called once when Redis is refused for its eviction policy (apps/worker exits). */
  onRefused?: (error: RedisEvictionPolicyError) => void;
  /** Webhook DNS resolution (tests). */
  resolve?: (hostname: string) => Promise<{ address: string; family: number }[]>;
  /** How long a request waits on Redis before giving up on it. Default 3000 ms. */
  requestTimeoutMs?: number;
}

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

export class RedisUnavailableError extends Error {
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(message = 'Redis is unreachable') {
    super(message);
    this.name = 'RedisUnavailableError';
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisUnavailableError(message)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const PACK_PROJECTIONS = ['reference-data', 'problems', 'meetings'];

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

/**
 * The side effects of the log (architecture.md, "Side effects"): the reactor turning events into
 * jobs, the four queues and their workers, and the gateways the HTTP routes use (rebuild jobs,
 * meeting packs, dead letters, Redis status). Nothing here blocks start-up on Redis: without it
 * the API and the projections run, and the reactor waits and retries.
 */
export class JobsService {
  readonly logger: JobsLogger;
  readonly redis: RedisConnections;
  readonly notifications: NotificationProcessor;
  readonly deadlines: DeadlineProcessor;
  readonly reactor: Reactor;
  private readonly queueMap = new Map<QueueKind, Queue>();
  private readonly workers: Worker[] = [];
  private abort = new AbortController();
  private supervising: Promise<void> | undefined;
  private startedState: 'stopped' | 'waiting' | 'running' | 'refused' = 'stopped';
  private ns: string | undefined;
  private readonly started: { promise: Promise<'running' | 'refused'>; resolve: (value: 'running' | 'refused') => void };
  private readonly timeoutMs: number;

  constructor(
    private readonly deps: JobsDependencies,
    readonly options: JobsOptions,
  ) {
    this.logger = options.logger ?? consoleJobsLogger;
    this.timeoutMs = options.requestTimeoutMs ?? 3000;
    this.redis = new RedisConnections(deps.config.redisUrl, this.logger, `tasking-ledger:${deps.config.queuePrefix}`);
    this.notifications = new NotificationProcessor(
      deps.db,
      deps.store,
      deps.secrets,
      { timeoutMs: deps.config.webhookTimeoutMs, allowPrivateTargets: deps.config.webhookAllowPrivateTargets, resolve: options.resolve },
      this.logger,
      deps.config.defaultPartnership,
    );
    this.deadlines = new DeadlineProcessor(deps.db, deps.escalator, deps.clock, this.logger, deps.clockGuard);
    this.reactor = new Reactor('jobs', deps.db, deps.store, { handle: (events) => this.enqueueFor(events) }, this.logger, options.reactor);
    let resolve!: (value: 'running' | 'refused') => void;
    const promise = new Promise<'running' | 'refused'>((r) => (resolve = r));
    this.started = { promise, resolve };
  }

  /** The queue's full name (QUEUE_PREFIX, and the schema when not `public`). */
  queueName(kind: QueueKind): string {
    return queueName(this.deps.config.queuePrefix, this.deps.db.schema, kind);
  }

  /** This deployment's Redis namespace (namespace.ts), known once `start()` has read the database's identity. */
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

  /** Redis as this process sees it, in detail (the admin route shows it). */
  redisState(): RedisStatus & { workers: 'stopped' | 'waiting' | 'running' | 'refused' } {
    if (!this.options.run && !this.options.queues) return { status: 'disabled', health: 'ok', since: new Date(0).toISOString(), workers: 'stopped' };
    if (this.redis.isClosed) return { status: 'down', health: 'degraded', detail: 'jobs stopped', since: new Date().toISOString(), workers: 'stopped' };
    this.redis.producer();
    return { ...this.redis.status(), workers: this.startedState };
  }

  /**
   * For readiness and metrics (Runtime's JobsStatus): never throws and never fails readiness; a
   * Redis that is away or refused is reported `ok: false` with the reason, shown as degraded.
   */
  async redisStatus(): Promise<{ ok: boolean; reason?: string; status: RedisStatus['status'] }> {
    const state = this.redisState();
    if (state.status === 'disabled') return { ok: true, status: state.status, reason: 'this process uses no job queues' };
    if (state.status === 'up') return { ok: true, status: state.status };
    const reason =
      state.status === 'refused'
        ? (state.detail ?? 'Redis refused')
        : `Redis is ${state.status === 'connecting' ? 'not reachable yet' : 'unreachable'}${state.detail ? ` (${state.detail})` : ''}: jobs wait in the event log`;
    return { ok: false, status: state.status, reason };
  }

  /** Jobs per queue and state (metrics); throws while Redis is away. */
  queueCounts(): Promise<Record<string, Record<string, number>>> {
    return this.counts();
  }

  /** Resolves when the workers run, or were refused (eviction policy). Tests wait on it. */
  whenStarted(): Promise<'running' | 'refused'> {
    return this.started.promise;
  }

  /** What the queues need and nothing runs yet: the Redis namespace, the connection (once; the tables are migrated before). */
  async prepare(): Promise<void> {
    if (this.ns !== undefined) return;
    this.ns = jobsNamespace(await databaseIdentity(this.deps.db, this.deps.config.dataDir));
    if (this.options.queues || this.options.run) {
      this.logger.info(
        `jobs use Redis at ${redactRedisUrl(this.deps.config.redisUrl)}, namespace ${this.ns} (queues ${QUEUE_KINDS.map((kind) => this.queueName(kind)).join(', ')})`,
      );
    }
    // Dial Redis now (in the background), so the first request finds it ready.
    if (this.options.queues || this.options.run) this.redis.producer();
  }

  async start(): Promise<void> {
    if (this.supervising) return;
    await this.prepare();
    if (!this.options.run) return;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    this.startedState = 'waiting';
    this.supervising = this.supervise(this.abort.signal).catch((error: unknown) => {
      this.logger.error(`jobs supervisor stopped: ${(error as Error).message}`);
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.supervising;
    this.supervising = undefined;
    await this.reactor.stop();
    await Promise.allSettled(this.workers.splice(0).map((worker) => worker.close()));
    await Promise.allSettled([...this.queueMap.values()].map((queue) => queue.close()));
    this.queueMap.clear();
    await this.redis.close();
    if (this.startedState !== 'refused') this.startedState = 'stopped';
  }

  // -----------------------------------------------------------------------------------------------
  // Start-up: wait for Redis, check it is fit, then start the workers and the reactor.

  private async supervise(signal: AbortSignal): Promise<void> {
    const url = this.deps.config.redisUrl;
    let told = false;
    while (!signal.aborted) {
      if (!(await this.redis.waitUntilUp(5000, signal))) {
        if (!told && !signal.aborted) {
          this.logger.warn(`Redis is not reachable yet; the API and projections run, jobs wait in the event log and start once it answers`);
          told = true;
        }
        continue;
      }
      try {
        await assertNoEviction(this.redis.producer(), url);
      } catch (error) {
        if (error instanceof RedisEvictionPolicyError) {
          this.redis.refuse(error.message);
          this.startedState = 'refused';
          this.logger.error(error.message);
          this.options.onRefused?.(error);
          this.started.resolve('refused');
          return;
        }
        // Lost it again, or INFO failed: wait a little and look again.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      break;
    }
    if (signal.aborted) return;
    this.startWorkers();
    await this.scheduleSweep().catch((error: unknown) => this.logger.warn(`could not schedule the deadline sweep yet: ${(error as Error).message}`));
    this.reactor.start();
    this.startedState = 'running';
    this.started.resolve('running');
  }

  private startWorkers(): void {
    const make = <T>(kind: QueueKind, concurrency: number, processor: (job: Job<T>, token?: string) => Promise<unknown>) => {
      const worker = new Worker<T>(this.queueName(kind), (job, token) => processor(job, token).catch((error: unknown) => Promise.reject(scrubFailure(error))), {
        connection: this.redis.worker(`worker:${kind}`),
        prefix: this.keyPrefix,
        concurrency,
        // A job whose lock vanished (Redis restarted while it ran) goes back to the queue after
        // one or two checks: seconds, not the default 30 s per check. Running jobs keep renewing
        // their lock, so a check never takes them.
        stalledInterval: 5_000,
        ...RETENTION[kind],
      });
      worker.on('error', (error) => this.logger.warn(`worker ${kind}: ${error.message}`));
      this.workers.push(worker);
    };
    make('notifications', 8, (job) => this.notifications.process(job as Job));
    make('deadlines', 4, (job, token) => this.deadlines.process(job as Job, token));
    make<RebuildJobData>('projection-rebuild', 1, (job) => this.runRebuild(job));
    make<PackJobData>('reports', 2, async (job): Promise<PackReference> => {
      const stored = await this.generatePack(job.data.meetingId);
      return { meetingId: stored.meetingId, position: stored.position, generatedAt: stored.generatedAt };
    });
  }

  private async scheduleSweep(): Promise<void> {
    await withTimeout(
      this.queue('deadlines').upsertJobScheduler(SWEEP_SCHEDULER, { every: this.options.sweepEveryMs ?? 5 * 60_000 }, { name: 'sweep', data: {}, opts: { ...RETENTION.deadlines } }),
      this.timeoutMs * 3,
      'Redis did not answer',
    );
  }

  /** The reactor's handler: plans the jobs for the batch and has Redis accept them all (or throws). */
  private async enqueueFor(events: readonly RecordedEvent[]): Promise<number> {
    const planned = await jobsFor(events, this.deps.store);
    if (planned.length === 0) return 0;
    if (!this.redis.isUp()) throw new RedisUnavailableError('Redis is unreachable');
    const { config, clock } = this.deps;
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
    return planned.length;
  }

  // -----------------------------------------------------------------------------------------------
  // Projection rebuilds

  /** Whether requests may hand work to a queue right now. */
  private queueUsable(): boolean {
    return this.options.queues && this.startedState !== 'refused' && this.redis.isUp();
  }

  /** Starts a rebuild: a `projection-rebuild` job when queues are usable, else in this process. */
  async startRebuild(projection: string): Promise<JobView> {
    if (!this.deps.projections.has(projection)) throw new UnknownProjectionError(projection);
    if (this.queueUsable()) {
      try {
        const queue = this.queue('projection-rebuild');
        const pending = await withTimeout(queue.getJobs(['active', 'waiting', 'delayed', 'prioritized']), this.timeoutMs, 'Redis did not answer');
        const running = pending.find((job) => (job.data as RebuildJobData).projection === projection);
        if (running) return await this.viewOf(running, 'projection-rebuild');
        const job = await withTimeout(
          queue.add('rebuild', { projection, requestedAt: this.deps.clock.now().toISOString() } satisfies RebuildJobData, {
            // A plain uuid, like the in-process rebuild jobs: GET /v1/admin/jobs/:id takes either.
            jobId: randomUUID(),
            attempts: 1,
            ...RETENTION['projection-rebuild'],
          }),
          this.timeoutMs,
          'Redis did not accept the rebuild job',
        );
        return await this.viewOf(job, 'projection-rebuild');
      } catch (error) {
        if (!(error instanceof RedisUnavailableError)) throw error;
        this.logger.warn(`rebuild of ${projection} runs in this process: ${error.message}`);
      }
    }
    return { ...this.deps.projections.jobs.start(projection), runner: 'in-process' };
  }

  /** A rebuild (or pack) job by id: this process's in-process rebuilds first, then the queues. */
  async job(id: string): Promise<JobView | undefined> {
    const local = this.deps.projections.jobs.get(id);
    if (local) return { ...local, runner: 'in-process' };
    if (!this.options.queues) return undefined;
    if (!this.redis.isUp()) throw new RedisUnavailableError('Redis is unreachable: queued jobs cannot be looked up now');
    for (const kind of ['projection-rebuild', 'reports'] as const) {
      const job = await withTimeout(this.queue(kind).getJob(id), this.timeoutMs, 'Redis did not answer');
      if (job) return this.viewOf(job, kind === 'reports' ? 'meeting-pack' : 'projection-rebuild');
    }
    return undefined;
  }

  private async runRebuild(job: Job<RebuildJobData>): Promise<unknown> {
    let last = 0;
    let pending: Promise<void> = Promise.resolve();
    const result = await this.deps.projections.rebuild(job.data.projection, (progress) => {
      const now = Date.now();
      if (now - last < 250 && progress.done !== progress.total) return;
      last = now;
      pending = pending.then(() => job.updateProgress({ done: progress.done, total: progress.total }).catch(() => undefined));
    });
    await pending;
    await job.updateProgress({ done: result.events, total: result.events }).catch(() => undefined);
    return { position: result.position, events: result.events };
  }

  private async viewOf(read: Job, type: JobView['type']): Promise<JobView> {
    let job = read;
    const state = await withTimeout(job.getState(), this.timeoutMs, 'Redis did not answer');
    if ((state === 'completed' || state === 'failed') && !job.finishedOn) {
      // It finished between reading the job and reading its state: read it again, so that the
      // result, error and finish time shown are those of the state shown.
      const again = await withTimeout(this.queue(type === 'meeting-pack' ? 'reports' : 'projection-rebuild').getJob(job.id!), this.timeoutMs, 'Redis did not answer');
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

  // -----------------------------------------------------------------------------------------------
  // Meeting packs

  /**
   * The stored pack when it was built at or after the read models' current position; otherwise
   * a new one, built by the `reports` queue (waiting up to `waitMs` for it) or, without Redis,
   * right here.
   */
  async meetingPack(meetingId: string, options: { refresh?: boolean; waitMs?: number } = {}): Promise<PackAnswer> {
    const position = await this.deps.projections.positionOf(PACK_PROJECTIONS);
    const stored = await loadMeetingPack(this.deps.db, meetingId);
    if (stored && !options.refresh && stored.position >= position) return { kind: 'ready', pack: stored };
    if (this.queueUsable()) {
      try {
        const jobId = packJobId(meetingId, options.refresh ? `${position}-${randomUUID()}` : position);
        const job = await withTimeout(
          this.queue('reports').add('pack', { meetingId } satisfies PackJobData, { jobId, attempts: 2, backoff: { type: 'fixed', delay: 500 }, ...RETENTION.reports }),
          this.timeoutMs,
          'Redis did not accept the pack job',
        );
        // A job of that id that failed before (its attempts spent) is what `add` finds: run it
        // again, once per request, rather than wait on it for ever.
        let retried = false;
        const deadline = Date.now() + (options.waitMs ?? 10_000);
        while (Date.now() < deadline) {
          const fresh = await loadMeetingPack(this.deps.db, meetingId);
          if (fresh && fresh.position >= position && (!options.refresh || fresh.generatedAt !== stored?.generatedAt)) return { kind: 'ready', pack: fresh };
          if ((await withTimeout(job.getState(), this.timeoutMs, 'Redis did not answer')) === 'failed') {
            if (retried) throw new PackFailedError(meetingId, job.id!);
            // Another request may have moved it on first: then its state tells, next time round.
            await withTimeout(job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }), this.timeoutMs, 'Redis did not answer').catch((error: unknown) => {
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
    return { kind: 'ready', pack: await this.generatePack(meetingId) };
  }

  /** Builds and stores a meeting's pack from the read models as they stand. */
  async generatePack(meetingId: string): Promise<StoredPack> {
    const position = await this.deps.projections.positionOf(PACK_PROJECTIONS);
    const pack = await buildMeetingPack(this.deps.db, meetingId, this.deps.clock.now(), position);
    return storeMeetingPack(this.deps.db, pack);
  }

  /** Jobs per state of each queue, for the admin route (and metrics). */
  async counts(): Promise<Record<string, Record<string, number>>> {
    if (!this.redis.isUp()) throw new RedisUnavailableError();
    const entries = await Promise.all(
      QUEUE_KINDS.map(async (kind) => [this.queueName(kind), await withTimeout(this.queue(kind).getJobCounts(), this.timeoutMs, 'Redis did not answer')] as const),
    );
    return Object.fromEntries(entries);
  }
}
