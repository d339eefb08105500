/**
 * An area's name is data an administrator typed: on the dashboard map it must show as text, never
 * be read as markup (a `<meta http-equiv="refresh">` in it once sent a manager's browser elsewhere).
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { client } from './support/api-client';
import { eventually, launchChromium, newPage, signIn } from './support/browser';
import { ensureWebBuilt, requireChromium, startConsoleServer, type ConsoleServer } from './support/console-server';

jest.setTimeout(120_000);

const MARKUP_NAME = '<b id="injected-markup">Market</b><img id="injected-image" src="x" onerror="window.__injected = true">';

describe('the dashboard map shows area names as text', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    requireChromium();
    ensureWebBuilt();
    server = await startConsoleServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  it('puts an area name holding markup into the map tooltip as literal text', async () => {
    const api = client(server.apiUrl);
    const admin = await server.token({ sub: 'u-admin', name: 'Ada Admin', agency: 'POLICE', roles: ['admin'] });
    const inspector = await server.token({ sub: 'u-insp', name: 'Insp Jane Hart', agency: 'POLICE', roles: ['inspector'] });
    const manager = await server.token({ sub: 'u-mgr', name: 'Meg Manager', agency: 'POLICE', roles: ['manager'] });
    await api.must('POST', '/v1/agencies', admin, { code: 'POLICE', name: 'North Police', kind: 'police' });
    await api.must('PUT', '/v1/areas/market-parade', admin, { name: MARKUP_NAME, centroid: { lat: 51.652, lng: -0.081 } });
    await api.must('POST', '/v1/problems', inspector, {
      title: 'Fly-tipping behind the parade',
      description: 'Bags dumped weekly',
      category: 'fly-tipping',
      location: { areaCode: 'market-parade' },
    });

    const opened = await newPage(browser);
    context = opened.context;
    const page = opened.page;
    await signIn(page, server.baseUrl, manager);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    const marker = page.locator('.map path.leaflet-interactive').first();
    await eventually(async () => expect(await page.locator('.map path.leaflet-interactive').count()).toBeGreaterThan(0));
    await marker.hover();
    const tooltip = page.locator('.leaflet-tooltip');
    await tooltip.waitFor();

    expect(await tooltip.textContent()).toContain(`${MARKUP_NAME}: score`);
    expect(await page.locator('#injected-markup').count()).toBe(0);
    expect(await page.locator('#injected-image').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __injected?: boolean }).__injected ?? false)).toBe(false);
    expect(opened.errors).toEqual([]);
  });
});
