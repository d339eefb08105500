import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import IORedis from 'ioredis';
import { register as defaultMetricsRegistry } from 'prom-client';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signDevToken, type DevTokenClaims } from '@tasking/auth';
import type { JobsLogger, JobsService } from '@tasking/jobs';
import { loadConfig, type Clock, type ClockGuard } from '@tasking/shared';
import { createApp } from '../../../apps/api/src/create-app';
import { openRuntime, type Runtime } from '@tasking/runtime';
import { dropSchema, freshSchema, TEST_DATABASE_URL } from '../../support/test-database';
import { injectJson } from '../../support/inject';

export const SHARED_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: any;
  text: string;
}

export interface JobsApp {
  app: NestFastifyApplication;
  runtime: Runtime;
  jobs: JobsService;
  schema: string;
  prefix: string;
  logs: string[];
  token(claims: DevTokenClaims): Promise<string>;
  request(method: 'GET' | 'POST' | 'PUT', url: string, call?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Answer>;
  /** Rows of a table of the app's schema. */
  rows<T = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

const silent = new Writable({ write: (_chunk, _encoding, done) => done() });

/** Deletes every key of a queue prefix (BullMQ's `bull:<namespace>:<prefix>-...` and the dashboard's `<namespace>:<prefix>:...`). */
export async function cleanRedis(url: string, prefix: string): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    for (const pattern of [`bull:*:${prefix}-*`, `*:${prefix}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } catch {
    // the Redis of the test is gone already
  } finally {
    redis.disconnect();
  }
}

/**
 * The whole application over real PostgreSQL (a schema of its own) and Redis (a queue prefix of
 * its own), with the jobs reactor and workers running in-process; the prefix's keys and the
 * schema are removed at close.
 */
export async function startJobsApp(
  env: Record<string, string> = {},
  options: {
    clock?: Clock;
    clockGuard?: ClockGuard;
    runJobs?: boolean;
    runProjections?: boolean;
    sweepEveryMs?: number;
    resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
    /** Another app's schema name and queue prefix (two deployments alike but for their database). */
    schema?: string;
    prefix?: string;
  } = {},
): Promise<JobsApp> {
  const schema = options.schema ?? freshSchema();
  const prefix = options.prefix ?? `tj${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(32).toString('hex');
  const dataDir = await mkdtemp(join(tmpdir(), 'tl-jobs-'));
  const logs: string[] = [];
  const logger: JobsLogger = {
    info: (m) => logs.push(`info ${m}`),
    warn: (m) => logs.push(`warn ${m}`),
    error: (m) => logs.push(`error ${m}`),
  };
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: TEST_DATABASE_URL,
    AUTH_JWT_SECRET: secret,
    DATA_DIR: dataDir,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_PER_USER_PER_MINUTE: '0',
    RATE_LIMIT_PER_IP_PER_MINUTE: '0',
    LOG_LEVEL: 'silent',
    REDIS_URL: SHARED_REDIS_URL,
    QUEUE_PREFIX: prefix,
    WEBHOOK_RETRY_BASE_MS: '50',
    WEBHOOK_TIMEOUT_MS: '2000',
    ...env,
  });
  const runtime = await openRuntime(config, {
    schema,
    clock: options.clock,
    clockGuard: options.clockGuard,
    runJobs: options.runJobs ?? true,
    runProjections: options.runProjections,
    projectionOptions: { logger: { warn: () => undefined, error: (m) => logs.push(`projections ${m}`) }, idleWaitMs: 200 },
    jobsOptions: { logger, reactor: { idleWaitMs: 100, maxRetryDelayMs: 500 }, sweepEveryMs: options.sweepEveryMs, resolve: options.resolve },
  });
  const app = await createApp(runtime, { logDestination: process.env.DEBUG_JOBS ? process.stdout : silent });
  return {
    app,
    runtime,
    jobs: runtime.jobs!,
    schema,
    prefix,
    logs,
    token: (claims) => signDevToken(secret, claims),
    request: (method, url, call = {}) => injectJson(app, method, url, call),
    async rows<T>(sql: string, values: unknown[] = []) {
      const { rows } = await runtime.db.pool.query(sql, values);
      return rows as T[];
    },
    async close() {
      await app.close();
      // ops/metrics.ts creates its gauges in prom-client's global registry too: a second app in
      // this process would find their names taken.
      defaultMetricsRegistry.clear();
      await runtime.close();
      await cleanRedis(config.redisUrl, prefix);
      if (config.databaseUrl) await dropSchema(schema);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
