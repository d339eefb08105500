import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signDevToken } from '@tasking/auth';
import type { EventStore } from '@tasking/event-store';
import { loadConfig } from '@tasking/shared';
import { openRuntime, type Runtime } from '@tasking/runtime';
import { createApp } from '../../apps/api/src/create-app';
import { injectJson } from '../support/inject';
import { dropSchema, freshSchema, TEST_DATABASE_URL } from '../support/test-database';

/**
 * The store refusing a write for lack of space (SQLSTATE 53100), simulated at the store port so
 * it runs anywhere; test/reliability/storage-full fills a real file system under the embedded
 * store. The answer is 503 STORAGE_FULL, nothing is appended, and readiness, which then tries a
 * write of its own, follows the database: here it has room, so readiness stays up.
 */
describe('a write refused for lack of space (simulated at the store port)', () => {
  const schema = freshSchema();
  const secret = randomBytes(32).toString('hex');
  let runtime: Runtime;
  let app: NestFastifyApplication;
  let full = false;

  beforeAll(async () => {
    const config = loadConfig({ DATABASE_URL: TEST_DATABASE_URL, AUTH_JWT_SECRET: secret, RATE_LIMIT_PER_USER_PER_MINUTE: '0', RATE_LIMIT_PER_IP_PER_MINUTE: '0', LOG_LEVEL: 'silent' });
    runtime = await openRuntime(config, { schema });
    const store = runtime.store;
    runtime.store = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'append') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<EventStore['append']>) => {
          if (full) throw Object.assign(new Error('could not extend file "base/5/16384": No space left on device'), { code: '53100' });
          return target.append(...args);
        };
      },
    });
    app = await createApp(runtime, { logDestination: new Writable({ write: (_c, _e, done) => done() }) });
  });

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await dropSchema(schema);
  });

  it('answers 503 STORAGE_FULL with Retry-After and appends nothing, then accepts the write once there is room', async () => {
    const admin = await signDevToken(secret, { sub: 'admin-space', name: 'Admin', agency: 'POLICE', roles: ['admin'] });
    const body = { code: 'SPACE', name: 'Space', kind: 'other' };
    full = true;
    const refused = await injectJson(app, 'POST', '/v1/agencies', { token: admin, body });
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 503, code: 'STORAGE_FULL' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await runtime.store.read('agency-SPACE')).toEqual([]);
    // The database itself has room: readiness's own write succeeds, so it does not stay failed.
    expect((await injectJson(app, 'GET', '/health/ready')).status).toBe(200);

    full = false;
    expect((await injectJson(app, 'POST', '/v1/agencies', { token: admin, body })).status).toBe(201);
  });
});
