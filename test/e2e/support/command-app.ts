import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signDevToken, type DevTokenClaims } from '@tasking/auth';
import type { RecordedEvent } from '@tasking/event-store';
import { loadConfig, type Clock } from '@tasking/shared';
import { createApp } from '../../../apps/api/src/create-app';
import { openRuntime, type Runtime } from '@tasking/runtime';
import { dropSchema, freshSchema, TEST_DATABASE_URL } from '../../support/test-database';
import { injectJson } from '../../support/inject';

/** The partnerships every command suite's deployment serves. */
export const NORTH = 'north';
export const SOUTH = 'south';

export interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: any;
}

export interface Call {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CommandApp {
  app: NestFastifyApplication;
  runtime: Runtime;
  schema: string;
  token(claims: DevTokenClaims): Promise<string>;
  post(url: string, call?: Call): Promise<Answer>;
  put(url: string, call?: Call): Promise<Answer>;
  /** A stream's events, straight from the store. */
  events(stream: string): Promise<RecordedEvent[]>;
  types(stream: string): Promise<string[]>;
  close(): Promise<void>;
}

const silent = new Writable({ write: (_chunk, _encoding, done) => done() });

/**
 * The whole application over real PostgreSQL in a schema of its own (`t_<random>`, dropped at
 * close), with rate limits off and logs discarded; requests go through Fastify's inject.
 */
export async function startCommandApp(env: Record<string, string> = {}, options: { clock?: Clock; logDestination?: NodeJS.WritableStream } = {}): Promise<CommandApp> {
  const schema = freshSchema();
  const secret = randomBytes(32).toString('hex');
  const dataDir = await mkdtemp(join(tmpdir(), 'tl-e2e-'));
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: TEST_DATABASE_URL,
    AUTH_JWT_SECRET: secret,
    PARTNERSHIPS: `${NORTH},${SOUTH}`,
    DEFAULT_PARTNERSHIP: NORTH,
    DATA_DIR: dataDir,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_PER_USER_PER_MINUTE: '0',
    RATE_LIMIT_PER_IP_PER_MINUTE: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const runtime = await openRuntime(config, { schema, clock: options.clock });
  const app = await createApp(runtime, { logDestination: options.logDestination ?? silent });

  const send = (method: 'POST' | 'PUT', url: string, call: Call = {}): Promise<Answer> => injectJson(app, method, url, call);

  return {
    app,
    runtime,
    schema,
    token: (claims) => signDevToken(secret, claims),
    post: (url, call) => send('POST', url, call),
    put: (url, call) => send('PUT', url, call),
    events: (stream) => runtime.store.read(stream),
    types: async (stream) => (await runtime.store.read(stream)).map((e) => e.type),
    async close() {
      await app.close();
      await runtime.close();
      await dropSchema(schema);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
