import type { RecordedEvent } from '@tasking/event-store';
import { RecentLog } from './recent-log';

const position = (n: number) => `${String(n).padStart(20, '0')}-${String(n).padStart(20, '0')}`;
const event = (n: number): RecordedEvent => ({
  eventId: `e${n}`,
  stream: 's',
  revision: n,
  type: 'T',
  data: { n },
  metadata: {},
  position: position(n),
  recordedAt: '2026-01-01T00:00:00.000Z',
});

/** A log of `visible` events (1..visible) that readers see; `reads` records what reached it. */
function fakeStore(visible: { n: number }) {
  const reads: string[] = [];
  return {
    reads,
    async readAll(after: string, batchSize: number) {
      reads.push(`${after}/${batchSize}`);
      const from = after === '' ? 0 : Number(after.slice(0, 20));
      const events: RecordedEvent[] = [];
      for (let n = from + 1; n <= visible.n && events.length < batchSize; n += 1) events.push(event(n));
      return events;
    },
  };
}

const numbers = (events: RecordedEvent[]) => events.map((e) => e.data['n']);

describe('RecentLog', () => {
  it('given one loop read a batch, when another reads from the same or a later position in it, then the store is not asked again', async () => {
    const visible = { n: 10 };
    const store = fakeStore(visible);
    const log = new RecentLog(store, 100);
    expect(numbers(await log.readAll('', 5))).toEqual([1, 2, 3, 4, 5]);
    expect(numbers(await log.readAll('', 5))).toEqual([1, 2, 3, 4, 5]);
    expect(numbers(await log.readAll(position(2), 2))).toEqual([3, 4]);
    expect(numbers(await log.readAll(position(3), 5))).toEqual([4, 5]);
    expect(store.reads).toEqual(['/5']);
  });

  it('given the window ends at a position, when a loop reads from there, then the store answers and the window grows', async () => {
    const visible = { n: 3 };
    const store = fakeStore(visible);
    const log = new RecentLog(store, 100);
    await log.readAll('', 10);
    expect(await log.readAll(position(3), 10)).toEqual([]);
    visible.n = 6;
    expect(numbers(await log.readAll(position(3), 10))).toEqual([4, 5, 6]);
    expect(numbers(await log.readAll('', 10))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(numbers(await log.readAll(position(1), 10))).toEqual([2, 3, 4, 5, 6]);
    expect(store.reads).toEqual(['/10', `${position(3)}/10`, `${position(3)}/10`]);
  });

  it('given a read from inside the window that reaches past it, when remembered, then the window holds each event once, in order', async () => {
    const visible = { n: 4 };
    const store = fakeStore(visible);
    const log = new RecentLog(store, 100);
    await log.readAll('', 10);
    visible.n = 8;
    expect(numbers(await log.readAll(position(4), 10))).toEqual([5, 6, 7, 8]);
    expect(numbers(await log.readAll(position(1), 10))).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('given a position the window does not hold, when read, then the store answers and the window starts there', async () => {
    const store = fakeStore({ n: 20 });
    const log = new RecentLog(store, 100);
    await log.readAll(position(10), 3);
    expect(numbers(await log.readAll(position(2), 3))).toEqual([3, 4, 5]);
    expect(numbers(await log.readAll(position(3), 3))).toEqual([4, 5]);
    expect(store.reads).toEqual([`${position(10)}/3`, `${position(2)}/3`]);
  });

  it('keeps at most its capacity, dropping the oldest events', async () => {
    const store = fakeStore({ n: 10 });
    const log = new RecentLog(store, 4);
    await log.readAll('', 3);
    await log.readAll(position(3), 3);
    expect(numbers(await log.readAll(position(2), 10))).toEqual([3, 4, 5, 6]);
    expect(store.reads).toEqual(['/3', `${position(3)}/3`]);
    await log.readAll(position(1), 10);
    expect(store.reads).toHaveLength(3);
  });

  it('makes identical reads in flight at once a single read', async () => {
    const store = fakeStore({ n: 5 });
    const log = new RecentLog(store, 100);
    const [a, b] = await Promise.all([log.readAll('', 5), log.readAll('', 5)]);
    expect(numbers(a)).toEqual(numbers(b));
    expect(store.reads).toEqual(['/5']);
  });

  it('passes a failed read on and does not remember it', async () => {
    let fail = true;
    const store = fakeStore({ n: 2 });
    const log = new RecentLog({ readAll: (after, size) => (fail ? Promise.reject(new Error('down')) : store.readAll(after, size)) }, 100);
    await expect(log.readAll('', 5)).rejects.toThrow('down');
    fail = false;
    expect(numbers(await log.readAll('', 5))).toEqual([1, 2]);
  });
});
