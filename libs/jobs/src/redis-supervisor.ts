import { assertNoEviction, RedisEvictionPolicyError, type JobsLogger, type RedisConnections, type RedisStatus } from './redis';

/** Where the workers are: not started, waiting for a fit Redis, running, or refused (eviction policy). */
export type WorkersState = 'stopped' | 'waiting' | 'running' | 'refused';

export interface RedisSupervisorOptions {
  logger: JobsLogger;
  /** This process uses the queues at all (runs the workers, or hands work to them). */
  usesQueues: boolean;
  /** Called once when Redis is refused for its eviction policy (apps/worker exits). */
  onRefused?: (error: RedisEvictionPolicyError) => void;
}

/**
 * Redis as the jobs see it: waits for it to answer without blocking start-up, checks it is fit for
 * jobs (no eviction), then has the workers started; and reports it to the admin route, readiness
 * and metrics.
 */
export class RedisSupervisor {
  private abort = new AbortController();
  private supervising: Promise<void> | undefined;
  private workers: WorkersState = 'stopped';
  private readonly started: { promise: Promise<'running' | 'refused'>; resolve: (value: 'running' | 'refused') => void };

  constructor(
    private readonly redis: RedisConnections,
    private readonly options: RedisSupervisorOptions,
  ) {
    let resolve!: (value: 'running' | 'refused') => void;
    const promise = new Promise<'running' | 'refused'>((r) => (resolve = r));
    this.started = { promise, resolve };
  }

  /** Whether the supervision runs (started and not stopped since). */
  get active(): boolean {
    return this.supervising !== undefined;
  }

  get workersState(): WorkersState {
    return this.workers;
  }

  /** Resolves when the workers run, or were refused (eviction policy). Tests wait on it. */
  whenStarted(): Promise<'running' | 'refused'> {
    return this.started.promise;
  }

  /** Starts waiting for a fit Redis in the background; `startWorkers` runs once it is. */
  start(startWorkers: () => Promise<void>): void {
    if (this.supervising) return;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    this.workers = 'waiting';
    this.supervising = this.supervise(this.abort.signal, startWorkers).catch((error: unknown) => {
      this.options.logger.error(`jobs supervisor stopped: ${(error as Error).message}`);
    });
  }

  /** Stops waiting (the workers themselves are closed by their owner, then `stopped()`). */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.supervising;
    this.supervising = undefined;
  }

  /** The workers are closed. */
  stopped(): void {
    if (this.workers !== 'refused') this.workers = 'stopped';
  }

  /** Whether work may go to a queue now: Redis answers and was not refused. */
  usable(): boolean {
    return this.workers !== 'refused' && this.redis.isUp();
  }

  /** Redis as this process sees it, in detail (the admin route shows it). */
  redisState(): RedisStatus & { workers: WorkersState } {
    if (!this.options.usesQueues) return { status: 'disabled', health: 'ok', since: new Date(0).toISOString(), workers: 'stopped' };
    if (this.redis.isClosed) return { status: 'down', health: 'degraded', detail: 'jobs stopped', since: new Date().toISOString(), workers: 'stopped' };
    this.redis.producer();
    return { ...this.redis.status(), workers: this.workers };
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

  private async supervise(signal: AbortSignal, startWorkers: () => Promise<void>): Promise<void> {
    let told = false;
    while (!signal.aborted) {
      if (!(await this.redis.waitUntilUp(5000, signal))) {
        if (!told && !signal.aborted) {
          this.options.logger.warn(`Redis is not reachable yet; the API and projections run, jobs wait in the event log and start once it answers`);
          told = true;
        }
        continue;
      }
      try {
        await assertNoEviction(this.redis.producer(), this.redis.url);
      } catch (error) {
        if (error instanceof RedisEvictionPolicyError) {
          this.redis.refuse(error.message);
          this.workers = 'refused';
          this.options.logger.error(error.message);
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
    await startWorkers();
    this.workers = 'running';
    this.started.resolve('running');
  }
}
