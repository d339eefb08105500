import type { Queue } from 'bullmq';
import type { Database, EventStore, RecordedEvent } from '@tasking/event-store';
import type { ProjectionRunner } from '@tasking/projections';
import type { Clock, ClockGuard, Config } from '@tasking/shared';
import { DeadlineProcessor, type Escalator } from './deadlines/deadline.processor';
import { JobQueues } from './job-queues';
import { viewOf, type JobView } from './job-view';
import { databaseIdentity, jobsNamespace } from './namespace';
import { NotificationProcessor, type WebhookSecretSource } from './notifications/notification.processor';
import { PackJobs, type PackAnswer } from './pack-jobs';
import { ImportJobs } from './import-jobs';
import { ImportRun, type ImportReferences } from './imports/import-run';
import { QUEUE_KINDS, type QueueKind } from './queues';
import { jobsFor } from './reactions';
import { Reactor, type ReactorOptions } from './reactor';
import { Rebuilds } from './rebuild-jobs';
import { RedisSupervisor, type WorkersState } from './redis-supervisor';
import {
  consoleJobsLogger,
  RedisConnections,
  RedisUnavailableError,
  redactRedisUrl,
  withTimeout,
  type JobsLogger,
  type RedisEvictionPolicyError,
  type RedisStatus,
} from './redis';
import type { StoredPack } from './reports/meeting-pack-store';

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
  /** What imports read of a partnership (its areas, its sources). */
  importReferences: ImportReferences;
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

/**
 * The side effects of the log (architecture.md, "Side effects"): the reactor turning events into
 * jobs, the four queues and their workers, and the gateways the HTTP routes use (rebuild jobs,
 * meeting packs, dead letters, Redis status). Nothing here blocks start-up on Redis: without it
 * the API and the projections run, and the reactor waits and retries. Its parts: the queues and
 * workers (job-queues.ts), Redis supervision (redis-supervisor.ts), rebuilds (rebuild-jobs.ts)
 * and meeting packs (pack-jobs.ts).
 */
export class JobsService {
  readonly logger: JobsLogger;
  readonly redis: RedisConnections;
  readonly notifications: NotificationProcessor;
  readonly deadlines: DeadlineProcessor;
  readonly reactor: Reactor;
  private readonly supervisor: RedisSupervisor;
  private readonly jobQueues: JobQueues;
  private readonly rebuilds: Rebuilds;
  private readonly packs: PackJobs;
  /** Bulk imports: staged, then run by the `imports` queue or in this process (import-jobs.ts). */
  readonly imports: ImportJobs;

  constructor(
    private readonly deps: JobsDependencies,
    readonly options: JobsOptions,
  ) {
    const logger = (this.logger = options.logger ?? consoleJobsLogger);
    const { config, clock, db, store, projections } = deps;
    this.redis = new RedisConnections(config.redisUrl, logger, `tasking-ledger:${config.queuePrefix}`);
    this.supervisor = new RedisSupervisor(this.redis, { logger, usesQueues: options.run || options.queues, onRefused: options.onRefused });
    this.jobQueues = new JobQueues(this.redis, {
      config,
      clock,
      schema: db.schema,
      logger,
      timeoutMs: options.requestTimeoutMs ?? 3000,
      usable: () => options.queues && this.supervisor.usable(),
    });
    this.rebuilds = new Rebuilds(projections, clock, this.jobQueues, logger);
    this.packs = new PackJobs(db, projections, clock, this.jobQueues, logger);
    this.imports = new ImportJobs(db, new ImportRun(db, store, deps.importReferences, clock, { timeZone: config.timeZone }), this.jobQueues, logger);
    this.notifications = new NotificationProcessor(
      db,
      store,
      deps.secrets,
      { timeoutMs: config.webhookTimeoutMs, allowPrivateTargets: config.webhookAllowPrivateTargets, resolve: options.resolve },
      logger,
      config.defaultPartnership,
    );
    this.deadlines = new DeadlineProcessor(db, deps.escalator, clock, logger, deps.clockGuard);
    this.reactor = new Reactor('jobs', db, store, { handle: (events) => this.enqueueFor(events) }, logger, options.reactor);
  }

  /** The queue's full name (QUEUE_PREFIX, and the schema when not `public`). */
  queueName(kind: QueueKind): string {
    return this.jobQueues.queueName(kind);
  }

  /** This deployment's Redis namespace (namespace.ts), known once `start()` has read the database's identity. */
  get namespace(): string {
    return this.jobQueues.namespace;
  }

  /** BullMQ's key prefix for this deployment's queues: `bull:<namespace>`. */
  get keyPrefix(): string {
    return this.jobQueues.keyPrefix;
  }

  /** A producer-side queue (job-queues.ts); callers check `redis.isUp()` and bound their waits. */
  queue(kind: QueueKind): Queue {
    return this.jobQueues.queue(kind);
  }

  queues(): Queue[] {
    return this.jobQueues.queues();
  }

  /** Redis as this process sees it, in detail (the admin route shows it). */
  redisState(): RedisStatus & { workers: WorkersState } {
    return this.supervisor.redisState();
  }

  /** For readiness and metrics (Runtime's JobsStatus): never throws, never fails readiness. */
  redisStatus(): Promise<{ ok: boolean; reason?: string; status: RedisStatus['status'] }> {
    return this.supervisor.redisStatus();
  }

  /** Jobs per queue and state (metrics); throws while Redis is away. */
  queueCounts(): Promise<Record<string, Record<string, number>>> {
    return this.counts();
  }

  /** Jobs per state of each queue, for the admin route (and metrics). */
  counts(): Promise<Record<string, Record<string, number>>> {
    return this.jobQueues.counts();
  }

  /** Resolves when the workers run, or were refused (eviction policy). Tests wait on it. */
  whenStarted(): Promise<'running' | 'refused'> {
    return this.supervisor.whenStarted();
  }

  /** What the queues need and nothing runs yet: the Redis namespace, the connection (once; the tables are migrated before). */
  async prepare(): Promise<void> {
    if (this.jobQueues.hasNamespace) return;
    const namespace = jobsNamespace(await databaseIdentity(this.deps.db, this.deps.config.dataDir));
    this.jobQueues.setNamespace(namespace);
    if (this.options.queues || this.options.run) {
      this.logger.info(
        `jobs use Redis at ${redactRedisUrl(this.deps.config.redisUrl)}, namespace ${namespace} (queues ${QUEUE_KINDS.map((kind) => this.queueName(kind)).join(', ')})`,
      );
      // Dial Redis now (in the background), so the first request finds it ready.
      this.redis.producer();
    }
  }

  /** Prepares, and when this process runs jobs, starts waiting for Redis in the background. */
  async start(): Promise<void> {
    if (this.supervisor.active) return;
    await this.prepare();
    if (!this.options.run) return;
    this.supervisor.start(() => this.startWorking());
  }

  async stop(): Promise<void> {
    await this.supervisor.stop();
    await this.imports.settled();
    await this.reactor.stop();
    await this.jobQueues.close();
    await this.redis.close();
    this.supervisor.stopped();
  }

  /** Starts a rebuild: a `projection-rebuild` job when queues are usable, else in this process. */
  startRebuild(projection: string): Promise<JobView> {
    return this.rebuilds.start(projection);
  }

  /** A rebuild (or pack) job by id: this process's in-process rebuilds first, then the queues. */
  async job(id: string): Promise<JobView | undefined> {
    const local = this.deps.projections.jobs.get(id);
    if (local) return { ...local, runner: 'in-process' };
    if (!this.options.queues) return undefined;
    if (!this.redis.isUp()) throw new RedisUnavailableError('Redis is unreachable: queued jobs cannot be looked up now');
    for (const kind of ['projection-rebuild', 'reports'] as const) {
      const job = await withTimeout(this.queue(kind).getJob(id), this.jobQueues.timeoutMs, 'Redis did not answer');
      if (job) return viewOf(this.jobQueues, job, kind === 'reports' ? 'meeting-pack' : 'projection-rebuild');
    }
    return undefined;
  }

  /** A meeting's pack, current or rebuilt (pack-jobs.ts). */
  meetingPack(meetingId: string, options: { refresh?: boolean; waitMs?: number } = {}): Promise<PackAnswer> {
    return this.packs.meetingPack(meetingId, options);
  }

  /** Builds and stores a meeting's pack from the read models as they stand. */
  generatePack(meetingId: string): Promise<StoredPack> {
    return this.packs.generate(meetingId);
  }

  /** Once Redis is fit: the workers, the deadline sweep's schedule, then the reactor. */
  private async startWorking(): Promise<void> {
    this.jobQueues.startWorkers({
      notifications: { concurrency: 8, process: (job) => this.notifications.process(job) },
      deadlines: { concurrency: 4, process: (job, token) => this.deadlines.process(job, token) },
      'projection-rebuild': { concurrency: 1, process: (job) => this.rebuilds.run(job) },
      reports: { concurrency: 2, process: (job) => this.packs.run(job) },
      imports: { concurrency: 1, process: (job) => this.imports.process(job) },
    });
    await this.jobQueues
      .scheduleSweep(this.options.sweepEveryMs ?? 5 * 60_000)
      .catch((error: unknown) => this.logger.warn(`could not schedule the deadline sweep yet: ${(error as Error).message}`));
    this.reactor.start();
  }

  /** The reactor's handler: plans the jobs for the batch and has Redis accept them all (or throws). */
  private async enqueueFor(events: readonly RecordedEvent[]): Promise<number> {
    const planned = await jobsFor(events, this.deps.store);
    if (planned.length === 0) return 0;
    await this.jobQueues.add(planned);
    return planned.length;
  }
}
