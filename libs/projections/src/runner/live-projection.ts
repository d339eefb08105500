import type { Position } from '@tasking/event-store';
import type { Projection } from '../projection';
import { Mutex } from './async';

/** A projection as the runner holds it: shared by its live loop and its rebuild. */
export interface LiveProjection {
  readonly projection: Projection;
  readonly lockKey: string;
  /** Live batches and the rebuild's final swap take turns here. */
  readonly batches: Mutex;
  /** The checkpoint as this process last saw it; undefined: read it again before the next batch. */
  position: Position | undefined;
  /** The live loop, while it runs. */
  running: Promise<void> | undefined;
}

export function liveProjection(projection: Projection, lockKey: string): LiveProjection {
  return { projection, lockKey, batches: new Mutex(), position: undefined, running: undefined };
}
