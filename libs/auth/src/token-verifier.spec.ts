import { generateKeyPair, SignJWT, exportJWK, type JWK } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@tasking/shared';
import { signDevToken } from './dev-token';
import { createTokenVerifier } from './token-verifier';

const secret = 's'.repeat(40);
const single = { partnerships: ['default'], defaultPartnership: 'default' };
const claims = { sub: 'u1', name: 'Insp. Ada', agency: 'police', roles: ['inspector' as const] };

describe('HS256 verifier', () => {
  const config = loadConfig({ AUTH_JWT_SECRET: secret });
  const verifier = createTokenVerifier(config.auth, single);

  it('accepts a signed token and reads its claims', async () => {
    const principal = await verifier.verify(await signDevToken(secret, claims));
    expect(principal).toEqual({ userId: 'u1', name: 'Insp. Ada', agency: 'POLICE', roles: ['inspector'], partnerships: ['default'] });
  });

  it('rejects a bad signature, an expired token and alg none', async () => {
    await expect(verifier.verify(await signDevToken('t'.repeat(40), claims))).rejects.toMatchObject({ status: 401 });
    await expect(verifier.verify(await signDevToken(secret, claims, Math.floor(Date.now() / 1000) - 60))).rejects.toMatchObject({
      status: 401,
      message: 'the token has expired',
    });
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url');
    await expect(verifier.verify(`${header}.${body}.`)).rejects.toMatchObject({ status: 401 });
  });

  describe('token times', () => {
    const key = new TextEncoder().encode(secret);
    const now = Math.floor(Date.now() / 1000);
    const signed = (times: { iat?: number; nbf?: number; exp?: number }) => {
      const jwt = new SignJWT({ name: claims.name, agency: claims.agency, roles: claims.roles }).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.sub);
      if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
      if (times.nbf !== undefined) jwt.setNotBefore(times.nbf);
      if (times.exp !== undefined) jwt.setExpirationTime(times.exp);
      return jwt.sign(key);
    };
    const refused = (detail: string) => ({ status: 401, code: 'UNAUTHENTICATED', message: detail });

    it('refuses a token without exp', async () => {
      await expect(verifier.verify(await signed({ iat: now }))).rejects.toMatchObject(refused('the token has no valid exp claim'));
      await expect(verifier.verify(await signed({}))).rejects.toMatchObject(refused('the token has no valid exp claim'));
    });

    it('caps the lifetime at AUTH_TOKEN_MAX_LIFETIME_SECONDS (default 12 hours), from iat or, without it, from now', async () => {
      expect(config.auth.maxTokenLifetimeSeconds).toBe(12 * 3600);
      await expect(verifier.verify(await signed({ iat: now, exp: now + 12 * 3600 }))).resolves.toMatchObject({ userId: 'u1' });
      await expect(verifier.verify(await signed({ iat: now, exp: now + 12 * 3600 + 1 }))).rejects.toMatchObject(
        refused('the token lives longer than the 43200 s this deployment accepts'),
      );
      await expect(verifier.verify(await signed({ exp: now + 365 * 86400 }))).rejects.toMatchObject({ status: 401 });
      await expect(verifier.verify(await signed({ iat: now - 3600, exp: now + 3600 }))).resolves.toMatchObject({ userId: 'u1' });
      const hour = createTokenVerifier(loadConfig({ AUTH_JWT_SECRET: secret, AUTH_TOKEN_MAX_LIFETIME_SECONDS: '3600' }).auth, single);
      await expect(hour.verify(await signDevToken(secret, claims, '2h'))).rejects.toMatchObject({ status: 401 });
      await expect(hour.verify(await signDevToken(secret, claims, '1h'))).resolves.toMatchObject({ userId: 'u1' });
    });

    it('refuses iat and nbf ahead of the clock beyond AUTH_CLOCK_SKEW_SECONDS (default 30 s), and allows them within it', async () => {
      expect(config.auth.clockSkewSeconds).toBe(30);
      const yearAhead = now + 365 * 86400;
      await expect(verifier.verify(await signed({ iat: yearAhead, exp: yearAhead + 3600 }))).rejects.toMatchObject(refused('the token is issued in the future'));
      await expect(verifier.verify(await signed({ iat: now + 120, exp: now + 3600 }))).rejects.toMatchObject(refused('the token is issued in the future'));
      await expect(verifier.verify(await signed({ iat: now, nbf: now + 120, exp: now + 3600 }))).rejects.toMatchObject(refused('the token is not valid yet'));
      await expect(verifier.verify(await signed({ iat: now + 20, nbf: now + 20, exp: now + 3600 }))).resolves.toMatchObject({ userId: 'u1' });
      // An expired token is still accepted within the skew, and not beyond it.
      await expect(verifier.verify(await signed({ iat: now - 3600, exp: now - 20 }))).resolves.toMatchObject({ userId: 'u1' });
      await expect(verifier.verify(await signed({ iat: now - 3600, exp: now - 40 }))).rejects.toMatchObject(refused('the token has expired'));
      const strict = createTokenVerifier(loadConfig({ AUTH_JWT_SECRET: secret, AUTH_CLOCK_SKEW_SECONDS: '0' }).auth, single);
      await expect(strict.verify(await signed({ iat: now + 20, exp: now + 3600 }))).rejects.toMatchObject(refused('the token is issued in the future'));
    });

    it('reads the time from the clock it is given', async () => {
      const later = createTokenVerifier(config.auth, single, secret, () => new Date((now + 7200) * 1000));
      await expect(later.verify(await signed({ iat: now, exp: now + 3600 }))).rejects.toMatchObject(refused('the token has expired'));
      await expect(later.verify(await signed({ iat: now + 7200, exp: now + 9000 }))).resolves.toMatchObject({ userId: 'u1' });
    });
  });

  it('needs the partnerships claim when the deployment serves several', async () => {
    const several = createTokenVerifier(config.auth, { partnerships: ['north', 'south'], defaultPartnership: 'north' });
    await expect(several.verify(await signDevToken(secret, claims))).rejects.toMatchObject({ status: 403 });
    const principal = await several.verify(await signDevToken(secret, { ...claims, partnerships: ['south', 'elsewhere'] }));
    expect(principal.partnerships).toEqual(['south']);
  });
});

describe('OIDC verifier', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const sign = (issuer: string, audience: string) =>
    new SignJWT({ name: 'Ada', agency: 'POLICE', roles: ['manager'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('u2')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(privateKey);

  it('refuses an identity provider token without exp, issued a year ahead or living longer than the cap', async () => {
    const config = loadConfig({ AUTH_JWKS_URL: jwksUrl, AUTH_ISSUER: 'https://idp', AUTH_AUDIENCE: 'tasking' });
    const verifier = createTokenVerifier(config.auth, single);
    const now = Math.floor(Date.now() / 1000);
    const base = () => new SignJWT({ name: 'Ada', agency: 'POLICE', roles: ['manager'] }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('u2').setIssuer('https://idp').setAudience('tasking');
    await expect(verifier.verify(await base().setIssuedAt(now).setExpirationTime(now + 300).sign(privateKey))).resolves.toMatchObject({ userId: 'u2' });
    await expect(verifier.verify(await base().setIssuedAt(now).sign(privateKey))).rejects.toMatchObject({ status: 401, message: 'the token has no valid exp claim' });
    await expect(verifier.verify(await base().setIssuedAt(now + 365 * 86400).setExpirationTime(now + 365 * 86400 + 300).sign(privateKey))).rejects.toMatchObject({
      status: 401,
      message: 'the token is issued in the future',
    });
    await expect(verifier.verify(await base().setIssuedAt(now).setExpirationTime(now + 30 * 86400).sign(privateKey))).rejects.toMatchObject({ status: 401 });
  });

  it('accepts the right issuer and audience and refuses others and HS256', async () => {
    const config = loadConfig({ AUTH_JWKS_URL: jwksUrl, AUTH_ISSUER: 'https://idp', AUTH_AUDIENCE: 'tasking' });
    const verifier = createTokenVerifier(config.auth, single);
    await expect(verifier.verify(await sign('https://idp', 'tasking'))).resolves.toMatchObject({ userId: 'u2', roles: ['manager'] });
    await expect(verifier.verify(await sign('https://other', 'tasking'))).rejects.toMatchObject({ status: 401 });
    await expect(verifier.verify(await sign('https://idp', 'other'))).rejects.toMatchObject({ status: 401 });
    await expect(verifier.verify(await signDevToken(secret, claims))).rejects.toMatchObject({ status: 401 });
  });
});
