/**
 * Meeting set-up from the groups' schedules: the meetings page lists every group's next meeting
 * and filters by "All groups" or one; "Open the next meeting" schedules it for the schedule's next
 * date and opens it; attendance is pre-filled from the group's members, one of whom sends
 * apologies and a deputy. At a laptop and a phone (390×844), axe-core on each screen.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { client } from './support/api-client';
import { eventually, screenshot } from './support/browser';
import type { ConsoleServer } from './support/console-server';
import { ADMIN, closeConsole, expectAccessible, INSPECTOR, noSidewaysScroll, openSignedIn, seedPlaces, SIZES, startConsole } from './support/console-suite';

jest.setTimeout(180_000);

const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The group each screen size opens its next meeting for, so neither run finds the other's. */
const GROUP_OF = { laptop: { code: 'enfield-safe', name: 'Enfield SAFE' }, phone: { code: 'edmonton-npg', name: 'Edmonton NPG' } } as const;

describe('browser console: meeting schedules and members', () => {
  let server: ConsoleServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let inspector: string;

  const open = (token: string, viewport: { width: number; height: number }): Promise<Page> =>
    openSignedIn(browser, server, contexts, token, viewport, (errors) => {
      throw new Error(errors.join('\n'));
    });

  beforeAll(async () => {
    ({ server, browser } = await startConsole());
    const api = client(server.apiUrl);
    const admin = await server.token(ADMIN);
    inspector = await server.token(INSPECTOR);
    await seedPlaces(api, admin, { agencies: ['POLICE', 'COUNCIL-ASB'], areas: ['enfield-town', 'edmonton-green'] });
    for (const { code, name } of Object.values(GROUP_OF)) {
      await api.must('POST', '/v1/groups', admin, { code, name, areaCodes: code === 'enfield-safe' ? ['enfield-town'] : ['edmonton-green'] });
      // Fortnightly from a week ago: the next meeting is a week ahead.
      await api.must('PUT', `/v1/groups/${code}/schedule`, inspector, { from: day(-7) });
      await api.must('PUT', `/v1/groups/${code}/members`, inspector, {
        members: [
          { name: 'Insp Jane Hart', agency: 'POLICE', role: 'chair' },
          { name: 'Sam Patel', agency: 'COUNCIL-ASB' },
        ],
      });
      // The meeting held at the schedule's start, for the list.
      await api.must('POST', '/v1/meetings', inspector, { groupCode: code, heldOn: day(-7), chair: 'Insp Jane Hart' });
    }
  });

  afterAll(() => closeConsole(contexts, browser, server));

  describe.each(SIZES)('at a %s', (size, viewport) => {
    it('lists all groups, opens the next meeting from the schedule, and records attendance from the members with an apology', async () => {
      const group = GROUP_OF[size];
      const page = await open(inspector, viewport);
      await page.goto(`${server.baseUrl}/meetings`);
      await page.getByRole('heading', { name: 'Meetings', level: 1 }).waitFor();
      const filter = page.getByRole('combobox', { name: 'Tasking group' }).first();
      await eventually(async () => expect(await filter.locator('option:checked').textContent()).toBe('All groups'));
      // Every group's meetings, and every group's next meeting.
      const list = page.locator('ul.meeting-list').last();
      await eventually(async () => {
        const text = await list.textContent();
        expect(text).toContain('Enfield SAFE');
        expect(text).toContain('Edmonton NPG');
      });
      const upcoming = page.locator('section', { has: page.getByRole('heading', { name: 'Upcoming meetings' }) });
      await eventually(async () => expect(await upcoming.getByRole('listitem').count()).toBe(2));
      await upcoming.getByRole('button', { name: `Open the next meeting of ${group.name}` }).waitFor();
      await noSidewaysScroll(page);
      await expectAccessible(page, `meetings, all groups (${size})`);
      await screenshot(page, `meeting-schedules-${size}`);

      // One group: its meetings only.
      await filter.selectOption(group.code);
      await page.waitForURL((url) => url.searchParams.get('groupCode') === group.code);
      await expect(upcoming.getByRole('listitem').count()).resolves.toBe(1);
      await filter.selectOption('');
      await page.waitForURL((url) => !url.searchParams.has('groupCode'));

      await upcoming.getByRole('button', { name: `Open the next meeting of ${group.name}` }).click();
      await page.waitForURL((url) => /^\/meetings\/[0-9a-f-]{36}$/.test(url.pathname));
      await page.getByRole('heading', { level: 1, name: new RegExp(group.name) }).waitFor();

      await page.getByRole('button', { name: 'Record attendance…' }).click();
      const sam = page.getByRole('group', { name: /^Sam Patel/ });
      await expect(sam.getByRole('radio', { name: 'Present' }).isChecked()).resolves.toBe(true);
      await expect(page.getByRole('group', { name: /^Insp Jane Hart/ }).getByRole('radio', { name: 'Present' }).isChecked()).resolves.toBe(true);
      await sam.getByRole('radio', { name: 'Apologies' }).check();
      await sam.getByRole('textbox', { name: 'Deputy for Sam Patel (optional)' }).fill('Cat Jones');
      await expectAccessible(page, `attendance form (${size})`);
      await page.getByRole('button', { name: 'Save attendance' }).click();
      const attendance = page.locator('section', { has: page.getByRole('heading', { name: 'Attendance' }) });
      await eventually(async () =>
        expect(await attendance.getByRole('listitem').allTextContents()).toEqual([
          'Insp Jane Hart, North Police (POLICE)',
          'Sam Patel, Council ASB team (COUNCIL-ASB): apologies',
          'Cat Jones, Council ASB team (COUNCIL-ASB), deputising for Sam Patel',
        ]),
      );
      await noSidewaysScroll(page);
      await expectAccessible(page, `meeting with attendance (${size})`);

      // Back on the list, the group's next meeting is the one just opened: a link now.
      await page.goto(`${server.baseUrl}/meetings?groupCode=${group.code}`);
      await upcoming.getByRole('link', { name: `Open the next meeting of ${group.name}` }).waitFor();
    });
  });
});
