import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signDevToken, type DevTokenClaims } from '@tasking/auth';
import { loadConfig } from '@tasking/shared';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type InjectOptions } from 'fastify';
import { createApp } from '../../../apps/api/src/create-app';
import { openRuntime, type Runtime } from '@tasking/runtime';
import { registerWebConsole } from '@tasking/web-console';
import type { EventStore } from '@tasking/event-store';
import { answerQuery } from './query-stand-in';
import { dropSchema, freshSchema, TEST_DATABASE_URL } from '../../support/test-database';

import { ensureWebBuilt, ROOT, WEB_DIST } from '../../support/web-build';

export { ensureWebBuilt, ROOT, WEB_DIST };
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PARTNERSHIP = 'north';

/** The browser suite needs Debian's Chromium; without it the suite fails (never a silent pass). */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: run .ci/browser-deps (apt-get install -y chromium). The browser suite cannot pass without it.`);
  }
}

export interface ConsoleServer {
  /** What the browser opens: the API itself when it serves the console, else a front for it. */
  baseUrl: string;
  /** The API's own address (for setting up data over HTTP; the front's when standing in for queries). */
  apiUrl: string;
  /** True when the API serves the console at `/` itself (create-app registers it). */
  servedByApi: boolean;
  app: NestFastifyApplication;
  runtime: Runtime;
  token(claims: DevTokenClaims): Promise<string>;
  close(): Promise<void>;
}

const silent = new Writable({ write: (_chunk, _encoding, done) => done() });

/** `BROWSER_QUERY_STAND_IN=1`: GET routes the API does not have yet are answered from the log (development only). */
export const QUERY_STAND_IN = process.env.BROWSER_QUERY_STAND_IN === '1';

/** Relays a request to the API in process (used by the front server while create-app lacks the console). */
async function relay(api: FastifyInstance, store: EventStore, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const headers = { ...request.headers } as Record<string, string>;
  delete headers['host'];
  delete headers['content-length'];
  const answer = await api.inject({
    method: request.method as InjectOptions['method'],
    url: request.url,
    headers,
    payload: request.body as Buffer | undefined,
  });
  if (QUERY_STAND_IN && request.method === 'GET' && answer.statusCode === 404 && answer.body.includes('no such route')) {
    const standIn = await answerQuery(store, request.url, request.headers.authorization);
    if (standIn) {
      await reply.code(standIn.status).headers({ ...standIn.headers, 'x-query-stand-in': 'true' }).send(standIn.body);
      return;
    }
  }
  reply.code(answer.statusCode);
  for (const [name, value] of Object.entries(answer.headers)) {
    if (['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name.toLowerCase())) continue;
    if (value !== undefined) reply.header(name, value as string);
  }
  await reply.send(answer.rawPayload);
}

/**
 * The real API, in process, on real PostgreSQL in a fresh schema (dropped at close), listening on
 * a loopback port with the built console. Rate limits are off; one partnership (`north`).
 */
export async function startConsoleServer(env: Record<string, string> = {}, options: { quickStart?: boolean } = {}): Promise<ConsoleServer> {
  // The quick start: embedded PGlite and a development secret generated into DATA_DIR (no DATABASE_URL, no AUTH_*).
  const schema = options.quickStart ? undefined : freshSchema();
  const secret = randomBytes(32).toString('hex');
  const dataDir = await mkdtemp(join(tmpdir(), 'tl-browser-'));
  const { DATABASE_URL: _url, AUTH_JWT_SECRET: _secret, AUTH_JWKS_URL: _jwks, ...inherited } = process.env;
  const config = loadConfig({
    ...inherited,
    ...(options.quickStart ? {} : { DATABASE_URL: TEST_DATABASE_URL, ...(env['AUTH_JWKS_URL'] ? {} : { AUTH_JWT_SECRET: secret }) }),
    PARTNERSHIPS: PARTNERSHIP,
    DEFAULT_PARTNERSHIP: PARTNERSHIP,
    DATA_DIR: dataDir,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_PER_USER_PER_MINUTE: '0',
    RATE_LIMIT_PER_IP_PER_MINUTE: '0',
    QUEUE_PREFIX: `tl-browser-${schema}`,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    LOG_LEVEL: 'silent',
    WEB_DIST_DIR: WEB_DIST,
    ...env,
  });
  const runtime = await openRuntime(config, { schema });
  const app = await createApp(runtime, { logDestination: silent } as Parameters<typeof createApp>[1]);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const apiUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

  const home = await fetch(`${apiUrl}/`, { headers: { accept: 'text/html' } }).catch(() => undefined);
  const servedByApi = !!home && home.ok && (home.headers.get('content-type') ?? '').includes('text/html') && (await home.text()).includes('<div id="root">');

  let front: FastifyInstance | undefined;
  let baseUrl = apiUrl;
  if (!servedByApi || QUERY_STAND_IN) {
    if (!servedByApi) console.warn(
      'The API does not serve the console at / yet: the browser suite fronts it with registerWebConsole and relays /v1 to the API. ' +
        'Add `await registerWebConsole(fastify, webConsoleDir());` to apps/api/src/create-app.ts.',
    );
    front = Fastify();
    front.removeAllContentTypeParsers();
    front.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    await registerWebConsole(front, WEB_DIST);
    const api = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
    front.setNotFoundHandler((request, reply) => relay(api, runtime.store, request, reply));
    await front.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(front.server.address() as AddressInfo).port}`;
  }

  return {
    baseUrl,
    apiUrl: QUERY_STAND_IN ? baseUrl : apiUrl,
    servedByApi,
    app,
    runtime,
    token: (claims) => signDevToken(runtime.jwtSecret ?? secret, { partnerships: [PARTNERSHIP], ...claims }),
    async close() {
      await front?.close();
      await app.close();
      await runtime.close();
      if (schema) await dropSchema(schema);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
