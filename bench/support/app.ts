import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signDevToken } from '@tasking/auth';
import { loadConfig, type Config } from '@tasking/shared';
import { createApp } from '../../apps/api/src/create-app';
import { openRuntime, type Runtime, type RuntimeOptions } from '@tasking/runtime';
import { DEMO_USERS, type DemoUser } from '../../apps/api/src/seed/demo-users';

export const PARTNERSHIP = 'default';

/** The environment of a benchmark API: the bench database, rate limits off, a fresh HS256 secret. */
export function benchEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    PARTNERSHIPS: PARTNERSHIP,
    DEFAULT_PARTNERSHIP: PARTNERSHIP,
    RATE_LIMIT_PER_USER_PER_MINUTE: '0',
    RATE_LIMIT_PER_IP_PER_MINUTE: '0',
    LOG_LEVEL: 'info',
    QUEUE_PREFIX: `tlbench${randomBytes(3).toString('hex')}`,
    DATA_DIR: '/tmp/tasking-ledger-bench',
    ...extra,
  };
}

export function benchConfig(env: Record<string, string>): Config {
  return loadConfig(env);
}

/** Discards log lines (they are still formatted: the cost of logging stays in the figures). */
export const nullStream = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() });

export interface InProcessApp {
  runtime: Runtime;
  app: NestFastifyApplication;
  token(user: DemoUser): Promise<string>;
  close(): Promise<void>;
}

/**
 * Nest's default on a start-up error is to print through the (buffered, here discarded) logger
 * and call process.exit(1): the benchmark would vanish without a word. Make it throw instead.
 */
export function startUpErrorsThrow(): void {
  type Create = (module: unknown, adapter: unknown, options?: Record<string, unknown>) => unknown;
  const factory = NestFactory as unknown as { create: Create; __benchPatched?: boolean };
  if (factory.__benchPatched) return;
  const create = factory.create.bind(NestFactory);
  factory.create = (module, adapter, options = {}) => create(module, adapter, { ...options, abortOnError: false });
  factory.__benchPatched = true;
}

/** The real runtime and Nest app in this process, on `schema`; requests through Fastify inject. */
export async function openInProcessApp(env: Record<string, string>, schema: string, options: Omit<RuntimeOptions, 'schema'> = {}): Promise<InProcessApp> {
  const config = benchConfig(env);
  const runtime = await openRuntime(config, {
    schema,
    runJobs: false,
    projectionOptions: { logger: { warn: (m) => console.warn(`  [projections] ${m}`), error: (m) => console.error(`  [projections] ${m}`) } },
    ...options,
  });
  let app: NestFastifyApplication;
  startUpErrorsThrow();
  try {
    app = await createApp(runtime, { logDestination: nullStream() });
  } catch (error) {
    await runtime.close().catch(() => undefined);
    throw error;
  }
  return {
    runtime,
    app,
    token: (user) => tokenFor(env.AUTH_JWT_SECRET!, user),
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

/** A bearer token of one of the demo users (agency and roles as in demo-users.ts). */
export function tokenFor(secret: string, user: DemoUser): Promise<string> {
  const person = DEMO_USERS[user];
  return signDevToken(secret, { sub: person.userId, name: person.name, agency: person.agency, roles: [...person.roles], partnerships: [PARTNERSHIP] }, '2h');
}
