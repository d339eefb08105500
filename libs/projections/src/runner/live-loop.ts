import { IdleWait, sleep, type EventStore, type Position, type RecordedEvent } from '@tasking/event-store';
import type { Projection } from '../projection';
import type { AdvanceOutcome, Checkpoints } from './checkpoints';
import { describeError, isTransientError } from './errors';
import type { KnownPositions } from './known-positions';
import type { LiveProjection } from './live-projection';
import type { ProjectionLocks } from './projection-locks';
import { RecentLog } from './recent-log';

export interface RunnerLogger {
  warn(message: string): void;
  error(message: string): void;
}

export const consoleLogger: RunnerLogger = {
  warn: (message) => console.warn(`[projections] ${message}`),
  error: (message) => console.error(`[projections] ${message}`),
};

export interface LiveLoopSettings {
  /** Events per batch (one transaction). */
  batchSize: number;
  /** Longest wait for an append before reading again (the safety poll). */
  idleWaitMs: number;
  /** How often a process without a projection's lock tries to take it. */
  standbyRetryMs: number;
  /** Backoff after transient failures starts at 100 ms and doubles up to this. */
  maxRetryDelayMs: number;
  logger: RunnerLogger;
}

type BatchOutcome = AdvanceOutcome | { kind: 'failed'; position: Position };
type StepOutcome = BatchOutcome | { kind: 'idle'; position: Position; tick: number };

const FIRST_RETRY_MS = 100;

/**
 * The live loops: while it holds the projection's lock, each reads the log after its checkpoint
 * and applies each batch in one short transaction that also moves the checkpoint; it waits for
 * appends when caught up, backs off on transient failures and stops on an event whose apply
 * throws (the projection is marked failed at it).
 */
export class LiveLoops {
  /** The loops' reads of the log, shared. */
  private readonly recent: RecentLog;

  constructor(
    private readonly store: Pick<EventStore, 'readAll' | 'appendTick' | 'waitForAppend' | 'hasEventsAfter'>,
    private readonly checkpoints: Pick<Checkpoints, 'position' | 'applyBatch' | 'markFailed'>,
    private readonly known: Pick<KnownPositions, 'note'>,
    private readonly locks: Pick<ProjectionLocks, 'hold'>,
    private readonly settings: LiveLoopSettings,
  ) {
    this.recent = new RecentLog(store, settings.batchSize * 4);
  }

  /** Starts the projection's loop unless it runs; it ends when `signal` aborts or the projection fails. */
  launch(live: LiveProjection, signal: AbortSignal): void {
    if (live.running) return;
    live.running = this.loop(live, signal).finally(() => {
      live.running = undefined;
    });
  }

  private async loop(live: LiveProjection, signal: AbortSignal): Promise<void> {
    const { name } = live.projection;
    let retryDelay = FIRST_RETRY_MS;
    const idle = new IdleWait(this.store, this.settings.idleWaitMs);
    while (!signal.aborted) {
      try {
        if (!(await this.locks.hold(live.lockKey))) {
          live.position = undefined;
          await sleep(this.settings.standbyRetryMs, signal);
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
        this.settings.logger.warn(`projection ${name}: ${describeError(error)}; retrying in ${retryDelay} ms`);
        await sleep(retryDelay, signal);
        retryDelay = Math.min(retryDelay * 2, this.settings.maxRetryDelayMs);
      }
    }
  }

  private async step(live: LiveProjection): Promise<StepOutcome> {
    const { name } = live.projection;
    if (live.position === undefined) {
      live.position = await this.checkpoints.position(name);
      this.known.note(name, live.position);
    }
    // Take the tick before reading: an append that commits after the read moves it, so the idle
    // wait returns at once instead of missing it.
    const tick = this.store.appendTick();
    const events = await this.recent.readAll(live.position, this.settings.batchSize);
    if (events.length === 0) return { kind: 'idle', position: live.position, tick };
    const outcome = await this.applyOrIsolate(live.projection, live.position, events);
    live.position = outcome.position;
    this.known.note(name, outcome.position);
    return outcome;
  }

  /**
   * Applies the batch; if it throws, applies its events one by one to find the first that fails
   * on its own (the ones before it take effect) and marks the projection failed at it.
   */
  private async applyOrIsolate(projection: Projection, from: Position, events: readonly RecordedEvent[]): Promise<BatchOutcome> {
    try {
      return await this.checkpoints.applyBatch(projection, from, events);
    } catch (error) {
      if (isTransientError(error)) throw error;
      if (events.length === 1) return this.markFailed(projection.name, from, events[0]!, error);
    }
    let position = from;
    for (const event of events) {
      try {
        const outcome = await this.checkpoints.applyBatch(projection, position, [event]);
        if (outcome.kind === 'moved') return outcome;
        position = outcome.position;
      } catch (error) {
        if (isTransientError(error)) throw error;
        return this.markFailed(projection.name, position, event, error);
      }
    }
    return { kind: 'applied', position };
  }

  private async markFailed(name: string, at: Position, event: RecordedEvent, error: unknown): Promise<BatchOutcome> {
    const message = `${event.type} ${event.stream}@${event.revision}: ${describeError(error)}`;
    this.settings.logger.error(`projection ${name} stopped at ${event.position}: ${message}`);
    await this.checkpoints.markFailed(name, at, message, event.position);
    return { kind: 'failed', position: at };
  }
}
