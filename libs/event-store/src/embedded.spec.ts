import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerEventStoreContract } from './contract/event-store.contract';
import { Database, openDatabase } from './database';
import { embeddedHarness } from './sql-contract-harness';

const SINGLE_SESSION = 'embedded store is a single serialised session, no concurrent transactions';

describe('embedded (PGlite) event store', () => {
  let dir: string;
  let db: Database;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tl-embedded-spec-'));
    db = await openDatabase({ dataDir: join(dir, 'data') });
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  describe('single shared connection', () => {
    it('is a pool of exactly one connection', () => {
      expect(db.kind).toBe('embedded');
      expect(db.pool.options.max).toBe(1);
      expect(db.connectionString).toBeUndefined();
    });

    it('keeps three concurrent transactions apart; the rolled-back one leaves nothing', async () => {
      await db.pool.query('CREATE TABLE isolation_probe (writer int, step int)');
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const transaction = async (writer: number, commit: boolean) => {
        const client = await db.pool.connect();
        try {
          await client.query('BEGIN');
          for (let step = 0; step < 5; step++) {
            await client.query('INSERT INTO isolation_probe VALUES ($1, $2)', [writer, step]);
            await sleep(2); // give the others every chance to interleave
          }
          const own = await client.query('SELECT count(*)::int AS n FROM isolation_probe WHERE writer = $1', [writer]);
          expect(own.rows[0].n).toBe(5);
          await client.query(commit ? 'COMMIT' : 'ROLLBACK');
        } finally {
          client.release();
        }
      };
      await Promise.all([transaction(1, true), transaction(2, false), transaction(3, true)]);
      const { rows } = await db.pool.query('SELECT writer, count(*)::int AS n FROM isolation_probe GROUP BY writer ORDER BY writer');
      expect(rows).toEqual([
        { writer: 1, n: 5 },
        { writer: 3, n: 5 },
      ]);
      await db.pool.query('DROP TABLE isolation_probe');
    });
  });

  describe('contract', () => {
    registerEventStoreContract({
      setup: () => embeddedHarness(db),
      skip: {
        ordering: SINGLE_SESSION,
        crossProcess: 'embedded store has no other process: only one session can attach',
      },
    });
  });
});
