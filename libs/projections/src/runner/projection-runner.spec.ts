import { randomUUID } from 'node:crypto';
import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import type { EventStore, RecordedEvent } from '@tasking/event-store';
import pg from 'pg';
import { TEST_DATABASE_URL, openTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import type { Projection } from '../projection';
import type { ReadModelModule } from '../read-model-schema';
import { openReadModels, type ReadModels } from '../read-models';
import { ProjectionRunner, type RunnerLogger } from './projection-runner';

/** Inserts one row per event; applying an event twice violates the primary key. */
const counter: Projection = {
  name: 'test-counter',
  tables: ['test_applied'],
  async apply(tx: EntityManager, events: readonly RecordedEvent[]) {
    await tx.query('INSERT INTO test_applied (event_id, position) SELECT * FROM unnest($1::uuid[], $2::text[])', [
      events.map((e) => e.eventId),
      events.map((e) => e.position),
    ]);
  },
};

/** Like the counter, but throws on events of type `Poison` while `poisoned` is true. */
let poisoned = true;
const fragile: Projection = {
  name: 'test-fragile',
  tables: ['test_fragile'],
  async apply(tx: EntityManager, events: readonly RecordedEvent[]) {
    for (const event of events) {
      if (event.type === 'Poison' && poisoned) throw new Error('cannot digest this event');
    }
    await tx.query('INSERT INTO test_fragile (event_id) SELECT unnest($1::uuid[])', [events.map((e) => e.eventId)]);
  },
};

class TestTables1764000009000 implements MigrationInterface {
  name = 'TestTables1764000009000';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE test_applied (event_id uuid PRIMARY KEY, position text NOT NULL)');
    await runner.query('CREATE TABLE test_fragile (event_id uuid PRIMARY KEY)');
  }
  async down(): Promise<void> {}
}

const testSchema: ReadModelModule[] = [{ name: 'test', entities: [], migrations: [TestTables1764000009000], projections: [counter, fragile] }];

const quiet: RunnerLogger = { warn: () => undefined, error: () => undefined };

async function appendN(store: EventStore, n: number, type = 'Something'): Promise<string> {
  let position = '';
  for (let i = 0; i < n; i += 1) {
    const result = await store.append([
      { stream: `test-${randomUUID()}`, expectedRevision: 'no-stream', events: [{ eventId: randomUUID(), type, data: { i }, metadata: {} }] },
    ]);
    position = result.position;
  }
  return position;
}

async function count(readModels: ReadModels, table: string): Promise<number> {
  const [row]: { n: string }[] = await readModels.dataSource.query(`SELECT count(*)::text AS n FROM ${table}`);
  return Number(row!.n);
}

describe.each([
  ['postgres', false],
  ['embedded', true],
])('ProjectionRunner (%s)', (_, embedded) => {
  let test: TestDatabase;
  let readModels: ReadModels;
  const runners: ProjectionRunner[] = [];
  const runner = (options: ConstructorParameters<typeof ProjectionRunner>[2] = {}, models = readModels, store = test.store) => {
    const created = new ProjectionRunner(store, models, { logger: quiet, batchSize: 7, standbyRetryMs: 50, ...options });
    runners.push(created);
    return created;
  };

  beforeEach(async () => {
    poisoned = true;
    test = await openTestDatabase({ embedded });
    readModels = await openReadModels(test.db, testSchema);
  }, 60_000);

  afterEach(async () => {
    for (const created of runners.splice(0)) await created.stop();
    await readModels.close();
    await test.close();
  });

  it('applies every event once, in batches, and reports its checkpoint', async () => {
    const first = runner();
    await first.start();
    const head = await appendN(test.store, 20);
    await expect(first.waitFor(head, 10_000)).resolves.toBe(true);
    expect(await count(readModels, 'test_applied')).toBe(20);
    const positions = await first.positions();
    expect(positions.map((p) => [p.name, p.position, p.status, p.eventsApplied])).toEqual([
      ['test-counter', head, 'running', 20],
      ['test-fragile', head, 'running', 20],
    ]);
    await expect(first.positionOf(['test-counter'])).resolves.toBe(head);
  });

  it('never applies a batch twice when two runners race on the same projection (compare-and-set)', async () => {
    // Two "processes": on postgres each has its own Database (so its own lock session); embedded
    // takes no lock, so both loops really race and only the checkpoint's compare-and-set keeps them apart.
    const second = embedded ? undefined : await openTestDatabase({ schema: test.db.schema });
    const secondModels = second ? await openReadModels(second.db, testSchema) : readModels;
    try {
      const a = runner({ batchSize: 3 });
      const b = runner({ batchSize: 3 }, secondModels, second?.store ?? test.store);
      await Promise.all([a.start(), b.start()]);
      const appended = Promise.all([appendN(test.store, 30), appendN(test.store, 30)]);
      const head = (await appended).sort().at(-1)!;
      await expect(a.waitFor(head, 15_000)).resolves.toBe(true);
      await expect(b.waitFor(head, 15_000)).resolves.toBe(true);
      expect(await count(readModels, 'test_applied')).toBe(60);
      const positions = await a.positions();
      expect(positions.every((p) => p.status === 'running' && p.eventsApplied === 60)).toBe(true);
      await b.stop();
    } finally {
      if (second) {
        await secondModels.close();
        await second.store.close();
        await second.db.close();
      }
    }
  });

  (embedded ? it.skip : it)(`keeps one active runner per projection across processes; a standby takes over when it stops${embedded ? ' — skipped on embedded: one process, no locks' : ''}`, async () => {
    const second = await openTestDatabase({ schema: test.db.schema });
    const secondModels = await openReadModels(second.db, testSchema);
    try {
      const a = runner();
      await a.start();
      await a.waitFor(await appendN(test.store, 5), 10_000);
      const b = runner({}, secondModels, second.store);
      await b.start();
      const locks: { n: string }[] = await readModels.dataSource.query(
        `SELECT count(*)::text AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      expect(Number(locks[0]!.n)).toBeGreaterThanOrEqual(2);
      await a.stop();
      const head = await appendN(test.store, 5);
      await expect(b.waitFor(head, 10_000)).resolves.toBe(true);
      expect(await count(readModels, 'test_applied')).toBe(10);
      await b.stop();
    } finally {
      await secondModels.close();
      await second.store.close();
      await second.db.close();
    }
  });

  it('stops only the projection whose apply throws, with the error and the event visible; a restart retries it', async () => {
    const first = runner({ batchSize: 50 });
    await first.start();
    const before = await appendN(test.store, 3);
    const poison = await appendN(test.store, 1, 'Poison');
    const after = await appendN(test.store, 2);
    await expect(first.waitFor(after, 10_000, ['test-counter'])).resolves.toBe(true);
    await expect(first.waitFor(after, 300, ['test-fragile'])).resolves.toBe(false);

    const fragileState = (await first.positions()).find((p) => p.name === 'test-fragile')!;
    expect(fragileState).toMatchObject({ status: 'failed', position: before, errorPosition: poison, eventsApplied: 3 });
    expect(fragileState.lastError).toMatch(/Poison .*cannot digest this event/);
    expect(await count(readModels, 'test_fragile')).toBe(3);
    expect(await count(readModels, 'test_applied')).toBe(6);

    // Still failing after a restart while the projector is unchanged...
    await first.stop();
    const second = runner({ batchSize: 50 });
    await second.start();
    await expect(second.waitFor(after, 300, ['test-fragile'])).resolves.toBe(false);
    await second.stop();
    // ...and caught up, error cleared, once it can digest the event.
    poisoned = false;
    const third = runner({ batchSize: 50 });
    await third.start();
    await expect(third.waitFor(after, 10_000)).resolves.toBe(true);
    expect((await third.positions()).find((p) => p.name === 'test-fragile')).toMatchObject({
      status: 'running',
      lastError: null,
      errorPosition: null,
      eventsApplied: 6,
    });
    expect(await count(readModels, 'test_fragile')).toBe(6);
  });

  it('resumes after a stop where it left off, without repeats', async () => {
    const first = runner();
    await first.start();
    const head = await appendN(test.store, 10);
    await first.waitFor(head, 10_000);
    await first.stop();
    const later = await appendN(test.store, 10);
    const second = runner();
    await second.start();
    await expect(second.waitFor(later, 10_000)).resolves.toBe(true);
    expect(await count(readModels, 'test_applied')).toBe(20);
    expect((await second.positions()).map((p) => p.status)).toEqual(['running', 'running']);
  });

  it('waits for appends without polling the log while idle', async () => {
    const first = runner({ idleWaitMs: 60_000 });
    await first.start();
    await first.waitFor(await appendN(test.store, 1), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 200)); // each loop reads once more, finds nothing, then waits
    const readAll = jest.spyOn(test.store, 'readAll');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readAll).not.toHaveBeenCalled();
    const head = await appendN(test.store, 1);
    await expect(first.waitFor(head, 5_000)).resolves.toBe(true);
    readAll.mockRestore();
  });

  (embedded ? it.skip : it)(`reads events an unrelated open transaction hid as soon as it ends, without waiting for the safety poll${embedded ? ' — skipped on embedded: one session, so no other transaction can be open' : ''}`, async () => {
    const first = runner({ idleWaitMs: 60_000 });
    await first.start();
    await first.waitFor(await appendN(test.store, 1), 10_000);
    // A transaction holding an id older than the next append's hides that append from every reader.
    const blocker = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT pg_current_xact_id()');
      const hidden = await appendN(test.store, 1);
      await expect(first.waitFor(hidden, 300)).resolves.toBe(false);
      await blocker.query('COMMIT'); // announces nothing: no append
      await expect(first.waitFor(hidden, 3_000)).resolves.toBe(true);
    } finally {
      await blocker.end();
    }
  });

  it('answers false from waitFor when the position is not reached in time, and refuses unknown projections', async () => {
    const first = runner();
    await first.start();
    const head = await appendN(test.store, 1);
    await first.waitFor(head, 10_000);
    await expect(first.waitFor(`${head}9`, 100)).resolves.toBe(false);
    await expect(first.waitFor(head, 100, ['nope'])).rejects.toThrow(/no projection named "nope"/);
  });
});
