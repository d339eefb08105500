/**
 * The manager's figures read right (issue 20, point 12): the per-agency chart names agencies, its
 * key draws overdue in red, in-process in grey and discharged in blue, every series colour has at
 * least 3:1 contrast on white, and the CSV download carries agency, area and problem names beside
 * the codes (formula-guarded); the figures per agency, the actions in process (with names) and the
 * outcomes by month download as CSV. At a laptop and a phone (390×844), axe-core on each screen.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assignAction } from '../support/fixtures';
import { client } from './support/api-client';
import { eventually, screenshot } from './support/browser';
import { PARTNERSHIP, type ConsoleServer } from './support/console-server';
import { ADMIN, closeConsole, collectInto, expectAccessible, inDays, INSPECTOR, openSignedIn, seedPlaces, SIZES, startConsole } from './support/console-suite';

jest.setTimeout(180_000);

/** `rgb(r, g, b)` as channels 0..255. */
const channels = (css: string) => (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number) as [number, number, number];
/** WCAG relative luminance and contrast against white. */
const luminance = ([r, g, b]: [number, number, number]) => {
  const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};
const contrastOnWhite = (rgb: [number, number, number]) => 1.05 / (luminance(rgb) + 0.05);
/** Red or amber: red well above blue, and not a green (green below red). */
const readsAsWarning = ([r, g, b]: [number, number, number]) => r > 120 && r > g + 40 && r > b + 40;

describe('browser console: exports and charts', () => {
  let server: ConsoleServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let manager: string;
  const title = `=Fly-tipping behind Church Street parade ${Date.now().toString(36)}`;

  const open = (token: string, viewport: { width: number; height: number }): Promise<Page> => openSignedIn(browser, server, contexts, token, viewport, collectInto(pageErrors));

  beforeAll(async () => {
    ({ server, browser } = await startConsole());
    const api = client(server.apiUrl);
    const admin = await server.token(ADMIN);
    const inspector = await server.token(INSPECTOR);
    const officer = await server.token({ sub: 'u-pc', name: 'PC Omar Reid', agency: 'POLICE', roles: ['officer'] });
    manager = await server.token({ sub: 'u-mgr', name: 'Meg Manager', agency: 'POLICE', roles: ['manager'] });
    await seedPlaces(api, admin, { agencies: ['POLICE'], areas: ['enfield-town'] });
    const problemId = (await api.must('POST', '/v1/problems', inspector, { title, description: 'Reported weekly.', category: 'fly-tipping', location: { areaCode: 'enfield-town' } })).id as string;
    const agree = async (description: string) =>
      (await api.must('POST', `/v1/problems/${problemId}/actions`, inspector, { agency: 'POLICE', description, tactic: { category: 'enforcement', name: 'warning letter' }, dueBy: inDays(10) })).id as string;
    const done = await agree('Serve warning letters on the flats');
    await api.must('POST', `/v1/actions/${done}/claim`, officer);
    await api.must('POST', `/v1/actions/${done}/discharge`, officer, { result: 'completed', note: 'Letters served.' });
    await agree('Patrol the service road at dusk');
    const quiet = (await api.must('POST', '/v1/problems', inspector, { title: 'Graffiti on the underpass', description: 'Tags weekly.', category: 'criminal-damage', location: { areaCode: 'enfield-town' } })).id as string;
    await api.must('POST', `/v1/problems/${quiet}/close`, inspector, { outcome: 'reduced', assessment: 'Cleaned and lit; reports stopped.' });
    await assignAction(server.runtime.store, problemId, { partnership: PARTNERSHIP, agency: 'POLICE', description: 'Review the CCTV footage', tactic: { category: 'prevention', name: 'CCTV' }, dueBy: inDays(-3) });
  });

  afterAll(() => closeConsole(contexts, browser, server));

  describe.each(SIZES)('at a %s', (size, viewport) => {
    it('names agencies on the chart and draws overdue in red, every colour with 3:1 contrast', async () => {
      const page = await open(manager, viewport);
      const chart = page.locator('figure', { has: page.getByText('Discharged and in-process actions per agency') });
      await eventually(
        async () => {
          await page.goto(`${server.baseUrl}/dashboard`);
          await chart.waitFor({ timeout: 5_000 });
          await chart.getByText('Show the numbers as a table').click();
          const row = chart.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'North Police' }) });
          expect(await row.getByRole('cell').allTextContents()).toEqual(['1', '2', '1']);
        },
        30_000,
        1_000,
      );
      expect(await chart.getByRole('rowheader', { name: 'POLICE', exact: true }).count()).toBe(0);

      const key = chart.getByRole('list', { name: /key$/ });
      const colours = Object.fromEntries(
        await Promise.all(
          (await key.getByRole('listitem').all()).map(async (item) => [
            (await item.textContent())?.trim(),
            channels(await item.locator('.chart__swatch').evaluate((swatch) => (swatch as unknown as { style: { backgroundColor: string } }).style.backgroundColor)),
          ]),
        ),
      ) as Record<string, [number, number, number]>;
      expect(Object.keys(colours)).toEqual(['Discharged', 'In process', 'Overdue']);
      expect({ overdue: readsAsWarning(colours['Overdue']!) }).toEqual({ overdue: true });
      expect({ discharged: readsAsWarning(colours['Discharged']!), inProcess: readsAsWarning(colours['In process']!) }).toEqual({ discharged: false, inProcess: false });
      for (const [series, rgb] of Object.entries(colours)) expect({ series, enough: contrastOnWhite(rgb) >= 3 }).toEqual({ series, enough: true });
      await screenshot(page, `exports-dashboard-chart-${size}`);
      await expectAccessible(page, `dashboard chart (${size})`);
    });

    it('downloads the discharged and in-process actions with agency, area and problem names (formula-guarded), the figures per agency and the outcomes', async () => {
      const page = await open(manager, viewport);
      await page.goto(`${server.baseUrl}/dashboard`);
      const section = page.locator('section', { has: page.getByRole('heading', { name: 'Actions discharged and in process' }) });
      const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Download CSV' }).click()]);
      const lines = readFileSync((await download.path())!, 'utf8').split('\r\n');
      const header = lines[0]!.split(',');
      expect(header).toEqual(expect.arrayContaining(['agency', 'agencyName', 'areaCode', 'areaName', 'problemTitle']));
      const row = lines.find((l) => l.includes('North Police'));
      expect(row).toBeDefined();
      expect(row).toContain(',Enfield Town,');
      expect(row!.endsWith(`'${title}`)).toBe(true);

      // The figures per agency (in process and overdue as at now), and the outcomes by month.
      const saved = async (button: string) => {
        const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
        return readFileSync((await file.path())!, 'utf8').split('\r\n');
      };
      const perAgency = await saved('Download figures per agency (CSV)');
      expect(perAgency[0]).toBe('agency,agencyName,discharged,inProcess,overdue,completed,partially-completed,not-achieved,onTimeRate,medianDaysToDischarge');
      expect(perAgency[1]!.startsWith('POLICE,North Police,1,2,1,1,0,0,1,')).toBe(true);
      const inProcess = await saved('Download in-process actions (CSV)');
      expect(inProcess[0]).toBe('actionId,problemId,partnership,agency,areaCode,problemCategory,tacticCategory,tacticName,assignedAt,dueBy,overdue,agencyName,areaName,problemTitle');
      const waiting = inProcess.filter((l) => l.includes(',North Police,Enfield Town,'));
      expect(waiting).toHaveLength(2);
      expect(waiting.filter((l) => l.includes(',true,North Police,'))).toHaveLength(1);
      expect(waiting.every((l) => l.endsWith(`'${title}`))).toBe(true);
      const outcomes = await saved('Download outcomes (CSV)');
      expect(outcomes[0]!.startsWith('month,closed,eliminated,reduced,')).toBe(true);
      expect(outcomes).toContain('all,1,0,1,0,0,0,0,0,0,0,0,0');
      await expectAccessible(page, `dashboard after a download (${size})`);
    });
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
