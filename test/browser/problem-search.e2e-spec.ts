/**
 * Search (issue 20, point 8): the header's search box on every screen and the search field of the
 * problem list find problems by words of their title, description or area, open and closed, as the
 * API's `GET /v1/problems?q=` does. At a laptop and a phone (390×844), axe-core on each screen.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { client } from './support/api-client';
import { eventually, screenshot } from './support/browser';
import type { ConsoleServer } from './support/console-server';
import { ADMIN, closeConsole, expectAccessible, INSPECTOR, noSidewaysScroll, openSignedIn, seedPlaces, SIZES, startConsole } from './support/console-suite';

jest.setTimeout(180_000);

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

  const open = (token: string, viewport: { width: number; height: number }): Promise<Page> =>
    openSignedIn(browser, server, contexts, token, viewport, (errors) => {
      throw new Error(errors.join('\n'));
    });
  const listed = async (page: Page) => page.locator('table tbody tr td:first-child a').allTextContents();

  beforeAll(async () => {
    ({ server, browser } = await startConsole());
    const api = client(server.apiUrl);
    tokens = {
      admin: await server.token(ADMIN),
      inspector: await server.token(INSPECTOR),
      officer: await server.token({ sub: 'u-pc', name: 'PC Omar Reid', agency: 'COUNCIL-ASB', roles: ['officer'] }),
    };
    await seedPlaces(api, tokens.admin, { agencies: ['POLICE', 'COUNCIL-ASB'], areas: ['enfield-town', 'edmonton-green'] });
    const raise = async (title: string, description: string, category: string, areaCode: string) =>
      (await api.must('POST', '/v1/problems', tokens.inspector, { title, description, category, location: { areaCode } })).id as string;
    await raise(titles.parade, 'Bags of rubbish dumped every week behind the shops.', 'fly-tipping', 'enfield-town');
    await raise(titles.green, 'Groups gathering after 9pm, fireworks thrown.', 'asb-youth', 'edmonton-green');
    const closed = await raise(titles.mattresses, 'Mattresses dumped by the garages.', 'fly-tipping', 'enfield-town');
    await api.must('POST', `/v1/problems/${closed}/close`, tokens.inspector, { outcome: 'eliminated', assessment: 'Cleared and not seen again.' });
  });

  afterAll(() => closeConsole(contexts, browser, server));

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
