/**
 * The browser console against the real API (in process, PostgreSQL in a fresh schema), driven in
 * Debian's Chromium: an inspector raises a problem and assigns two actions; an officer of one
 * agency claims and discharges; an officer of the other agency has no claim button on it (and is
 * told plainly when a colleague claimed first); a manager sees the figures move; meeting mode;
 * as-at views. axe-core checks the main screens; screenshots go to test/browser/screenshots/.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { client } from './support/api-client';
import { eventually, LAPTOP, newPage, screenshot, TABLET } from './support/browser';
import type { ConsoleServer } from './support/console-server';
import { ADMIN, closeConsole, collectInto, expectAccessible, INSPECTOR, openSignedIn, startConsole } from './support/console-suite';

jest.setTimeout(120_000);

const day = (offset: number) => {
  const d = new Date(Date.now() + offset * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** The query routes the console reads (api.md); each must answer 200 to an inspector. */
const CONSOLE_QUERIES = [
  '/v1/agencies',
  '/v1/areas',
  '/v1/groups',
  '/v1/categories',
  '/v1/tactics',
  '/v1/problems?status=open',
  '/v1/actions',
  '/v1/meetings',
  '/v1/hotspots',
  '/v1/hotspots.geojson',
  '/v1/discharged-actions',
  '/v1/discharged-actions/items?format=csv',
  '/v1/tactical-options',
  '/v1/outcomes',
];

describe('browser console', () => {
  let server: ConsoleServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let tokens: Record<'admin' | 'inspector' | 'police' | 'council' | 'council2' | 'manager', string>;
  let api: ReturnType<typeof client>;
  const state: { problemId?: string; raisedAt?: string; policeActionId?: string; councilActionId?: string; managerPage?: Page; dischargedBefore?: number } = {};
  const title = `Fly-tipping behind Church Street parade ${Date.now().toString(36)}`;

  const open = (token: string, viewport = LAPTOP): Promise<Page> => openSignedIn(browser, server, contexts, token, viewport, collectInto(pageErrors));

  beforeAll(async () => {
    ({ server, browser } = await startConsole());
    api = client(server.apiUrl);
    tokens = {
      admin: await server.token(ADMIN),
      inspector: await server.token(INSPECTOR),
      police: await server.token({ sub: 'u-pc', name: 'PC Omar Reid', agency: 'POLICE', roles: ['officer'] }),
      council: await server.token({ sub: 'u-council', name: 'Sam Patel', agency: 'COUNCIL-ASB', roles: ['officer'] }),
      council2: await server.token({ sub: 'u-council-2', name: 'Cat Jones', agency: 'COUNCIL-ASB', roles: ['officer'] }),
      manager: await server.token({ sub: 'u-mgr', name: 'Meg Manager', agency: 'COUNCIL-ASB', roles: ['manager'] }),
    };
  });

  afterAll(() => closeConsole(contexts, browser, server));

  it('has the reference data an administrator registers (agencies, areas with outlines, a tasking group)', async () => {
    await api.must('POST', '/v1/agencies', tokens.admin, { code: 'POLICE', name: 'North Police', kind: 'police' });
    await api.must('POST', '/v1/agencies', tokens.admin, { code: 'COUNCIL-ASB', name: 'Council ASB team', kind: 'local-authority' });
    const square = (lat: number, lng: number) => ({
      type: 'Polygon',
      coordinates: [[[lng - 0.01, lat - 0.006], [lng + 0.01, lat - 0.006], [lng + 0.01, lat + 0.006], [lng - 0.01, lat + 0.006], [lng - 0.01, lat - 0.006]]],
    });
    await api.must('PUT', '/v1/areas/enfield-town', tokens.admin, { name: 'Enfield Town', centroid: { lat: 51.652, lng: -0.081 }, boundary: square(51.652, -0.081) });
    await api.must('PUT', '/v1/areas/edmonton-green', tokens.admin, { name: 'Edmonton Green', centroid: { lat: 51.624, lng: -0.061 }, boundary: square(51.624, -0.061) });
    await api.must('POST', '/v1/groups', tokens.admin, { code: 'enfield-safe', name: 'Enfield SAFE', areaCodes: ['enfield-town', 'edmonton-green'] });
  });

  it('serves every query route the console reads', async () => {
    const failing: string[] = [];
    for (const path of CONSOLE_QUERIES) {
      const reply = await api.call('GET', path, tokens.inspector);
      if (reply.status !== 200) failing.push(`GET ${path} -> ${reply.status}`);
    }
    expect(failing).toEqual([]);
  });

  it('signs in with a pasted token and shows the sign-in screen accessibly', async () => {
    const { context, page } = await newPage(browser);
    contexts.push(context);
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await page.getByText(/No demo users|Sign in as/).first().waitFor();
    await screenshot(page, 'sign-in');
    await expectAccessible(page, 'sign-in');
  });

  it('lets an inspector raise a problem, showing the API’s field errors first', async () => {
    const page = await open(tokens.inspector);
    await page.getByRole('heading', { name: 'Problems', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Raise a problem' }).click();
    await page.getByRole('heading', { name: 'Raise a problem', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Raise problem' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'The problem was not raised' });
    await summary.waitFor();
    expect(await page.locator('.field-error').count()).toBeGreaterThan(0);
    expect(await page.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);
    await screenshot(page, 'raise-problem-errors');
    await expectAccessible(page, 'raise-problem (with errors)');

    await page.locator('[name="title"]').fill(title);
    await page.locator('[name="description"]').fill('Bags and furniture dumped weekly behind the parade; blocks the service road.');
    await page.locator('[name="category"]').selectOption('fly-tipping');
    await page.locator('[name="location.areaCode"]').selectOption('enfield-town');
    await page.locator('[name="location.address"]').fill('Service road behind 1–20 Church Street');
    await page.locator('[name="location.lat"]').fill('51.6523');
    await page.locator('[name="location.lng"]').fill('-0.0807');
    await page.locator('[name="priority"]').selectOption('high');
    await page.locator('[name="groupCode"]').selectOption('enfield-safe');
    await page.getByRole('button', { name: 'Raise problem' }).click();

    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    state.problemId = new URL(page.url()).pathname.split('/').pop();
    state.raisedAt = new Date().toISOString();
    expect(state.problemId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lets the inspector assign two actions, to two agencies', async () => {
    const page = await open(tokens.inspector);
    await page.goto(`${server.baseUrl}/problems/${state.problemId}`);
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();

    const assign = async (agency: string, description: string, category: string, tactic: string) => {
      await page.getByRole('button', { name: 'Assign an action…' }).click();
      const form = page.locator('form[aria-label="Assign an action"]');
      await form.locator('[name="agency"]').selectOption(agency);
      await form.locator('[name="description"]').fill(description);
      await form.locator('[name="tactic.category"]').selectOption(category);
      await form.locator('[name="tactic.name"]').selectOption(tactic);
      await form.locator('[name="dueBy"]').fill(day(14));
      await form.getByRole('button', { name: 'Assign action' }).click();
      await page.locator(`article[data-agency="${agency}"]`).filter({ hasText: description }).waitFor();
    };
    await assign('POLICE', 'Patrol the service road at dusk and issue warning letters', 'enforcement', 'warning letter');
    await assign('COUNCIL-ASB', 'Clear the dumped waste and survey the road', 'environmental', 'clean-up');

    state.policeActionId = (await page.locator('article[data-agency="POLICE"]').getAttribute('data-action-id')) ?? undefined;
    state.councilActionId = (await page.locator('article[data-agency="COUNCIL-ASB"]').getAttribute('data-action-id')) ?? undefined;
    expect(state.policeActionId).toBeTruthy();
    expect(state.councilActionId).toBeTruthy();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await eventually(async () => expect(await page.locator('.timeline li').count()).toBeGreaterThanOrEqual(3));
    await screenshot(page, 'problem');
    await expectAccessible(page, 'problem');

    await page.goto(`${server.baseUrl}/problems`);
    await page.getByRole('link', { name: title }).waitFor();
    await screenshot(page, 'problem-board');
    await expectAccessible(page, 'problem board');
  });

  it('refuses a due date in the past before sending it, saying why, on assigning and on re-dating', async () => {
    const page = await open(tokens.inspector);
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && /\/(actions|due-date)$/.test(new URL(request.url()).pathname)) sent.push(request.url());
    });
    await page.goto(`${server.baseUrl}/problems/${state.problemId}`);
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Assign an action…' }).click();
    const form = page.locator('form[aria-label="Assign an action"]');
    await form.locator('[name="dueBy"]').fill(day(-1));
    await form.getByRole('button', { name: 'Assign action' }).click();
    await form.getByRole('alert').filter({ hasText: 'The due date has passed: choose today or a later date' }).waitFor();
    expect(await form.locator('[name="dueBy"]').getAttribute('aria-invalid')).toBe('true');
    await form.getByRole('button', { name: 'Back' }).click();

    const card = page.locator('article[data-agency="POLICE"]');
    await card.getByRole('button', { name: 'Change due date…' }).click();
    await card.locator('[name="dueBy"]').fill(day(-3));
    await card.locator('[name="reason"]').fill('Agreed at the meeting');
    await card.getByRole('button', { name: 'Change due date', exact: true }).click();
    await card.getByRole('alert').filter({ hasText: 'The due date has passed' }).waitFor();
    expect(sent).toEqual([]);
    await expectAccessible(page, 'past due date refused');
  });

  it('shows a manager the dashboard before the work is done', async () => {
    const page = await open(tokens.manager);
    state.managerPage = page;
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    const figure = page.locator('[data-figure="discharged"]');
    await figure.waitFor();
    state.dischargedBefore = Number(await figure.textContent());
    await page.getByRole('cell', { name: 'Enfield Town' }).first().waitFor();
    await eventually(async () => expect(await page.locator('.map path.leaflet-interactive').count()).toBeGreaterThan(0));
    await screenshot(page, 'dashboard-before');
    await expectAccessible(page, 'dashboard');
  });

  it('lets an officer of the action’s agency claim and discharge it from the queue', async () => {
    const page = await open(tokens.police);
    await page.getByRole('heading', { name: 'My agency’s actions', level: 1 }).waitFor();
    const card = page.locator(`article[data-action-id="${state.policeActionId}"]`);
    await card.waitFor();
    expect(await page.locator('article[data-agency="COUNCIL-ASB"]').count()).toBe(0);
    await expectAccessible(page, 'officer queue');

    await card.getByRole('button', { name: 'Claim', exact: true }).click();
    await card.getByText('You claimed this action.').waitFor();
    await eventually(async () => expect(await card.getAttribute('class')).toContain('action-card--claimed'));

    await card.getByRole('button', { name: 'Record intervention…' }).click();
    await card.locator('[name="description"]').fill('Dusk patrol; two warning letters delivered to the flats behind the parade.');
    await card.getByRole('button', { name: 'Record intervention', exact: true }).click();
    await card.getByText('Intervention recorded.').waitFor();

    await card.getByRole('button', { name: 'Discharge…' }).click();
    await card.locator('[name="result"]').selectOption('completed');
    await card.locator('[name="note"]').fill('Patrols done, letters served; no new dumping this week.');
    await card.getByRole('button', { name: 'Discharge action' }).click();
    await eventually(async () => expect(await card.getAttribute('class')).toContain('action-card--discharged'));
    await screenshot(page, 'officer-queue');
  });

  it('gives an officer of the other agency no claim button on it, and says plainly when a colleague claimed first', async () => {
    const page = await open(tokens.council);
    await page.goto(`${server.baseUrl}/problems/${state.problemId}`);
    const police = page.locator(`article[data-action-id="${state.policeActionId}"]`);
    const council = page.locator(`article[data-action-id="${state.councilActionId}"]`);
    await police.waitFor();
    await council.getByRole('button', { name: 'Claim', exact: true }).waitFor();
    expect(await police.getByRole('button').count()).toBe(0);
    await screenshot(page, 'problem-other-agency');

    // A colleague of the same agency claims first, after this page was loaded.
    await api.must('POST', `/v1/actions/${state.councilActionId}/claim`, tokens.council2);
    await council.getByRole('button', { name: 'Claim', exact: true }).click();
    await page.getByText('Someone else claimed this a moment ago.').waitFor();
    await eventually(async () => expect(await council.getAttribute('class')).toContain('action-card--claimed'));
    await council.getByText('Cat Jones').waitFor();
  });

  it('shows the manager the figures moving', async () => {
    const page = state.managerPage!;
    await eventually(
      async () => {
        await page.getByRole('button', { name: 'Refresh figures' }).click();
        await page.waitForTimeout(300);
        expect(Number(await page.locator('[data-figure="discharged"]').textContent())).toBe((state.dischargedBefore ?? 0) + 1);
      },
      20_000,
      500,
    );
    await screenshot(page, 'dashboard');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const csv = await download;
    expect(csv.suggestedFilename()).toBe('discharged-actions.csv');
    // A header and the one discharged action behind the figure.
    expect((await readFile((await csv.path())!, 'utf8')).split('\n').filter((line) => line.trim() !== '').length).toBeGreaterThanOrEqual(2);
    const geo = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download GeoJSON' }).click();
    const geojson = JSON.parse(await readFile((await (await geo).path())!, 'utf8'));
    expect(geojson.type).toBe('FeatureCollection');
  });

  it('runs a meeting: agenda, attendance, tabling and a live assignment', async () => {
    const page = await open(tokens.inspector);
    await page.goto(`${server.baseUrl}/meetings?groupCode=enfield-safe`);
    await page.getByRole('heading', { name: 'Meetings', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Schedule and open' }).click();
    await page.getByRole('heading', { name: 'Agenda: open problems by hotspot score' }).waitFor();
    const item = page.locator('.agenda__item').filter({ hasText: title });
    await item.waitFor();

    await page.getByRole('button', { name: 'Record attendance…' }).click();
    await page.locator('#attendee-name-0').fill('Sam Patel');
    await page.locator('#attendee-agency-0').selectOption('COUNCIL-ASB');
    await page.getByRole('button', { name: 'Save attendance' }).click();
    await page.locator('section', { has: page.getByRole('heading', { name: 'Attendance' }) }).getByText('Sam Patel').waitFor();

    await item.getByRole('button', { name: 'Table this problem' }).click();
    await item.getByText('Tabled', { exact: true }).waitFor();

    await item.getByRole('button', { name: 'Assign an action…' }).click();
    const form = item.locator('form[aria-label="Assign an action"]');
    await form.locator('[name="agency"]').selectOption('COUNCIL-ASB');
    await form.locator('[name="description"]').fill('Install a camera over the service road');
    await form.locator('[name="tactic.category"]').selectOption('prevention');
    await form.locator('[name="tactic.name"]').selectOption('CCTV');
    await form.locator('[name="dueBy"]').fill(day(28));
    await form.getByRole('button', { name: 'Assign action' }).click();
    await page.locator('aside').getByText('Install a camera over the service road').waitFor();
    await screenshot(page, 'meeting');
    await expectAccessible(page, 'meeting mode');
  });

  it('shows the problem as it stood, and its timeline', async () => {
    const page = await open(tokens.inspector);
    await page.goto(`${server.baseUrl}/problems/${state.problemId}?asAt=${encodeURIComponent(state.raisedAt!)}`);
    await page.getByText('You are looking at this problem as it stood at').waitFor();
    await page.getByText('No actions agreed yet.').waitFor();
    const timeline = page.locator('.timeline');
    await timeline.getByText('Problem raised').first().waitFor();
    await timeline.getByText('Action discharged').first().waitFor();
    await screenshot(page, 'problem-as-at');
  });

  it('fits a tablet', async () => {
    const officer = await open(tokens.council, TABLET);
    await officer.getByRole('heading', { name: 'My agency’s actions', level: 1 }).waitFor();
    await officer.locator('article.action-card').first().waitFor();
    const overflow = await officer.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(officer, 'tablet-queue');
    const inspector = await open(tokens.inspector, TABLET);
    await inspector.getByRole('link', { name: title }).waitFor();
    await screenshot(inspector, 'tablet-problem-board');
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
