import type { EventStore, Position, RecordedEvent } from '@tasking/event-store';

/**
 * The stretch of the log this process read last, shared by its live projection loops: the loops
 * read the same events one after the other (each projection moves at its own pace), and without
 * this each read would go to the store, decode and decrypt them again.
 *
 * Sound because `readAll` hands out the log in order with nothing ever appearing later between
 * two events it returned: every contiguous run after a position it has seen is exactly what the
 * store would return from there (possibly shorter). Reads the window cannot answer go to the
 * store; identical reads in flight at once are made once.
 */
export class RecentLog {
  /** The position the window starts after, and its events, contiguous in log order. */
  private from: Position | undefined;
  private events: RecordedEvent[] = [];
  private readonly inFlight = new Map<string, Promise<RecordedEvent[]>>();

  constructor(
    private readonly store: Pick<EventStore, 'readAll'>,
    private readonly capacity: number,
  ) {}

  async readAll(after: Position, batchSize: number): Promise<RecordedEvent[]> {
    const start = this.indexAfter(after);
    if (start !== undefined && start < this.events.length) return this.events.slice(start, start + batchSize);
    const key = `${after}/${batchSize}`;
    let reading = this.inFlight.get(key);
    if (!reading) {
      reading = this.store.readAll(after, batchSize).then((events) => {
        this.remember(after, events);
        return events;
      });
      const settled = () => this.inFlight.delete(key);
      reading.then(settled, settled);
      this.inFlight.set(key, reading);
    }
    return reading;
  }

  /** The index in the window of the first event after `after`; undefined when the window cannot tell. */
  private indexAfter(after: Position): number | undefined {
    if (this.from === undefined) return undefined;
    if (after === this.from) return 0;
    let low = 0;
    let high = this.events.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const position = this.events[middle]!.position;
      if (position === after) return middle + 1;
      if (position < after) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  private remember(after: Position, events: readonly RecordedEvent[]): void {
    if (events.length === 0) return;
    const start = this.indexAfter(after);
    if (start === undefined) {
      this.from = after;
      this.events = [...events];
    } else {
      // The window's events after `after` are a prefix of this read: keep what goes beyond them.
      const known = this.events.length - start;
      for (let i = known; i < events.length; i += 1) this.events.push(events[i]!);
    }
    const excess = this.events.length - this.capacity;
    if (excess > 0) {
      this.from = this.events[excess - 1]!.position;
      this.events = this.events.slice(excess);
    }
  }
}
