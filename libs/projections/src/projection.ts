import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@tasking/event-store';

/**
 * A read model fed from the log. `apply` receives a batch of events in log order inside the
 * runner's transaction (the same one that moves the checkpoint), so it must only write through
 * `tx` and must depend on nothing but the events: no clock, no serial ids, so a rebuild gives
 * identical tables.
 */
export interface Projection {
  /** Stable name: the checkpoint key and the admin route's `:name`. */
  readonly name: string;
  /** The tables it owns (unqualified); a rebuild recreates exactly these and swaps them in. */
  readonly tables: readonly string[];
  apply(tx: EntityManager, events: readonly RecordedEvent[]): Promise<void>;
}
