/**
 * Imports in the console: a data.police.uk street-level file chosen and sent as it is, the report
 * asked for until the import completes (counts and the rejected rows, by row and column), a mapped
 * CSV with its columns named (its place an LSOA code, matched without regard to case), the past imports at a phone's width, and a mistaken import withdrawn
 * after a confirmation. axe-core on each screen. Data is seeded over the API's routes.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { client } from './support/api-client';
import { eventually, LAPTOP, screenshot } from './support/browser';
import type { ConsoleServer } from './support/console-server';
import { ADMIN, closeConsole, collectInto, expectAccessible, INSPECTOR, noSidewaysScroll, openSignedIn, PHONE, seedPlaces, startConsole } from './support/console-suite';

jest.setTimeout(180_000);

const LSOA = 'E01001500';

/** Last month, `YYYY-MM`: within the ten years an occurrence may lie back. */
function lastMonth(): string {
  const now = new Date();
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return month.toISOString().slice(0, 7);
}

/** Four rows: two in the partnership's LSOA, one with no location (row 4), one in another force's LSOA. */
const streetFile = (month: string) =>
  [
    'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context',
    `c0ffee01,${month},Metropolitan Police Service,Metropolitan Police Service,-0.081,51.652,On or near Church Street,${LSOA},Enfield 001A,Burglary,Under investigation,`,
    `c0ffee02,${month},Metropolitan Police Service,Metropolitan Police Service,-0.082,51.653,On or near Market Place,${LSOA},Enfield 001A,Drugs,Local resolution,`,
    `,${month},Metropolitan Police Service,Metropolitan Police Service,,,No location,,,Anti-social behaviour,,`,
    `c0ffee04,${month},Metropolitan Police Service,Metropolitan Police Service,-0.134,51.513,On or near Soho Square,E01004763,Westminster 013A,Robbery,,`,
  ].join('\r\n');

describe('browser console: imports', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let api: ReturnType<typeof client>;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let inspector: string;
  let streetImport = '';

  const open = (viewport: { width: number; height: number }): Promise<Page> => openSignedIn(browser, server, contexts, inspector, viewport, collectInto(pageErrors));
  const figure = (page: Page, name: string) => page.getByRole('region', { name: 'Import report' }).locator(`[data-figure="${name}"]`).textContent();
  const choose = async (page: Page, name: string, text: string) => page.locator(`#import-file`).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

  beforeAll(async () => {
    ({ server, browser } = await startConsole());
    api = client(server.apiUrl);
    const admin = await server.token(ADMIN);
    inspector = await server.token(INSPECTOR);
    await seedPlaces(api, admin, { agencies: ['POLICE'], areas: ['enfield-town', 'edmonton-green'] });
    await api.must('PUT', '/v1/areas/enfield-town', admin, { name: 'Enfield Town', centroid: { lat: 51.652, lng: -0.081 }, lsoaCodes: [LSOA] });
    await api.must('PUT', '/v1/sources/police', admin, { name: 'North street crime', kind: 'police' });
    const last = await api.must('PUT', '/v1/sources/council', admin, { name: 'Council service requests', kind: 'council' });
    // The form reads the sources once: they are in the read model before any page opens.
    if (!(await server.runtime.projections.waitFor(last.position, 15_000))) throw new Error(`projections did not reach ${last.position}`);
  });

  afterAll(() => closeConsole(contexts, browser, server));

  it('imports a street-level file and shows its report until it completes, rejected rows by row and column', async () => {
    const page = await open(LAPTOP);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Imports' }).click();
    await page.getByRole('heading', { name: 'Imports', level: 1 }).waitFor();
    await eventually(async () => expect(await page.locator('select[name="source"] option').allTextContents()).toContain('North street crime (Police)'));
    await expectAccessible(page, 'imports');

    // No file: said beside the form, nothing sent.
    await page.locator('select[name="source"]').selectOption('police');
    await page.getByRole('button', { name: 'Start the import' }).click();
    await page.getByRole('alert').getByText('Choose the CSV file to import').waitFor();

    await choose(page, 'street.csv', streetFile(lastMonth()));
    await page.getByRole('button', { name: 'Start the import' }).click();
    await page.waitForURL((url) => !!url.searchParams.get('id'));
    streetImport = new URL(page.url()).searchParams.get('id')!;
    await eventually(async () => expect(await figure(page, 'recorded')).toBe('2'), 30_000);
    expect({
      rowsRead: await figure(page, 'rowsRead'),
      rejected: await figure(page, 'rejected'),
      outsidePartnership: await figure(page, 'outsidePartnership'),
    }).toEqual({ rowsRead: '4', rejected: '1', outsidePartnership: '1' });
    await page.getByRole('region', { name: 'Import report' }).getByText('Completed').waitFor();
    const rejected = page.getByRole('table', { name: /Rejected rows/ });
    expect(await rejected.locator('tbody tr td').allTextContents()).toEqual(['4', 'Longitude', 'The row has no location: no coordinates and no LSOA code.']);
    await eventually(async () => expect(await page.getByRole('table', { name: 'Imports, latest first' }).locator('tbody tr').count()).toBe(1));
    await expectAccessible(page, 'import report');
    await screenshot(page, 'imports-report-laptop');
    await eventually(async () => {
      const listed = (await api.must('GET', '/v1/incidents?source=police', inspector)).items as { status: string }[];
      expect(listed.map((i) => i.status)).toEqual(['recorded', 'recorded']);
    });
    expect(pageErrors).toEqual([]);
  });

  it('imports a mapped CSV with its columns named', async () => {
    const page = await open(LAPTOP);
    await page.goto(`${server.baseUrl}/imports`);
    await eventually(async () => expect(await page.locator('select[name="source"] option').count()).toBeGreaterThan(2));
    await page.locator('select[name="source"]').selectOption('council');
    await page.locator('select[name="format"]').selectOption('mapped-csv');
    await page.locator('[name="mapping.externalId"]').fill('Ref');
    await page.locator('[name="mapping.occurredAt"]').fill('Reported');
    await page.locator('[name="mapping.category"]').fill('Type');
    await page.locator('select[name="location"]').selectOption('lsoa');
    await page.locator('[name="mapping.lsoaCode"]').fill('LSOA');
    await expectAccessible(page, 'mapped CSV form');
    const day = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
    await choose(page, 'council.csv', ['Ref,Reported,Type,LSOA', `FT-1,${day},fly-tipping,${LSOA}`, `FT-2,${day},graffiti,${LSOA.toLowerCase()}`].join('\n'));
    await page.getByRole('button', { name: 'Start the import' }).click();
    await eventually(async () => expect(await figure(page, 'recorded')).toBe('2'), 30_000);
    expect(await figure(page, 'rejected')).toBe('0');
    await eventually(async () => {
      const listed = (await api.must('GET', '/v1/incidents?source=council', inspector)).items as { category: string; areaCode: string }[];
      expect(listed.map((i) => `${i.category} in ${i.areaCode}`).sort()).toEqual(['fly-tipping in enfield-town', 'graffiti in enfield-town']);
    });
    expect(pageErrors).toEqual([]);
  });

  it('lists past imports and opens a report at a phone’s width', async () => {
    const page = await open(PHONE);
    await page.goto(`${server.baseUrl}/imports`);
    const table = page.getByRole('table', { name: 'Imports, latest first' });
    await eventually(async () => expect(await table.locator('tbody tr').count()).toBe(2));
    await table.locator('tbody tr', { hasText: 'data.police.uk' }).getByRole('button', { name: /^Show report/ }).click();
    await page.waitForURL((url) => url.searchParams.get('id') === streetImport);
    await eventually(async () => expect(await figure(page, 'outsidePartnership')).toBe('1'));
    await noSidewaysScroll(page);
    await expectAccessible(page, 'imports on a phone');
    await screenshot(page, 'imports-phone');
  });

  it('withdraws a mistaken import after a confirmation, focus on the confirmation', async () => {
    const page = await open(LAPTOP);
    await page.goto(`${server.baseUrl}/imports`);
    const row = page.getByRole('table', { name: 'Imports, latest first' }).locator('tbody tr', { hasText: 'data.police.uk' });
    await row.getByRole('button', { name: /^Withdraw…/ }).click();
    await row.getByText('Withdraw every incident this import recorded?').waitFor();
    await row.getByRole('button', { name: 'Back' }).click();
    expect((await api.must('GET', `/v1/imports/${streetImport}`, inspector)).status).toBe('completed');

    await row.getByRole('button', { name: /^Withdraw…/ }).click();
    await row.getByRole('button', { name: 'Withdraw the import' }).click();
    await eventually(async () => expect(await page.evaluate<string>('document.activeElement?.textContent ?? ""')).toMatch(/^Import of North street crime withdrawn/));
    await eventually(async () => expect(await page.locator('[data-live-region]').textContent()).toMatch(/^Import of North street crime withdrawn/));
    await eventually(async () => {
      const withdrawn = (await api.must('GET', '/v1/incidents?source=police&status=withdrawn', inspector)).items as unknown[];
      expect(withdrawn).toHaveLength(2);
    });
    await expectAccessible(page, 'imports after a withdrawal');
    expect(pageErrors).toEqual([]);
  });
});
