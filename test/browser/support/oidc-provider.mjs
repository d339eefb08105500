/**
 * A certified OpenID provider (the `oidc-provider` package) for the browser suite, run in its own
 * process (the package is ESM only). HTTPS on PORT for the browser (the console's CSP allows
 * `connect-src https:`), plain HTTP on JWKS_PORT for the API's key fetches. Authorization code +
 * PKCE for the public client `tasking-console`; access tokens are RS256 JWTs for the audience
 * `api://tasking`, carrying the user's claims under Entra-style names (`display_name`,
 * `extension_agency`, `app_roles`). Users: `jane` (inspector, POLICE) and `noagency` (no agency claim).
 *
 * Environment: PORT, JWKS_PORT, CONSOLE_URL, TLS_KEY, TLS_CERT (PEM files), KEYS (a JSON array of
 * private JWKs, the first signs), ACCESS_TOKEN_TTL (seconds). Prints `ready` when listening; on
 * SIGTERM it stops.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `https://127.0.0.1:${port}`;
const consoleUrl = process.env.CONSOLE_URL;
const audience = 'api://tasking';
const ttl = Number(process.env.ACCESS_TOKEN_TTL ?? 600);

const USERS = {
  jane: { display_name: 'Insp Jane Hart', extension_agency: 'POLICE', app_roles: ['inspector'] },
  noagency: { display_name: 'Sam Noagency', app_roles: ['inspector'] },
};

const claimsOf = (id) => USERS[id] ?? {};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'tasking-console',
      token_endpoint_auth_method: 'none',
      application_type: 'web',
      redirect_uris: [`${consoleUrl}/auth/callback`],
      post_logout_redirect_uris: [`${consoleUrl}/`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: JSON.parse(process.env.KEYS) },
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'offline_access'],
  claims: { openid: ['sub'], profile: ['name'] },
  async findAccount(_ctx, id) {
    return { accountId: id, claims: async () => ({ sub: id, name: claimsOf(id).display_name }) };
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({ scope: 'api', audience, accessTokenTTL: ttl, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
    },
  },
  async extraTokenClaims(_ctx, token) {
    return token.kind === 'AccessToken' ? claimsOf(token.accountId) : undefined;
  },
  // No consent screen: the console is the deployment's own client.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile offline_access');
    grant.addResourceScope(audience, 'api');
    await grant.save();
    return grant;
  },
  // Refresh tokens for the public client (as Entra ID gives single-page apps), for renewal without a frame.
  issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  ttl: { AccessToken: ttl, IdToken: ttl, Session: 3600, Grant: 3600, Interaction: 600 },
  cookies: { keys: ['browser-suite-cookie-key'] },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>Error</title><h1>Error</h1><pre>${JSON.stringify(out).replace(/</g, '&lt;')}</pre>`;
  },
});

const callback = provider.callback();
const tls = { key: readFileSync(process.env.TLS_KEY), cert: readFileSync(process.env.TLS_CERT) };
const secure = createHttpsServer(tls, callback);
const plain = createHttpServer(callback);
await new Promise((resolve) => secure.listen(port, '127.0.0.1', resolve));
await new Promise((resolve) => plain.listen(Number(process.env.JWKS_PORT), '127.0.0.1', resolve));
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  secure.close();
  plain.close();
  secure.closeAllConnections();
  plain.closeAllConnections();
  process.exit(0);
});
