import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerWebConsole } from '@tasking/web-console';

/** The console's static serving and SPA fallback, on a bare Fastify with a problem+json 404 like the API's. */
describe('registerWebConsole', () => {
  let dist: string;
  let fastify: FastifyInstance;

  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'tl-web-dist-'));
    await mkdir(join(dist, 'assets'));
    await writeFile(join(dist, 'index.html'), '<!doctype html><html><body><div id="root"></div></body></html>');
    await writeFile(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(join(dist, 'assets', 'index-abc123.js.map'), '{"version":3,"sources":["src/secret.ts"]}');
    await writeFile(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(join(dist, '.secret'), 'no');
    fastify = Fastify();
    fastify.setNotFoundHandler((request, reply) => reply.code(404).type('application/problem+json').send({ status: 404, code: 'NOT_FOUND', detail: request.url }));
    fastify.get('/v1/problems', async () => ({ items: [] }));
    expect(await registerWebConsole(fastify, dist)).toBe(true);
    await fastify.ready();
  });

  afterAll(async () => {
    await fastify.close();
    await rm(dist, { recursive: true, force: true });
  });

  it('answers the page at / with no-cache and a content security policy', async () => {
    const response = await fastify.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    // Forms (e.g. markup smuggled into the page) may post only back to this origin.
    expect(response.headers['content-security-policy']).toContain("form-action 'self';");
    expect(response.headers['content-security-policy']).not.toMatch(/form-action[^;]*https:/);
    expect(response.body).toContain('<div id="root">');
  });

  it('answers the page for console paths (SPA fallback), also with a query string', async () => {
    for (const url of ['/problems', '/problems/7b0c2f5e-0000-4000-8000-000000000000', '/dashboard?from=2026-01-01', '/auth/callback?code=x&state=y']) {
      const response = await fastify.inject({ method: 'GET', url });
      expect([url, response.statusCode]).toEqual([url, 200]);
      expect(response.body).toContain('<div id="root">');
    }
  });

  it('serves hashed assets as immutable and other files for an hour', async () => {
    const asset = await fastify.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
    const icon = await fastify.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toContain('max-age=3600');
  });

  it('never serves source maps, even ones a build left in the folder', async () => {
    const map = await fastify.inject({ method: 'GET', url: '/assets/index-abc123.js.map' });
    expect(map.statusCode).toBe(404);
    expect(map.body).not.toContain('secret.ts');
  });

  it('never answers API paths, missing files, dot files or escapes with the page', async () => {
    for (const url of ['/v1/nothing-here', '/v1', '/health/nothing', '/docs/nothing', '/metrics/x', '/assets/missing.js', '/missing.css', '/.secret', '/..%2f..%2fetc%2fpasswd', '/%2e%2e/package.json']) {
      const response = await fastify.inject({ method: 'GET', url });
      expect([url, response.statusCode]).toEqual([url, 404]);
      expect(response.body).not.toContain('<div id="root">');
    }
    expect((await fastify.inject({ method: 'GET', url: '/v1/problems' })).json()).toEqual({ items: [] });
    expect((await fastify.inject({ method: 'POST', url: '/problems' })).statusCode).toBe(404);
  });

  it('registers nothing, and says so, when the console has not been built', async () => {
    const bare = Fastify();
    const warnings: string[] = [];
    expect(await registerWebConsole(bare, join(dist, 'nope'), { warn: (m) => warnings.push(m) })).toBe(false);
    await bare.ready();
    expect((await bare.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
    expect(warnings.join()).toContain('npm run build:web');
    await bare.close();
  });
});
