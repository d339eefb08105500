import { InvalidAppendError, START, StoreUnavailableError, WrongExpectedRevisionError } from '../event-store.port';
import { decodeMetadata, encodeMetadata, isSystemEvent, toClientEvent, toRecordedEvent, ClientRecordedEvent } from './conversion';
import { actualRevisionOf, isStreamNotFound, isWrongExpectedVersion, mapClientError, toWrongExpectedRevision } from './errors';
import { decodeLogPosition, encodeLogPosition } from './positions';
import { checkServerFeatures, describeConnection, normalizeConnectionString, parseVersion, UnsupportedServerError } from './server-features';

/** The adapter's mapping of the client's values, on constructed values (no server, no client runtime). */
describe('kurrentdb mapping', () => {
  describe('positions', () => {
    it('encodes commit and prepare as zero-padded decimals that sort as text in log order', () => {
      const positions = [
        { commit: 0n, prepare: 0n },
        { commit: 9n, prepare: 9n },
        { commit: 10n, prepare: 10n },
        { commit: 10n, prepare: 11n },
        { commit: 1_000_000n, prepare: 999n },
        { commit: (1n << 64n) - 1n, prepare: (1n << 64n) - 1n },
      ];
      const encoded = positions.map(encodeLogPosition);
      expect(encoded[2]).toBe('00000000000000000010-00000000000000000010');
      expect([...encoded].sort()).toEqual(encoded);
      expect(encoded.every((p) => p > START)).toBe(true);
      for (const [i, p] of encoded.entries()) expect(decodeLogPosition(p)).toEqual(positions[i]);
    });

    it('decodes START as the beginning and refuses anything else', () => {
      expect(decodeLogPosition(START)).toBeUndefined();
      for (const bad of ['0-0', 'x', '00000000000000000001-0000000000000000000', '-1', '00000000000000000001_00000000000000000001']) {
        expect(() => decodeLogPosition(bad)).toThrow(TypeError);
      }
      expect(() => encodeLogPosition({ commit: -1n, prepare: 0n })).toThrow(RangeError);
      expect(() => encodeLogPosition({ commit: 1n << 64n, prepare: 0n })).toThrow(RangeError);
    });
  });

  describe('metadata envelope', () => {
    it('stores strings as they are, other values as JSON listed in tl.json, and gets them back', () => {
      const metadata = { actor: { id: 'u1', roles: ['a'] }, correlationId: 'c-1', count: 3, flag: false, none: null, text: '{"not":"parsed"}' };
      const stored = encodeMetadata(metadata);
      expect(Object.values(stored).every((v) => typeof v === 'string')).toBe(true);
      expect(stored.correlationId).toBe('c-1');
      expect(stored.text).toBe('{"not":"parsed"}');
      expect(JSON.parse(stored['tl.json']).sort()).toEqual(['actor', 'count', 'flag', 'none']);
      expect(decodeMetadata(stored)).toEqual({ metadata });
    });

    it("escapes the caller's own tl. keys so they never meet the envelope's", () => {
      const metadata = { 'tl.json': 'mine', 'tl.recordedAt': { x: 1 }, 'tl.tl.deep': 'deeper' };
      const stored = encodeMetadata(metadata, '2020-01-02T03:04:05.000Z');
      expect(stored['tl.recordedAt']).toBe('2020-01-02T03:04:05.000Z');
      expect(stored['tl.tl.json']).toBe('mine');
      expect(decodeMetadata(stored)).toEqual({ metadata, recordedAt: '2020-01-02T03:04:05.000Z' });
    });

    it('leaves metadata written by other tools as it is, and copes with none or non-objects', () => {
      expect(decodeMetadata({ $correlationId: 'x', nested: { a: 1 } })).toEqual({ metadata: { $correlationId: 'x', nested: { a: 1 } } });
      expect(decodeMetadata(undefined)).toEqual({ metadata: {} });
      expect(decodeMetadata(new Uint8Array([1, 2]))).toEqual({ metadata: {} });
      expect(decodeMetadata('text')).toEqual({ metadata: { value: 'text' } });
      expect(decodeMetadata({})).toEqual({ metadata: {} });
      expect(encodeMetadata({ gone: undefined })).toEqual({});
    });
  });

  describe('events', () => {
    const recorded = (overrides: Partial<ClientRecordedEvent> = {}): ClientRecordedEvent => ({
      streamId: 'problem-1',
      id: 'A1B2C3D4-0000-4000-8000-000000000001',
      revision: 4n,
      type: 'ProblemRaised',
      created: new Date('2025-03-04T05:06:07.089Z'),
      isJson: true,
      data: { title: 'Graffiti' },
      metadata: encodeMetadata({ actor: { id: 'u1' } }),
      position: { commit: 1234n, prepare: 1300n },
      ...overrides,
    });

    it('converts a recorded event to the port shape', () => {
      expect(toRecordedEvent(recorded())).toEqual({
        eventId: 'a1b2c3d4-0000-4000-8000-000000000001',
        stream: 'problem-1',
        revision: 4,
        type: 'ProblemRaised',
        data: { title: 'Graffiti' },
        metadata: { actor: { id: 'u1' } },
        position: '00000000000000001234-00000000000000001300',
        recordedAt: '2025-03-04T05:06:07.089Z',
      });
    });

    it('takes recordedAt from a migrated event, wraps data that is not an object, and needs a position', () => {
      const migrated = toRecordedEvent(recorded({ metadata: encodeMetadata({}, '2019-01-01T00:00:00.000Z'), data: [1, 2] }));
      expect(migrated.recordedAt).toBe('2019-01-01T00:00:00.000Z');
      expect(migrated.metadata).toEqual({});
      expect(migrated.data).toEqual({ value: [1, 2] });
      expect(toRecordedEvent(recorded({ isJson: false, data: new Uint8Array([104, 105]) })).data).toEqual({ binary: 'aGk=' });
      expect(() => toRecordedEvent(recorded({ position: undefined }))).toThrow(/without a log position/);
    });

    it('builds the client event with the envelope, and knows system events by their $ type', () => {
      expect(toClientEvent({ eventId: 'e', type: 'T', data: { a: 1 }, metadata: { n: 1 } })).toEqual({
        id: 'e',
        contentType: 'application/json',
        type: 'T',
        data: { a: 1 },
        metadata: { n: '1', 'tl.json': '["n"]' },
      });
      expect(isSystemEvent({ type: '$epoch-information', streamId: '$epochs' })).toBe(true);
      expect(isSystemEvent({ type: '$>', streamId: '$ce-problem' })).toBe(true);
      expect(isSystemEvent({ type: 'ProblemRaised', streamId: 'problem-1' })).toBe(false);
    });
  });

  describe('errors', () => {
    const wrongVersion = (actualState: unknown, streamName = 's') => ({ type: 'wrong-expected-version', streamName, expectedState: 1n, actualState });

    it("maps WrongExpectedVersion to the port's error with the caller's expected revision", () => {
      const expected = new Map<string, number | 'no-stream' | 'any'>([
        ['a', 'no-stream'],
        ['b', 0],
      ]);
      const error = toWrongExpectedRevision(wrongVersion(3n, 'b'), expected, 'a');
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ stream: 'b', expected: 0, actual: 3 });
      expect(toWrongExpectedRevision(wrongVersion('no_stream', 'b'), expected, 'a')).toMatchObject({ actual: 'no-stream' });
      // A stream the client could not name: the first of the call.
      expect(toWrongExpectedRevision(wrongVersion(0n, 'unknown stream'), expected, 'a')).toMatchObject({ stream: 'a', expected: 'no-stream' });
      expect(isWrongExpectedVersion(wrongVersion(1n))).toBe(true);
      expect(actualRevisionOf({ actualState: -1n })).toBe('no-stream');
    });

    it('maps availability to StoreUnavailableError, size limits to InvalidAppendError, and leaves the rest', () => {
      for (const type of ['unavailable', 'deadline-exceeded', 'not-leader', 'cancelled']) {
        expect(mapClientError({ type, message: 'x' })).toBeInstanceOf(StoreUnavailableError);
      }
      const tooLarge = mapClientError({ type: 'maximum-append-size-exceeded', maxAppendSize: 1048576 });
      expect(tooLarge).toBeInstanceOf(InvalidAppendError);
      expect((tooLarge as Error).message).toContain('1048576');
      expect(mapClientError({ type: 'transaction-max-size-exceeded', maxSize: 10 })).toBeInstanceOf(InvalidAppendError);
      expect((mapClientError({ type: 'access-denied', message: 'no' }) as Error).message).toContain('$all');
      // Raw gRPC errors the client passes on unclassified (its server-features call), and socket errors.
      expect(mapClientError(Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }))).toBeInstanceOf(StoreUnavailableError);
      expect(mapClientError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBeInstanceOf(StoreUnavailableError);
      expect(mapClientError(Object.assign(new Error('bad'), { code: 3 }))).not.toBeInstanceOf(StoreUnavailableError);
      const other = new Error('boom');
      expect(mapClientError(other)).toBe(other);
      expect(isStreamNotFound({ type: 'stream-not-found' })).toBe(true);
    });
  });

  describe('server check', () => {
    const features = (serverVersion: string, methods: string[]) => ({
      serverVersion,
      supports: (method: { path: string }) => methods.includes(method.path),
    });
    const MSA = '/kurrentdb.protocol.v2.streams.StreamsService/AppendSession';

    it('accepts a server advertising multi-stream append at 25.1 or later', () => {
      expect(() => checkServerFeatures(features('25.1.0.2190', [MSA]), 'kurrentdb://db:2113')).not.toThrow();
      expect(() => checkServerFeatures(features('26.0.0', [MSA]), 'x')).not.toThrow();
    });

    it('refuses older servers and servers without the method, naming the server and its version', () => {
      expect(() => checkServerFeatures(features('24.10.0', []), 'kurrentdb://db:2113')).toThrow(
        /KurrentDB at kurrentdb:\/\/db:2113 \(server version 24\.10\.0\) does not offer multi-stream append.*25\.1 or later/,
      );
      expect(() => checkServerFeatures(features('24.10.0', [MSA]), 'x')).toThrow(UnsupportedServerError);
      expect(() => checkServerFeatures(features('unknown', []), 'x')).toThrow(/server version unknown/);
      expect(parseVersion('v25.1.0-rc1')).toEqual([25, 1]);
      expect(parseVersion('unknown')).toBeUndefined();
    });

    it('prints connection strings without credentials and accepts the older esdb schemes', () => {
      expect(describeConnection('kurrentdb://admin:changeit@db1:2113,db2:2113?tls=true')).toBe('kurrentdb://db1:2113,db2:2113');
      expect(normalizeConnectionString('esdb://h:2113?tls=false')).toBe('kurrentdb://h:2113?tls=false');
      expect(normalizeConnectionString('esdb+discover://h:2113')).toBe('kurrentdb+discover://h:2113');
      expect(normalizeConnectionString('kurrentdb://h')).toBe('kurrentdb://h');
    });
  });
});
