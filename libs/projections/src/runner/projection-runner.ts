import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import { IdleWait, START, sleep, type EventStore, type Position, type RecordedEvent } from '@tasking/event-store';
import type { Projection } from '../projection';
import type { ReadModels } from '../read-models';
import { ident } from '../sql';
import { AdvisoryLockSession } from './advisory-locks';
import { ChangeSignal, Mutex } from './async';
import { RebuildAlreadyRunningError, UnknownProjectionError, describeError, isTransientError } from './errors';
import { RebuildJobs } from './rebuild-jobs';
import { RecentLog } from './recent-log';

/** A projection's checkpoint row, as `positions()` reports it. */
export interface ProjectionCheckpoint {
  name: string;
  /** The position of the last event applied (START before the first). */
  position: Position;
  /** `failed`: an event's apply threw; the projection stands at the event before it until restarted or rebuilt. */
  status: 'running' | 'failed';
  lastError: string | null;
  /** The position of the event whose apply failed. */
  errorPosition: Position | null;
  updatedAt: string;
  /** Events applied up to `position` (every event of the log counts, relevant to the projection or not). */
  eventsApplied: number;
}

/** A checkpoint with how far behind the log it is (the admin view). */
export interface ProjectionLag extends ProjectionCheckpoint {
  /** Events in the log after the checkpoint (null when the store cannot count). */
  lagEvents: number | null;
  /** `now` minus the time the oldest unapplied event was recorded; 0 when caught up. */
  lagMs: number;
}

export interface RebuildProgress {
  done: number;
  /** Events in the log when the rebuild started (grows if the log does); null when the store cannot count. */
  total: number | null;
}

export interface RebuildResult {
  projection: string;
  position: Position;
  events: number;
}

export interface RunnerLogger {
  warn(message: string): void;
  error(message: string): void;
}

export interface ProjectionRunnerOptions {
  /** Events per live batch (one transaction). Default 500. */
  batchSize?: number;
  /** Events per rebuild batch. Default 5000. */
  rebuildBatchSize?: number;
  /** Longest wait for an append before reading again (the safety poll). Default 1000 ms. */
  idleWaitMs?: number;
  /** How often a process without a projection's lock tries to take it. Default 2000 ms. */
  standbyRetryMs?: number;
  /** Backoff after transient failures starts at 100 ms and doubles up to this. Default 10000 ms. */
  maxRetryDelayMs?: number;
  /** Only these projections run in this process's loops (default: all). */
  run?: readonly string[];
  logger?: RunnerLogger;
  /** Time of job records (default the system clock). */
  now?: () => Date;
}

type StepOutcome =
  | { kind: 'idle'; position: Position; tick: number }
  | { kind: 'applied'; position: Position }
  | { kind: 'moved'; position: Position }
  | { kind: 'failed'; position: Position };
type BatchOutcome = Exclude<StepOutcome, { kind: 'idle' }>;

interface LiveProjection {
  readonly projection: Projection;
  readonly lockKey: string;
  /** Live batches and the rebuild's final swap take turns here. */
  readonly batches: Mutex;
  /** The checkpoint as this process last saw it; undefined: read it again before the next batch. */
  position: Position | undefined;
  /** The live loop, while it runs. */
  running: Promise<void> | undefined;
}

interface CheckpointRow {
  name: string;
  position: string;
  status: 'running' | 'failed';
  last_error: string | null;
  error_position: string | null;
  updated_at: Date;
  events_applied: string;
}

const POLL_MS = 25;
const FIRST_RETRY_MS = 100;
const SWAP_ATTEMPTS = 5;

const consoleLogger: RunnerLogger = {
  warn: (message) => console.warn(`[projections] ${message}`),
  error: (message) => console.error(`[projections] ${message}`),
};

/**
 * Runs the projections: one loop per projection reading the log after its checkpoint and applying
 * each batch in one short transaction that also moves the checkpoint (compare-and-set), so every
 * event takes effect exactly once whatever crashes or races happen.
 *
 * One active loop per projection across processes: on PostgreSQL each loop first takes a
 * session-level advisory lock (on a dedicated connection of this process); loops without it stand
 * by. Embedded: one process, no lock, no second connection.
 *
 * A projection whose apply throws stops with status `failed` (the events before the bad one are
 * applied; `errorPosition` names the bad one); the others go on. `start()` again (a restart)
 * retries it; a successful `rebuild` resets it.
 */
export class ProjectionRunner {
  /** Rebuilds started as background jobs, with their progress (the admin routes). */
  readonly jobs: RebuildJobs;
  private readonly dataSource: DataSource;
  private readonly live = new Map<string, LiveProjection>();
  private readonly known = new Map<string, Position>();
  /** The live loops' reads of the log, shared. */
  private readonly recent: RecentLog;
  private readonly progress = new ChangeSignal();
  /** Projections being rebuilt by this process, each with a promise settling when its rebuild ends. */
  private readonly rebuilding = new Map<string, Promise<void>>();
  private readonly batchSize: number;
  private readonly rebuildBatchSize: number;
  private readonly idleWaitMs: number;
  private readonly standbyRetryMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly runNames: ReadonlySet<string>;
  private readonly logger: RunnerLogger;
  private readonly keyPrefix: string;
  private abort = new AbortController();
  private started = false;
  private locks: AdvisoryLockSession | undefined;
  private checkpointsReady: Promise<void> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModels,
    options: ProjectionRunnerOptions = {},
  ) {
    this.dataSource = readModels.dataSource;
    this.batchSize = options.batchSize ?? 500;
    this.rebuildBatchSize = options.rebuildBatchSize ?? 5000;
    this.recent = new RecentLog(store, this.batchSize * 4);
    this.idleWaitMs = options.idleWaitMs ?? 1000;
    this.standbyRetryMs = options.standbyRetryMs ?? 2000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 10_000;
    this.logger = options.logger ?? consoleLogger;
    this.keyPrefix = `tasking-ledger/${readModels.db.schema}`;
    for (const projection of readModels.projections) {
      this.live.set(projection.name, {
        projection,
        lockKey: `${this.keyPrefix}/projection/${projection.name}`,
        batches: new Mutex(),
        position: undefined,
        running: undefined,
      });
    }
    for (const name of options.run ?? []) this.liveOf(name);
    this.runNames = new Set(options.run ?? this.live.keys());
    this.jobs = new RebuildJobs(this, options.now);
  }

  /** The names of every projection, in schema order. */
  get names(): string[] {
    return [...this.live.keys()];
  }

  has(name: string): boolean {
    return this.live.has(name);
  }

  /** Starts the loops of this process (idempotent). Failed projections are tried again. */
  async start(): Promise<void> {
    if (this.started) return;
    await this.ensureCheckpoints();
    if (this.abort.signal.aborted) this.abort = new AbortController();
    this.started = true;
    for (const live of this.live.values()) {
      if (this.runNames.has(live.projection.name)) this.launch(live);
    }
  }

  /** Stops the loops and rebuilds, letting a batch in flight commit; releases the locks. */
  async stop(): Promise<void> {
    this.abort.abort();
    const loops = [...this.live.values()].map((live) => live.running);
    await Promise.allSettled([...loops, ...this.rebuilding.values()]);
    this.started = false;
    const locks = this.locks;
    this.locks = undefined;
    await locks?.close();
  }

  /** Every projection's checkpoint, in schema order. */
  async positions(): Promise<ProjectionCheckpoint[]> {
    await this.ensureCheckpoints();
    const rows: CheckpointRow[] = await this.dataSource.query(
      `SELECT name, position, status, last_error, error_position, updated_at, events_applied
         FROM projection_checkpoints WHERE name = ANY($1::text[])`,
      [this.names],
    );
    const byName = new Map(rows.map((row) => [row.name, row]));
    return this.names.map((name) => {
      const row = byName.get(name)!;
      this.noteProgress(name, row.position);
      return {
        name,
        position: row.position,
        status: row.status,
        lastError: row.last_error,
        errorPosition: row.error_position,
        updatedAt: row.updated_at.toISOString(),
        eventsApplied: Number(row.events_applied),
      };
    });
  }

  /** Every projection's checkpoint and lag behind the head of the log. */
  async lag(now: Date): Promise<ProjectionLag[]> {
    const head = await this.store.headPosition();
    const checkpoints = await this.positions();
    const total = checkpoints.some((c) => c.position < head) ? await this.countEvents() : null;
    const oldest = new Map<Position, number>();
    for (const checkpoint of checkpoints) {
      if (checkpoint.position >= head || oldest.has(checkpoint.position)) continue;
      const [next] = await this.store.readAll(checkpoint.position, 1);
      oldest.set(checkpoint.position, next ? Date.parse(next.recordedAt) : now.getTime());
    }
    return checkpoints.map((checkpoint) => {
      const caughtUp = checkpoint.position >= head;
      return {
        ...checkpoint,
        lagEvents: caughtUp ? 0 : total === null ? null : Math.max(1, total - checkpoint.eventsApplied),
        lagMs: caughtUp ? 0 : Math.max(0, now.getTime() - oldest.get(checkpoint.position)!),
      };
    });
  }

  /**
   * The lowest checkpoint among `names` (default all): data read from those projections now is at
   * least that fresh. From memory when this process runs them; else from the checkpoint table.
   */
  async positionOf(names: readonly string[] = this.names): Promise<Position> {
    names.forEach((name) => this.liveOf(name));
    if (!names.every((name) => this.isLocal(name) && this.known.has(name))) await this.refresh(names);
    return names.reduce<Position | undefined>((min, name) => {
      const position = this.known.get(name) ?? START;
      return min === undefined || position < min ? position : min;
    }, undefined) ?? START;
  }

  /**
   * Read-your-writes: resolves true once every projection in `names` (default all) has applied
   * the log up to `position`, false when `timeoutMs` passes first.
   */
  async waitFor(position: Position, timeoutMs: number, names: readonly string[] = this.names): Promise<boolean> {
    names.forEach((name) => this.liveOf(name));
    const deadline = Date.now() + timeoutMs;
    const passed = () => names.every((name) => (this.known.get(name) ?? START) >= position);
    for (;;) {
      if (passed()) return true;
      const local = names.every((name) => this.isLocal(name) && this.known.has(name));
      if (!local) {
        await this.refresh(names);
        if (passed()) return true;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) return false;
      await this.progress.wait(local ? remaining : Math.min(remaining, POLL_MS));
    }
  }

  /**
   * Replays the whole log into fresh copies of the projection's tables in a schema of their own
   * (committed batches; the live tables keep answering queries and the live loop keeps going),
   * then swaps them in within one short transaction: lock the live checkpoint, apply whatever the
   * live loop had got to beyond the copy, replace the tables, set the checkpoint. Queries never
   * find a table missing: they wait the few milliseconds the swap holds its lock.
   */
  async rebuild(name: string, onProgress?: (progress: RebuildProgress) => void): Promise<RebuildResult> {
    const [result] = await this.rebuildAll([name], onProgress);
    return result!;
  }

  /** Rebuilds several projections (default all) in one pass over the log, each swapped in on its own. */
  async rebuildAll(names: readonly string[] = this.names, onProgress?: (progress: RebuildProgress) => void): Promise<RebuildResult[]> {
    const lives = [...new Set(names)].map((name) => this.liveOf(name));
    // Reserve the names at once (no await before): a second call in this process is refused here,
    // one in another process by the advisory lock below.
    const busy = lives.find((live) => this.rebuilding.has(live.projection.name));
    if (busy) throw new RebuildAlreadyRunningError(busy.projection.name);
    let finished!: () => void;
    const running = new Promise<void>((resolve) => (finished = resolve));
    for (const live of lives) this.rebuilding.set(live.projection.name, running);
    const locks = this.lockSession();
    const taken: string[] = [];
    try {
      await this.ensureCheckpoints();
      for (const { projection } of lives) {
        const lockKey = `${this.keyPrefix}/rebuild/${projection.name}`;
        if (locks && !(await locks.tryLock(lockKey))) throw new RebuildAlreadyRunningError(projection.name);
        taken.push(lockKey);
      }
      const results = await this.runRebuild(lives, this.abort.signal, onProgress);
      // A loop that had stopped on a failure starts again over the rebuilt tables.
      for (const live of lives) if (this.started && this.runNames.has(live.projection.name)) this.launch(live);
      return results;
    } finally {
      for (const lockKey of taken) await locks?.unlock(lockKey);
      for (const live of lives) this.rebuilding.delete(live.projection.name);
      finished();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The live loop

  private launch(live: LiveProjection): void {
    if (live.running) return;
    const signal = this.abort.signal;
    live.running = this.loop(live, signal).finally(() => {
      live.running = undefined;
    });
  }

  private async loop(live: LiveProjection, signal: AbortSignal): Promise<void> {
    const { name } = live.projection;
    let retryDelay = FIRST_RETRY_MS;
    const idle = new IdleWait(this.store, this.idleWaitMs);
    while (!signal.aborted) {
      try {
        if (!(await this.holdLock(live))) {
          live.position = undefined;
          await sleep(this.standbyRetryMs, signal);
          continue;
        }
        const outcome = await live.batches.run(() => this.step(live));
        retryDelay = FIRST_RETRY_MS;
        if (outcome.kind === 'failed') return;
        if (outcome.kind === 'idle') await idle.wait(outcome.position, outcome.tick, signal);
        else idle.reset();
      } catch (error) {
        if (signal.aborted) return;
        live.position = undefined;
        this.logger.warn(`projection ${name}: ${describeError(error)}; retrying in ${retryDelay} ms`);
        await sleep(retryDelay, signal);
        retryDelay = Math.min(retryDelay * 2, this.maxRetryDelayMs);
      }
    }
  }

  private async step(live: LiveProjection): Promise<StepOutcome> {
    const { name } = live.projection;
    if (live.position === undefined) {
      live.position = await this.readPosition(name);
      this.noteProgress(name, live.position);
    }
    // Take the tick before reading: an append that commits after the read moves it, so the idle
    // wait returns at once instead of missing it.
    const tick = this.store.appendTick();
    const events = await this.recent.readAll(live.position, this.batchSize);
    if (events.length === 0) return { kind: 'idle', position: live.position, tick };
    const outcome = await this.applyOrIsolate(live.projection, live.position, events);
    live.position = outcome.position;
    this.noteProgress(name, outcome.position);
    return outcome;
  }

  /**
   * Applies the batch; if it throws, applies its events one by one to find the first that fails
   * on its own (the ones before it take effect) and marks the projection failed at it.
   */
  private async applyOrIsolate(projection: Projection, from: Position, events: readonly RecordedEvent[]): Promise<BatchOutcome> {
    try {
      return await this.applyBatch(projection, from, events);
    } catch (error) {
      if (isTransientError(error)) throw error;
      if (events.length === 1) return this.markFailed(projection.name, from, events[0]!, error);
    }
    let position = from;
    for (const event of events) {
      try {
        const outcome = await this.applyBatch(projection, position, [event]);
        if (outcome.kind === 'moved') return outcome;
        position = outcome.position;
      } catch (error) {
        if (isTransientError(error)) throw error;
        return this.markFailed(projection.name, position, event, error);
      }
    }
    return { kind: 'applied', position };
  }

  /** One transaction: check the checkpoint still stands at `from` (else someone else applied), apply, move it. */
  private async applyBatch(projection: Projection, from: Position, events: readonly RecordedEvent[]): Promise<BatchOutcome> {
    const last = events[events.length - 1]!.position;
    return this.transaction(async (runner) => {
      const [row]: { position: string }[] = await runner.query(
        'SELECT position FROM projection_checkpoints WHERE name = $1 FOR UPDATE',
        [projection.name],
      );
      if (!row) throw new Error(`projection ${projection.name} has no checkpoint row`);
      if (row.position !== from) return { kind: 'moved', position: row.position } as const;
      await projection.apply(runner.manager, events);
      await runner.query(
        `UPDATE projection_checkpoints
            SET position = $2, status = 'running', last_error = NULL, error_position = NULL,
                updated_at = now(), events_applied = events_applied + $3
          WHERE name = $1`,
        [projection.name, last, events.length],
      );
      return { kind: 'applied', position: last } as const;
    });
  }

  private async markFailed(name: string, at: Position, event: RecordedEvent, error: unknown): Promise<BatchOutcome> {
    const message = `${event.type} ${event.stream}@${event.revision}: ${describeError(error)}`;
    this.logger.error(`projection ${name} stopped at ${event.position}: ${message}`);
    await this.dataSource.query(
      `UPDATE projection_checkpoints
          SET status = 'failed', last_error = $3, error_position = $4, updated_at = now()
        WHERE name = $1 AND position = $2`,
      [name, at, message, event.position],
    );
    return { kind: 'failed', position: at };
  }

  // ---------------------------------------------------------------------------------------------
  // Rebuild

  private async runRebuild(
    lives: readonly LiveProjection[],
    signal: AbortSignal,
    onProgress: ((progress: RebuildProgress) => void) | undefined,
  ): Promise<RebuildResult[]> {
    const liveSchema = this.readModels.db.schema;
    const targets: RebuildTarget[] = [];
    try {
      for (const live of lives) targets.push({ live, shadow: await this.createShadow(live.projection), position: START, events: 0 });
      const total = await this.countEvents();
      const report = () => {
        const done = Math.min(...targets.map((target) => target.events));
        onProgress?.({ done, total: total === null ? null : Math.max(total, done) });
      };
      report();
      const replay = (some: readonly RebuildTarget[]) => this.replay(some, liveSchema, signal, report);
      await replay(targets);
      // Swapped-in tables would have no planner statistics and no visibility map until autovacuum
      // (if it runs) gets to them: the planner guesses badly (a 1M-event history: 300 ms against
      // 18 ms) and cannot use index-only scans (39 against 15 ms).
      for (const { live, shadow } of targets) {
        for (const table of live.projection.tables) await this.dataSource.query(`VACUUM (ANALYZE) ${ident(shadow)}.${ident(table)}`);
      }
      const results: RebuildResult[] = [];
      for (const target of targets) {
        const { live } = target;
        // Hold back this process's own live batches of the projection while swapping.
        await live.batches.run(async () => {
          for (let attempt = 1; ; attempt += 1) {
            await replay([target]);
            const swapped = await this.swap(live.projection, target.shadow, target.position, target.events);
            if (swapped) {
              Object.assign(target, swapped);
              live.position = swapped.position;
              this.noteProgress(live.projection.name, swapped.position);
              results.push({ projection: live.projection.name, position: swapped.position, events: swapped.events });
              return;
            }
            if (attempt >= SWAP_ATTEMPTS) throw new Error(`the rebuild of ${live.projection.name} could not catch up with the live projection`);
          }
        });
      }
      report();
      return results;
    } finally {
      for (const { shadow } of targets) await this.dataSource.query(`DROP SCHEMA IF EXISTS ${ident(shadow)} CASCADE`).catch(() => undefined);
    }
  }

  /** A fresh schema holding empty copies of the projection's tables; leftovers of runs that died are dropped first. */
  private async createShadow(projection: Projection): Promise<string> {
    const liveSchema = this.readModels.db.schema;
    // One schema per run; earlier ones of this projection are leftovers (we hold its rebuild lock).
    const prefix = `rb_${createHash('sha256').update(`${liveSchema}/${projection.name}`).digest('hex').slice(0, 12)}`;
    const shadow = `${prefix}_${randomBytes(4).toString('hex')}`;
    const leftovers: { nspname: string }[] = await this.dataSource.query('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${prefix}\\_%`]);
    for (const { nspname } of leftovers) await this.dataSource.query(`DROP SCHEMA IF EXISTS ${ident(nspname)} CASCADE`);
    await this.transaction(async (runner) => {
      await runner.query(`CREATE SCHEMA ${ident(shadow)}`);
      for (const table of projection.tables) {
        await runner.query(`CREATE TABLE ${ident(shadow)}.${ident(table)} (LIKE ${ident(liveSchema)}.${ident(table)} INCLUDING ALL)`);
      }
    });
    return shadow;
  }

  /**
   * Applies the log after the targets' (common) position to their shadow tables until it runs
   * out, one committed transaction per batch and projection; the next batch is read while one is
   * applied.
   */
  private async replay(targets: readonly RebuildTarget[], liveSchema: string, signal: AbortSignal, report: () => void): Promise<void> {
    const read = (after: Position) => {
      const reading = this.store.readAll(after, this.rebuildBatchSize);
      reading.catch(() => undefined); // awaited below; never an unhandled rejection if we stop first
      return reading;
    };
    let next = read(targets[0]!.position);
    for (;;) {
      if (signal.aborted) throw new Error(`the rebuild of ${targets.map((t) => t.live.projection.name).join(', ')} was stopped`);
      const events = await next;
      if (events.length === 0) return;
      const last = events[events.length - 1]!.position;
      next = read(last);
      const applyTo = (target: RebuildTarget) =>
        this.transaction(async (runner) => {
          await runner.query(`SET LOCAL search_path TO ${ident(target.shadow)}, ${ident(liveSchema)}`);
          await target.live.projection.apply(runner.manager, events);
        });
      if (this.readModels.db.kind === 'embedded') {
        for (const target of targets) await applyTo(target);
      } else {
        // Each projection on its own session: one's statements run in PostgreSQL while this
        // process folds the next one's events (the two halves overlap on two cores).
        const settled = await Promise.allSettled(targets.map(applyTo));
        const failed = settled.find((outcome) => outcome.status === 'rejected');
        if (failed) throw failed.reason;
      }
      for (const target of targets) {
        target.position = last;
        target.events += events.length;
      }
      report();
    }
  }

  /** Replaces the live tables with the rebuilt ones; undefined when the live checkpoint is ahead and cannot be caught up here. */
  private async swap(projection: Projection, shadow: string, rebuilt: Position, events: number): Promise<{ position: Position; events: number } | undefined> {
    const liveSchema = this.readModels.db.schema;
    const embedded = this.readModels.db.kind === 'embedded';
    try {
      return await this.transaction(async (runner) => {
        await runner.query(`SET LOCAL lock_timeout = '10s'`);
        const [row]: { position: string }[] = await runner.query(
          `SELECT position FROM ${ident(liveSchema)}.projection_checkpoints WHERE name = $1 FOR UPDATE`,
          [projection.name],
        );
        let position = rebuilt;
        let count = events;
        if (row!.position > position) {
          // Only a loop in another process can be ahead (this process's is held back); it now waits
          // on the row locked above. Catch up to it here, reading the log on another pooled session.
          // Embedded has one session and no other process: read outside and try again.
          if (embedded) throw new SwapRetry();
          await runner.query(`SET LOCAL search_path TO ${ident(shadow)}, ${ident(liveSchema)}`);
          while (position < row!.position) {
            const batch = await this.store.readAll(position, this.rebuildBatchSize);
            if (batch.length === 0) break;
            await projection.apply(runner.manager, batch);
            position = batch[batch.length - 1]!.position;
            count += batch.length;
          }
          if (position < row!.position) throw new SwapRetry();
        }
        for (const table of projection.tables) await this.moveTable(runner, shadow, liveSchema, table);
        await runner.query(
          `UPDATE ${ident(liveSchema)}.projection_checkpoints
              SET position = $2, status = 'running', last_error = NULL, error_position = NULL,
                  updated_at = now(), events_applied = $3
            WHERE name = $1`,
          [projection.name, position, count],
        );
        return { position, events: count };
      });
    } catch (error) {
      if (error instanceof SwapRetry) return undefined;
      throw error;
    }
  }

  /** Drops the live table and moves the rebuilt one in its place, keeping the live index names. */
  private async moveTable(runner: QueryRunner, shadow: string, liveSchema: string, table: string): Promise<void> {
    const indexesSql = 'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2';
    const before: { indexname: string; indexdef: string }[] = await runner.query(indexesSql, [liveSchema, table]);
    await runner.query(`DROP TABLE ${ident(liveSchema)}.${ident(table)}`);
    await runner.query(`ALTER TABLE ${ident(shadow)}.${ident(table)} SET SCHEMA ${ident(liveSchema)}`);
    const after: { indexname: string; indexdef: string }[] = await runner.query(indexesSql, [liveSchema, table]);
    const shape = (def: string) => def.replace(/^(CREATE (?:UNIQUE )?INDEX) \S+ ON /, '$1 ON ');
    const unmatched = [...before];
    for (const index of after) {
      const at = unmatched.findIndex((old) => shape(old.indexdef) === shape(index.indexdef));
      if (at < 0) continue;
      const [old] = unmatched.splice(at, 1);
      if (old!.indexname !== index.indexname) {
        await runner.query(`ALTER INDEX ${ident(liveSchema)}.${ident(index.indexname)} RENAME TO ${ident(old!.indexname)}`);
      }
    }
  }

  /**
   * Events in the log, for rebuild progress. Reads the SQL store's `events` table, which lives in
   * the same schema as the read models; null where the store is elsewhere.
   */
  private async countEvents(): Promise<number | null> {
    try {
      const [row]: { n: string }[] = await this.dataSource.query('SELECT count(*)::text AS n FROM events');
      return Number(row!.n);
    } catch {
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private liveOf(name: string): LiveProjection {
    const live = this.live.get(name);
    if (!live) throw new UnknownProjectionError(name);
    return live;
  }

  /** This process runs the projection's loop and holds its lock: its memory of the checkpoint is exact. */
  private isLocal(name: string): boolean {
    const live = this.live.get(name);
    if (!live?.running) return false;
    return this.readModels.db.kind === 'embedded' || (this.locks?.holds(live.lockKey) ?? false);
  }

  private lockSession(): AdvisoryLockSession | undefined {
    const { db } = this.readModels;
    if (db.kind === 'embedded') return undefined;
    if (!db.connectionString) throw new Error('a postgres Database without a connection string cannot hold projection locks');
    this.locks ??= new AdvisoryLockSession(db.connectionString);
    return this.locks;
  }

  private async holdLock(live: LiveProjection): Promise<boolean> {
    const locks = this.lockSession();
    return locks ? locks.tryLock(live.lockKey) : true;
  }

  private noteProgress(name: string, position: Position): void {
    if (this.known.get(name) === position) return;
    this.known.set(name, position);
    this.progress.notify();
  }

  private async refresh(names: readonly string[]): Promise<void> {
    await this.ensureCheckpoints();
    const rows: { name: string; position: string }[] = await this.dataSource.query(
      'SELECT name, position FROM projection_checkpoints WHERE name = ANY($1::text[])',
      [names],
    );
    for (const row of rows) this.noteProgress(row.name, row.position);
  }

  private async readPosition(name: string): Promise<Position> {
    await this.ensureCheckpoints();
    const [row]: { position: string }[] = await this.dataSource.query('SELECT position FROM projection_checkpoints WHERE name = $1', [name]);
    return row?.position ?? START;
  }

  private ensureCheckpoints(): Promise<void> {
    this.checkpointsReady ??= this.dataSource
      .query('INSERT INTO projection_checkpoints (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING', [this.names])
      .then(
        () => undefined,
        (error: unknown) => {
          this.checkpointsReady = undefined;
          throw error;
        },
      );
    return this.checkpointsReady;
  }

  private async transaction<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
      const result = await work(runner);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}

class SwapRetry extends Error {}

interface RebuildTarget {
  readonly live: LiveProjection;
  readonly shadow: string;
  /** Where the shadow tables stand, and how many events they have applied. */
  position: Position;
  events: number;
}
