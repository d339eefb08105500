/**
 * The HTTP server's own limits (docs/security.md, HTTP server), over real sockets with short
 * configured limits so each runs in seconds: oversized and slow headers, a trickling or stalled
 * body, idle keep-alives, connections per address, the request deadline while the database does
 * not answer (a table locked from another session), and the headers the API reads.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { signDevToken } from '@tasking/auth';
import { StoreUnavailableError } from '@tasking/event-store';
import { loadConfig } from '@tasking/shared';
import { openRuntime, type Runtime } from '@tasking/runtime';
import { createApp } from '../../apps/api/src/create-app';
import { connectionsCheckingIntervalMs } from '../../apps/api/src/http/server-limits';
import { Metrics, serveMetricsPort } from '../../apps/api/src/ops/metrics';
import { dropSchema, freshSchema, TEST_DATABASE_URL } from '../support/test-database';

const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 4000;
const IDLE_TIMEOUT_MS = 2500;
const KEEP_ALIVE_TIMEOUT_MS = 500;
const DEADLINE_MS = 1000;
const QUERY_TIMEOUT_MS = 1500;
const PER_IP = 5;

interface Closed {
  /** Everything the server wrote before closing. */
  text: string;
  /** From connecting to the server closing the connection. */
  ms: number;
}

/** A raw connection that records what the server writes and when it closes. */
function rawConnection(port: number): { socket: Socket; closed: Promise<Closed>; received: () => string } {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<Closed>((resolve) => socket.on('close', () => resolve({ text, ms: Date.now() - started })));
  return { socket, closed, received: () => text };
}

const connected = (socket: Socket) => new Promise<void>((resolve) => (socket.readyState === 'open' ? resolve() : socket.once('connect', () => resolve())));

/** Writes `bytes` one at a time, every `everyMs`, until the socket closes. */
function trickle(socket: Socket, bytes: string, everyMs: number): () => void {
  let index = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || index >= bytes.length) return;
    socket.write(bytes[index]!);
    index += 1;
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
  return () => clearInterval(timer);
}

const problemOf = (raw: string) => {
  const [head, body] = raw.split('\r\n\r\n');
  return { statusLine: head!.split('\r\n')[0]!, head: head!.toLowerCase(), body: JSON.parse(body!) as { status: number; code: string } };
};

describe('HTTP server limits', () => {
  const schema = freshSchema();
  const secret = randomBytes(32).toString('hex');
  const metricsToken = randomBytes(24).toString('hex');
  let runtime: Runtime;
  let app: NestFastifyApplication;
  let port: number;

  beforeAll(async () => {
    const config = loadConfig({
      DATABASE_URL: TEST_DATABASE_URL,
      AUTH_JWT_SECRET: secret,
      RATE_LIMIT_PER_USER_PER_MINUTE: '0',
      RATE_LIMIT_PER_IP_PER_MINUTE: '0',
      LOG_LEVEL: 'silent',
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
      HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
      HTTP_MAX_CONNECTIONS_PER_IP: String(PER_IP),
      REQUEST_DEADLINE_MS: String(DEADLINE_MS),
      DATABASE_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
      READ_YOUR_WRITES_TIMEOUT_MS: '500',
      METRICS_TOKEN: metricsToken,
    });
    runtime = await openRuntime(config, { schema });
    app = await createApp(runtime, { logDestination: new Writable({ write: (_c, _e, done) => done() }) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.getHttpServer().address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await dropSchema(schema);
  });

  it('checks its timeouts often enough that the 30 s header limit fires within a second of 30 s', () => {
    const defaults = loadConfig({}).http;
    expect(defaults.headersTimeoutMs).toBe(30_000);
    expect(connectionsCheckingIntervalMs(defaults)).toBeLessThanOrEqual(1000);
    expect(() => loadConfig({ HTTP_IDLE_TIMEOUT_MS: '1000', REQUEST_DEADLINE_MS: '2000' })).toThrow(/HTTP_IDLE_TIMEOUT_MS must exceed REQUEST_DEADLINE_MS/);
    expect(() => loadConfig({ READ_YOUR_WRITES_TIMEOUT_MS: '20000', REQUEST_DEADLINE_MS: '15000' })).toThrow(/READ_YOUR_WRITES_TIMEOUT_MS must be below REQUEST_DEADLINE_MS/);
  });

  it('answers oversized headers 431 as problem+json', async () => {
    const { socket, closed } = rawConnection(port);
    socket.write(`GET /health/live HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
    const { text } = await closed;
    const answer = problemOf(text);
    expect(answer.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(answer.head).toContain('content-type: application/problem+json');
    expect(answer.body).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
  });

  it('closes a connection whose headers trickle in, at the header limit (408 problem+json)', async () => {
    const { socket, closed } = rawConnection(port);
    await connected(socket);
    socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n');
    trickle(socket, 'X-Slow: ' + 'a'.repeat(1000), 100);
    const { text, ms } = await closed;
    expect(ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(HEADERS_TIMEOUT_MS + connectionsCheckingIntervalMs(runtime.config.http) + 1000);
    expect(problemOf(text).body).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT' });
  });

  it('closes a connection whose body trickles in, at the request limit', async () => {
    const { socket, closed } = rawConnection(port);
    await connected(socket);
    socket.write('POST /v1/problems HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n');
    trickle(socket, '{"title":"' + 'a'.repeat(990), 200);
    const { ms } = await closed;
    expect(ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + 1500);
  });

  it('closes a connection whose body stops arriving, at the idle limit', async () => {
    const { socket, closed } = rawConnection(port);
    await connected(socket);
    socket.write('POST /v1/problems HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"title":');
    const { ms } = await closed;
    expect(ms).toBeGreaterThanOrEqual(IDLE_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(IDLE_TIMEOUT_MS + 1000);
  });

  it('closes an idle keep-alive connection after the keep-alive limit', async () => {
    const { socket, closed, received } = rawConnection(port);
    await connected(socket);
    socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    const { text, ms } = await closed;
    expect(text).toContain('HTTP/1.1 200');
    expect(received()).toContain('"status":"ok"');
    // Node keeps a second on top of the advertised keep-alive time; the idle limit would be later still.
    expect(ms).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS + 1500);
    expect(ms).toBeLessThan(IDLE_TIMEOUT_MS);
  });

  it('caps open connections per client address with 429 problem+json, and frees a place when one closes', async () => {
    const held = Array.from({ length: PER_IP }, () => rawConnection(port));
    await Promise.all(held.map((c) => connected(c.socket)));
    // Keep them busy past the idle limit's reach: each one is mid-headers.
    for (const c of held) c.socket.write('GET /health/live HTTP/1.1\r\n');
    const extra = rawConnection(port);
    const refused = await extra.closed;
    const answer = problemOf(refused.text);
    expect(answer.statusLine).toBe('HTTP/1.1 429 Too Many Requests');
    expect(answer.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });

    held[0]!.socket.destroy();
    await held[0]!.closed;
    const again = rawConnection(port);
    await connected(again.socket);
    again.socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect((await again.closed).text).toContain('HTTP/1.1 200');
    for (const c of held.slice(1)) c.socket.destroy();
    await Promise.all(held.map((c) => c.closed));
  });

  it('answers 503 with Retry-After at the deadline while the database does not answer, and a retry with the Idempotency-Key records the command once', async () => {
    const admin = await signDevToken(secret, { sub: 'admin-deadline', name: 'Admin', agency: 'POLICE', roles: ['admin'] });
    const body = JSON.stringify({ code: 'FROZEN-TEST', name: 'Frozen test agency', kind: 'other' });
    const send = (key: string) =>
      fetch(`http://127.0.0.1:${port}/v1/agencies`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'idempotency-key': key },
        body,
      });
    const locker = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE "${schema}".events IN ACCESS EXCLUSIVE MODE`);
      const started = Date.now();
      const frozen = await send('agency-frozen-1');
      const elapsed = Date.now() - started;
      expect(frozen.status).toBe(503);
      expect(frozen.headers.get('content-type')).toContain('application/problem+json');
      expect(frozen.headers.get('retry-after')).toBe('5');
      expect(await frozen.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
      expect(elapsed).toBeLessThan(DEADLINE_MS + 1500);
      // A query route is bounded the same way.
      const reader = await signDevToken(secret, { sub: 'manager-deadline', name: 'M', agency: 'POLICE', roles: ['manager'] });
      const read = await fetch(`http://127.0.0.1:${port}/v1/problems/00000000-0000-4000-8000-000000000000/history`, { headers: { authorization: `Bearer ${reader}` } });
      expect(read.status).toBe(503);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    // The database answers again: the retry with the same key is answered, and the agency exists once.
    const retried = await send('agency-frozen-1');
    expect(retried.status).toBe(201);
    const first = (await retried.json()) as { id: string };
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the timed-out request finish whatever it still does
    const again = await send('agency-frozen-1');
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(first);
    const { rows } = await runtime.db.pool.query(`SELECT count(*)::int AS n FROM "${schema}".events WHERE type = 'AgencyRegistered' AND stream_id LIKE '%FROZEN-TEST%'`);
    expect(rows[0].n).toBe(1);
  });

  it('gives up on a statement the database does not answer after the query timeout, and a command past its deadline appends nothing', async () => {
    const admin = await signDevToken(secret, { sub: 'admin-query-timeout', name: 'Admin', agency: 'POLICE', roles: ['admin'] });
    const locker = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await locker.connect();
    let unkeyed: Promise<Response> | undefined;
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE "${schema}".events IN ACCESS EXCLUSIVE MODE`);
      const started = Date.now();
      const read = await runtime.store.read('agency-QUERY-TIMEOUT').then(
        () => undefined,
        (error: unknown) => error,
      );
      const elapsed = Date.now() - started;
      expect(read).toBeInstanceOf(StoreUnavailableError);
      expect(elapsed).toBeGreaterThanOrEqual(QUERY_TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(QUERY_TIMEOUT_MS + 1000);
      // Without an Idempotency-Key: answered 503 at the deadline, and it must not commit later unseen.
      unkeyed = fetch(`http://127.0.0.1:${port}/v1/agencies`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'UNKEYED', name: 'Unkeyed', kind: 'other' }),
      });
      expect((await unkeyed).status).toBe(503);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    await new Promise((resolve) => setTimeout(resolve, QUERY_TIMEOUT_MS));
    expect(await runtime.store.read('agency-UNKEYED')).toEqual([]);
    // The pool recovered: statements answer again.
    expect(await runtime.store.read('agency-QUERY-TIMEOUT')).toEqual([]);
  });

  it('refuses an X-Min-Position that is not a position with 400 at once, not a wait and a 503', async () => {
    const manager = await signDevToken(secret, { sub: 'manager-position', name: 'M', agency: 'POLICE', roles: ['manager'] });
    for (const value of ['abc', '99999999999999999999', 'zzzz-zzzz', '00000000000000000001-0000000000000000000a']) {
      const started = Date.now();
      const response = await fetch(`http://127.0.0.1:${port}/v1/problems`, { headers: { authorization: `Bearer ${manager}`, 'x-min-position': value } });
      expect([value, response.status]).toEqual([value, 400]);
      expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'X-Min-Position' }] });
      expect(Date.now() - started).toBeLessThan(500);
    }
  });

  it('serves /metrics only with the metrics token, never to a user token or none', async () => {
    const admin = await signDevToken(secret, { sub: 'admin-metrics', name: 'Admin', agency: 'POLICE', roles: ['admin'] });
    const none = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${admin}` } })).status).toBe(401);
    const scraped = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('http_requests_total');
  });

  it('serves /metrics without a token on METRICS_PORT, and nothing else there', async () => {
    const server = await serveMetricsPort(app.get(Metrics), '127.0.0.1', 0);
    try {
      const metricsPort = (server.address() as AddressInfo).port;
      const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('http_requests_total');
      expect((await fetch(`http://127.0.0.1:${metricsPort}/v1/problems`)).status).toBe(404);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('serves the API docs with a content security policy, no framing and no sniffing', async () => {
    for (const path of ['/docs', '/docs-json']) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      expect([path, response.status]).toEqual([path, 200]);
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect((await fetch(`http://127.0.0.1:${port}/v1/categories`)).headers.get('x-content-type-options')).toBe('nosniff');
  });
});
