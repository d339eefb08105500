import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signDevToken, type DevTokenClaims } from '@tasking/auth';
import type { DomainEvent } from '@tasking/domain';
import type { AppendResult } from '@tasking/event-store';
import { loadConfig, type Clock } from '@tasking/shared';
import { createApp } from '../../apps/api/src/create-app';
import { openRuntime, type Runtime } from '@tasking/runtime';
import { appendEvents, type AppendOptions } from './events';
import { dropSchema, freshSchema, TEST_DATABASE_URL } from './test-database';
import { injectJson } from './inject';

/** Partnerships of the test deployment: callers hold `default` unless a test says otherwise. */
export const TEST_PARTNERSHIPS = ['default', 'elsewhere'] as const;

export interface Response {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** Parsed JSON (problem+json included); undefined for an empty body. */
  body: any;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestApp {
  runtime: Runtime;
  app: NestFastifyApplication;
  /** A bearer token signed with the suite's secret. Defaults: an inspector of POLICE in `default`. */
  token(claims?: Partial<DevTokenClaims>): Promise<string>;
  get(url: string, options?: RequestOptions): Promise<Response>;
  post(url: string, options?: RequestOptions): Promise<Response>;
  request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, options?: RequestOptions): Promise<Response>;
  /** Appends events straight to the store (no command routes). */
  append(stream: string, events: readonly DomainEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** Waits until every projection has applied the log up to `position`. */
  caughtUp(position: string): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment overrides (e.g. WORKER_MODE, READ_YOUR_WRITES_TIMEOUT_MS). */
  env?: Record<string, string>;
  /** PGlite in a temporary folder instead of a fresh schema on the test server. */
  embedded?: boolean;
  clock?: Clock;
  /** Run the projection loops in this process (default: as the config says, i.e. yes unless WORKER_MODE=separate). */
  runProjections?: boolean;
}

const silent = new Writable({ write: (_chunk, _encoding, done) => done() });

/**
 * The whole API (runtime + Nest app, projections running) over a fresh schema `t_<random>` on the
 * test server (dropped at close) or an embedded PGlite; rate limits off, logs discarded; requests
 * go through Fastify's `inject`.
 */
export async function openTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const schema = options.embedded ? undefined : freshSchema();
  const secret = randomBytes(32).toString('hex');
  const dataDir = await mkdtemp(join(tmpdir(), 'tl-app-'));
  const config = loadConfig({
    ...(options.embedded ? {} : { DATABASE_URL: TEST_DATABASE_URL }),
    AUTH_JWT_SECRET: secret,
    PARTNERSHIPS: TEST_PARTNERSHIPS.join(','),
    DEFAULT_PARTNERSHIP: TEST_PARTNERSHIPS[0],
    DATA_DIR: dataDir,
    RATE_LIMIT_PER_USER_PER_MINUTE: '0',
    RATE_LIMIT_PER_IP_PER_MINUTE: '0',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const runtime = await openRuntime(config, {
    schema,
    clock: options.clock,
    runProjections: options.runProjections,
    projectionOptions: { logger: { warn: () => undefined, error: () => undefined } },
  });
  const app = await createApp(runtime, { logDestination: silent });

  const request = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, call: RequestOptions = {}): Promise<Response> => injectJson(app, method, url, call);

  return {
    runtime,
    app,
    token: (claims = {}) =>
      signDevToken(secret, {
        sub: 'u-test',
        name: 'Test User',
        agency: 'POLICE',
        roles: ['inspector'],
        partnerships: [TEST_PARTNERSHIPS[0]],
        ...claims,
      }),
    get: (url, call) => request('GET', url, call),
    post: (url, call) => request('POST', url, call),
    request,
    append: (stream, events, appendOptions) => appendEvents(runtime.store, stream, events, appendOptions),
    async caughtUp(position) {
      if (!(await runtime.projections.waitFor(position, 15_000))) throw new Error(`projections did not reach ${position}`);
    },
    async close() {
      await app.close();
      await runtime.close();
      if (schema) await dropSchema(schema);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
