import { randomUUID } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { startCommandApp, NORTH, SOUTH, type CommandApp } from '../e2e/support/command-app';
import { assignAction, people, raiseProblem, recordIncident, registerReferenceData, type People } from '../e2e/support/fixtures';
import { eventCount } from '../reliability/support/log';
import { hostileString, hostileValue, mutate, mutation, RAW_BODIES, type Mutation } from './support/hostile';
import { openApiRoutes, ROUTES, type Ids, type Route } from './support/routes';

/**
 * Property-based fuzzing of every route of the OpenAPI document with hostile bodies, headers,
 * path parameters and query strings (fast-check): no 500 (no 5xx at all but the documented
 * 503 NOT_CAUGHT_UP), no stack trace, no event appended by any 4xx (the log counted after every
 * request), an answer within a bounded time, and the process still up and ready at the end.
 * A second part throws raw bytes at a real socket (invalid UTF-8 in the request line, headers
 * and body, broken framing). Every distinct failure is collected with its case before the test fails.
 */

const FUZZ_MS = Number(process.env.FUZZ_MS ?? 50_000);
const SLOW_MS = 5_000;

const QUERY_KEYS = ['limit', 'cursor', 'agency', 'status', 'overdue', 'problemId', 'partnership', 'areaCode', 'category', 'priority', 'groupCode', 'asAt', 'from', 'to', 'format', 'q', 'problemCategory', 'refresh', 'name', '__proto__[isAdmin]', 'constructor[prototype][isAdmin]', 'limit[]', 'a'.repeat(300)];
const cursor = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
/** Cursors that decode (base64url JSON) to what no page ever handed out. */
const CURSORS = [
  cursor(['x', 'y', 'z']),
  cursor(['x', 'y']),
  cursor(['2025-13-45T99:00:00Z', '00000000-0000-4000-8000-000000000000']),
  cursor(['2025-03-01T09:00:00Z', 'not-a-uuid']),
  cursor(['1', '00000000-0000-4000-8000-000000000000']),
  cursor(['March 1, 2025', '00000000-0000-4000-8000-000000000000']),
  cursor(['+275760-09-13T00:00:00.000Z', '00000000-0000-4000-8000-000000000000']),
  cursor(['2025-03-01T09:00:00Z', 'not-a-uuid', 'POLICE']),
  cursor(["'; DROP TABLE events; --", "' OR 1=1"]),
  cursor(['\u0000', '\u0000']),
  cursor([1, 2]),
  cursor([null, null, null]),
  cursor(['x'.repeat(300), 'y']),
  cursor('null'),
  cursor('{"__proto__":{"a":1}}'),
  cursor('-1'),
  cursor('1e309'),
  cursor('[]'),
];
const QUERY_VALUES = [...CURSORS, '-1', '0', '501', '1e309', '99999999999999999999', '1.5', 'abc', '', 'csv', 'html', 'true', 'TRUE', 'open', 'closed', '2025-03-01', '2025-02-30', '2025-03-01T09:00:00Z', '9999-12-31T23:59:59Z', '0000-01-01', 'now'];
const IF_MATCH = ['"0"', '"1"', 'W/"0"', '*', '"-1"', '"-2"', '"999999999999999"', '"9999999999999999999"', '"1e3"', 'abc', '" 1 "', '"0x10"', '"1", "2"', '', '"', 'W/', '"\u00ff"'];
const IDEMPOTENCY = ['fuzz-key-1', 'fuzz-key-2', '', ' ', 'a'.repeat(200), 'a'.repeat(201), 'key with spaces', "' OR 1=1 --", '\u00e9\u00e8', '../../x', '%00'];
const MIN_POSITION = ['', '0', '~'.repeat(100), '~'.repeat(101), 'ZZZZ', '9'.repeat(40), '00000000000000000001-00000000000000000001', 'null', '-1', "' OR 1=1", '\u00ff'];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'APPLICATION/JSON', 'application/vnd.api+json', 'application/json, text/plain', '*/*', ''];

type ParamChoice = { kind: 'valid' } | { kind: 'unknown' } | { kind: 'other-kind' } | { kind: 'hostile'; value: string; raw: boolean };
type BodyChoice = { kind: 'valid' } | { kind: 'none' } | { kind: 'mutated'; change: Mutation } | { kind: 'value'; value: unknown } | { kind: 'raw'; index: number };

interface Case {
  route: number;
  method?: string | null;
  param: ParamChoice;
  query: [string, string][];
  rawQuery?: string | null;
  token: number;
  ifMatch?: string | null;
  idempotencyKey?: string | null;
  minPosition?: string | null;
  contentType?: string | null;
  extraHeader?: [string, string] | null;
  body: BodyChoice;
}

const caseArbitrary = (routes: number, tokens: number): fc.Arbitrary<Case> =>
  fc.record(
    {
      route: fc.nat({ max: routes - 1 }),
      method: fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), { freq: 12 }),
      param: fc.oneof(
        { weight: 5, arbitrary: fc.constant<ParamChoice>({ kind: 'valid' }) },
        { weight: 1, arbitrary: fc.constant<ParamChoice>({ kind: 'unknown' }) },
        { weight: 1, arbitrary: fc.constant<ParamChoice>({ kind: 'other-kind' }) },
        { weight: 3, arbitrary: fc.record({ kind: fc.constant('hostile' as const), value: hostileString, raw: fc.boolean() }) },
      ),
      query: fc.oneof(
        { weight: 5, arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 })), fc.oneof(fc.constantFrom(...QUERY_VALUES), hostileString)), { maxLength: 4 }) },
        { weight: 1, arbitrary: fc.tuple(fc.constant('cursor'), fc.constantFrom(...CURSORS)).map((pair): [string, string][] => [pair]) },
      ),
      rawQuery: fc.option(fc.constantFrom('%ff%fe', 'limit=%c3%28', 'a=%', 'limit=1&limit=2', 'cursor=%00', '&&&=&=', 'q=' + '%41'.repeat(3000), 'asAt=%2B02:00'), { freq: 10 }),
      // Half the time a token whose role the route takes, so the case gets past the guards.
      token: fc.oneof(fc.constant(-1), fc.nat({ max: tokens - 1 })),
      ifMatch: fc.option(fc.constantFrom(...IF_MATCH), { freq: 5 }),
      idempotencyKey: fc.option(fc.constantFrom(...IDEMPOTENCY), { freq: 5 }),
      minPosition: fc.option(fc.constantFrom(...MIN_POSITION), { freq: 6 }),
      contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { freq: 4 }),
      extraHeader: fc.option(
        fc.tuple(fc.constantFrom('x-request-id', 'x-correlation-id', 'accept', 'accept-encoding', 'content-encoding', 'x-forwarded-for', 'origin', 'cookie'), fc.constantFrom(...['a'.repeat(150), "' OR 1=1", 'gzip', '*/*', '127.0.0.1, 10.0.0.1', 'x=1; y=2', 'null'])),
        { freq: 6 },
      ),
      body: fc.oneof(
        { weight: 3, arbitrary: fc.constant<BodyChoice>({ kind: 'valid' }) },
        { weight: 1, arbitrary: fc.constant<BodyChoice>({ kind: 'none' }) },
        { weight: 8, arbitrary: fc.record({ kind: fc.constant('mutated' as const), change: mutation }) },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant('value' as const), value: hostileValue }) },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant('raw' as const), index: fc.nat({ max: RAW_BODIES.length - 1 }) }) },
      ),
    },
    { requiredKeys: ['route', 'param', 'query', 'token', 'body'] },
  );

/** Percent-encodes any string, lone surrogates included (as the replacement character's bytes). */
const pct = (value: string): string => [...Buffer.from(value, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

interface Failure {
  signature: string;
  count: number;
  example: string;
}

describe('hostile input: property-based fuzzing of every route', () => {
  let t: CommandApp;
  let p: People;
  let ids: Ids;
  let routes: Route[];
  let tokens: (string | undefined)[];
  const failures = new Map<string, Failure>();
  const processErrors: unknown[] = [];
  const onProcessError = (error: unknown) => processErrors.push(error);

  const fail = (signature: string, example: unknown) => {
    const known = failures.get(signature);
    if (known) known.count += 1;
    else failures.set(signature, { signature, count: 1, example: JSON.stringify(example).slice(0, 1500) });
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onProcessError);
    process.on('uncaughtException', onProcessError);
    t = await startCommandApp({ READ_YOUR_WRITES_TIMEOUT_MS: '20' });
    p = await people(t);
    await registerReferenceData(t, p);
    const problem = await raiseProblem(t, p.inspector);
    const action = await assignAction(t, p.inspector, problem, 'COUNCIL-ASB');
    await assignAction(t, p.inspector, problem, 'FIRE');
    const meeting = await t.post('/v1/meetings', { token: p.inspector, body: { groupCode: 'enfield-safe', heldOn: '2025-04-01', chair: 'x' } });
    ids = { problem, action, meeting: meeting.body.id, area: 'enfield-town', group: 'enfield-safe', agency: 'COUNCIL-ASB', projection: 'problems', job: randomUUID(), incident: await recordIncident(t, p.inspector), source: 'police', import: randomUUID(), open311client: randomUUID(), partnership: NORTH, category: 'noise' };
    const both = await t.token({ sub: 'u-both', name: 'Both', agency: 'POLICE', roles: ['inspector', 'admin', 'manager'], partnerships: [NORTH, SOUTH] });
    tokens = [p.inspector, p.inspector, p.council, p.fire, p.manager, p.admin, p.northAdmin, p.southInspector, both, undefined, 'not.a.token'];

    const fastify = t.app.getHttpAdapter().getInstance();
    const documented = openApiRoutes(JSON.parse((await fastify.inject({ method: 'GET', url: '/docs-json' })).body));
    const unlisted = documented.filter((key) => !ROUTES[key]);
    expect(unlisted).toEqual([]);
    routes = documented.map((key) => {
      const [method, path] = key.split(' ') as [Route['method'], string];
      return { key, method, path, ...ROUTES[key]! };
    });
  }, 60_000);

  afterAll(async () => {
    process.off('unhandledRejection', onProcessError);
    process.off('uncaughtException', onProcessError);
    await t?.close();
  });

  /** A token holding a role the route takes (the officer is of the fixtures' action's agency). */
  function fitting(route: Route): string | undefined {
    if (route.roles === 'public') return undefined;
    const role = route.roles[0];
    return role === 'admin' ? p.admin : role === 'officer' ? p.council : role === 'manager' ? p.manager : p.inspector;
  }

  function paramValue(route: Route, choice: ParamChoice): string {
    if (!route.param) return '';
    switch (choice.kind) {
      case 'valid':
        return encodeURIComponent(ids[route.param]);
      case 'unknown':
        return route.param === 'area' || route.param === 'agency' || route.param === 'projection' ? 'unknown-code' : randomUUID();
      case 'other-kind':
        return route.param === 'action' ? ids.problem : ids.action;
      case 'hostile':
        // Raw: the string as it is (the router must cope with it); else percent-encoded.
        return choice.raw ? choice.value.replace(/[/?#\s]/g, '') || '%' : pct(choice.value);
    }
  }

  function bodyOf(route: Route, choice: BodyChoice): string | Buffer | undefined {
    const valid = route.body?.(ids);
    switch (choice.kind) {
      case 'none':
        return undefined;
      case 'valid':
        return valid === undefined ? undefined : JSON.stringify(valid);
      case 'mutated':
        return JSON.stringify(mutate(valid ?? {}, choice.change));
      case 'value':
        return JSON.stringify(choice.value) ?? 'null';
      case 'raw':
        return RAW_BODIES[choice.index]!;
    }
  }

  function requestOf(c: Case): InjectOptions & { route: Route } {
    const route = routes[c.route]!;
    const path = route.param ? route.path.replace(/\{[a-z]+\}/, paramValue(route, c.param)) : route.path;
    const query = c.query.map(([k, v]) => `${pct(k)}=${pct(v)}`);
    if (c.rawQuery) query.push(c.rawQuery);
    const url = query.length > 0 ? `${path}?${query.join('&')}` : path;
    const headers: Record<string, string> = {};
    const token = c.token >= 0 ? tokens[c.token] : fitting(route);
    if (token) headers['authorization'] = `Bearer ${token}`;
    const payload = bodyOf(route, c.body);
    if (payload !== undefined) headers['content-type'] = c.contentType ?? 'application/json';
    // fc.option gives null for "absent".
    if (c.ifMatch != null) headers['if-match'] = c.ifMatch;
    if (c.idempotencyKey != null) headers['idempotency-key'] = c.idempotencyKey;
    if (c.minPosition != null) headers['x-min-position'] = c.minPosition;
    if (c.extraHeader) headers[c.extraHeader[0]] = c.extraHeader[1];
    return { route, method: (c.method ?? route.method) as InjectOptions['method'], url, headers, payload };
  }

  it(`answers every hostile request with a 2xx, 3xx or 4xx (503 only for NOT_CAUGHT_UP), never appending on a 4xx, for ${FUZZ_MS / 1000} s`, async () => {
    const fastify = t.app.getHttpAdapter().getInstance();
    const hits = new Map<string, number>();
    const statuses = new Map<number, number>();
    let ran = 0;
    let unsendable = 0;
    let appended = 0;
    let slowest = 0;
    let logCount = await eventCount(t.runtime.db);

    await fc.assert(
      fc.asyncProperty(caseArbitrary(routes.length, tokens.length), async (c) => {
        let route: Route;
        let request: InjectOptions;
        try {
          ({ route, ...request } = requestOf(c));
        } catch {
          unsendable += 1;
          return true;
        }
        let response;
        const started = Date.now();
        try {
          response = await fastify.inject(request);
        } catch {
          // light-my-request refuses some inputs itself (e.g. characters Node forbids in headers): not the server's doing.
          unsendable += 1;
          return true;
        }
        const ms = Date.now() - started;
        slowest = Math.max(slowest, ms);
        ran += 1;
        hits.set(route.key, (hits.get(route.key) ?? 0) + 1);
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        const example = { request: { ...request, payload: typeof request.payload === 'string' ? request.payload.slice(0, 500) : request.payload?.toString('base64').slice(0, 200) }, status: response.statusCode, body: response.body.slice(0, 300) };

        let code: string | undefined;
        try {
          // HEAD answers have no body: the same request as GET tells which error it was.
          const text = request.method === 'HEAD' && response.statusCode >= 500 ? (await fastify.inject({ ...request, method: 'GET' })).body : response.body;
          code = (JSON.parse(text) as { code?: string }).code;
        } catch {
          code = undefined;
        }
        if (response.statusCode >= 500 && !(response.statusCode === 503 && code === 'NOT_CAUGHT_UP')) {
          fail(`${response.statusCode} ${code ?? ''} on ${route.key}`, example);
        }
        if (ms > SLOW_MS) fail(`slower than ${SLOW_MS} ms on ${route.key}`, { ...example, ms });
        if (/\bat [\w.<>]+ \(|node_modules|\/work\/|\.ts:\d+/.test(response.body)) fail(`stack trace or path in the answer on ${route.key}`, example);
        if (response.statusCode >= 400 && route.path.startsWith('/v1/') && !String(response.headers['content-type']).startsWith('application/problem+json')) {
          fail(`${response.statusCode} not problem+json on ${route.key}`, example);
        }

        const now = await eventCount(t.runtime.db);
        if (now !== logCount) {
          if (response.statusCode >= 400) fail(`${response.statusCode} ${code ?? ''} appended ${now - logCount} event(s) on ${route.key}`, example);
          else appended += now - logCount;
          logCount = now;
        }
        return true;
      }),
      { numRuns: 1_000_000, interruptAfterTimeLimit: FUZZ_MS, markInterruptAsFailure: false, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );

    const summary = {
      ran,
      unsendable,
      appendedBy2xx: appended,
      slowestMs: slowest,
      statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
      leastHitRoute: [...hits].sort(([, a], [, b]) => a - b)[0],
    };
    console.log(`hostile input: ${JSON.stringify(summary)}`);
    const found = [...failures.values()].map((f) => `${f.signature} (x${f.count}): ${f.example.slice(0, 700)}`);
    expect(found).toEqual([]);
    expect(ran).toBeGreaterThan(FUZZ_MS / 50); // 1,000 in the default 50 s
    // Every documented route was fuzzed.
    expect(routes.filter((r) => (hits.get(r.key) ?? 0) < Math.max(1, Math.floor(FUZZ_MS / 10_000))).map((r) => r.key)).toEqual([]);
    expect(processErrors).toEqual([]);

    // The process is up and ready, and still serves a normal command.
    expect((await fastify.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    const ready = await fastify.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect((await t.post('/v1/problems', { token: p.inspector, body: { title: 't', description: 'd', category: 'noise', location: { areaCode: 'enfield-town' } } })).status).toBe(201);
  }, FUZZ_MS + 60_000);

  it('answers forged cursors, times at the edges and undecodable URLs on every route without a 5xx (cases the random run only meets by chance)', async () => {
    const fastify = t.app.getHttpAdapter().getInstance();
    const bad: string[] = [];
    let checked = 0;
    for (const route of routes.filter((r) => r.method === 'GET' && r.roles !== 'public')) {
      const url = route.param ? route.path.replace(/\{[a-z]+\}/, ids[route.param]) : route.path;
      for (const value of [...CURSORS, 'x', '%', '%ff']) {
        for (const token of [p.admin, p.inspector]) {
          const response = await fastify.inject({ method: 'GET', url: `${url}?cursor=${value}`, headers: { authorization: `Bearer ${token}` } });
          checked += 1;
          if (response.statusCode >= 500 || !String(response.headers['content-type']).match(/json/)) bad.push(`${route.key} cursor=${value}: ${response.statusCode} ${response.body.slice(0, 200)}`);
        }
      }
    }
    // Times at and past the edges of what Date and PostgreSQL hold, in every window and as-at parameter.
    const TIMES = ['+275760-09-13T00:00:00Z', '+275760-09-13T00:00:00.001Z', '-271821-04-20T00:00:00Z', '0000-01-01', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '294277-01-01', '1970-01-01T00:00:00+14:00', '2025-02-29', '2024-02-29T24:00:00Z'];
    for (const route of routes.filter((r) => r.method === 'GET' && r.roles !== 'public')) {
      const url = route.param ? route.path.replace(/\{[a-z]+\}/, ids[route.param]) : route.path;
      for (const key of ['from', 'to', 'asAt']) {
        for (const value of TIMES) {
          const response = await fastify.inject({ method: 'GET', url: `${url}?${key}=${encodeURIComponent(value)}`, headers: { authorization: `Bearer ${p.manager}` } });
          checked += 1;
          if (response.statusCode >= 500) bad.push(`${route.key} ${key}=${value}: ${response.statusCode} ${response.body.slice(0, 200)}`);
        }
      }
    }
    for (const route of routes.filter((r) => r.param)) {
      for (const value of ['%', '%zz', '%E0%A4%A', 'a'.repeat(201), '%00', '..%2F..%2Fadmin']) {
        const response = await fastify.inject({ method: route.method, url: route.path.replace(/\{[a-z]+\}/, value), headers: { authorization: `Bearer ${p.admin}` } });
        checked += 1;
        if (response.statusCode >= 500 || !String(response.headers['content-type']).startsWith('application/problem+json')) {
          bad.push(`${route.key} param=${value.slice(0, 20)}: ${response.statusCode} ${response.headers['content-type']} ${response.body.slice(0, 200)}`);
        }
      }
    }
    console.log(`hostile input: ${checked} forged-cursor, edge-time and bad-URL cases`);
    expect(bad).toEqual([]);
  });

  it('answers raw bytes on a real socket (invalid UTF-8, broken framing, smuggling attempts) without a 500, and stays up', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const token = p.inspector;
    const send = (bytes: Buffer) =>
      new Promise<string>((resolve) => {
        const socket = net.connect(port, '127.0.0.1');
        const chunks: Buffer[] = [];
        const timer = setTimeout(() => socket.destroy(), 2000);
        socket.on('data', (chunk) => chunks.push(chunk));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearTimeout(timer);
          resolve(Buffer.concat(chunks).toString('latin1'));
        });
        socket.end(bytes);
      });
    const head = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
    const post = (body: Buffer, extra: string[] = []) =>
      Buffer.concat([head(['POST /v1/problems HTTP/1.1', 'Host: localhost', `Authorization: Bearer ${token}`, 'Content-Type: application/json', `Content-Length: ${body.length}`, ...extra]), body]);

    const fixed: Buffer[] = [
      head(['GET /v1/problems/\xff\xfe\xfd HTTP/1.1', 'Host: x']),
      head(['GET /v1/problems?\xc3\x28=\xff HTTP/1.1', 'Host: x', `Authorization: Bearer ${token}`]),
      head(['GET /v1/problems HTTP/1.1', 'Host: x', 'Authorization: Bearer \xff\xfe.\xff.\xff']),
      head(['GET /v1/problems HTTP/1.1', 'Host: x', `Authorization: Bearer ${token}`, 'X-Min-Position: \xff\xfe']),
      head(['POST /v1/problems HTTP/1.1', 'Host: x', `Authorization: Bearer ${token}`, 'Idempotency-Key: \xe9\xff', 'Content-Length: 2', 'Content-Type: application/json']),
      post(Buffer.from([0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
      post(Buffer.from('{"title":"\xed\xa0\x80"}', 'latin1')),
      Buffer.concat([head(['POST /v1/problems HTTP/1.1', 'Host: x', `Authorization: Bearer ${token}`, 'Content-Type: application/json', 'Content-Length: 100']), Buffer.from('{}')]),
      head(['POST /v1/problems HTTP/1.1', 'Host: x', 'Content-Length: -1']),
      head(['POST /v1/problems HTTP/1.1', 'Host: x', 'Content-Length: 99999999999999999999']),
      head(['POST /v1/problems HTTP/1.1', 'Host: x', 'Content-Length: 2', 'Content-Length: 3']),
      Buffer.concat([head(['POST /v1/problems HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked', 'Content-Length: 3']), Buffer.from('0\r\n\r\nGET /v1/admin/projections HTTP/1.1\r\nHost: x\r\n\r\n')]),
      Buffer.concat([head(['POST /v1/problems HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked', `Authorization: Bearer ${token}`, 'Content-Type: application/json']), Buffer.from('zz\r\n{}\r\n0\r\n\r\n')]),
      head(['POST /v1/problems HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked, identity']),
      head([`GET /v1/problems?q=${'a'.repeat(100_000)} HTTP/1.1`, 'Host: x']),
      head(['GET /v1/problems HTTP/1.1', 'Host: x', ...Array.from({ length: 3000 }, (_, i) => `X-H${i}: ${i}`)]),
      head(['GET /v1/problems HTTP/1.1', 'Host: x', `X-Big: ${'b'.repeat(70_000)}`]),
      head(['GET /v1/problems\x00 HTTP/1.1', 'Host: x']),
      head(['GET /v1/pro\rblems HTTP/1.1', 'Host: x']),
      head(['G\xffT / HTTP/1.1', 'Host: x']),
      head(['GET / HTTP/9.9', 'Host: x']),
      head(['GET /health/live']),
      Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
      Buffer.from('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03'), // a TLS client hello on plain HTTP
      Buffer.from('GARBAGE\r\n\r\n'),
      Buffer.from(''),
    ];
    const random = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 512 }), { numRuns: 300, seed: 42 }).map((bytes) => post(Buffer.from(bytes)));
    const randomHeads = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 256 }), { numRuns: 100, seed: 7 }).map((bytes) =>
      Buffer.concat([Buffer.from('GET /v1/problems HTTP/1.1\r\nHost: x\r\nX-Fuzz: '), Buffer.from(bytes).filter((b) => b !== 0x0d && b !== 0x0a), Buffer.from('\r\n\r\n')]),
    );
    const before = await eventCount(t.runtime.db);
    const statusLines: string[] = [];
    for (const bytes of [...fixed, ...random, ...randomHeads]) {
      const answer = await send(bytes);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1];
      if (status) statusLines.push(status);
      expect([status === undefined || !status.startsWith('5'), answer.slice(0, 200)]).toEqual([true, answer.slice(0, 200)]);
    }
    console.log(`raw socket: ${fixed.length + random.length + randomHeads.length} cases, statuses ${JSON.stringify(statusLines.reduce<Record<string, number>>((n, s) => ({ ...n, [s]: (n[s] ?? 0) + 1 }), {}))}`);
    expect(await eventCount(t.runtime.db)).toBe(before);
    expect(processErrors).toEqual([]);
    const live = await send(head(['GET /health/live HTTP/1.1', 'Host: x', 'Connection: close']));
    expect(live).toMatch(/^HTTP\/1\.1 200/);
  }, 120_000);
});
