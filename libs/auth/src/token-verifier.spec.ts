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

  it('accepts the right issuer and audience and refuses others and HS256', async () => {
    const config = loadConfig({ AUTH_JWKS_URL: jwksUrl, AUTH_ISSUER: 'https://idp', AUTH_AUDIENCE: 'tasking' });
    const verifier = createTokenVerifier(config.auth, single);
    await expect(verifier.verify(await sign('https://idp', 'tasking'))).resolves.toMatchObject({ userId: 'u2', roles: ['manager'] });
    await expect(verifier.verify(await sign('https://other', 'tasking'))).rejects.toMatchObject({ status: 401 });
    await expect(verifier.verify(await sign('https://idp', 'other'))).rejects.toMatchObject({ status: 401 });
    await expect(verifier.verify(await signDevToken(secret, claims))).rejects.toMatchObject({ status: 401 });
  });
});
