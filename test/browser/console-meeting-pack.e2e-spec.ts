/**
 * The meeting pack in the console: the meeting links to a printable pack page showing who
 * attended and, per agency (by name), the actions discharged since the previous meeting held and
 * those still in process. At a laptop and a phone (390×844), axe-core on the page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { client } from './support/api-client';
import { LAPTOP, screenshot } from './support/browser';
import type { ConsoleServer } from './support/console-server';
import { ADMIN, closeConsole, collectInto, expectAccessible, inDays, INSPECTOR, noSidewaysScroll, openSignedIn, seedPlaces, SIZES, startConsole } from './support/console-suite';

jest.setTimeout(180_000);

describe('browser console: the meeting pack', () => {
  let server: ConsoleServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let tokens: Record<'admin' | 'inspector' | 'council' | 'manager', string>;
  let meetingId = '';

  beforeAll(async () => {
    ({ server, browser } = await startConsole());
    const api = client(server.apiUrl);
    tokens = {
      admin: await server.token(ADMIN),
      inspector: await server.token(INSPECTOR),
      council: await server.token({ sub: 'u-council', name: 'Sam Patel', agency: 'COUNCIL-ASB', roles: ['officer'] }),
      manager: await server.token({ sub: 'u-mgr', name: 'Meg Manager', agency: 'COUNCIL-ASB', roles: ['manager'] }),
    };
    await seedPlaces(api, tokens.admin, { agencies: ['POLICE', 'COUNCIL-ASB'], areas: ['enfield-town', 'edmonton-green'], group: true });
    const schedule = async (days: number) =>
      (await api.must('POST', '/v1/meetings', tokens.inspector, { groupCode: 'enfield-safe', heldOn: inDays(days).slice(0, 10), chair: 'Insp Jane Hart' })).id as string;
    const previous = await schedule(-14);
    await api.must('POST', `/v1/meetings/${previous}/close`, tokens.inspector, { minutesNote: '' });
    meetingId = await schedule(0);
    await api.must('POST', `/v1/meetings/${meetingId}/attendance`, tokens.inspector, {
      attendees: [
        { name: 'Sgt Amy Cole', agency: 'POLICE' },
        { name: 'Raj Shah', agency: 'COUNCIL-ASB' },
      ],
    });
    const problem = (
      await api.must('POST', '/v1/problems', tokens.inspector, {
        title: 'Fly-tipping behind Church Street parade',
        description: 'Reported weekly by residents.',
        category: 'fly-tipping',
        location: { areaCode: 'enfield-town' },
        groupCode: 'enfield-safe',
      })
    ).id as string;
    const agree = async (agency: string, description: string) =>
      (await api.must('POST', `/v1/problems/${problem}/actions`, tokens.inspector, { agency, description, tactic: { category: 'enforcement', name: 'warning letter' }, dueBy: inDays(10), meetingId })).id as string;
    const cleared = await agree('COUNCIL-ASB', 'Clear the service road');
    await agree('COUNCIL-ASB', 'Serve notices on the flats');
    await agree('POLICE', 'Patrol the service road at dusk');
    await api.must('POST', `/v1/actions/${cleared}/claim`, tokens.council);
    await api.must('POST', `/v1/actions/${cleared}/discharge`, tokens.council, { result: 'completed', note: 'Cleared.' });
  });

  afterAll(() => closeConsole(contexts, browser, server));

  describe.each(SIZES)('at a %s', (size, viewport) => {
    it('follows the meeting’s “Meeting pack” link to a printable pack with attendance and the figures per agency', async () => {
      const page: Page = await openSignedIn(browser, server, contexts, tokens.manager, viewport, collectInto(pageErrors));
      await page.goto(`${server.baseUrl}/meetings/${meetingId}`);
      await page.getByRole('link', { name: 'Meeting pack' }).click();
      await page.getByRole('heading', { name: /^Meeting pack: Enfield SAFE/, level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/meetings/${meetingId}/pack`);
      await page.getByText(/Figures since the previous meeting, held/).waitFor();

      const attendance = page.getByRole('table', { name: 'Attendance' });
      await attendance.getByRole('row', { name: 'Sgt Amy Cole North Police' }).waitFor();
      await attendance.getByRole('row', { name: 'Raj Shah Council ASB team' }).waitFor();

      const figures = page.getByRole('table', { name: 'Discharged and in process per agency' });
      await figures.getByRole('columnheader', { name: 'In process' }).waitFor();
      // Council: one discharged (on time), one still in process; police: one in process.
      await figures.getByRole('row', { name: 'Council ASB team 1 1 1' }).waitFor();
      await figures.getByRole('row', { name: 'North Police 0 0 1' }).waitFor();

      await page.getByRole('table', { name: 'Actions agreed at this meeting' }).getByText('Serve notices on the flats').waitFor();
      await page.getByRole('button', { name: 'Print or save as PDF' }).waitFor();
      await noSidewaysScroll(page);
      await screenshot(page, `meeting-pack-${size}`);
      await expectAccessible(page, `meeting pack (${size})`);
    });
  });

  it('asks again while the pack is being prepared, and offers a retry when it failed', async () => {
    const page: Page = await openSignedIn(browser, server, contexts, tokens.manager, LAPTOP, collectInto(pageErrors));
    const route = `**/v1/meetings/${meetingId}/pack`;
    // The server's answers while the pack's job runs, then when it failed, stood in for here.
    let asked = 0;
    await page.route(route, async (request) => {
      asked += 1;
      if (asked === 1) return request.fulfill({ status: 202, headers: { 'retry-after': '1', 'content-type': 'application/json' }, body: JSON.stringify({ status: 'pending', jobId: 'pack-x' }) });
      return request.fallback();
    });
    await page.goto(`${server.baseUrl}/meetings/${meetingId}/pack`);
    await page.getByText('The pack is being prepared.').waitFor();
    await page.getByRole('table', { name: 'Attendance' }).waitFor();
    expect(asked).toBe(2);
    await page.unroute(route);

    const failed = { type: 'about:blank', title: 'Service Unavailable', status: 503, code: 'PACK_FAILED', detail: 'the meeting pack could not be built; ask again to retry it' };
    await page.route(route, (request) => request.fulfill({ status: 503, headers: { 'retry-after': '1', 'content-type': 'application/problem+json' }, body: JSON.stringify(failed) }));
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'The pack could not be prepared' });
    await alert.waitFor({ timeout: 20_000 });
    await expectAccessible(page, 'meeting pack failed');
    await page.unroute(route);
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('table', { name: 'Discharged and in process per agency' }).waitFor();
  });

  it('raised no errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
