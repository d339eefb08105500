import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signDevToken } from '@tasking/auth';
import { loadConfig } from '@tasking/shared';
import { createApp } from '../../apps/api/src/create-app';
import { openRuntime, type Runtime } from '@tasking/runtime';
import { TEST_DATABASE_URL, dropSchema } from '../support/test-database';

const secret = randomBytes(24).toString('hex');

class Capture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

describe('HTTP basics: errors, limits and logs', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const logs = new Capture();
  let runtime: Runtime;
  let app: NestFastifyApplication;
  const warnings: string[] = [];

  beforeAll(async () => {
    const emitWarning = process.emitWarning.bind(process);
    jest.spyOn(process, 'emitWarning').mockImplementation((warning: string | Error, ...rest: unknown[]) => {
      const code = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { code?: string }).code : rest[1];
      warnings.push(`${String(code ?? (warning as Error).name)}: ${typeof warning === 'string' ? warning : warning.message}`);
      (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
    });
    const config = loadConfig({ DATABASE_URL: TEST_DATABASE_URL, AUTH_JWT_SECRET: secret, RATE_LIMIT_PER_USER_PER_MINUTE: '5', RATE_LIMIT_PER_IP_PER_MINUTE: '0', LOG_LEVEL: 'info' });
    runtime = await openRuntime(config, { schema });
    app = await createApp(runtime, { logDestination: logs });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await app?.close();
    await runtime?.close();
    await dropSchema(schema);
  });

  const inject = (options: { method?: string; url: string; headers?: Record<string, string>; payload?: string }) =>
    app.getHttpAdapter().getInstance().inject({ method: (options.method ?? 'GET') as 'GET', url: options.url, headers: options.headers, payload: options.payload });

  it('starts without a warning from the HTTP framework', () => {
    expect(warnings.filter((warning) => warning.startsWith('FST'))).toEqual([]);
  });

  it('answers the liveness probe without a token', async () => {
    const response = await inject({ url: '/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers unknown routes and missing tokens as problem+json', async () => {
    const missing = await inject({ url: '/v1/nowhere' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(missing.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });

    const unauthenticated = await inject({ method: 'POST', url: '/v1/problems', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.json()).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, title: 'Unauthorized' });
  });

  it('refuses malformed JSON, prototype keys and oversized bodies with 4xx', async () => {
    const token = await signDevToken(secret, { sub: 'bodies', name: 'B', agency: 'POLICE', roles: ['inspector'] });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const malformed = await inject({ method: 'POST', url: '/v1/problems', headers, payload: '{"title":' });
    expect(malformed.statusCode).toBe(400);
    const proto = await inject({ method: 'POST', url: '/v1/problems', headers, payload: '{"__proto__":{"polluted":true}}' });
    expect(proto.statusCode).toBe(400);
    const huge = await inject({ method: 'POST', url: '/v1/problems', headers, payload: JSON.stringify({ title: 'x'.repeat(400_000) }) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ status: 413 });
  });

  it('limits a user with 429 RATE_LIMITED and Retry-After', async () => {
    const token = await signDevToken(secret, { sub: 'busy-user', name: 'Busy', agency: 'POLICE', roles: ['manager'] });
    const statuses: number[] = [];
    let limited;
    for (let i = 0; i < 7; i += 1) {
      const response = await inject({ url: '/v1/categories', headers: { authorization: `Bearer ${token}` } });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) limited = response;
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(limited!.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('logs JSON lines with request and correlation ids and never the token', async () => {
    const token = await signDevToken(secret, { sub: 'logged', name: 'Logged', agency: 'POLICE', roles: ['manager'] });
    await inject({ url: '/health/live?q=Jane%20Doe', headers: { authorization: `Bearer ${token}`, 'x-correlation-id': 'corr-123', 'x-request-id': 'req-456' } });
    const line = logs.lines.map((l) => JSON.parse(l)).find((l) => l.req?.id === 'req-456');
    expect(line).toBeDefined();
    expect(line.correlationId).toBe('corr-123');
    const all = logs.lines.join('\n');
    expect(all).not.toContain(token);
    expect(all).not.toContain('Jane');
  });
});
