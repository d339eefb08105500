import { isPosition, Position, START } from './event-store.port';

const WIDTH = 20;

/**
 * A position is the pair (transaction id, sequence) as two zero-padded 20-digit decimals joined by
 * '-', so plain string comparison is log order. Both parts fit: xid8 and bigint are below 2^64.
 */
export function encodePosition(transactionId: string | bigint, sequence: string | bigint): Position {
  return `${String(transactionId).padStart(WIDTH, '0')}-${String(sequence).padStart(WIDTH, '0')}`;
}

export interface DecodedPosition {
  transactionId: string;
  sequence: string;
}

/** START decodes to (0, 0): below every stored event. Throws on anything that is not a position. */
export function decodePosition(position: Position): DecodedPosition {
  if (position === START) return { transactionId: '0', sequence: '0' };
  if (typeof position !== 'string' || !isPosition(position)) {
    throw new TypeError(`not an event store position: ${JSON.stringify(position)}`);
  }
  return {
    transactionId: BigInt(position.slice(0, WIDTH)).toString(),
    sequence: BigInt(position.slice(WIDTH + 1)).toString(),
  };
}
