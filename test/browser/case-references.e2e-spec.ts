/**
 * Case references people can say aloud: the problem list, the problem page and its action cards
 * show `SAFE-2026-0001` (and `SAFE-2026-0001/1`) beside the titles, and the header's search finds
 * a problem by its reference or its number. At a laptop and a phone (390×844), axe-core on each screen.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { client } from './support/api-client';
import { eventually, launchChromium, screenshot } from './support/browser';
import { ensureWebBuilt, PARTNERSHIP, requireChromium, startConsoleServer, type ConsoleServer } from './support/console-server';
import { ADMIN, closeConsole, expectAccessible, inDays, INSPECTOR, noSidewaysScroll, openSignedIn, seedPlaces, SIZES } from './support/console-suite';

jest.setTimeout(180_000);

const YEAR = new Date().getUTCFullYear();
const titles = { parade: 'Fly-tipping behind Church Street parade', green: 'Youth disorder at the bus station' };

describe('browser console: case references', () => {
  let server: ConsoleServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let inspector: string;
  const references: Record<keyof typeof titles, string> = { parade: '', green: '' };
  const ids: Record<keyof typeof titles, string> = { parade: '', green: '' };

  const open = (viewport: { width: number; height: number }): Promise<Page> =>
    openSignedIn(browser, server, contexts, inspector, viewport, (errors) => {
      throw new Error(errors.join('\n'));
    });

  beforeAll(async () => {
    requireChromium();
    ensureWebBuilt();
    server = await startConsoleServer({ REFERENCE_PREFIXES: `${PARTNERSHIP}=SAFE` });
    browser = await launchChromium();
    const api = client(server.apiUrl);
    const admin = await server.token(ADMIN);
    inspector = await server.token(INSPECTOR);
    await seedPlaces(api, admin, { agencies: ['POLICE', 'COUNCIL-ASB'], areas: ['enfield-town', 'edmonton-green'] });
    const raise = async (title: string, category: string, areaCode: string) =>
      (await api.must('POST', '/v1/problems', inspector, { title, description: 'Seen every week.', category, location: { areaCode } })).id as string;
    ids.parade = await raise(titles.parade, 'fly-tipping', 'enfield-town');
    ids.green = await raise(titles.green, 'asb-youth', 'edmonton-green');
    await api.must('POST', `/v1/problems/${ids.parade}/actions`, inspector, {
      agency: 'COUNCIL-ASB',
      description: 'Clear the bags and put up a camera',
      tactic: { category: 'prevention', name: 'cctv' },
      dueBy: inDays(14),
    });
    for (const key of Object.keys(titles) as (keyof typeof titles)[]) {
      const [raised] = await server.runtime.store.read(`problem-${ids[key]}`);
      references[key] = String(raised!.data['reference']);
    }
    expect(references).toEqual({ parade: `SAFE-${YEAR}-0001`, green: `SAFE-${YEAR}-0002` });
  });

  afterAll(() => closeConsole(contexts, browser, server));

  describe.each(SIZES)('at a %s', (size, viewport) => {
    it('shows each problem’s reference in the list, and the problem’s and its actions’ on the problem page', async () => {
      const page = await open(viewport);
      await page.goto(`${server.baseUrl}/problems`);
      await page.getByRole('heading', { name: 'Problems' }).waitFor();
      const row = page.locator('table tbody tr', { hasText: titles.parade });
      await eventually(async () => expect(await row.locator('.case-ref').textContent()).toBe(`Reference ${references.parade}`));
      await expect(page.locator('table tbody tr', { hasText: titles.green }).getByText(references.green).count()).resolves.toBe(1);
      await noSidewaysScroll(page);
      await expectAccessible(page, `problem list with references (${size})`);

      await row.getByRole('link', { name: titles.parade }).click();
      await page.getByRole('heading', { level: 1, name: titles.parade }).waitFor();
      await page.locator('.page-head').getByText(references.parade).waitFor();
      const card = page.getByRole('article', { name: /Action for COUNCIL-ASB/ });
      await card.getByText(`${references.parade}/1`).waitFor();
      await noSidewaysScroll(page);
      await expectAccessible(page, `problem page with references (${size})`);
      await screenshot(page, `case-references-${size}`);
    });

    it('finds a problem from the header by its reference, and by its number alone', async () => {
      const page = await open(viewport);
      const search = page.getByRole('search', { name: 'Problems' });
      const listed = async () => page.locator('table tbody tr td:first-child a').allTextContents();
      for (const q of [references.green, references.green.slice(-4)]) {
        await search.getByRole('searchbox', { name: 'Search problems' }).fill(q);
        await search.getByRole('button', { name: 'Search' }).click();
        await page.waitForURL((url) => url.pathname === '/problems' && url.searchParams.get('q') === q);
        await eventually(async () => expect(await listed()).toEqual([titles.green]));
      }
      await noSidewaysScroll(page);
      await expectAccessible(page, `search by reference (${size})`);
    });
  });
});
