import { Position, RecordedEvent, START, StoreUnavailableError } from '../event-store.port';
import { encodeLogPosition } from './positions';
import { backoffDelay, resilientSubscription, SubscriptionHandle } from './resilient-subscription';

/** Reconnection logic on scripted subscriptions: drops, ends, repeats after reconnecting, aborts. */

const pos = (n: number): Position => encodeLogPosition({ commit: BigInt(Math.abs(n) * 100), prepare: BigInt(Math.abs(n) * 100) });
const event = (n: number): RecordedEvent => ({
  eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  stream: 's',
  revision: n,
  type: 'T',
  data: {},
  metadata: {},
  position: pos(n),
  recordedAt: new Date(0).toISOString(),
});

type Step = { event: number } | { fail: unknown } | { end: true } | { hang: true };

const unavailable = Object.assign(new Error('connection dropped'), { type: 'unavailable' });

/** One scripted subscription per attempt; records what each was opened from and whether it was cancelled. */
function scripted(attempts: Step[][]) {
  const opened: (Position | null)[] = [];
  const unsubscribed: number[] = [];
  const open = (from: Position | null): SubscriptionHandle<RecordedEvent> => {
    const index = opened.length;
    opened.push(from);
    const steps = attempts[index] ?? [{ hang: true }];
    return {
      unsubscribe: async () => void unsubscribed.push(index),
      async *[Symbol.asyncIterator]() {
        for (const step of steps) {
          if ('event' in step) yield event(step.event);
          else if ('fail' in step) throw step.fail;
          else if ('end' in step) return;
          else await new Promise(() => undefined);
        }
        await new Promise(() => undefined);
      },
    };
  };
  return { open, opened, unsubscribed };
}

function run(from: Position | null, attempts: Step[][], options: { maxAttempts?: number; isRetryable?: (e: unknown) => boolean } = {}) {
  const source = scripted(attempts);
  const controller = new AbortController();
  const delays: number[] = [];
  const iterator = resilientSubscription(from, {
    open: source.open,
    convert: (e: RecordedEvent) => (e.revision < 0 ? undefined : e),
    isRetryable: options.isRetryable ?? ((error) => error === unavailable),
    signal: controller.signal,
    backoff: { initialMs: 100, maxMs: 1_000, maxAttempts: options.maxAttempts },
    sleep: async (ms) => void delays.push(ms),
  });
  return { iterator, source, controller, delays };
}

async function take(iterator: AsyncGenerator<RecordedEvent>, count: number): Promise<number[]> {
  const seen: number[] = [];
  while (seen.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    seen.push(next.value.revision);
  }
  return seen;
}

describe('resilientSubscription', () => {
  it('resubscribes after a drop and after an end from the last delivered position, without repeats', async () => {
    const { iterator, source, delays } = run(START, [
      [{ event: 1 }, { event: 2 }, { fail: unavailable }],
      // The server may hand back the last delivered event again: it is passed over.
      [{ event: 2 }, { event: 3 }, { end: true }],
      [{ event: 4 }, { hang: true }],
    ]);
    expect(await take(iterator, 4)).toEqual([1, 2, 3, 4]);
    expect(source.opened).toEqual([START, pos(2), pos(3)]);
    // Each attempt delivered something, so each wait is the first step of the backoff.
    expect(delays).toEqual([100, 100]);
    expect(source.unsubscribed).toEqual([0, 1]);
    await iterator.return(undefined);
    expect(source.unsubscribed).toEqual([0, 1, 2]);
  });

  it('backs off exponentially, capped, while attempts keep failing, and resets after an event', async () => {
    const { iterator, delays, source } = run(pos(7), [
      [{ fail: unavailable }],
      [{ fail: unavailable }],
      [{ fail: unavailable }],
      [{ fail: unavailable }],
      [{ fail: unavailable }],
      [{ event: 8 }, { fail: unavailable }],
      [{ event: 9 }],
    ]);
    expect(await take(iterator, 2)).toEqual([8, 9]);
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 100]);
    expect(source.opened.slice(0, 6).every((from) => from === pos(7))).toBe(true);
    expect(source.opened[6]).toBe(pos(8));
    await iterator.return(undefined);
    expect(backoffDelay(30, { initialMs: 100, maxMs: 5_000 })).toBe(5_000);
  });

  it('from the live end keeps resubscribing from the end until it has delivered something', async () => {
    const { iterator, source } = run(null, [[{ fail: unavailable }], [{ event: 1 }, { fail: unavailable }], [{ event: 2 }]]);
    expect(await take(iterator, 2)).toEqual([1, 2]);
    expect(source.opened).toEqual([null, null, pos(1)]);
    await iterator.return(undefined);
  });

  it('gives up with StoreUnavailableError after maxAttempts failures in a row', async () => {
    const { iterator } = run(START, [[{ fail: unavailable }], [{ fail: unavailable }], [{ fail: unavailable }]], { maxAttempts: 2 });
    await expect(iterator.next()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('throws an error that is not worth retrying as it came', async () => {
    const denied = Object.assign(new Error('denied'), { type: 'access-denied' });
    const { iterator, source } = run(START, [[{ event: 1 }, { fail: denied }]]);
    expect(await take(iterator, 1)).toEqual([1]);
    await expect(iterator.next()).rejects.toBe(denied);
    expect(source.unsubscribed).toEqual([0]);
  });

  it('ends when the signal aborts while waiting, cancelling the server subscription', async () => {
    const { iterator, source, controller } = run(START, [[{ event: 1 }, { hang: true }]]);
    expect(await take(iterator, 1)).toEqual([1]);
    const pending = iterator.next();
    setTimeout(() => controller.abort(), 10);
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(source.unsubscribed).toEqual([0]);
  });

  it('passes over items the converter drops (system events, checkpoints)', async () => {
    const { iterator } = run(START, [[{ event: -1 }, { event: 1 }, { event: -2 }, { event: 2 }]]);
    expect(await take(iterator, 2)).toEqual([1, 2]);
    await iterator.return(undefined);
  });
});
