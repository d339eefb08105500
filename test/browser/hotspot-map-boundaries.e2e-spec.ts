/**
 * The dashboard's hotspot map at a laptop's 1366 px: the registered areas' boundaries are drawn
 * (the demo's areas have polygons), and the ranking table beside it shows every column.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { demoBoundaries } from '../../apps/api/src/seed/demo-boundaries';
import { client } from './support/api-client';
import { LAPTOP, eventually, screenshot } from './support/browser';
import { PHONE, closeConsole, collectInto, expectAccessible, noSidewaysScroll, openSignedIn, startConsole } from './support/console-suite';
import type { ConsoleServer } from './support/console-server';

jest.setTimeout(120_000);

const AREAS = [
  { code: 'northfield-estate', name: 'Northfield Estate', lat: 52.9621, lng: -1.1702 },
  { code: 'market-parade', name: 'Market Parade', lat: 52.9552, lng: -1.1498 },
  { code: 'station-quarter', name: 'Station Quarter', lat: 52.9469, lng: -1.1462 },
  { code: 'canal-basin', name: 'Canal Basin', lat: 52.9431, lng: -1.1589 },
];

describe('the hotspot map at 1366 px', () => {
  let server: ConsoleServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ server, browser } = await startConsole());
    const api = client(server.apiUrl);
    const admin = await server.token({ sub: 'u-admin', name: 'Ada Admin', agency: 'POLICE', roles: ['admin'] });
    const inspector = await server.token({ sub: 'u-insp', name: 'Insp Jane Hart', agency: 'POLICE', roles: ['inspector'] });
    await api.must('POST', '/v1/agencies', admin, { code: 'POLICE', name: 'North Police', kind: 'police' });
    const boundaries = demoBoundaries(AREAS);
    for (const [index, area] of AREAS.entries()) {
      await api.must('PUT', `/v1/areas/${area.code}`, admin, { name: area.name, centroid: { lat: area.lat, lng: area.lng }, boundary: boundaries[index] });
      await api.must('POST', '/v1/problems', inspector, {
        title: `Fly-tipping in ${area.name}`,
        description: 'Bags dumped weekly',
        category: 'fly-tipping',
        location: { areaCode: area.code },
      });
    }
  });

  afterAll(() => closeConsole(contexts, browser, server));

  it('draws every area boundary and keeps the ranking table whole beside the map', async () => {
    const manager = await server.token({ sub: 'u-mgr', name: 'Meg Manager', agency: 'POLICE', roles: ['manager'] });
    const page = await openSignedIn(browser, server, contexts, manager, LAPTOP, collectInto(pageErrors));
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await eventually(async () => expect(await page.locator('.map path:not(.leaflet-interactive)').count()).toBe(AREAS.length));
    await eventually(async () => expect(await page.getByRole('table', { name: /Hotspot ranking/ }).locator('tbody tr').count()).toBe(AREAS.length));

    const table = page.getByRole('table', { name: /Hotspot ranking/ });
    const tableBox = (await table.boundingBox())!;
    const holder = (await page.locator('.hotspot-grid > div').first().boundingBox())!;
    expect(tableBox.x + tableBox.width).toBeLessThanOrEqual(holder.x + holder.width + 1);
    for (const header of await table.locator('thead th').all()) {
      const box = (await header.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(holder.x + holder.width + 1);
    }
    await screenshot(page, 'hotspot-map-boundaries-laptop');
    await expectAccessible(page, 'dashboard with boundaries');
    expect(pageErrors).toEqual([]);
  });

  it('draws every area boundary on a phone, with the map below the ranking and nothing wider than the screen', async () => {
    const manager = await server.token({ sub: 'u-mgr', name: 'Meg Manager', agency: 'POLICE', roles: ['manager'] });
    const page = await openSignedIn(browser, server, contexts, manager, PHONE, collectInto(pageErrors));
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await eventually(async () => expect(await page.locator('.map path:not(.leaflet-interactive)').count()).toBe(AREAS.length));
    const table = (await page.getByRole('table', { name: /Hotspot ranking/ }).boundingBox())!;
    const map = (await page.locator('.map').boundingBox())!;
    expect(map.y).toBeGreaterThan(table.y);
    await noSidewaysScroll(page);
    await screenshot(page, 'hotspot-map-boundaries-phone');
    await expectAccessible(page, 'dashboard with boundaries on a phone');
    expect(pageErrors).toEqual([]);
  });
});
