import { randomBytes, randomUUID } from 'node:crypto';
import { createPostgresEventStore } from '../adapters';
import { Database, openDatabase, quoteIdent } from '../database';
import { EventStore, EventToAppend, Position, RecordedEvent, START } from '../event-store.port';
import { TEST_DATABASE_URL } from './kurrentdb-contract-harness';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { compareLogs, copyEventStore, parseMigrateArguments, runMigrateStore } from './migrate-store';
import { KurrentDbGrpcDouble } from './testing/grpc-double';

/**
 * The one-off copy from PostgreSQL to KurrentDB, into the gRPC TEST DOUBLE (not a real KurrentDB):
 * ids, order, revisions, metadata and times preserved, resumable, idempotent, checked, and
 * checkpoints translated.
 */
const quiet = () => undefined;

function event(type: string, data: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): EventToAppend {
  return { eventId: randomUUID(), type, data, metadata };
}

async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let position: Position = START;
  for (;;) {
    const batch = await store.readAll(position, 100);
    if (batch.length === 0) return events;
    events.push(...batch);
    position = batch[batch.length - 1].position;
  }
}

describe('migrate-store (postgres to kurrentdb, into the gRPC test double)', () => {
  let db: Database;
  let source: EventStore;
  const schema = `es_mig_${randomBytes(6).toString('hex')}`;
  const env = () => ({ DATABASE_URL: TEST_DATABASE_URL });

  beforeAll(async () => {
    db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, dataDir: '', schema, poolSize: 4 });
    source = await createPostgresEventStore(db);
    const meta = (i: number) => ({ actor: { id: `u${i}`, agency: 'police' }, command: { target: 'x', count: 1 }, correlationId: `c-${i}`, 'tl.mine': i });
    // A log with single- and multi-stream appends, runs of one stream, interleaving, and an 'any'.
    for (let i = 0; i < 12; i++) {
      const problem = `problem-${i % 4}`;
      const revision = i < 4 ? 'no-stream' : Math.floor(i / 4) - 1;
      if (i % 3 === 0) {
        await source.append([
          { stream: problem, expectedRevision: revision, events: [event('ActionAgreed', { i }, meta(i))] },
          { stream: `action-${i}`, expectedRevision: 'no-stream', events: [event('ActionAssigned', { i, note: 'é ✓' }, meta(i)), event('ActionNoted', {}, meta(i))] },
        ]);
      } else {
        await source.append([{ stream: problem, expectedRevision: revision, events: [event('ProblemUpdated', { i, big: 'x'.repeat(600) }, meta(i))] }]);
      }
    }
    await source.append([{ stream: 'agency-police', expectedRevision: 'any', events: Array.from({ length: 7 }, (_, i) => event('AgencyNoted', { i })) }]);
  });

  afterAll(async () => {
    await source?.close();
    await db?.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`).catch(() => undefined);
    await db?.close();
  });

  it('copies every event in order with its id, stream, revision, type, data, metadata and time, and checks it', async () => {
    const double = await KurrentDbGrpcDouble.start();
    try {
      await db.pool.query(`CREATE TABLE IF NOT EXISTS ${quoteIdent(schema)}.projection_checkpoints (name text PRIMARY KEY, position text NOT NULL DEFAULT '')`);
      await db.pool.query(`CREATE TABLE IF NOT EXISTS ${quoteIdent(schema)}.job_reactor_checkpoints (name text PRIMARY KEY, position text NOT NULL DEFAULT '')`);
      // Readers see only commits older than every open transaction on the server: wait until
      // the source shows everything the table holds before copying and comparing.
      const committed = Number((await db.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${quoteIdent(schema)}.events`)).rows[0]!.n);
      let sourceEvents = await allEvents(source);
      for (let waited = 0; sourceEvents.length < committed && waited < 10_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        sourceEvents = await allEvents(source);
      }
      expect(sourceEvents).toHaveLength(committed);
      await db.pool.query(`INSERT INTO ${quoteIdent(schema)}.projection_checkpoints VALUES ('problems', $1), ('fresh', '')`, [sourceEvents[9].position]);
      await db.pool.query(`INSERT INTO ${quoteIdent(schema)}.job_reactor_checkpoints VALUES ('reactor', $1)`, [sourceEvents.at(-1)!.position]);

      const lines: string[] = [];
      const args = ['--from', 'postgres', '--to', 'kurrentdb', '--to-url', double.url, '--schema', schema, '--batch-size', '4', '--max-append-bytes', '1500', '--translate-checkpoints'];
      expect(await runMigrateStore(args, env(), (line) => lines.push(line))).toBe(0);
      expect(lines).toContain(`copied ${sourceEvents.length} events`);
      expect(lines).toContain(`verified: ${sourceEvents.length} events identical in both logs`);

      const target = await KurrentDbEventStore.open({ url: double.url, idempotency: db, warn: quiet });
      try {
        const targetEvents = await allEvents(target);
        const fields = (e: RecordedEvent) => [e.eventId, e.stream, e.revision, e.type, e.data, e.metadata, e.recordedAt];
        expect(targetEvents.map(fields)).toEqual(sourceEvents.map(fields));
        // Runs of one stream went as one append each (split by the size limit), never across streams.
        const runs = sourceEvents.filter((e, i) => i === 0 || sourceEvents[i - 1].stream !== e.stream).length;
        expect(double.calls['batchAppend.appends']).toBeGreaterThanOrEqual(runs);
        expect(double.calls['batchAppend.appends']).toBeLessThan(sourceEvents.length);
        expect(double.calls.appendSession).toBeUndefined();
        // The idempotency index knows every copied event.
        expect((await target.findByEventIds(sourceEvents.map((e) => e.eventId))).length).toBe(sourceEvents.length);
        // Checkpoints now name the same events in the target.
        const { rows } = await db.pool.query(
          `SELECT 'p/' || name AS name, position FROM ${quoteIdent(schema)}.projection_checkpoints UNION ALL SELECT 'r/' || name, position FROM ${quoteIdent(schema)}.job_reactor_checkpoints ORDER BY 1`,
        );
        expect(rows).toEqual([
          { name: 'p/fresh', position: '' },
          { name: 'p/problems', position: targetEvents[9].position },
          { name: 'r/reactor', position: targetEvents.at(-1)!.position },
        ]);

        // The index can be rebuilt from the log alone.
        await db.pool.query(`DELETE FROM ${quoteIdent(schema)}.event_id_index`);
        expect(await target.findByEventIds([sourceEvents[3].eventId])).toEqual([]);
        lines.length = 0;
        expect(await runMigrateStore(['--from', 'postgres', '--to', 'kurrentdb', '--to-url', double.url, '--schema', schema, '--reindex'], env(), (l) => lines.push(l))).toBe(0);
        expect(lines).toEqual([`recorded the ids of ${sourceEvents.length} events in event_id_index`]);
        expect((await target.findByEventIds([sourceEvents[3].eventId])).map((e) => e.eventId)).toEqual([sourceEvents[3].eventId]);

        // A second run finds everything there and appends nothing.
        lines.length = 0;
        expect(await runMigrateStore(args.filter((a) => a !== '--translate-checkpoints'), env(), (line) => lines.push(line))).toBe(0);
        expect(lines[0]).toBe('copied 0 events (resumed after the events the target already held)');
        expect((await allEvents(target)).length).toBe(sourceEvents.length);
      } finally {
        await target.close();
      }
    } finally {
      await double.stop();
    }
  });

  it('resumes an interrupted copy where the target stopped, without duplicates', async () => {
    const double = await KurrentDbGrpcDouble.start();
    const target = await KurrentDbEventStore.open({ url: double.url, idempotency: db, warn: quiet });
    try {
      const controller = new AbortController();
      const first = await copyEventStore(source, target, {
        batchSize: 5,
        signal: controller.signal,
        onProgress: (copied) => {
          if (copied >= 5) controller.abort();
        },
      });
      const total = (await allEvents(source)).length;
      expect(first.copied).toBeGreaterThanOrEqual(5);
      expect(first.copied).toBeLessThan(total);
      const second = await copyEventStore(source, target, { batchSize: 5 });
      expect(second.resumedAfter).toBe(first.lastSourcePosition);
      expect(first.copied + second.copied).toBe(total);
      expect(await compareLogs(source, target)).toEqual({ events: total, checkpoints: new Map() });
    } finally {
      await target.close();
      await double.stop();
    }
  });

  it('refuses a target holding events of its own', async () => {
    const double = await KurrentDbGrpcDouble.start();
    const other = await KurrentDbEventStore.open({ url: double.url, warn: quiet });
    try {
      await other.append([{ stream: 'elsewhere', expectedRevision: 'no-stream', events: [event('Foreign')] }]);
      const lines: string[] = [];
      const code = await runMigrateStore(['--from', 'postgres', '--to', 'kurrentdb', '--to-url', double.url, '--schema', schema], env(), (l) => lines.push(l));
      expect(code).toBe(1);
      expect(lines.join('\n')).toMatch(/already holds events that are not this source's/);
      expect((await allEvents(other)).map((e) => e.type)).toEqual(['Foreign']);
    } finally {
      await other.close();
      await double.stop();
    }
  });

  it('explains its arguments', async () => {
    expect(() => parseMigrateArguments(['--from', 'mysql', '--to', 'kurrentdb'], {})).toThrow(/--from must be postgres or embedded/);
    expect(() => parseMigrateArguments(['--from', 'postgres', '--to', 'kurrentdb'], {})).toThrow(/DATABASE_URL or --from-url/);
    expect(() => parseMigrateArguments(['--from', 'postgres', '--to', 'kurrentdb'], { DATABASE_URL: 'postgres://x/y' })).toThrow(/EVENT_STORE_URL or --to-url/);
    expect(() => parseMigrateArguments(['--from', 'postgres', '--to', 'kurrentdb', '--bogus'], {})).toThrow(/unknown argument --bogus/);
    expect(parseMigrateArguments(['--from', 'postgres', '--to', 'kurrentdb'], { DATABASE_URL: 'postgres://x/y', EVENT_STORE_URL: 'esdb://k:2113' })).toMatchObject({
      fromUrl: 'postgres://x/y',
      toUrl: 'esdb://k:2113',
      schema: 'public',
      batchSize: 500,
      verify: true,
      translateCheckpoints: false,
    });
    const lines: string[] = [];
    expect(await runMigrateStore(['--help'], {}, (l) => lines.push(l))).toBe(2);
    expect(lines[0]).toMatch(/^npm run migrate-store -- --from postgres\|embedded --to kurrentdb/);
  });
});
