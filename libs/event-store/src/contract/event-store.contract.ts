/// <reference types="jest" />
/**
 * The one contract every event store adapter passes (PostgreSQL, embedded PGlite, KurrentDB and its
 * test double). Long on purpose: it is a single list of the port's promises, read top to bottom as its
 * specification, and splitting it would let an adapter's suite pick which promises it runs.
 */
import { randomUUID } from 'node:crypto';
import {
  AppendRequest,
  AppendResult,
  DuplicateEventIdError,
  EventStore,
  EventToAppend,
  InvalidAppendError,
  Position,
  RecordedEvent,
  START,
  WrongExpectedRevisionError,
} from '../event-store.port';

/**
 * The contract every event store adapter passes. A spec calls `registerEventStoreContract` inside
 * its own `describe` with a harness factory; cases a backend cannot honour are registered as
 * `it.skip` with the reason in the test name.
 */

/** A second session holding its own transaction, beside the store's connections. */
export interface ContractSession {
  begin(): Promise<void>;
  /** Makes the open transaction take its transaction id now (`SELECT pg_current_xact_id()`). */
  takeTransactionId(): Promise<void>;
  /** The store's own append statement, inside this session's open transaction. */
  append(requests: AppendRequest[]): Promise<AppendResult>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Ends the session (rolling back anything open). */
  close(): Promise<void>;
}

export interface ContractHarness {
  store: EventStore;
  /** Separate sessions with concurrent transactions; absent where the backend has none. */
  openSession?: () => Promise<ContractSession>;
  /** Another store instance on its own connections, as a second process would have. */
  openSecondStore?: () => Promise<{ store: EventStore; close(): Promise<void> }>;
  /** Statements or checkouts the adapter has issued so far: proves "rejected before SQL". */
  sqlCalls?: () => number;
  /** Closes the store and everything the harness opened (drop schema, remove folders). */
  close(): Promise<void>;
}

export interface ContractOptions {
  setup(): Promise<ContractHarness>;
  /** Reasons for the case groups this backend cannot run; a reason turns them into `it.skip`. */
  skip?: {
    /** The held-transaction ordering cases. */
    ordering?: string;
    /** Wake-up of a second process's subscriber. */
    crossProcess?: string;
    /** Rejecting an event id that already sits in another stream. */
    eventIdElsewhere?: string;
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * Waits until `received()` holds the event appended at `position`, allowing `withinMs`. On stores
 * with a cluster-wide visibility horizon (PostgreSQL) a transaction of some other client of the
 * same server can hide a committed event for a while; a late delivery is only accepted when the
 * event was indeed still hidden (beyond `headPosition`) at the deadline, and then it must still
 * arrive once the horizon moves.
 */
async function expectDelivered(
  store: EventStore,
  position: Position,
  delivered: () => boolean,
  withinMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!delivered() && Date.now() < deadline) await sleep(5);
  if (delivered()) return;
  const head = await store.headPosition();
  if (!delivered()) {
    expect({ what, hiddenBehindHorizon: head < position }).toEqual({ what, hiddenBehindHorizon: true });
    await waitUntil(delivered, 15_000, `${what} once the horizon moved`);
  }
}

/** Waits until readers can see `position` (see expectDelivered on the horizon). */
async function untilVisible(store: EventStore, position: Position): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await store.headPosition()) < position) {
    if (Date.now() > deadline) throw new Error(`position ${position} not visible after 15 s`);
    await sleep(10);
  }
}

function event(type = 'Something', data: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): EventToAppend {
  return { eventId: randomUUID(), type, data, metadata };
}

function events(count: number, type = 'Something'): EventToAppend[] {
  return Array.from({ length: count }, (_, index) => event(type, { index }));
}

/** A subscriber collecting, in the background, the events of streams starting with `prefix`. */
function subscribe(store: EventStore, after: Position, prefix: string, batchSize?: number) {
  const controller = new AbortController();
  const received: RecordedEvent[] = [];
  let failure: unknown;
  const running = (async () => {
    for await (const recorded of store.subscribeAll(after, { batchSize, signal: controller.signal })) {
      if (recorded.stream.startsWith(prefix)) received.push(recorded);
    }
  })().catch((error: unknown) => {
    failure = error;
  });
  return {
    received,
    failed: () => failure,
    async stop() {
      controller.abort();
      await running;
      if (failure) throw failure;
    },
  };
}

function expectStrictlyIncreasing(positions: Position[]): void {
  for (let i = 1; i < positions.length; i++) expect(positions[i] > positions[i - 1]).toBe(true);
}

/** The sequence part of a position (the store's positions are "<xid>-<sequence>"; others may differ). */
function sequenceOf(position: Position): bigint | undefined {
  const match = /^\d+-(\d+)$/.exec(position);
  return match ? BigInt(match[1]) : undefined;
}

export function registerEventStoreContract(options: ContractOptions): void {
  let harness: ContractHarness;
  let store: EventStore;
  let streamNumber = 0;
  /** A stream id of its own for each use, so the cases share one store without interfering. */
  const newStream = (label = 's') => `${label}-${++streamNumber}-${randomUUID().slice(0, 8)}`;

  /**
   * A position after every event of the earlier cases, once readers can see it: appends a marker
   * event and waits for it. (`headPosition()` alone is not enough on a shared server: events of
   * earlier cases may still be hidden behind another client's open transaction.)
   */
  const freshStart = async (): Promise<Position> => {
    const marker = await store.append([{ stream: newStream('marker'), expectedRevision: 'no-stream', events: [event('Marker')] }]);
    await untilVisible(store, marker.position);
    return marker.position;
  };

  beforeAll(async () => {
    harness = await options.setup();
    store = harness.store;
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  }, 60_000);

  const orderingIt = options.skip?.ordering ? it.skip : it;
  const orderingName = (name: string) => (options.skip?.ordering ? `${name} — skipped: ${options.skip.ordering}` : name);
  const crossIt = options.skip?.crossProcess ? it.skip : it;
  const crossName = (name: string) =>
    options.skip?.crossProcess ? `${name} — skipped: ${options.skip.crossProcess}` : name;
  const elsewhereIt = options.skip?.eventIdElsewhere ? it.skip : it;
  const elsewhereName = (name: string) =>
    options.skip?.eventIdElsewhere ? `${name} — skipped: ${options.skip.eventIdElsewhere}` : name;

  describe('append and read', () => {
    it('round-trips types, data, metadata, revisions and recordedAt', async () => {
      const stream = newStream();
      const before = Date.now();
      const appended = [
        event('TaskRaised', { title: 'Graffiti', count: 3, nested: { tags: ['a', 'b'], ok: true, none: null } }, { actor: 'u1' }),
        event('TaskAssigned', { to: 'agency-2' }, { actor: 'u2', correlationId: 'c-1' }),
        event('TaskClosed'),
      ];
      const result = await store.append([{ stream, expectedRevision: 'no-stream', events: appended }]);
      expect(result.revisions).toEqual({ [stream]: 2 });
      expect(result.position > START).toBe(true);

      const read = await store.read(stream);
      expect(read.map((e) => [e.eventId, e.stream, e.revision, e.type, e.data, e.metadata])).toEqual(
        appended.map((e, index) => [e.eventId, stream, index, e.type, e.data, e.metadata]),
      );
      expectStrictlyIncreasing(read.map((e) => e.position));
      expect(read[2].position).toBe(result.position);
      for (const recorded of read) {
        expect(new Date(recorded.recordedAt).toISOString()).toBe(recorded.recordedAt);
        const at = Date.parse(recorded.recordedAt);
        expect(at).toBeGreaterThanOrEqual(before - 5_000);
        expect(at).toBeLessThanOrEqual(Date.now() + 5_000);
      }

      expect((await store.read(stream, 1)).map((e) => e.revision)).toEqual([1, 2]);
      expect(await store.read(newStream('unknown'))).toEqual([]);

      const next = await store.append([{ stream, expectedRevision: 2, events: [event('TaskReopened')] }]);
      expect(next.revisions).toEqual({ [stream]: 3 });
      expect(next.position > result.position).toBe(true);
    });

    it('reads several streams at once: each named stream its events in revision order, unknown ones empty', async () => {
      const [a, b, unknown] = [newStream(), newStream(), newStream('unknown')];
      await store.append([{ stream: a, expectedRevision: 'no-stream', events: [event('A0'), event('A1')] }]);
      await store.append([{ stream: b, expectedRevision: 'no-stream', events: [event('B0')] }]);
      await store.append([{ stream: a, expectedRevision: 1, events: [event('A2')] }]);
      const read = await store.readStreams([b, unknown, a, b]);
      expect([...read.keys()].sort()).toEqual([a, b, unknown].sort());
      expect(read.get(a)!.map((e) => [e.type, e.revision])).toEqual([['A0', 0], ['A1', 1], ['A2', 2]]);
      expect(read.get(b)).toEqual(await store.read(b));
      expect(read.get(unknown)).toEqual([]);
      expect((await store.readStreams([])).size).toBe(0);
    });

    it('finds events by id wherever they are, and nothing for unknown ids', async () => {
      const [a, b] = [newStream(), newStream()];
      const ea = event('A');
      const eb = event('B');
      await store.append([
        { stream: a, expectedRevision: 'no-stream', events: [ea] },
        { stream: b, expectedRevision: 'no-stream', events: [eb] },
      ]);
      const found = await store.findByEventIds([eb.eventId, ea.eventId, randomUUID(), 'not-a-uuid']);
      expect(found.map((e) => [e.eventId, e.stream]).sort()).toEqual([[ea.eventId, a], [eb.eventId, b]].sort());
      expect(await store.findByEventIds([])).toEqual([]);
    });

    it('readAll returns events strictly after a position, in log order, in batches; headPosition is the last', async () => {
      const start = await freshStart();
      const stream = newStream();
      const appended = events(7);
      const result = await store.append([{ stream, expectedRevision: 'no-stream', events: appended }]);
      await untilVisible(store, result.position);
      expect(await store.headPosition()).toBe(result.position);

      const firstBatch = await store.readAll(start, 3);
      expect(firstBatch.map((e) => e.eventId)).toEqual(appended.slice(0, 3).map((e) => e.eventId));
      const rest = await store.readAll(firstBatch[2].position, 100);
      expect(rest.map((e) => e.eventId)).toEqual(appended.slice(3).map((e) => e.eventId));
      expect(await store.readAll(result.position, 100)).toEqual([]);
      expectStrictlyIncreasing([start, ...firstBatch, ...rest].map((e) => (typeof e === 'string' ? e : e.position)));
    });

    it('round-trips a 1 MB event', async () => {
      const stream = newStream();
      const big = event('Large', { blob: 'x'.repeat(1024 * 1024), unicode: 'é ✓ 漢字', list: Array.from({ length: 1000 }, (_, i) => i) });
      const start = await freshStart();
      const appended = await store.append([{ stream, expectedRevision: 'any', events: [big] }]);
      await untilVisible(store, appended.position);
      const [read] = await store.read(stream);
      expect(read.data).toEqual(big.data);
      const [fromLog] = await store.readAll(start, 10);
      expect(fromLog.eventId).toBe(big.eventId);
      expect((fromLog.data.blob as string).length).toBe(1024 * 1024);
    });
  });

  describe('expected revision', () => {
    it('rejects a stale or future expected revision with WrongExpectedRevisionError and appends nothing', async () => {
      const stream = newStream();
      await store.append([{ stream, expectedRevision: 'no-stream', events: events(2) }]);
      for (const expectedRevision of [0, 5]) {
        const error = await store
          .append([{ stream, expectedRevision, events: [event()] }])
          .then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', stream, expected: expectedRevision, actual: 1 });
      }
      expect((await store.read(stream)).length).toBe(2);
    });

    it("'no-stream' on an existing stream conflicts; a revision on a missing stream reports 'no-stream'", async () => {
      const stream = newStream();
      await store.append([{ stream, expectedRevision: 'no-stream', events: [event()] }]);
      await expect(store.append([{ stream, expectedRevision: 'no-stream', events: [event()] }])).rejects.toMatchObject({
        name: 'WrongExpectedRevisionError',
        expected: 'no-stream',
        actual: 0,
      });
      const missing = newStream();
      await expect(store.append([{ stream: missing, expectedRevision: 0, events: [event()] }])).rejects.toMatchObject({
        name: 'WrongExpectedRevisionError',
        actual: 'no-stream',
      });
      expect(await store.read(missing)).toEqual([]);
    });

    it("'any' appends to a new and to an existing stream", async () => {
      const stream = newStream();
      expect((await store.append([{ stream, expectedRevision: 'any', events: events(2) }])).revisions).toEqual({ [stream]: 1 });
      expect((await store.append([{ stream, expectedRevision: 'any', events: events(3) }])).revisions).toEqual({ [stream]: 4 });
      expect((await store.read(stream)).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
    });

    it("concurrent 'any' appends to one stream all land, at distinct revisions", async () => {
      const stream = newStream();
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store.append([{ stream, expectedRevision: 'any', events: events(2) }])),
      );
      expect(results.map((r) => r.revisions[stream]).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 10 }, (_, i) => 2 * i + 1),
      );
      expect((await store.read(stream)).map((e) => e.revision)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    it('20 concurrent appenders to one stream: exactly one wins per revision, no gaps', async () => {
      const stream = newStream();
      await store.append([{ stream, expectedRevision: 'no-stream', events: [event()] }]);

      // Round 1: all expect revision 0; exactly one may win.
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, () => store.append([{ stream, expectedRevision: 0, events: [event()] }])),
      );
      const winners = outcomes.filter((o) => o.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
      }

      // Round 2: each of 20 writers appends once, retrying on conflict with the revision it read.
      const won: number[] = [];
      await Promise.all(
        Array.from({ length: 20 }, async (_, writer) => {
          for (;;) {
            const current = (await store.read(stream)).length - 1;
            try {
              const result = await store.append([{ stream, expectedRevision: current, events: [event('W', { writer })] }]);
              won.push(result.revisions[stream]);
              return;
            } catch (error) {
              if (!(error instanceof WrongExpectedRevisionError)) throw error;
            }
          }
        }),
      );
      expect([...won].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
      const read = await store.read(stream);
      expect(read.map((e) => e.revision)).toEqual(Array.from({ length: 22 }, (_, i) => i));
      expect(new Set(read.filter((e) => e.type === 'W').map((e) => e.data.writer)).size).toBe(20);
    });
  });

  describe('atomic multi-stream append', () => {
    it('appends to several streams in one go and reports each revision', async () => {
      const [a, b] = [newStream(), newStream()];
      await store.append([{ stream: b, expectedRevision: 'no-stream', events: [event()] }]);
      const result = await store.append([
        { stream: a, expectedRevision: 'no-stream', events: events(2) },
        { stream: b, expectedRevision: 0, events: events(3) },
      ]);
      expect(result.revisions).toEqual({ [a]: 1, [b]: 3 });
      const all = [...(await store.read(a)), ...(await store.read(b))];
      expect(all.map((e) => e.position).sort().at(-1)).toBe(result.position);
    });

    it('appends to neither stream when one expected revision is stale', async () => {
      const [a, b] = [newStream(), newStream()];
      await store.append([{ stream: b, expectedRevision: 'no-stream', events: events(2) }]);
      const error = await store
        .append([
          { stream: a, expectedRevision: 'no-stream', events: [event()] },
          { stream: b, expectedRevision: 0, events: [event()] },
        ])
        .then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ stream: b, expected: 0, actual: 1 });
      expect(await store.read(a)).toEqual([]);
      expect((await store.read(b)).length).toBe(2);
    });
  });

  describe('idempotent append', () => {
    it('re-appending the same event ids to the same stream at the same expected revision returns the original result', async () => {
      const stream = newStream();
      const first = events(2);
      const original = await store.append([{ stream, expectedRevision: 'no-stream', events: first }]);
      expect(await store.append([{ stream, expectedRevision: 'no-stream', events: first }])).toEqual(original);

      const second = [event('Next')];
      const originalSecond = await store.append([{ stream, expectedRevision: 1, events: second }]);
      await store.append([{ stream, expectedRevision: 2, events: [event('Later')] }]);
      // The stream moved on; the retried command still gets its original answer.
      expect(await store.append([{ stream, expectedRevision: 1, events: second }])).toEqual(originalSecond);
      expect((await store.read(stream)).map((e) => e.type)).toEqual(['Something', 'Something', 'Next', 'Later']);
    });

    it('concurrent identical appends append once and all get the original result', async () => {
      const stream = newStream();
      const same = events(3);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store.append([{ stream, expectedRevision: 'no-stream', events: same }])),
      );
      for (const result of results) expect(result).toEqual(results[0]);
      expect((await store.read(stream)).length).toBe(3);
    });

    elsewhereIt(elsewhereName('rejects the same event id in another stream or at another revision, appending nothing'), async () => {
      const stream = newStream();
      const stored = events(2);
      await store.append([{ stream, expectedRevision: 'no-stream', events: stored }]);
      const other = newStream();

      await expect(store.append([{ stream: other, expectedRevision: 'no-stream', events: stored }])).rejects.toBeInstanceOf(
        DuplicateEventIdError,
      );
      await expect(store.append([{ stream, expectedRevision: 0, events: [stored[0]] }])).rejects.toMatchObject({
        code: 'DUPLICATE_EVENT_ID',
      });
      // A reused id that is not the first of the call.
      await expect(
        store.append([{ stream: other, expectedRevision: 'no-stream', events: [event(), stored[0]] }]),
      ).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await store.read(other)).toEqual([]);
      expect((await store.read(stream)).length).toBe(2);
    });
  });

  describe('arguments', () => {
    it('rejects bad arguments with InvalidAppendError before any SQL', async () => {
      await sleep(20); // let earlier appends' wake-up traffic settle
      const callsBefore = harness.sqlCalls?.();
      const stream = newStream();
      const bad: unknown[] = [
        [],
        [{ stream: '', expectedRevision: 'any', events: [event()] }],
        [{ stream: 'x'.repeat(10_000), expectedRevision: 'any', events: [event()] }],
        [{ stream, expectedRevision: -1, events: [event()] }],
        [{ stream, expectedRevision: 1.5, events: [event()] }],
        [{ stream, expectedRevision: 'latest', events: [event()] }],
        [{ stream, expectedRevision: 'any', events: [] }],
        [{ stream, expectedRevision: 'any', events: [{ ...event(), eventId: 'not-a-uuid' }] }],
        [{ stream, expectedRevision: 'any', events: [{ ...event(), type: '' }] }],
        [{ stream: 'nul\u0000stream', expectedRevision: 'any', events: [event()] }],
        [{ stream, expectedRevision: 'any', events: [event('T', { text: 'nul\u0000' })] }],
        [{ stream, expectedRevision: 'any', events: [{ ...event(), data: [] as unknown as Record<string, unknown> }] }],
        (() => {
          const e = event();
          return [{ stream, expectedRevision: 'any', events: [e, { ...e }] }];
        })(),
        [
          { stream, expectedRevision: 'any', events: [event()] },
          { stream, expectedRevision: 'any', events: [event()] },
        ],
      ];
      for (const requests of bad) {
        await expect(store.append(requests as AppendRequest[])).rejects.toBeInstanceOf(InvalidAppendError);
      }
      if (callsBefore !== undefined) expect(harness.sqlCalls?.()).toBe(callsBefore);
      expect(await store.read(stream)).toEqual([]);
    });
  });

  describe('subscribeAll', () => {
    it('resumes from a checkpoint without repeats', async () => {
      const start = await freshStart();
      const stream = newStream('resume');
      const appended = events(10);
      await store.append([{ stream, expectedRevision: 'no-stream', events: appended }]);

      const controller = new AbortController();
      const firstPart: RecordedEvent[] = [];
      for await (const recorded of store.subscribeAll(start, { batchSize: 3, signal: controller.signal })) {
        // Earlier cases' events may still lie after `start` (they were hidden behind the horizon).
        if (recorded.stream !== stream) continue;
        firstPart.push(recorded);
        if (firstPart.length === 4) break;
      }
      const checkpoint = firstPart[3].position;
      const resumed = subscribe(store, checkpoint, stream, 3);
      await waitUntil(() => resumed.received.length >= 6, 15_000, 'the rest of the events');
      await sleep(50);
      await resumed.stop();
      expect([...firstPart, ...resumed.received].map((e) => e.eventId)).toEqual(appended.map((e) => e.eventId));
    });

    it('wakes an idle live subscriber promptly, without busy polling', async () => {
      const stream = newStream('live');
      const subscriber = subscribe(store, await store.headPosition(), stream);
      await sleep(100); // caught up and idle
      const readAll = jest.spyOn(store, 'readAll');
      try {
        await sleep(1_200);
        // A safety poll of about a second at most: no busy loop.
        expect(readAll.mock.calls.length).toBeLessThanOrEqual(3);

        const callsBefore = readAll.mock.calls.length;
        const first = await store.append([{ stream, expectedRevision: 'no-stream', events: [event('Live')] }]);
        // Woken at once: it reads again right after the append, whatever the horizon does...
        await waitUntil(() => readAll.mock.calls.length > callsBefore, 100, 'a read within 100 ms of the append');
        // ...and has the event within 500 ms.
        await expectDelivered(store, first.position, () => subscriber.received.length === 1, 500, 'the live event');

        // Idle again, then once more: a wake-up, not a lucky poll.
        await sleep(300);
        const callsBeforeSecond = readAll.mock.calls.length;
        const second = await store.append([{ stream, expectedRevision: 0, events: [event('Live')] }]);
        await waitUntil(() => readAll.mock.calls.length > callsBeforeSecond, 100, 'a read within 100 ms of the append');
        await expectDelivered(store, second.position, () => subscriber.received.length === 2, 500, 'the second live event');
      } finally {
        readAll.mockRestore();
        await subscriber.stop();
      }
      expect(subscriber.received.map((e) => e.revision)).toEqual([0, 1]);
    });

    it('yields each event once, in order, across catch-up and live', async () => {
      const start = await freshStart();
      const stream = newStream('mixed');
      await store.append([{ stream, expectedRevision: 'no-stream', events: events(5) }]);
      const subscriber = subscribe(store, start, stream, 2);
      await waitUntil(() => subscriber.received.length === 5, 15_000, 'catch-up');
      for (let i = 0; i < 5; i++) await store.append([{ stream, expectedRevision: 4 + i, events: [event()] }]);
      await waitUntil(() => subscriber.received.length === 10, 15_000, 'live events');
      await sleep(50);
      await subscriber.stop();
      expect(subscriber.received.map((e) => e.revision)).toEqual(Array.from({ length: 10 }, (_, i) => i));
      expectStrictlyIncreasing(subscriber.received.map((e) => e.position));
    });
  });

  describe('ordering under concurrent transactions', () => {
    orderingIt(
      orderingName('a transaction held open while 100 later appends commit: a subscriber sees all 101 exactly once'),
      async () => {
        const session = await harness.openSession!();
        const prefix = newStream('held');
        const start = await freshStart();
        const subscriber = subscribe(store, start, prefix);
        try {
          await session.begin();
          const held = event('Held');
          await session.append([{ stream: `${prefix}-held`, expectedRevision: 'no-stream', events: [held] }]);

          const later: EventToAppend[] = [];
          for (let wave = 0; wave < 10; wave++) {
            await Promise.all(
              Array.from({ length: 10 }, (_, i) => {
                const e = event('Later', { wave, i });
                later.push(e);
                return store.append([{ stream: `${prefix}-${wave}-${i}`, expectedRevision: 'no-stream', events: [e] }]);
              }),
            );
          }
          // The 100 later appends are committed, yet readers must not pass the open transaction.
          await sleep(300);
          expect(subscriber.received).toHaveLength(0);
          expect((await store.readAll(start, 1000)).filter((e) => e.stream.startsWith(prefix))).toEqual([]);

          await session.commit();
          await waitUntil(() => subscriber.received.length >= 101, 15_000, 'all 101 events after the commit');
          await sleep(100);
          await subscriber.stop();

          const ids = subscriber.received.map((e) => e.eventId);
          expect(ids).toHaveLength(101);
          expect(new Set(ids)).toEqual(new Set([held.eventId, ...later.map((e) => e.eventId)]));
          expectStrictlyIncreasing(subscriber.received.map((e) => e.position));
          // The held event has the lowest sequence of all: a reader following sequence numbers
          // past the committed ones would have skipped it.
          const heldSequence = sequenceOf(subscriber.received.find((e) => e.eventId === held.eventId)!.position);
          if (heldSequence !== undefined) {
            for (const e of subscriber.received) if (e.eventId !== held.eventId) expect(sequenceOf(e.position)! > heldSequence).toBe(true);
          }
        } finally {
          await subscriber.stop().catch(() => undefined);
          await session.close();
        }
      },
      30_000,
    );

    orderingIt(
      orderingName('T0 takes its transaction id first, T1 appends and commits, then T0 appends: a one-event-per-batch subscriber sees both'),
      async () => {
        const session = await harness.openSession!();
        const prefix = newStream('xid');
        const subscriber = subscribe(store, await store.headPosition(), prefix, 1);
        try {
          await session.begin();
          await session.takeTransactionId();
          const e1 = event('T1');
          await store.append([{ stream: `${prefix}-t1`, expectedRevision: 'no-stream', events: [e1] }]);
          const e0 = event('T0');
          await session.append([{ stream: `${prefix}-t0`, expectedRevision: 'no-stream', events: [e0] }]);
          await sleep(200);
          expect(subscriber.received).toHaveLength(0);
          await session.commit();

          await waitUntil(() => subscriber.received.length >= 2, 15_000, 'both events');
          await sleep(100);
          await subscriber.stop();
          expect(subscriber.received.map((e) => e.eventId)).toEqual([e0.eventId, e1.eventId]);
          // T0's event has the higher sequence but the lower position: log order is by transaction.
          const [p0, p1] = subscriber.received.map((e) => e.position);
          expect(p0 < p1).toBe(true);
          const [s0, s1] = [sequenceOf(p0), sequenceOf(p1)];
          if (s0 !== undefined && s1 !== undefined) expect(s0 > s1).toBe(true);
        } finally {
          await subscriber.stop().catch(() => undefined);
          await session.close();
        }
      },
      30_000,
    );

    orderingIt(orderingName('a rolled-back held append leaves nothing and does not block readers afterwards'), async () => {
      const session = await harness.openSession!();
      const prefix = newStream('rollback');
      const subscriber = subscribe(store, await store.headPosition(), prefix);
      try {
        await session.begin();
        await session.append([{ stream: `${prefix}-gone`, expectedRevision: 'no-stream', events: [event('Gone')] }]);
        const kept = event('Kept');
        await store.append([{ stream: `${prefix}-kept`, expectedRevision: 'no-stream', events: [kept] }]);
        await session.rollback();
        await waitUntil(() => subscriber.received.length >= 1, 15_000, 'the committed event');
        await sleep(100);
        await subscriber.stop();
        expect(subscriber.received.map((e) => e.eventId)).toEqual([kept.eventId]);
        expect(await store.read(`${prefix}-gone`)).toEqual([]);
      } finally {
        await subscriber.stop().catch(() => undefined);
        await session.close();
      }
    }, 30_000);
  });

  describe('wake-ups across processes', () => {
    crossIt(crossName("another store instance's subscriber is woken by an append here"), async () => {
      const second = await harness.openSecondStore!();
      const stream = newStream('cross');
      const subscriber = subscribe(second.store, await second.store.headPosition(), stream);
      try {
        await sleep(200); // idle
        const tickBefore = second.store.appendTick();
        const appended = await store.append([{ stream, expectedRevision: 'no-stream', events: [event('Cross')] }]);
        // Its tick moves though it appended nothing: it heard of the append...
        await waitUntil(() => second.store.appendTick() > tickBefore, 500, 'the other instance to hear of the append');
        // ...and its subscriber has the event within 500 ms.
        await expectDelivered(second.store, appended.position, () => subscriber.received.length === 1, 500, 'the event in the other instance');
      } finally {
        await subscriber.stop();
        await second.close();
      }
    });
  });
}
