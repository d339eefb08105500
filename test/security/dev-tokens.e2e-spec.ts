import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { decodeJwt } from 'jose';
import { ConfigError, loadConfig, type Config } from '@tasking/shared';
import { createApp } from '../../apps/api/src/create-app';
import { openRuntime, type Runtime } from '@tasking/runtime';
import { DEMO_SIGN_IN } from '../../apps/api/src/seed/demo-users';

/**
 * `GET /v1/dev/tokens` hands out tokens signed with the embedded quick start's generated secret
 * only while the API listens on loopback and NODE_ENV is not production; and the quick start
 * refuses to start on another address.
 */
const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
const quickStart = (dataDir: string, env: Record<string, string> = {}) =>
  loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', RATE_LIMIT_PER_USER_PER_MINUTE: '0', RATE_LIMIT_PER_IP_PER_MINUTE: '0', ...env });

describe('development tokens', () => {
  let dataDir: string;
  let runtime: Runtime;
  let app: NestFastifyApplication;
  let quickStartConfig: Config;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tl-dev-tokens-'));
    quickStartConfig = quickStart(dataDir);
    runtime = await openRuntime(quickStartConfig, { runProjections: false, runJobs: false });
    app = await createApp(runtime, { logDestination: silent });
  });
  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The same runtime under another configuration: the route reads it on each request. */
  const tokensUnder = async (config: Config) => {
    runtime.config = config;
    try {
      const answer = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/v1/dev/tokens' });
      return { status: answer.statusCode, body: JSON.parse(answer.body) as { items?: { token: string }[]; code?: string } };
    } finally {
      runtime.config = quickStartConfig;
    }
  };

  it('the quick start on loopback serves one token per demo user, each with exp 12 hours after iat, that the API accepts', async () => {
    const { status, body } = await tokensUnder(quickStartConfig);
    expect(status).toBe(200);
    expect(body.items).toHaveLength(DEMO_SIGN_IN.length);
    for (const { token } of body.items!) {
      const { iat, exp } = decodeJwt(token);
      expect(exp! - iat!).toBe(12 * 3600);
      await expect(runtime.verifier.verify(token)).resolves.toMatchObject({ partnerships: ['default'] });
    }
  });

  it('a shorter AUTH_TOKEN_MAX_LIFETIME_SECONDS shortens them', async () => {
    const { body } = await tokensUnder(quickStart(dataDir, { AUTH_TOKEN_MAX_LIFETIME_SECONDS: '3600' }));
    const { iat, exp } = decodeJwt(body.items![0]!.token);
    expect(exp! - iat!).toBe(3600);
  });

  it('serves none with NODE_ENV=production: 404 NOT_FOUND', async () => {
    expect(await tokensUnder(quickStart(dataDir, { NODE_ENV: 'production' }))).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  });

  it('serves none when listening beyond loopback', async () => {
    expect(await tokensUnder({ ...quickStartConfig, host: '0.0.0.0' })).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  });

  it('the quick start refuses a non-loopback HOST in one line; a configured verifier may listen anywhere', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'api.example.org']) {
      let problems: string[] = [];
      try {
        quickStart(dataDir, { HOST: host });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems = error.problems;
      }
      expect(problems).toEqual([
        `HOST=${host} is not a loopback address: the embedded quick start's generated development secret serves 127.0.0.1 only; set AUTH_JWT_SECRET or AUTH_JWKS_URL to listen on ${host}`,
      ]);
    }
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.1.1']) expect(quickStart(dataDir, { HOST: host }).host).toBe(host);
    expect(quickStart(dataDir, { HOST: '0.0.0.0', AUTH_JWT_SECRET: 'x'.repeat(32) }).host).toBe('0.0.0.0');
  });
});
