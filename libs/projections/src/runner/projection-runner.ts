import { START, type EventStore, type Position } from '@tasking/event-store';
import type { ReadModels } from '../read-models';
import { Checkpoints, type ProjectionCheckpoint } from './checkpoints';
import { RebuildAlreadyRunningError, UnknownProjectionError } from './errors';
import { KnownPositions } from './known-positions';
import { LiveLoops, consoleLogger, type RunnerLogger } from './live-loop';
import { liveProjection, type LiveProjection } from './live-projection';
import { ProjectionLocks } from './projection-locks';
import { ShadowRebuild, type RebuildProgress, type RebuildResult } from './rebuild';
import { RebuildJobs } from './rebuild-jobs';

export type { ProjectionCheckpoint } from './checkpoints';
export type { RunnerLogger } from './live-loop';
export type { RebuildProgress, RebuildResult } from './rebuild';

/** A checkpoint with how far behind the log it is (the admin view). */
export interface ProjectionLag extends ProjectionCheckpoint {
  /** Events in the log after the checkpoint (null when the store cannot count). */
  lagEvents: number | null;
  /** `now` minus the time the oldest unapplied event was recorded; 0 when caught up. */
  lagMs: number;
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

const POLL_MS = 25;

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
 *
 * This class starts and stops the parts and answers for positions; the checkpoint table is
 * `Checkpoints`, the loops `LiveLoops`, the rebuild `ShadowRebuild`.
 */
export class ProjectionRunner {
  /** Rebuilds started as background jobs, with their progress (the admin routes). */
  readonly jobs: RebuildJobs;
  private readonly live = new Map<string, LiveProjection>();
  private readonly known = new KnownPositions();
  /** Projections being rebuilt by this process, each with a promise settling when its rebuild ends. */
  private readonly rebuilding = new Map<string, Promise<void>>();
  private readonly runNames: ReadonlySet<string>;
  private readonly keyPrefix: string;
  private readonly locks: ProjectionLocks;
  private readonly checkpoints: Checkpoints;
  private readonly loops: LiveLoops;
  private readonly shadowRebuild: ShadowRebuild;
  private abort = new AbortController();
  private started = false;

  constructor(
    private readonly store: EventStore,
    readModels: ReadModels,
    options: ProjectionRunnerOptions = {},
  ) {
    const { db, dataSource } = readModels;
    this.keyPrefix = `tasking-ledger/${db.schema}`;
    for (const projection of readModels.projections) {
      this.live.set(projection.name, liveProjection(projection, `${this.keyPrefix}/projection/${projection.name}`));
    }
    for (const name of options.run ?? []) this.liveOf(name);
    this.runNames = new Set(options.run ?? this.live.keys());
    this.locks = new ProjectionLocks(db);
    this.checkpoints = new Checkpoints(dataSource, this.names);
    this.loops = new LiveLoops(store, this.checkpoints, this.known, this.locks, {
      batchSize: options.batchSize ?? 500,
      idleWaitMs: options.idleWaitMs ?? 1000,
      standbyRetryMs: options.standbyRetryMs ?? 2000,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 10_000,
      logger: options.logger ?? consoleLogger,
    });
    this.shadowRebuild = new ShadowRebuild(store, db, dataSource, this.checkpoints, this.known, options.rebuildBatchSize ?? 5000);
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
    await this.checkpoints.ensure();
    if (this.abort.signal.aborted) this.abort = new AbortController();
    this.started = true;
    for (const live of this.live.values()) {
      if (this.runNames.has(live.projection.name)) this.loops.launch(live, this.abort.signal);
    }
  }

  /** Stops the loops and rebuilds, letting a batch in flight commit; releases the locks. */
  async stop(): Promise<void> {
    this.abort.abort();
    const loops = [...this.live.values()].map((live) => live.running);
    await Promise.allSettled([...loops, ...this.rebuilding.values()]);
    this.started = false;
    await this.locks.close();
  }

  /** Every projection's checkpoint, in schema order. */
  async positions(): Promise<ProjectionCheckpoint[]> {
    const checkpoints = await this.checkpoints.all();
    for (const { name, position } of checkpoints) this.known.note(name, position);
    return checkpoints;
  }

  /** Every projection's checkpoint and lag behind the head of the log. */
  async lag(now: Date): Promise<ProjectionLag[]> {
    const head = await this.store.headPosition();
    const checkpoints = await this.positions();
    const total = checkpoints.some((c) => c.position < head) ? await this.checkpoints.countEvents() : null;
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
      await this.known.nextChange(local ? remaining : Math.min(remaining, POLL_MS));
    }
  }

  /**
   * Replays the whole log into fresh copies of the projection's tables in a schema of their own
   * (committed batches; the live tables keep answering queries and the live loop keeps going),
   * then swaps them in within one short transaction (see `ShadowRebuild`).
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
    const locks = this.locks.session();
    const taken: string[] = [];
    try {
      await this.checkpoints.ensure();
      for (const { projection } of lives) {
        const lockKey = `${this.keyPrefix}/rebuild/${projection.name}`;
        if (locks && !(await locks.tryLock(lockKey))) throw new RebuildAlreadyRunningError(projection.name);
        taken.push(lockKey);
      }
      const results = await this.shadowRebuild.run(lives, this.abort.signal, onProgress);
      // A loop that had stopped on a failure starts again over the rebuilt tables.
      for (const live of lives) if (this.started && this.runNames.has(live.projection.name)) this.loops.launch(live, this.abort.signal);
      return results;
    } finally {
      for (const lockKey of taken) await locks?.unlock(lockKey);
      for (const live of lives) this.rebuilding.delete(live.projection.name);
      finished();
    }
  }

  private liveOf(name: string): LiveProjection {
    const live = this.live.get(name);
    if (!live) throw new UnknownProjectionError(name);
    return live;
  }

  /** This process runs the projection's loop and holds its lock: its memory of the checkpoint is exact. */
  private isLocal(name: string): boolean {
    const live = this.live.get(name);
    if (!live?.running) return false;
    return this.locks.holds(live.lockKey);
  }

  private async refresh(names: readonly string[]): Promise<void> {
    for (const row of await this.checkpoints.positions(names)) this.known.note(row.name, row.position);
  }
}
