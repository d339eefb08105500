/**
 * Design experiment behind the append statement: is a `streams` table (one row per stream
 * holding its revision, checked and moved by a conditional upsert) worth its extra write?
 *
 * Run (from the repository root; bench/run.js compiles the bench and what it imports):
 *
 *   node bench/run.js bench/append-variants.ts [--writers 16] [--rounds 5] [--seconds 2]
 *
 * Against PostgreSQL (DATABASE_URL, default the local `test` database), in a schema of its own,
 * N writers each appending single events with an expected revision to its own stream:
 * - ceiling: plain single-row INSERT transactions into a table shaped like `events`;
 * - store: the store's own append (INSERT ... SELECT guarded by one index probe; the unique
 *   indexes do the rest), with its wake-ups (coalesced NOTIFY, LISTEN session);
 * - store-no-notify: the same append without wake-ups (the SQL's own cost);
 * - streams-table: a CTE that first moves the stream's row in `streams`
 *   (INSERT ... ON CONFLICT DO NOTHING for 'no-stream', UPDATE ... WHERE revision = expected
 *   otherwise) and inserts the event only if that succeeded.
 * Slices alternate; the median of each is printed with the rounds.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createPostgresEventStore, openDatabase } from '@tasking/event-store';
import { SqlEventStore } from '../libs/event-store/src/sql-event-store';

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

const argv = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? Number(argv[index + 1]) : fallback;
};
const writers = arg('writers', 16);
const rounds = arg('rounds', 5);
const seconds = arg('seconds', 2);

const data = { problemId: randomUUID(), title: 'Graffiti on the underpass', category: 'asb', priority: 2, areaId: 'ward-7' };
const metadata = { actor: 'officer-42', agencyId: 'police', correlationId: randomUUID() };

async function rate(makeWriter: (writer: number) => () => Promise<void>): Promise<number> {
  const loops = Array.from({ length: writers }, (_, writer) => makeWriter(writer));
  await Promise.all(loops.map(async (op) => { for (let i = 0; i < 3; i++) await op(); }));
  let ops = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    loops.map(async (op) => {
      while (performance.now() < deadline) {
        await op();
        ops++;
      }
    }),
  );
  return Math.round(ops / ((performance.now() - started) / 1000));
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const s = quoteIdent(schema);
  const db = await openDatabase({ databaseUrl, dataDir: '', schema, poolSize: writers });
  const store = await createPostgresEventStore(db);
  // The same SQL without wake-ups (no NOTIFY, no LISTEN): the statement's own cost.
  const bare = new SqlEventStore(db);
  try {
    await db.pool.query(`
      CREATE TABLE ${s}.plain_events (LIKE ${s}.events INCLUDING ALL);
      CREATE TABLE ${s}.streams (stream_id text PRIMARY KEY, revision bigint NOT NULL);
      CREATE TABLE ${s}.events_with_streams (LIKE ${s}.events INCLUDING ALL);
    `);
    let run = 0;
    const variants: Record<string, (writer: number) => () => Promise<void>> = {
      ceiling: (writer) => {
        const stream = `c-${run}-${writer}`;
        let revision = 0;
        return async () => {
          await db.pool.query({
            name: 'ceiling',
            text: `INSERT INTO ${s}.plain_events (stream_id, stream_revision, type, data, metadata, event_id) VALUES ($1, $2, $3, $4, $5, $6)`,
            values: [stream, revision++, 'ProblemRaised', data, metadata, randomUUID()],
          });
        };
      },
      store: (writer) => {
        const stream = `s-${run}-${writer}`;
        let revision = -1;
        return async () => {
          const result = await store.append([
            {
              stream,
              expectedRevision: revision < 0 ? 'no-stream' : revision,
              events: [{ eventId: randomUUID(), type: 'ProblemRaised', data, metadata }],
            },
          ]);
          revision = result.revisions[stream];
        };
      },
      'store-no-notify': (writer) => {
        const stream = `b-${run}-${writer}`;
        let revision = -1;
        return async () => {
          const result = await bare.append([
            {
              stream,
              expectedRevision: revision < 0 ? 'no-stream' : revision,
              events: [{ eventId: randomUUID(), type: 'ProblemRaised', data, metadata }],
            },
          ]);
          revision = result.revisions[stream];
        };
      },
      'streams-table': (writer) => {
        const stream = `t-${run}-${writer}`;
        let revision = -1;
        return async () => {
          const insertEvent = `INSERT INTO ${s}.events_with_streams (stream_id, stream_revision, type, data, metadata, event_id)
            SELECT $1, moved.revision, $3, $4, $5, $2 FROM moved
            RETURNING transaction_id::text AS xid, sequence::text, stream_revision::text`;
          const result = await db.pool.query(
            revision < 0
              ? {
                  name: 'streams-new',
                  text: `WITH moved AS (INSERT INTO ${s}.streams (stream_id, revision) VALUES ($1, 0)
                           ON CONFLICT DO NOTHING RETURNING revision) ${insertEvent}`,
                  values: [stream, randomUUID(), 'ProblemRaised', data, metadata],
                }
              : {
                  name: 'streams-next',
                  text: `WITH moved AS (UPDATE ${s}.streams SET revision = revision + 1
                           WHERE stream_id = $1 AND revision = $6 RETURNING revision) ${insertEvent}`,
                  values: [stream, randomUUID(), 'ProblemRaised', data, metadata, revision],
                },
          );
          if (result.rowCount !== 1) throw new Error('unexpected conflict');
          revision++;
        };
      },
    };
    const rates: Record<string, number[]> = {};
    for (let round = 0; round < rounds; round++) {
      run++;
      const names = Object.keys(variants);
      for (const name of round % 2 === 0 ? names : [...names].reverse()) {
        (rates[name] ??= []).push(await rate(variants[name]));
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
    const ceiling = median(rates.ceiling);
    console.log(`${writers} writers, ${rounds} rounds of ${seconds} s`);
    for (const [name, values] of Object.entries(rates)) {
      const m = median(values);
      console.log(`${name.padEnd(14)} ${String(m).padStart(6)} events/s  ${(m / ceiling).toFixed(2)}x ceiling  (rounds: ${values.join(' ')})`);
    }
  } finally {
    await store.close();
    await db.pool.query(`DROP SCHEMA ${s} CASCADE`).catch(() => undefined);
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
