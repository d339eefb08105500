import { Position, RecordedEvent, StoreUnavailableError } from '../event-store.port';
import { sleep } from '../sleep';

/** One server subscription as the client hands it out: an async iterable that can be cancelled. */
export interface SubscriptionHandle<T> extends AsyncIterable<T> {
  unsubscribe(): Promise<void>;
}

export interface Backoff {
  /** First wait after a drop. Default 100 ms. */
  initialMs?: number;
  /** Longest wait between attempts. Default 5 000 ms. */
  maxMs?: number;
  /** Consecutive failed attempts before giving up with StoreUnavailableError. Default: never give up. */
  maxAttempts?: number;
}

export interface ResilientSubscriptionOptions<T> {
  /**
   * Opens a subscription yielding items after `from` (exclusive); `null` means from the live end of
   * the log. Called again, with the last delivered position, after every drop.
   */
  open(from: Position | null): SubscriptionHandle<T>;
  /** The port's event for an item, or undefined to pass over it (system events, checkpoints). */
  convert(item: T): RecordedEvent | undefined;
  /** Errors worth reconnecting after (unavailable, cancelled by the server, timeouts, an ended stream). */
  isRetryable(error: unknown): boolean;
  signal: AbortSignal;
  backoff?: Backoff;
  /** Told of each (re)connection attempt that opened a subscription. */
  onOpen?(attempt: number): void;
  /** Told of each drop before the wait; `delayMs` is the wait. */
  onDrop?(error: unknown, failures: number, delayMs: number): void;
  /** For tests: how to wait (default: an abortable timer). */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

/** The stream ended without an error: for a subscription that means the server let it go. */
export class SubscriptionEndedError extends Error {
  constructor() {
    super('the KurrentDB subscription ended');
    this.name = 'SubscriptionEndedError';
  }
}

const ABORTED = Symbol('aborted');

function abortable(signal: AbortSignal): { promise: Promise<typeof ABORTED>; dispose(): void } {
  let onAbort: () => void = () => undefined;
  const promise = new Promise<typeof ABORTED>((resolve) => {
    onAbort = () => resolve(ABORTED);
    if (signal.aborted) resolve(ABORTED);
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

export function backoffDelay(failures: number, backoff: Backoff = {}): number {
  const initial = backoff.initialMs ?? 100;
  const max = backoff.maxMs ?? 5_000;
  return Math.min(max, initial * 2 ** Math.max(0, failures - 1));
}

/**
 * A subscription to the log that survives drops: after an error (or an unexpected end) it waits
 * with exponential backoff and subscribes again from the last position it delivered, passing over
 * anything at or before it, so the consumer sees every event once and in order. Ends when the
 * signal aborts or the consumer stops iterating (the server subscription is cancelled either
 * way); throws a non-retryable error as it came, and StoreUnavailableError after
 * `backoff.maxAttempts` consecutive failed attempts.
 */
export async function* resilientSubscription<T>(
  from: Position | null,
  options: ResilientSubscriptionOptions<T>,
): AsyncGenerator<RecordedEvent, void, undefined> {
  const { signal } = options;
  const wait = options.sleep ?? sleep;
  const maxAttempts = options.backoff?.maxAttempts ?? Number.POSITIVE_INFINITY;
  let last = from;
  let failures = 0;
  let attempt = 0;
  while (!signal.aborted) {
    let handle: SubscriptionHandle<T> | undefined;
    let failure: unknown;
    const aborted = abortable(signal);
    try {
      handle = options.open(last);
      options.onOpen?.(++attempt);
      const iterator = handle[Symbol.asyncIterator]();
      for (;;) {
        const next = await Promise.race([iterator.next(), aborted.promise]);
        if (next === ABORTED) return;
        if (next.done) throw new SubscriptionEndedError();
        const event = options.convert(next.value);
        if (!event) continue;
        if (last !== null && event.position <= last) continue; // delivered before the drop
        last = event.position;
        failures = 0;
        yield event;
        if (signal.aborted) return;
      }
    } catch (error) {
      if (signal.aborted) return;
      if (!(error instanceof SubscriptionEndedError) && !options.isRetryable(error)) throw error;
      failure = error;
    } finally {
      aborted.dispose();
      await handle?.unsubscribe().catch(() => undefined);
    }
    failures++;
    if (failures > maxAttempts) {
      throw new StoreUnavailableError(
        `event store unavailable: the KurrentDB subscription dropped ${failures} times in a row (${failure instanceof Error ? failure.message : String(failure)})`,
        failure,
      );
    }
    const delay = backoffDelay(failures, options.backoff);
    options.onDrop?.(failure, failures, delay);
    await wait(delay, signal);
  }
}
