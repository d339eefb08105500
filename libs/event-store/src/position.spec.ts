import { START } from './event-store.port';
import { decodePosition, encodePosition } from './position';

describe('positions', () => {
  it('encode (transaction id, sequence) as fixed-width decimals that sort as the pair', () => {
    const pairs: [bigint, bigint][] = [
      [1n, 999n],
      [2n, 1n],
      [2n, 10n],
      [10n, 3n],
      [18446744073709551615n, 9223372036854775807n],
    ];
    const encoded = pairs.map(([x, s]) => encodePosition(x, s));
    expect([...encoded].sort()).toEqual(encoded);
    for (const p of encoded) expect(p > START).toBe(true);
    expect(encoded[0]).toBe('00000000000000000001-00000000000000000999');
    expect(decodePosition(encoded[4])).toEqual({ transactionId: '18446744073709551615', sequence: '9223372036854775807' });
  });

  it('decode START as before everything and refuse anything else', () => {
    expect(decodePosition(START)).toEqual({ transactionId: '0', sequence: '0' });
    for (const bad of ['x', '1-2', '00000000000000000001_00000000000000000002', '0000000000000000000a-00000000000000000002']) {
      expect(() => decodePosition(bad)).toThrow(TypeError);
    }
  });
});
