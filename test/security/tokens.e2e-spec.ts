import { createHmac, generateKeyPairSync, randomBytes, type webcrypto } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { signDevToken, type DevTokenClaims } from '@tasking/auth';
import { startCommandApp, NORTH, type CommandApp } from '../e2e/support/command-app';
import { eventCount } from '../reliability/support/log';
import { routeList, urlOf, type Ids, type Route } from './support/routes';

/**
 * Every non-public route refuses every bad token with 401 UNAUTHENTICATED (and appends nothing):
 * with the HS256 verifier (bad signature, expired, alg none, tampered, other HMAC algorithms,
 * malformed headers) and with the OIDC verifier against a JWKS served on loopback (wrong issuer
 * or audience, unknown key, HS256 with the public key as secret, alg none, expired).
 */

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const CLAIMS: DevTokenClaims = { sub: 'u-admin', name: 'Ada Admin', agency: 'POLICE', roles: ['admin', 'inspector', 'officer', 'manager'], partnerships: [NORTH] };

/** A JWT with whatever header and signature bytes it is given. */
const forge = (header: Record<string, unknown>, payload: Record<string, unknown>, signature = '') => `${b64(header)}.${b64(payload)}.${signature}`;
const hmac = (algorithm: 'sha256' | 'sha512', key: string | Buffer, header: Record<string, unknown>, payload: Record<string, unknown>) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(algorithm, key).update(input).digest('base64url')}`;
};

const IDS: Ids = {
  problem: '00000000-0000-4000-8000-000000000001',
  action: '00000000-0000-4000-8000-000000000002',
  meeting: '00000000-0000-4000-8000-000000000003',
  area: 'enfield-town',
  group: 'enfield-safe',
  agency: 'POLICE',
  projection: 'problems',
  job: '00000000-0000-4000-8000-000000000004',
  import: '00000000-0000-4000-8000-000000000006',
  incident: '00000000-0000-4000-8000-000000000005',
  source: 'police',
  open311client: '00000000-0000-4000-8000-000000000006',
  partnership: NORTH,
  category: 'noise',
};

async function expectEveryRouteRefuses(t: CommandApp, tokens: Record<string, string>, headers: Record<string, string> = {}): Promise<number> {
  const fastify = t.app.getHttpAdapter().getInstance();
  const routes = routeList().filter((r) => r.roles !== 'public');
  const before = await eventCount(t.runtime.db);
  let checked = 0;
  for (const route of routes) {
    for (const [name, token] of Object.entries({ ...tokens, ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, `RAW:${v}`])) })) {
      const authorization = token.startsWith('RAW:') ? token.slice(4) : `Bearer ${token}`;
      const body = route.body?.(IDS);
      const response = await fastify.inject({
        method: route.method,
        url: urlOf(route as Route, IDS),
        headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
        payload: body ? JSON.stringify(body) : undefined,
      });
      const answer = JSON.parse(response.body) as { code?: string };
      expect([route.key, name, response.statusCode, answer.code]).toEqual([route.key, name, 401, 'UNAUTHENTICATED']);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      checked += 1;
    }
  }
  expect(await eventCount(t.runtime.db)).toBe(before);
  return checked;
}

describe('tokens: HS256 verifier', () => {
  let t: CommandApp;
  let secret: string;

  beforeAll(async () => {
    t = await startCommandApp();
    secret = t.runtime.jwtSecret!;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('accepts the right token (the control)', async () => {
    const good = await signDevToken(secret, CLAIMS);
    const fastify = t.app.getHttpAdapter().getInstance();
    expect((await fastify.inject({ method: 'GET', url: '/v1/categories', headers: { authorization: `Bearer ${good}` } })).statusCode).toBe(200);
  });

  it('answers 401 on every non-public route to bad signatures, expired, alg none, tampered and malformed tokens', async () => {
    const good = await signDevToken(secret, CLAIMS);
    const [header, payload] = good.split('.') as [string, string, string];
    const tampered = `${header}.${b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), agency: 'FIRE' })}.${good.split('.')[2]}`;
    const body: Record<string, unknown> = { ...CLAIMS, iat: now(), exp: now() + 600 };
    const checked = await expectEveryRouteRefuses(
      t,
      {
        'bad signature': await signDevToken(randomBytes(32).toString('hex'), CLAIMS),
        expired: await signDevToken(secret, CLAIMS, now() - 60),
        'alg none': forge({ alg: 'none', typ: 'JWT' }, body),
        'alg none, signature kept': forge({ alg: 'none', typ: 'JWT' }, body, good.split('.')[2]),
        'alg None': forge({ alg: 'None' }, body),
        'HS512 with the secret': hmac('sha512', secret, { alg: 'HS512', typ: 'JWT' }, body),
        'tampered payload': tampered,
        'signature stripped': `${header}.${payload}.`,
        'not yet valid': hmac('sha256', secret, { alg: 'HS256' }, { ...body, nbf: now() + 3600 }),
        'no exp': hmac('sha256', secret, { alg: 'HS256' }, { ...body, exp: undefined }),
        'issued a year ahead': hmac('sha256', secret, { alg: 'HS256' }, { ...body, iat: now() + 365 * 86400, exp: now() + 365 * 86400 + 600 }),
        'lives 30 days': hmac('sha256', secret, { alg: 'HS256' }, { ...body, exp: now() + 30 * 86400 }),
        'lives 30 days, no iat': hmac('sha256', secret, { alg: 'HS256' }, { ...body, iat: undefined, exp: now() + 30 * 86400 }),
        'no subject': hmac('sha256', secret, { alg: 'HS256' }, { ...body, sub: undefined }),
        'no agency': hmac('sha256', secret, { alg: 'HS256' }, { ...body, agency: undefined }),
        'agency with a quote': hmac('sha256', secret, { alg: 'HS256' }, { ...body, agency: "POLICE'--" }),
        'payload not JSON': `${header}.${b64('not json')}.${createHmac('sha256', secret).update(`${header}.${b64('not json')}`).digest('base64url')}`,
        'two parts': `${header}.${payload}`,
        garbage: 'abc.def.ghi',
        huge: `${header}.${'A'.repeat(20_000)}.${'B'.repeat(43)}`,
      },
      { 'no scheme': good, 'Basic scheme': `Basic ${b64('admin:admin')}`, 'two tokens': `Bearer ${good} ${good}`, 'empty bearer': 'Bearer ' },
    );
    expect(checked).toBeGreaterThan(1000);
  });
});

/** Node's default limit on the request head: the longest Authorization header a client can send. */
const HEADER_LIMIT = 16 * 1024;

/**
 * Shapes that make a backtracking pattern over the header work hard: long runs its quantifiers
 * share, ended by a character that makes the match fail.
 */
const HOSTILE_AUTHORIZATION: [string, (n: number) => string][] = [
  ['a dot then letters then !', (n) => `Bearer a.${'a'.repeat(n)}!`],
  ['a dot then letters then tabs and !', (n) => `Bearer a.${'a'.repeat(n)}\t\t!`],
  ['dots and letters', (n) => `Bearer ${'a.'.repeat(n / 2)}!`],
  ['equals signs', (n) => `Bearer ${'='.repeat(n)}.=${'='.repeat(n)}`],
  ['spaces then a character', (n) => `Bearer${' '.repeat(n)}x y`],
  ['three parts then spaces', (n) => `Bearer a.b.${'c'.repeat(n)}${' '.repeat(n)}!`],
];

/** The fastest of a few runs: noise on a busy machine only ever adds time. */
async function fastest(run: () => Promise<unknown>, times = 3): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < times; i += 1) {
    const start = process.hrtime.bigint();
    await run();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}

describe('tokens: a long Authorization header', () => {
  let t: CommandApp;

  beforeAll(async () => {
    t = await startCommandApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const refuse = async (authorization: string) => {
    const response = await t.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/v1/categories', headers: { authorization } });
    expect([response.statusCode, (JSON.parse(response.body) as { code?: string }).code]).toEqual([401, 'UNAUTHENTICATED']);
  };

  it('is refused in time linear in its length, up to the header limit (n against 4n)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...HOSTILE_AUTHORIZATION), fc.integer({ min: HEADER_LIMIT / 8, max: HEADER_LIMIT / 4 - 16 }), async ([, shape], n) => {
        await refuse(shape(n)); // warm
        const short = await fastest(() => refuse(shape(n)));
        const long = await fastest(() => refuse(shape(4 * n)));
        // Linear work grows 4 times, quadratic 16 times; the floor absorbs timer and scheduling noise.
        expect(long).toBeLessThan(8 * short + 25);
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});

describe('tokens: OIDC verifier (JWKS on loopback)', () => {
  let t: CommandApp;
  let server: Server;
  let privateKey: webcrypto.CryptoKey;
  let publicJwk: JWK;
  const ISSUER = 'https://idp.test';
  const AUDIENCE = 'tasking-ledger';

  const sign = (options: { issuer?: string; audience?: string; key?: webcrypto.CryptoKey; kid?: string; alg?: string; expires?: number | string } = {}) =>
    new SignJWT({ name: CLAIMS.name, agency: CLAIMS.agency, roles: CLAIMS.roles, partnerships: CLAIMS.partnerships })
      .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'k1' })
      .setSubject(CLAIMS.sub)
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expires ?? '5m')
      .sign(options.key ?? privateKey);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    t = await startCommandApp({ AUTH_JWT_SECRET: '', AUTH_JWKS_URL: jwksUrl, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it('accepts a token from the identity provider (the control)', async () => {
    const fastify = t.app.getHttpAdapter().getInstance();
    const answer = await fastify.inject({ method: 'GET', url: '/v1/categories', headers: { authorization: `Bearer ${await sign()}` } });
    expect(answer.statusCode).toBe(200);
  });

  it('answers 401 on every non-public route to wrong issuers and audiences, unknown keys, alg confusion, alg none and expired tokens', async () => {
    const other = await generateKeyPair('RS256');
    const ec = await generateKeyPair('ES256');
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
    const claims: Record<string, unknown> = { ...CLAIMS, iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600 };
    const checked = await expectEveryRouteRefuses(t, {
      'wrong issuer': await sign({ issuer: 'https://evil.test' }),
      'wrong audience': await sign({ audience: 'another-app' }),
      'unknown key, same kid': await sign({ key: other.privateKey }),
      'unknown kid': await sign({ key: other.privateKey, kid: 'k2' }),
      'ES256 by a stranger': await sign({ key: ec.privateKey, alg: 'ES256', kid: 'k1' }),
      expired: await sign({ expires: now() - 60 }),
      'lives 30 days': await sign({ expires: '30d' }),
      'no exp': await new SignJWT({ ...claims, exp: undefined }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(privateKey),
      'issued a year ahead': await new SignJWT({ ...claims, iat: now() + 365 * 86400, exp: now() + 365 * 86400 + 600 }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(privateKey),
      'HS256 keyed with the public JWK (alg confusion)': hmac('sha256', JSON.stringify(publicJwk), { alg: 'HS256', kid: 'k1' }, claims),
      'HS256 keyed with a public PEM (alg confusion)': hmac('sha256', String(pem), { alg: 'HS256', kid: 'k1' }, claims),
      'HS256 with the old development secret': await signDevToken(randomBytes(32).toString('hex'), CLAIMS),
      'alg none': forge({ alg: 'none', kid: 'k1' }, claims),
      'jku pointing elsewhere': forge({ alg: 'RS256', kid: 'k9', jku: 'http://127.0.0.1:1/jwks' }, claims, 'c2ln'),
    });
    expect(checked).toBeGreaterThan(500);
  });
});
