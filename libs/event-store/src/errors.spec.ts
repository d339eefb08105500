import { StoreUnavailableError } from './event-store.port';
import { isConnectionError, isStorageFull, mapStoreError } from './errors';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('mapping connection failures', () => {
  it.each([
    withCode('ECONNREFUSED'),
    withCode('ECONNRESET'),
    withCode('57P01'),
    withCode('57P03'),
    withCode('08006'),
    withCode('08001'),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
    new AggregateError([withCode('ECONNREFUSED')]),
  ])('maps %p to StoreUnavailableError', (error) => {
    expect(isConnectionError(error)).toBe(true);
    const mapped = mapStoreError(error);
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect((mapped as StoreUnavailableError).cause).toBe(error);
  });

  it.each([withCode('23505'), withCode('42P01'), new TypeError('bad'), 'text'])('leaves %p alone', (error) => {
    expect(isConnectionError(error)).toBe(false);
    expect(mapStoreError(error)).toBe(error);
  });
});

describe('recognising a database with no room to write', () => {
  it.each([
    withCode('53100', 'could not extend file "base/5/16384": No space left on device'),
    withCode('53200'),
    withCode('ENOSPC'),
    Object.assign(new Error('query failed'), { driverError: withCode('53100') }),
    new Error('write failed', { cause: withCode('53100') }),
  ])('counts %p as storage full', (error) => {
    expect(isStorageFull(error)).toBe(true);
  });

  it.each([withCode('53300'), withCode('23505'), withCode('57P01'), new Error('syntax error'), undefined, 'text'])('does not count %p', (error) => {
    expect(isStorageFull(error)).toBe(false);
  });
});
