import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signDevToken } from '@tasking/auth';
import { loadConfig } from '@tasking/shared';
import { createApp } from '../../apps/api/src/create-app';
import { READINESS, type Readiness } from '../../apps/api/src/health/readiness';
import { openRuntime, type Runtime } from '@tasking/runtime';
import { TEST_DATABASE_URL, dropSchema } from '../support/test-database';

const secret = randomBytes(24).toString('hex');
const metricsToken = randomBytes(24).toString('hex');
const root = join(__dirname, '..', '..');

/** Every `METHOD /path` the HTTP contract names: the design copy beside the repository, else ours. */
function contractRoutes(): string[] {
  const shared = join(root, '..', 'shared', 'design', 'api.md');
  const text = readFileSync(existsSync(shared) ? shared : join(root, 'docs', 'api.md'), 'utf8');
  const routes = new Set<string>();
  for (const match of text.matchAll(/`(GET|POST|PUT|DELETE|PATCH) (\/[^`?\s]*)/g)) {
    routes.add(`${match[1]} ${match[2]!.replace(/:([A-Za-z]+)/g, '{$1}')}`);
  }
  return [...routes].sort();
}

describe('operability: health, metrics, OpenAPI', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let runtime: Runtime;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const config = loadConfig({ DATABASE_URL: TEST_DATABASE_URL, AUTH_JWT_SECRET: secret, RATE_LIMIT_PER_USER_PER_MINUTE: '0', RATE_LIMIT_PER_IP_PER_MINUTE: '0', LOG_LEVEL: 'silent', METRICS_TOKEN: metricsToken });
    runtime = await openRuntime(config, { schema });
    app = await createApp(runtime, { deferReadiness: true });
  });

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await dropSchema(schema);
  });

  const inject = (url: string, headers: Record<string, string> = {}) => app.getHttpAdapter().getInstance().inject({ method: 'GET', url, headers });

  it('is not ready until start-up is done, then ready with the databases answering', async () => {
    const before = await inject('/health/ready');
    expect(before.statusCode).toBe(503);
    expect(before.json().error.startup.status).toBe('down');

    await app.get<Readiness>(READINESS).begin();
    let after = await inject('/health/ready');
    for (let i = 0; i < 50 && after.statusCode !== 200; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      after = await inject('/health/ready');
    }
    expect(after.statusCode).toBe(200);
    const body = after.json();
    expect(body.status).toBe('ok');
    expect(body.info.eventStore.status).toBe('up');
    expect(body.info.readModels.status).toBe('up');
    expect(body.info.projections.status).toBe('up');
    // Redis is reported (degraded or not), never failing readiness.
    expect(body.info.redis.status).toBe('up');
    expect(typeof body.info.redis.degraded).toBe('boolean');
  });

  it('serves Prometheus metrics with HTTP, append and projection figures', async () => {
    const token = await signDevToken(secret, { sub: 'admin-1', name: 'Admin', agency: 'COUNCIL', roles: ['admin'] });
    const created = await app.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: '/v1/agencies',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ code: 'FIRE', name: 'Fire and Rescue', kind: 'fire-rescue' }),
    });
    expect(created.statusCode).toBe(201);
    const response = await inject('/metrics', { authorization: `Bearer ${metricsToken}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/plain/);
    const text = response.body;
    expect(text).toMatch(/http_request_duration_seconds_bucket\{.*route="\/v1\/agencies".*status="201"/);
    expect(text).toMatch(/event_store_appends_total 1/);
    expect(text).toMatch(/projection_position_sequence\{projection="/);
    expect(text).toMatch(/process_resident_memory_bytes/);
  });

  it('documents every route of the HTTP contract in /docs-json, and serves the UI at /docs', async () => {
    const response = await inject('/docs-json');
    expect(response.statusCode).toBe(200);
    const document = response.json();
    const documented = new Set<string>();
    for (const [path, item] of Object.entries<Record<string, unknown>>(document.paths)) {
      for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    const contract = contractRoutes();
    expect(contract.length).toBeGreaterThan(40);
    expect(contract.filter((route) => !documented.has(route))).toEqual([]);
    // Request bodies come from the validation rules themselves.
    const raise = document.paths['/v1/problems'].post;
    const ref = raise.requestBody.content['application/json'].schema.$ref.split('/').pop();
    expect(document.components.schemas[ref].properties.category.enum).toContain('fly-tipping');
    const ui = await inject('/docs');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });
});
