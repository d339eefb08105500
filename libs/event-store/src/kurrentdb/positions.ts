import { isPosition, Position, START } from '../event-store.port';

/** A KurrentDB log position: the commit and prepare positions of a record in the transaction file. */
export interface LogPosition {
  commit: bigint;
  prepare: bigint;
}

const WIDTH = 20;
const MAX = (1n << 64n) - 1n;

/**
 * The port's Position for a KurrentDB log position: commit and prepare as zero-padded 20-digit
 * decimals joined by '-'. Both are unsigned 64-bit, so 20 digits always suffice and plain string
 * comparison is the server's order (commit first, then prepare).
 */
export function encodeLogPosition(position: LogPosition): Position {
  for (const part of [position.commit, position.prepare]) {
    if (part < 0n || part > MAX) throw new RangeError(`not a KurrentDB log position part: ${part}`);
  }
  return `${position.commit.toString().padStart(WIDTH, '0')}-${position.prepare.toString().padStart(WIDTH, '0')}`;
}

/** START decodes to undefined (the beginning of the log); anything not made by encodeLogPosition throws. */
export function decodeLogPosition(position: Position): LogPosition | undefined {
  if (position === START) return undefined;
  if (typeof position !== 'string' || !isPosition(position)) {
    throw new TypeError(`not an event store position: ${JSON.stringify(position)}`);
  }
  return { commit: BigInt(position.slice(0, WIDTH)), prepare: BigInt(position.slice(WIDTH + 1)) };
}
