/**
 * Search (issue 20, point 8): the header's search box on every screen and the search field of the
 * problem list find problems by words of their title, description or area, open and closed, as the
 * API's `GET /v1/problems?q=` does. At a laptop and a phone (390×844), axe-core on each screen.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { client } from './support/api-client';
import { eventually, launchChromium, LAPTOP, newPage, screenshot, seriousViolations, signIn } from './support/browser';
import { ensureWebBuilt, requireChromium, startConsoleServer, type ConsoleServer } from './support/console-server';

jest.setTimeout(180_000);

const PHONE = { width: 390, height: 844 };
const SIZES = [
  ['laptop', LAPTOP],
  ['phone', PHONE],
] as const;

const titles = {
  parade: 'Fly-tipping behind Church Street parade',
  green: 'Youth disorder at the bus station',
  mattresses: 'Mattresses left on Fore Street',
};

describe('browser console: problem search', () => {
  let server: ConsoleServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let tokens: Record<'admin' | 'inspector' | 'officer', string>;

  const open = async (token: string, viewport: { width: number; height: number }): Promise<Page> => {
    const { context, page, errors } = await newPage(browser, viewport);
    contexts.push(context);
    page.on('pageerror', () => {
      throw new Error(errors.join('\n'));
    });
    await signIn(page, server.baseUrl, token);
    return page;
  };
  const expectAccessible = async (page: Page, screen: string) => {
    expect({ screen, violations: await seriousViolations(page) }).toEqual({ screen, violations: [] });
  };
  const noSidewaysScroll = async (page: Page) => {
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
  };
  const listed = async (page: Page) => page.locator('table tbody tr td:first-child a').allTextContents();

  beforeAll(async () => {
    requireChromium();
    ensureWebBuilt();
    server = await startConsoleServer();
    browser = await launchChromium();
    const api = client(server.apiUrl);
    tokens = {
      admin: await server.token({ sub: 'u-admin', name: 'Ada Admin', agency: 'POLICE', roles: ['admin'] }),
      inspector: await server.token({ sub: 'u-insp', name: 'Insp Jane Hart', agency: 'POLICE', roles: ['inspector'] }),
      officer: await server.token({ sub: 'u-pc', name: 'PC Omar Reid', agency: 'COUNCIL-ASB', roles: ['officer'] }),
    };
    await api.must('POST', '/v1/agencies', tokens.admin, { code: 'POLICE', name: 'North Police', kind: 'police' });
    await api.must('POST', '/v1/agencies', tokens.admin, { code: 'COUNCIL-ASB', name: 'Council ASB team', kind: 'local-authority' });
    await api.must('PUT', '/v1/areas/enfield-town', tokens.admin, { name: 'Enfield Town', centroid: { lat: 51.652, lng: -0.081 } });
    await api.must('PUT', '/v1/areas/edmonton-green', tokens.admin, { name: 'Edmonton Green', centroid: { lat: 51.624, lng: -0.061 } });
    const raise = async (title: string, description: string, category: string, areaCode: string) =>
      (await api.must('POST', '/v1/problems', tokens.inspector, { title, description, category, location: { areaCode } })).id as string;
    await raise(titles.parade, 'Bags of rubbish dumped every week behind the shops.', 'fly-tipping', 'enfield-town');
    await raise(titles.green, 'Groups gathering after 9pm, fireworks thrown.', 'asb-youth', 'edmonton-green');
    const closed = await raise(titles.mattresses, 'Mattresses dumped by the garages.', 'fly-tipping', 'enfield-town');
    await api.must('POST', `/v1/problems/${closed}/close`, tokens.inspector, { outcome: 'eliminated', assessment: 'Cleared and not seen again.' });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  describe.each(SIZES)('at a %s', (size, viewport) => {
    it('searches open and closed problems from the header, by words of their description', async () => {
      const page = await open(tokens.inspector, viewport);
      const search = page.getByRole('search', { name: 'Problems' });
      await search.getByRole('searchbox', { name: 'Search problems' }).fill('dumping');
      await search.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL((url) => url.pathname === '/problems' && url.searchParams.get('q') === 'dumping');
      await eventually(async () => expect((await listed(page)).sort()).toEqual([titles.parade, titles.mattresses].sort()));
      await expect(page.getByRole('status').filter({ hasText: 'matching “dumping”' }).count()).resolves.toBe(1);
      await expect(page.getByRole('searchbox', { name: /Search titles, descriptions and areas/ }).inputValue()).resolves.toBe('dumping');
      await noSidewaysScroll(page);
      await expectAccessible(page, `header search results (${size})`);
      await screenshot(page, `problem-search-${size}`);
    });

    it('narrows the problem list by an area’s name, and says when nothing matches', async () => {
      const page = await open(tokens.officer, viewport);
      await page.goto(`${server.baseUrl}/problems?status=all`);
      await page.getByRole('heading', { name: 'Problems' }).waitFor();
      const field = page.getByRole('searchbox', { name: /Search titles, descriptions and areas/ });
      await field.fill('Edmonton Green');
      await field.press('Enter');
      await page.waitForURL((url) => url.searchParams.get('q') === 'Edmonton Green');
      await eventually(async () => expect(await listed(page)).toEqual([titles.green]));
      await field.fill('zebra crossing');
      await page.getByRole('form', { name: 'Filter problems' }).getByRole('button', { name: 'Search' }).click();
      await page.getByText('No problems match “zebra crossing” with these filters.').waitFor();
      await noSidewaysScroll(page);
      await expectAccessible(page, `problem list without matches (${size})`);
    });
  });
});
