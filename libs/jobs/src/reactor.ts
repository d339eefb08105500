import { IdleWait, START, sleep, type Database, type EventStore, type Position, type RecordedEvent } from '@tasking/event-store';
import { AdvisoryLock } from './advisory-lock';
import { query, quoteIdent } from './sql';
import type { JobsLogger } from './redis';

export interface ReactorOptions {
  /** Events per batch. Default 200. */
  batchSize?: number;
  /** Longest wait for an append before reading again. Default 1000 ms. */
  idleWaitMs?: number;
  /** How often a process without the lock tries to take it. Default 2000 ms. */
  standbyRetryMs?: number;
  /** Backoff after a failure (Redis or the database away) starts at 100 ms and doubles up to this. Default 5000 ms. */
  maxRetryDelayMs?: number;
}

/** Turns a batch of events into whatever it must (jobs), then hands them over; throws if they were not accepted. */
export interface ReactorHandler {
  handle(events: readonly RecordedEvent[]): Promise<number>;
}

/**
 * Reads the log after its own checkpoint, like a projection, and moves the checkpoint (compare
 * and set) only after the handler returned, i.e. after Redis accepted the jobs. The log is the
 * outbox: while Redis is away the handler throws, the checkpoint stays, and the loop retries with
 * backoff; nothing is lost and nothing needs remembering in memory. One active reactor per
 * deployment through an advisory lock (postgres); others stand by.
 */
export class Reactor {
  private abort = new AbortController();
  private running: Promise<void> | undefined;
  private position: Position | undefined;
  private lock: AdvisoryLock | undefined;
  private readonly table: string;
  private failingSince: number | undefined;
  private lastFailureLog = 0;

  constructor(
    readonly name: string,
    private readonly db: Database,
    private readonly store: EventStore,
    private readonly handler: ReactorHandler,
    private readonly logger: JobsLogger,
    private readonly options: ReactorOptions = {},
  ) {
    this.table = `${quoteIdent(db.schema)}.job_reactor_checkpoints`;
  }

  start(): void {
    if (this.running) return;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    const signal = this.abort.signal;
    this.running = this.loop(signal).finally(() => {
      this.running = undefined;
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    await this.lock?.close();
    this.lock = undefined;
  }

  /** The checkpoint as stored (START before the first batch). */
  async checkpoint(): Promise<Position> {
    const rows = await query<{ position: string }>(this.db, `SELECT position FROM ${this.table} WHERE name = $1`, [this.name]);
    return rows[0]?.position ?? START;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const maxRetry = this.options.maxRetryDelayMs ?? 5000;
    let retryDelay = 100;
    const idle = new IdleWait(this.store, this.options.idleWaitMs ?? 1000);
    while (!signal.aborted) {
      try {
        if (!(await this.holdLock())) {
          this.position = undefined;
          await sleep(this.options.standbyRetryMs ?? 2000, signal);
          continue;
        }
        if (this.position === undefined) this.position = await this.readPosition();
        const tick = this.store.appendTick();
        const events = await this.store.readAll(this.position, this.options.batchSize ?? 200);
        if (events.length === 0) {
          this.recovered();
          await idle.wait(this.position, tick, signal);
          continue;
        }
        idle.reset();
        await this.handler.handle(events);
        const last = events[events.length - 1]!.position;
        const moved = await query<{ name: string }>(
          this.db,
          `UPDATE ${this.table} SET position = $3, updated_at = now() WHERE name = $1 AND position = $2 RETURNING name`,
          [this.name, this.position, last],
        );
        this.position = moved.length > 0 ? last : undefined;
        this.recovered();
        retryDelay = 100;
      } catch (error) {
        if (signal.aborted) return;
        this.position = undefined;
        this.failed(error, retryDelay);
        await sleep(retryDelay, signal);
        retryDelay = Math.min(retryDelay * 2, maxRetry);
      }
    }
  }

  private async holdLock(): Promise<boolean> {
    if (this.db.kind === 'embedded') return true;
    if (!this.db.connectionString) throw new Error('a postgres Database without a connection string cannot hold the reactor lock');
    this.lock ??= new AdvisoryLock(this.db.connectionString, `tasking-ledger/${this.db.schema}/reactor/${this.name}`);
    return this.lock.tryHold();
  }

  private async readPosition(): Promise<Position> {
    await query(this.db, `INSERT INTO ${this.table} (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [this.name]);
    return this.checkpoint();
  }

  /** One line when it starts failing, then at most one every 30 s. */
  private failed(error: unknown, retryDelay: number): void {
    const now = Date.now();
    const message = error instanceof Error ? error.message : String(error);
    if (this.failingSince === undefined) {
      this.failingSince = now;
      this.lastFailureLog = now;
      this.logger.warn(`reactor ${this.name}: ${message}; events wait in the log, retrying with backoff`);
    } else if (now - this.lastFailureLog >= 30_000) {
      this.lastFailureLog = now;
      this.logger.warn(`reactor ${this.name}: still failing for ${Math.round((now - this.failingSince) / 1000)} s (${message}); next try in ${retryDelay} ms`);
    }
  }

  private recovered(): void {
    if (this.failingSince === undefined) return;
    this.logger.info(`reactor ${this.name}: resumed after ${Math.round((Date.now() - this.failingSince) / 1000)} s`);
    this.failingSince = undefined;
  }
}
