import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { signDevToken } from '@tasking/auth';
import { FixedClock, loadConfig } from '@tasking/shared';
import { createApp } from '../../../apps/api/src/create-app';
import { openRuntime } from '@tasking/runtime';
import { dropSchema, freshSchema, TEST_DATABASE_URL } from '../../support/test-database';
import { NORTH, SOUTH, type Answer, type Call, type CommandApp } from './command-app';
import { injectJson } from '../../support/inject';

/**
 * The whole application as the command suites open it (real PostgreSQL, a schema of its own,
 * SECRETS_KEY set), plus what personal-data tests need: a clock the test moves, every log line
 * captured (LOG_LEVEL=info), GET returning text for exports, and SQL on the test schema.
 */
export interface ObservedApp extends CommandApp {
  clock: FixedClock;
  secretsKey: string;
  get(url: string, call?: Call): Promise<Answer & { text: string }>;
  /** Every log line written so far. */
  logs(): string;
  sql<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  /** Waits until every projection has applied every event committed so far. */
  settled(): Promise<void>;
  /** Tables of the schema whose rows, as text, contain `needle` (every table, the events included). */
  tablesContaining(needle: string): Promise<string[]>;
}

/** What GET /metrics asks of a scraper in these apps. */
export const METRICS_TOKEN = 'metrics-token-of-the-observed-test-app';

export async function startObservedApp(options: { now: Date; env?: Record<string, string>; secretsKey?: string; schema?: string; keepSchema?: boolean }): Promise<ObservedApp> {
  const schema = options.schema ?? freshSchema();
  const secret = randomBytes(32).toString('hex');
  const secretsKey = options.secretsKey ?? randomBytes(32).toString('base64');
  const dataDir = await mkdtemp(join(tmpdir(), 'tl-pd-'));
  const lines: string[] = [];
  const capture = new Writable({
    write: (chunk, _encoding, done) => {
      lines.push(String(chunk));
      done();
    },
  });
  const config = loadConfig({
    DATABASE_URL: TEST_DATABASE_URL,
    AUTH_JWT_SECRET: secret,
    PARTNERSHIPS: `${NORTH},${SOUTH}`,
    DEFAULT_PARTNERSHIP: NORTH,
    DATA_DIR: dataDir,
    SECRETS_KEY: secretsKey,
    RATE_LIMIT_PER_USER_PER_MINUTE: '0',
    RATE_LIMIT_PER_IP_PER_MINUTE: '0',
    LOG_LEVEL: 'info',
    METRICS_TOKEN,
    ...options.env,
  });
  const clock = new FixedClock(options.now);
  const runtime = await openRuntime(config, {
    schema,
    clock,
    projectionOptions: { logger: { warn: () => undefined, error: () => undefined } },
    personalDataOptions: { retention: { firstRunMs: 3_600_000 } },
  });
  const app = await createApp(runtime, { logDestination: capture });

  const send = (method: 'GET' | 'POST' | 'PUT', url: string, call: Call = {}) => injectJson(app, method, url, call);
  const sql = async <R>(text: string, values: unknown[] = []): Promise<R[]> => (await runtime.db.pool.query(text, values)).rows as R[];

  return {
    app,
    runtime,
    schema,
    clock,
    secretsKey,
    token: (claims) => signDevToken(secret, claims),
    get: (url, call) => send('GET', url, call),
    post: (url, call) => send('POST', url, call),
    put: (url, call) => send('PUT', url, call),
    events: (stream) => runtime.store.read(stream),
    types: async (stream) => (await runtime.store.read(stream)).map((e) => e.type),
    logs: () => lines.join(''),
    sql,
    async settled() {
      // The last event committed, read past the visibility horizon (headPosition stops below any
      // transaction open anywhere on the server, e.g. another suite's): the projections reach it
      // once that transaction ends.
      const [last] = await sql<{ position: string }>(
        `SELECT lpad(transaction_id::text, 20, '0') || '-' || lpad(sequence::text, 20, '0') AS position FROM "${schema}".events ORDER BY transaction_id DESC, sequence DESC LIMIT 1`,
      );
      if (last && !(await runtime.projections.waitFor(last.position, 45_000))) throw new Error(`projections did not reach ${last.position}`);
    },
    async tablesContaining(needle) {
      const tables = await sql<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
        [schema],
      );
      const hits: string[] = [];
      for (const { table_name } of tables) {
        const [row] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}"."${table_name}" t WHERE t::text ILIKE '%' || $1 || '%'`, [needle]);
        if (Number(row!.n) > 0) hits.push(table_name);
      }
      return hits;
    },
    async close() {
      await app.close();
      await runtime.close();
      if (!options.keepSchema) await dropSchema(schema);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
