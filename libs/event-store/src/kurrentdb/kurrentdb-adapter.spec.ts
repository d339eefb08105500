import { randomBytes, randomUUID } from 'node:crypto';
import { Database, openDatabase, quoteIdent } from '../database';
import { EventToAppend, InvalidAppendError, RecordedEvent, StoreUnavailableError } from '../event-store.port';
import { TEST_DATABASE_URL } from './kurrentdb-contract-harness';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { UnsupportedServerError } from './server-features';
import { KurrentDbGrpcDouble } from './testing/grpc-double';

/**
 * The adapter's own behaviour against the gRPC TEST DOUBLE (not a real KurrentDB): the server
 * check at start, which protocol each append takes, the metadata envelope on the wire, system
 * events kept out, reconnection after drops and restarts, and the idempotency index.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quiet = () => undefined;

function event(type = 'Something', data: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): EventToAppend {
  return { eventId: randomUUID(), type, data, metadata };
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('kurrentdb adapter against the gRPC test double', () => {
  let double: KurrentDbGrpcDouble;
  let db: Database;
  const schema = `es_kdba_${randomBytes(6).toString('hex')}`;
  const stores: KurrentDbEventStore[] = [];
  const open = async (options: Partial<Parameters<typeof KurrentDbEventStore.open>[0]> = {}) => {
    const store = await KurrentDbEventStore.open({ url: double.url, idempotency: db, warn: quiet, ...options });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    double = await KurrentDbGrpcDouble.start();
    db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, dataDir: '', schema, poolSize: 4 });
  });

  afterAll(async () => {
    for (const store of stores) await store.close();
    await double?.stop();
    await db?.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`).catch(() => undefined);
    await db?.close();
  });

  describe('at start', () => {
    it('refuses a server without multi-stream append, naming it and its version', async () => {
      const old = await KurrentDbGrpcDouble.start({ multiStreamAppend: false, serverVersion: '24.10.2' });
      try {
        const error = await KurrentDbEventStore.open({ url: old.url, warn: quiet }).then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(UnsupportedServerError);
        expect((error as Error).message).toMatch(
          new RegExp(`KurrentDB at kurrentdb://127\\.0\\.0\\.1:${old.port} \\(server version 24\\.10\\.2\\) does not offer multi-stream append.*25\\.1 or later`),
        );
      } finally {
        await old.stop();
      }
    });

    it('refuses a server older than 25.1 even if it lists the method', async () => {
      const old = await KurrentDbGrpcDouble.start({ serverVersion: '24.6.0' });
      try {
        await expect(KurrentDbEventStore.open({ url: old.url, warn: quiet })).rejects.toBeInstanceOf(UnsupportedServerError);
      } finally {
        await old.stop();
      }
    });

    it('reports an unreachable server as StoreUnavailableError', async () => {
      const gone = await KurrentDbGrpcDouble.start();
      const url = gone.url;
      await gone.stop();
      await expect(KurrentDbEventStore.open({ url, warn: quiet })).rejects.toBeInstanceOf(StoreUnavailableError);
    });

    it('accepts the older esdb:// form of the URL and creates the idempotency table', async () => {
      const store = await open({ url: double.url.replace('kurrentdb://', 'esdb://') });
      const { rows } = await db.pool.query(`SELECT to_regclass($1) AS t`, [`${schema}.event_id_index`]);
      expect(rows[0].t).not.toBeNull();
      expect(await store.read(`missing-${randomUUID()}`)).toEqual([]);
    });
  });

  describe('appends', () => {
    it('appends to one stream through batch append and to several through the multi-stream append', async () => {
      const store = await open();
      const before = { ...double.calls };
      const a = `a-${randomUUID()}`;
      const b = `b-${randomUUID()}`;
      await store.append([{ stream: a, expectedRevision: 'no-stream', events: [event()] }]);
      expect((double.calls.batchAppend ?? 0) - (before.batchAppend ?? 0)).toBe(1); // one bidi stream, reused
      await store.append([
        { stream: a, expectedRevision: 0, events: [event()] },
        { stream: b, expectedRevision: 'no-stream', events: [event()] },
      ]);
      expect((double.calls.appendSession ?? 0) - (before.appendSession ?? 0)).toBe(1);
    });

    it('appends through plain append when the server does not offer batch append', async () => {
      const plain = await KurrentDbGrpcDouble.start({ batchAppend: false });
      try {
        const store = await KurrentDbEventStore.open({ url: plain.url, warn: quiet });
        try {
          const stream = `p-${randomUUID()}`;
          await store.append([{ stream, expectedRevision: 'no-stream', events: [event()] }]);
          await expect(store.append([{ stream, expectedRevision: 'no-stream', events: [event()] }])).rejects.toMatchObject({
            name: 'WrongExpectedRevisionError',
            actual: 0,
          });
          expect(plain.calls.append).toBe(2);
          expect(plain.calls.batchAppend).toBeUndefined();
        } finally {
          await store.close();
        }
      } finally {
        await plain.stop();
      }
    });

    it('stores metadata as the flat string envelope on both paths and reads it back as it was', async () => {
      const store = await open();
      const metadata = { actor: { id: 'u1', agency: 'police' }, command: { target: 'x', count: 2 }, correlationId: 'c-1', 'tl.json': 'mine', n: 0 };
      const single = event('One', { a: 1 }, metadata);
      const multi = [event('Two', { b: [1, 2] }, metadata), event('Three', {}, metadata)];
      const [s1, s2, s3] = [`m-${randomUUID()}`, `m-${randomUUID()}`, `m-${randomUUID()}`];
      await store.append([{ stream: s1, expectedRevision: 'any', events: [single] }]);
      await store.append([
        { stream: s2, expectedRevision: 'any', events: [multi[0]] },
        { stream: s3, expectedRevision: 'any', events: [multi[1]] },
      ]);
      for (const id of [single, ...multi].map((e) => e.eventId)) {
        const stored = double.events().find((e) => e.eventId === id)!;
        const onTheWire = JSON.parse(Buffer.from(stored.metadata).toString('utf8'));
        expect(Object.values(onTheWire).every((v) => typeof v === 'string')).toBe(true);
        expect(onTheWire.correlationId).toBe('c-1');
      }
      const read = [...(await store.read(s1)), ...(await store.read(s2)), ...(await store.read(s3))];
      expect(read.map((e) => e.metadata)).toEqual([metadata, metadata, metadata]);
      expect(read.map((e) => e.data)).toEqual([{ a: 1 }, { b: [1, 2] }, {}]);
    });

    it('refuses $ event types and appends larger than the server accepts', async () => {
      const store = await open();
      const stream = `big-${randomUUID()}`;
      await expect(store.append([{ stream, expectedRevision: 'any', events: [event('$metadata')] }])).rejects.toBeInstanceOf(InvalidAppendError);
      const huge = event('Huge', { blob: 'x'.repeat(1024 * 1024 + 10) });
      const error = await store.append([{ stream, expectedRevision: 'any', events: [huge] }]).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidAppendError);
      expect((error as Error).message).toMatch(/MaxAppendSize/);
      await expect(
        store.append([
          { stream, expectedRevision: 'any', events: [huge] },
          { stream: `${stream}-2`, expectedRevision: 'any', events: [event()] },
        ]),
      ).rejects.toBeInstanceOf(InvalidAppendError);
      expect(await store.read(stream)).toEqual([]);
    });

    it('keeps the original time of copied events', async () => {
      const store = await open();
      const stream = `copy-${randomUUID()}`;
      const copied = event('Old', {}, { actor: 'u1' });
      await store.appendCopied([{ stream, expectedRevision: 'no-stream', events: [copied], recordedAt: ['2021-06-01T10:00:00.000Z'] }]);
      const [read] = await store.read(stream);
      expect(read.recordedAt).toBe('2021-06-01T10:00:00.000Z');
      expect(read.metadata).toEqual({ actor: 'u1' });
    });
  });

  describe('system events', () => {
    it('never shows the server\'s own events to readAll, headPosition or subscriptions', async () => {
      const store = await open();
      const start = await store.headPosition();
      const stream = `sys-${randomUUID()}`;
      double.appendSystemEvent();
      await store.append([{ stream, expectedRevision: 'no-stream', events: [event()] }]);
      double.appendSystemEvent('$stats-x', '$statsCollected');
      const head = await store.headPosition();
      const after = await store.readAll(start, 100);
      expect(after.map((e) => e.stream)).toEqual([stream]);
      expect(head).toBe(after[0].position);
      expect(double.events().at(-1)!.type).toBe('$statsCollected');

      const live: RecordedEvent[] = [];
      const controller = new AbortController();
      const running = (async () => {
        for await (const e of store.subscribeAllLive(start, { signal: controller.signal })) live.push(e);
      })();
      await until(() => live.length >= 1, 2_000, 'the event');
      double.appendSystemEvent();
      await sleep(50);
      controller.abort();
      await running;
      expect(live.map((e) => e.stream)).toEqual([stream]);
    });
  });

  describe('reconnection', () => {
    it('subscribeAllLive resubscribes after dropped subscriptions and a server restart, each event once and in order', async () => {
      const store = await open({ subscriptionBackoff: { initialMs: 20, maxMs: 200, maxAttempts: 50 } });
      const start = await store.headPosition();
      const stream = `drop-${randomUUID()}`;
      const received: RecordedEvent[] = [];
      const controller = new AbortController();
      const running = (async () => {
        for await (const e of store.subscribeAllLive(start, { signal: controller.signal })) if (e.stream === stream) received.push(e);
      })();
      let revision: number | 'no-stream' = 'no-stream';
      const appendOne = async () => {
        const result = await store.append([{ stream, expectedRevision: revision, events: [event()] }]);
        revision = result.revisions[stream];
      };
      for (let i = 0; i < 5; i++) await appendOne();
      await until(() => received.length === 5, 2_000, 'five events');

      expect(double.dropSubscriptions()).toBeGreaterThan(0);
      for (let i = 0; i < 5; i++) await appendOne();
      await until(() => received.length === 10, 3_000, 'ten events after the drop');

      await double.restart();
      for (;;) {
        try {
          await appendOne();
          break;
        } catch (error) {
          if (!(error instanceof StoreUnavailableError)) throw error;
          await sleep(20);
        }
      }
      for (let i = 0; i < 4; i++) await appendOne();
      await until(() => received.length === 15, 5_000, 'fifteen events after the restart');
      await sleep(100);
      controller.abort();
      await running;
      expect(received.map((e) => e.revision)).toEqual(Array.from({ length: 15 }, (_, i) => i));
    });

    it("the live tick comes back after a drop: another store's appends still wake a reader promptly", async () => {
      const reader = await open({ tickBackoff: { initialMs: 20, maxMs: 200 } });
      const writer = await open();
      await sleep(100);
      double.dropSubscriptions();
      await sleep(200); // resubscribed
      const tick = reader.appendTick();
      const appendedAt = Date.now();
      await writer.append([{ stream: `tick-${randomUUID()}`, expectedRevision: 'no-stream', events: [event()] }]);
      await reader.waitForAppend(tick, 2_000);
      expect(Date.now() - appendedAt).toBeLessThan(500);
      expect(reader.appendTick()).toBeGreaterThan(tick);
    });
  });

  describe('idempotency index', () => {
    it('records every appended event and answers a later store instance from it', async () => {
      const first = await open();
      const [a, b] = [`i-${randomUUID()}`, `i-${randomUUID()}`];
      const events = [event(), event()];
      const other = event();
      await first.append([
        { stream: a, expectedRevision: 'no-stream', events },
        { stream: b, expectedRevision: 'no-stream', events: [other] },
      ]);
      const { rows } = await db.pool.query(`SELECT event_id::text, stream, revision::int FROM ${quoteIdent(schema)}.event_id_index WHERE stream = ANY($1) ORDER BY position`, [[a, b]]);
      expect(rows).toEqual([
        { event_id: events[0].eventId, stream: a, revision: 0 },
        { event_id: events[1].eventId, stream: a, revision: 1 },
        { event_id: other.eventId, stream: b, revision: 0 },
      ]);
      const later = await open();
      expect((await later.findByEventIds([other.eventId, events[1].eventId])).map((e) => [e.stream, e.revision])).toEqual([
        [a, 1],
        [b, 0],
      ]);
    });

    it('a retried append is answered from the stream itself even when its index rows were lost', async () => {
      const store = await open();
      const stream = `lost-${randomUUID()}`;
      const events = [event(), event()];
      const original = await store.append([{ stream, expectedRevision: 'no-stream', events }]);
      await store.append([{ stream, expectedRevision: 1, events: [event()] }]);
      await db.pool.query(`DELETE FROM ${quoteIdent(schema)}.event_id_index WHERE stream = $1`, [stream]);
      expect(await store.append([{ stream, expectedRevision: 'no-stream', events }])).toEqual(original);
      expect((await store.read(stream)).length).toBe(3);
      expect((await store.findByEventIds([events[0].eventId])).map((e) => e.revision)).toEqual([0]); // written again by the replay
    });

    it('an append survives the read-model database being down: the rows wait in memory and are written later', async () => {
      const store = await open();
      const stream = `down-${randomUUID()}`;
      const appended = event();
      const connect = jest.spyOn(db.pool, 'connect').mockImplementationOnce(() => Promise.reject(Object.assign(new Error('down'), { code: 'ECONNREFUSED' })));
      try {
        await store.append([{ stream, expectedRevision: 'no-stream', events: [appended] }]);
      } finally {
        connect.mockRestore();
      }
      expect((await store.findByEventIds([appended.eventId])).map((e) => e.stream)).toEqual([stream]);
      const written = async () =>
        (await db.pool.query(`SELECT 1 FROM ${quoteIdent(schema)}.event_id_index WHERE event_id = $1`, [appended.eventId])).rowCount === 1;
      const deadline = Date.now() + 3_000;
      while (!(await written())) {
        if (Date.now() > deadline) throw new Error('the index row was never written');
        await sleep(50);
      }
    });
  });
});
