/**
 * Sign-in through a real OpenID provider (issue 20, point 16): the console's authorization code +
 * PKCE path (oidc-client-ts) and the API's JWKS verification against `oidc-provider`, with
 * Entra-style claim names mapped by AUTH_CLAIM_*: sign-in, the API accepting the provider's access
 * token, sign-out at the provider, a rotated and a revoked signing key, and a user without the
 * agency claim getting a clear page. At a laptop and a phone (390×844), axe-core on each screen.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { eventually, LAPTOP, screenshot } from './support/browser';
import { CHROMIUM, ensureWebBuilt, requireChromium, startConsoleServer, type ConsoleServer } from './support/console-server';
import { expectAccessible, SIZES } from './support/console-suite';
import { freePort, signingKey, startIdentityProvider, type IdentityProvider } from './support/identity-provider';

jest.setTimeout(180_000);

describe('browser console: sign-in through an OpenID provider', () => {
  let server: ConsoleServer;
  let idp: IdentityProvider;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let firstKey: Record<string, unknown>;

  const newPage = async (viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> => {
    const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/London', ignoreHTTPSErrors: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return { page, errors };
  };
  /** From the console's sign-in page through the provider's login form and back. */
  const signInAs = async (page: Page, login: string) => {
    await page.goto(server.baseUrl);
    await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.origin === server.baseUrl && url.pathname !== '/auth/callback');
  };
  /** The status of every API call the page makes, by path. */
  const apiCalls = (page: Page): [string, number][] => {
    const calls: [string, number][] = [];
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.origin === server.baseUrl && url.pathname.startsWith('/v1/')) calls.push([url.pathname, response.status()]);
    });
    return calls;
  };

  beforeAll(async () => {
    requireChromium();
    ensureWebBuilt();
    const [port, jwksPort] = [await freePort(), await freePort()];
    server = await startConsoleServer({
      AUTH_JWKS_URL: `http://127.0.0.1:${jwksPort}/jwks`,
      AUTH_ISSUER: `https://127.0.0.1:${port}`,
      AUTH_AUDIENCE: 'api://tasking',
      CONSOLE_OIDC_CLIENT_ID: 'tasking-console',
      CONSOLE_OIDC_SCOPE: 'openid profile api',
      AUTH_CLAIM_NAME: 'display_name',
      AUTH_CLAIM_AGENCY: 'extension_agency',
      AUTH_CLAIM_ROLES: 'app_roles',
      AUTH_JWKS_CACHE_SECONDS: '2',
    });
    firstKey = await signingKey('key-1');
    // Tokens live 70 s: the console renews them a minute before expiry, so about 10 s after sign-in.
    idp = await startIdentityProvider({ port, jwksPort, consoleUrl: server.baseUrl, keys: [firstKey], accessTokenTtl: 70 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--ignore-certificate-errors'],
    });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await idp?.close();
    await server?.close();
  });

  describe.each(SIZES)('at a %s', (size, viewport) => {
    it('signs in with code + PKCE, maps the claims, and the API accepts the provider’s token', async () => {
      const { page, errors } = await newPage(viewport);
      const calls = apiCalls(page);
      await signInAs(page, 'jane');
      const who = page.getByLabel('Signed in as');
      await expect(who.textContent()).resolves.toContain('Insp Jane Hart');
      await expect(who.textContent()).resolves.toContain('POLICE');
      await page.getByRole('heading', { name: 'Problems' }).waitFor(); // the inspector's home
      await page.getByText('No problems match these filters.').waitFor();
      expect(calls).toContainEqual(['/v1/problems', 200]);
      expect(calls.filter(([, status]) => status === 401)).toEqual([]);
      expect(await page.getByText('Sign in again').count()).toBe(0);
      await expectAccessible(page, `signed in through the provider (${size})`);
      expect(errors).toEqual([]);
    });

    it('signs out at the provider too, so the next sign-in asks for the account again', async () => {
      const { page } = await newPage(viewport);
      await signInAs(page, 'jane');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL((url) => url.origin === idp.issuer);
      await page.locator('button[type="submit"], button[autofocus]').first().click();
      await page.waitForURL((url) => url.origin === server.baseUrl);
      await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
      await page.waitForURL((url) => url.origin === idp.issuer);
      await page.locator('input[name="login"]').waitFor();
    });

    it('shows a clear page to a user without the agency claim, not a broken console', async () => {
      const { page, errors } = await newPage(viewport);
      await page.goto(server.baseUrl);
      await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
      await page.waitForURL((url) => url.origin === idp.issuer);
      await page.locator('input[name="login"]').fill('noagency');
      await page.locator('input[name="password"]').fill('any password');
      await page.locator('button[type="submit"]').click();
      await page.getByRole('heading', { name: 'Your account has no agency' }).waitFor();
      await expect(page.locator('main').textContent()).resolves.toContain('extension_agency');
      expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
      await expectAccessible(page, `no agency claim (${size})`);
      await screenshot(page, `oidc-no-agency-${size}`);
      expect(errors).toEqual([]);
    });
  });

  it('renews the access token before it expires, and the console stays signed in', async () => {
    const { page, errors } = await newPage(LAPTOP);
    await signInAs(page, 'jane');
    const tokenNow = () => page.evaluate<string>("JSON.parse(localStorage.getItem('tasking-ledger.session') ?? '{}').token ?? ''");
    const expiry = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;
    const first = await tokenNow();
    expect(first).not.toBe('');
    const deadline = Date.now() + 40_000;
    let renewed = first;
    while (renewed === first && Date.now() < deadline) {
      await page.waitForTimeout(500);
      renewed = await tokenNow();
    }
    expect(renewed).not.toBe(first);
    expect(expiry(renewed)).toBeGreaterThan(expiry(first));
    const calls = apiCalls(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Actions' }).click();
    await eventually(async () => expect(calls).toContainEqual(['/v1/actions', 200]));
    expect(calls.filter(([, status]) => status === 401)).toEqual([]);
    expect(await page.getByLabel('Signed in as').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('accepts tokens signed with a rotated key and refuses those of a revoked key', async () => {
    const { page } = await newPage(LAPTOP);
    await signInAs(page, 'jane');
    const oldToken = await page.evaluate<string>("JSON.parse(localStorage.getItem('tasking-ledger.session')).token");
    // Rotation: a new key signs, the old one is still published.
    const secondKey = await signingKey('key-2');
    await idp.restart([secondKey, firstKey]);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // an unknown key id is looked up at most once per AUTH_JWKS_CACHE_SECONDS
    const { page: second } = await newPage(LAPTOP);
    await signInAs(second, 'jane');
    const newToken = await second.evaluate<string>("JSON.parse(localStorage.getItem('tasking-ledger.session')).token");
    expect(JSON.parse(Buffer.from(newToken.split('.')[0]!, 'base64url').toString())).toMatchObject({ kid: 'key-2' });
    const call = (token: string) => fetch(`${server.apiUrl}/v1/problems`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await call(newToken)).toBe(200);
    expect(await call(oldToken)).toBe(200);
    // Revocation: the old key is withdrawn from the provider's key set.
    await idp.restart([secondKey]);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // AUTH_JWKS_CACHE_SECONDS
    expect(await call(newToken)).toBe(200);
    expect(await call(oldToken)).toBe(401);
  });
});
