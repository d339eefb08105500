/**
 * Incident triage in the console: the untriaged list with each incident's suggestions, one click
 * to link to a suggested problem or mark a duplicate (by keyboard too), two to dismiss with a
 * reason, each confirmation focused and announced; several incidents raised as one problem, whose
 * page then counts them by week; a manager reads without the buttons; the dashboard's incident
 * layer and emerging hotspots, an uncovered one raised from its link. At a laptop and a phone
 * (390×844), axe-core on each screen. Data is seeded over the API's routes.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { client } from './support/api-client';
import { eventually, screenshot } from './support/browser';
import type { ConsoleServer } from './support/console-server';
import { ADMIN, closeConsole, collectInto, expectAccessible, inDays, INSPECTOR, noSidewaysScroll, openSignedIn, seedPlaces, SIZES, startConsole } from './support/console-suite';

jest.setTimeout(240_000);

const MANAGER = { sub: 'u-mgr', name: 'Meg Manager', agency: 'POLICE', roles: ['manager' as const] };
/** Enfield Town's centre; each screen size's incidents sit 1 km apart, so their duplicates never meet. */
const TOWN = { lat: 51.652, lng: -0.081 };

describe('browser console: incident triage', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let api: ReturnType<typeof client>;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let inspector: string;
  let manager: string;

  const open = (token: string, viewport: { width: number; height: number }): Promise<Page> => openSignedIn(browser, server, contexts, token, viewport, collectInto(pageErrors));
  /** A command, once every read model shows it. */
  const send = async (path: string, body: unknown): Promise<string> => {
    const answer = await api.must('POST', path, inspector, body);
    if (!(await server.runtime.projections.waitFor(answer.position, 15_000))) throw new Error(`projections did not reach ${answer.position}`);
    return answer.id as string;
  };
  const record = (category: string, occurredAt: string, location: { areaCode?: string; lat?: number; lng?: number }) =>
    send('/v1/incidents', { source: 'console', category, occurredAt, location, description: 'Reported at the front counter.' });
  const incident = async (id: string) => (await api.must('GET', `/v1/incidents/${id}`, inspector)) as { status: string; problemId?: string };
  /** The text of the focused element and whether it is inside `selector`. */
  const focusIn = (page: Page, selector: string) =>
    page.evaluate<{ inside: boolean; text: string }>(
      `(() => {
        const active = document.activeElement;
        return { inside: !!active && !!document.querySelector(${JSON.stringify(selector)})?.contains(active), text: active?.textContent?.trim() ?? '' };
      })()`,
    );
  const liveRegion = (page: Page) => page.locator('[data-live-region]');
  const card = (page: Page, id: string) => page.locator(`article[data-incident-id="${id}"]`);

  beforeAll(async () => {
    ({ server, browser } = await startConsole());
    api = client(server.apiUrl);
    const admin = await server.token(ADMIN);
    inspector = await server.token(INSPECTOR);
    manager = await server.token(MANAGER);
    await seedPlaces(api, admin, { agencies: ['POLICE'], areas: ['enfield-town', 'edmonton-green'] });
  });

  afterAll(() => closeConsole(contexts, browser, server));

  describe.each(SIZES)('at a %s', (size, viewport) => {
    const offset = size === 'laptop' ? 0 : 0.01;
    const spot = { lat: TOWN.lat + offset, lng: TOWN.lng };

    it('links to a suggested problem, marks a duplicate by keyboard and dismisses with a reason, focus on each confirmation', async () => {
      const title = `Fly-tipping behind the parade (${size})`;
      const problemId = await send('/v1/problems', { title, description: 'Bags every week.', category: 'fly-tipping', location: { areaCode: 'enfield-town', ...spot } });
      const tipped = await record('fly-tipping', inDays(-1), { areaCode: 'enfield-town', lat: spot.lat + 0.0003, lng: spot.lng });
      const first = await record('graffiti', inDays(-2), { areaCode: 'enfield-town', ...spot });
      const second = await record('graffiti', new Date(Date.parse(inDays(-2)) + 3_600_000).toISOString(), { areaCode: 'enfield-town', lat: spot.lat + 0.0001, lng: spot.lng });
      const noise = await record('noise', inDays(-1), { lat: spot.lat, lng: spot.lng + 0.2 });

      const page = await open(inspector, viewport);
      await page.goto(`${server.baseUrl}/incidents`);
      await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
      for (const id of [tipped, first, second, noise]) await card(page, id).waitFor();
      await card(page, noise).getByText('Unmapped').waitFor();
      await card(page, tipped).getByRole('link', { name: title }).waitFor();
      await noSidewaysScroll(page);
      await expectAccessible(page, `triage list (${size})`);
      await screenshot(page, `incidents-triage-${size}`);

      // One click: link to the suggested problem.
      await card(page, tipped).getByRole('button', { name: `Link this incident to ${title}` }).click();
      const tippedCard = `article[data-incident-id="${tipped}"]`;
      await eventually(async () => expect(await focusIn(page, tippedCard)).toEqual({ inside: true, text: `Incident linked to ${title}.` }));
      await eventually(async () => expect(await liveRegion(page).textContent()).toMatch(new RegExp(`^Incident linked to ${title.replace(/[()]/g, '\\$&')}\\. Fly-tipping in Enfield Town`)));
      await card(page, tipped).getByText('Linked', { exact: true }).waitFor();
      await eventually(async () => expect(await incident(tipped)).toMatchObject({ status: 'linked', problemId }));

      // By keyboard: the suggested duplicate's button, Enter.
      const duplicateButton = card(page, second).getByRole('button', { name: /^Mark as duplicate of the incident of/ });
      await duplicateButton.focus();
      await page.keyboard.press('Enter');
      const secondCard = `article[data-incident-id="${second}"]`;
      await eventually(async () => expect(await focusIn(page, secondCard)).toEqual({ inside: true, text: 'Incident marked as a duplicate.' }));
      await eventually(async () => expect((await incident(second)).status).toBe('duplicate'));

      // Two clicks: Dismiss…, then the reason; a missing reason is said beside its field first.
      await card(page, noise).getByRole('button', { name: 'Dismiss…' }).click();
      await card(page, noise).getByRole('button', { name: 'Dismiss incident' }).click();
      await card(page, noise).getByRole('alert').waitFor();
      expect((await incident(noise)).status).toBe('untriaged');
      await card(page, noise).locator('[name="reasonCode"]').selectOption('test');
      await card(page, noise).locator('[name="note"]').fill('A training record.');
      await card(page, noise).getByRole('button', { name: 'Dismiss incident' }).click();
      const noiseCard = `article[data-incident-id="${noise}"]`;
      await eventually(async () => expect(await focusIn(page, noiseCard)).toEqual({ inside: true, text: 'Incident dismissed.' }));
      await eventually(async () => expect((await incident(noise)).status).toBe('dismissed'));
      await expectAccessible(page, `triage list after triage (${size})`);

      // The filters are in the address; a refresh reads the list again.
      await page.locator('select[name="status"]').selectOption('linked');
      await page.waitForURL((url) => url.searchParams.get('status') === 'linked');
      // The linked incident stays in view from the list before: the untriaged one leaving shows the new list.
      await card(page, first).waitFor({ state: 'detached' });
      await card(page, tipped).waitFor();
      await page.locator('select[name="status"]').selectOption('untriaged');
      await card(page, first).waitFor();
      expect(await card(page, noise).count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });

    it('raises one problem from two selected incidents, and its page counts them by week', async () => {
      const youths = [
        await record('asb-youth', inDays(-3), { areaCode: 'edmonton-green', lat: 51.624 + offset, lng: -0.061 }),
        await record('asb-youth', inDays(-10), { areaCode: 'edmonton-green', lat: 51.6242 + offset, lng: -0.061 }),
      ];
      const page = await open(inspector, viewport);
      await page.goto(`${server.baseUrl}/incidents?category=asb-youth`);
      for (const id of youths) await card(page, id).getByRole('checkbox', { name: /Select for a new problem/ }).check();
      await page.getByText('2 incidents selected.').waitFor();
      await page.getByRole('button', { name: 'Raise a problem from these' }).click();

      await page.getByRole('heading', { name: 'Raise a problem', level: 1 }).waitFor();
      await page.getByText('Raised from 2 incidents').waitFor();
      expect(await page.locator('[name="category"]').inputValue()).toBe('asb-youth');
      expect(await page.locator('[name="location.areaCode"]').inputValue()).toBe('edmonton-green');
      await expectAccessible(page, `raise from incidents (${size})`);
      const title = `Youths at the green (${size})`;
      await page.locator('[name="title"]').fill(title);
      await page.locator('[name="description"]').fill('Gathering every evening.');
      await page.getByRole('button', { name: 'Raise problem' }).click();

      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      const incidents = page.getByRole('region', { name: 'Incidents' });
      await eventually(async () => expect(await incidents.locator('[data-figure="linked-incidents"]').textContent()).toBe('2'));
      await incidents.getByRole('img', { name: /^Linked incidents by week/ }).waitFor();
      const problemId = new URL(page.url()).pathname.split('/').pop()!;
      for (const id of youths) await eventually(async () => expect(await incident(id)).toMatchObject({ status: 'linked', problemId }));
      await noSidewaysScroll(page);
      await expectAccessible(page, `problem with linked incidents (${size})`);
      expect(pageErrors).toEqual([]);
    });

    it('shows a manager the list and suggestions without triage buttons', async () => {
      const id = await record('begging', inDays(-1), { areaCode: 'enfield-town', ...spot });
      const page = await open(manager, viewport);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).click();
      await card(page, id).getByText('Open problems nearby').waitFor();
      expect(await card(page, id).getByRole('button').count()).toBe(0);
      expect(await card(page, id).getByRole('checkbox').count()).toBe(0);
      await expectAccessible(page, `triage list for a manager (${size})`);
    });
  });

  it('shows incidents on the dashboard map as a layer that switches off, and raises a problem for an uncovered emerging hotspot', async () => {
    for (const days of [8, 10, 12, 14, 16, 18]) await record('drugs', inDays(-days), { areaCode: 'edmonton-green', lat: 51.63, lng: -0.07 });
    const page = await open(inspector, SIZES[0][1]);
    await page.goto(`${server.baseUrl}/dashboard?category=drugs`);
    const map = page.locator('.map');
    await eventually(async () => expect(await map.locator('path.incident-dot').count()).toBe(6));
    await page.getByLabel('Show incidents on the map').uncheck();
    await eventually(async () => expect(await map.locator('path.incident-dot').count()).toBe(0));

    const emerging = page.getByRole('table', { name: /Emerging hotspots/ });
    const row = emerging.locator('tbody tr', { hasText: 'Edmonton Green' });
    await row.getByText('No open problem').waitFor();
    expect(await row.locator('td').nth(2).textContent()).toBe('6');
    await expectAccessible(page, 'dashboard with incidents and emerging hotspots');
    await screenshot(page, 'dashboard-emerging-hotspots');
    await row.getByRole('link', { name: 'Raise a problem for Drugs in Edmonton Green' }).click();
    await page.getByRole('heading', { name: 'Raise a problem', level: 1 }).waitFor();
    expect(await page.locator('[name="category"]').inputValue()).toBe('drugs');
    expect(await page.locator('[name="location.areaCode"]').inputValue()).toBe('edmonton-green');
    expect(pageErrors).toEqual([]);
  });
});
