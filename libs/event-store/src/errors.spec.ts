import { StoreUnavailableError } from './event-store.port';
import { isConnectionError, mapStoreError } from './errors';

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
