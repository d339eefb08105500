/**
 * The console after a command (issue 20, points 1 and 11). A clash with another tab or officer (a
 * 409) says what happened from the action's state now ("Priya Shah claimed this at 14:02"), keeps
 * what was typed and offers the next step, and the card does not vanish under the user. After a
 * claim, an intervention, a discharge or a new due date the result is announced in the console's
 * live region and focus moves to the card's confirmation, which stays in view even when the change
 * takes the card out of the list's filter. At a laptop and a phone (390×844), axe-core on each screen.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assignAction } from '../support/fixtures';
import { client } from './support/api-client';
import { eventually, screenshot } from './support/browser';
import { PARTNERSHIP, type ConsoleServer } from './support/console-server';
import { ADMIN, closeConsole, collectInto, expectAccessible, inDays, INSPECTOR, openSignedIn, seedPlaces, SIZES, startConsole } from './support/console-suite';

jest.setTimeout(180_000);
const isoDay = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
const clock = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });

describe('browser console: clashes, confirmations and focus', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let api: ReturnType<typeof client>;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let tokens: Record<'admin' | 'inspector' | 'priya' | 'omar', string>;
  let problemId: string;
  let meetingId: string;
  const run = Date.now().toString(36);

  const open = (token: string, viewport: { width: number; height: number }): Promise<Page> => openSignedIn(browser, server, contexts, token, viewport, collectInto(pageErrors));
  /** A command another tab or officer sends, once every read model shows it (as the next page load would). */
  const command = async (path: string, token: string, body?: unknown) => {
    const answer = await api.must('POST', path, token, body);
    if (!(await server.runtime.projections.waitFor(answer.position, 15_000))) throw new Error(`projections did not reach ${answer.position}`);
    return answer;
  };
  const agree = async (description: string) =>
    (await command(`/v1/problems/${problemId}/actions`, tokens.inspector, { agency: 'POLICE', description, tactic: { category: 'enforcement', name: 'warning letter' }, dueBy: inDays(14) })).id as string;
  /** The text of the focused element and whether it is inside `card`. */
  const focusIn = (page: Page, card: string) =>
    page.evaluate<{ inCard: boolean; text: string }>(
      `(() => {
        const active = document.activeElement;
        return { inCard: !!active && !!document.querySelector(${JSON.stringify(card)})?.contains(active), text: active?.textContent?.trim() ?? '' };
      })()`,
    );
  const liveRegion = (page: Page) => page.locator('[data-live-region]');
  /** The history's time of the action's last event, as the console shows it. */
  const lastEventTime = async (actionId: string) => {
    const history = await api.must('GET', `/v1/problems/${problemId}/history?limit=200`, tokens.inspector);
    const events = (history.items as { stream: string; recordedAt: string }[]).filter((e) => e.stream === `action-${actionId}`);
    return clock(events[events.length - 1]!.recordedAt);
  };

  beforeAll(async () => {
    ({ server, browser } = await startConsole());
    api = client(server.apiUrl);
    tokens = {
      admin: await server.token(ADMIN),
      inspector: await server.token(INSPECTOR),
      priya: await server.token({ sub: 'u-priya', name: 'Priya Shah', agency: 'POLICE', roles: ['officer'] }),
      omar: await server.token({ sub: 'u-omar', name: 'PC Omar Reid', agency: 'POLICE', roles: ['officer'] }),
    };
    await seedPlaces(api, tokens.admin, { agencies: ['POLICE'], areas: ['enfield-town'], group: true });
    problemId = (
      await api.must('POST', '/v1/problems', tokens.inspector, {
        title: `Fly-tipping behind Church Street parade ${run}`,
        description: 'Reported weekly by residents.',
        category: 'fly-tipping',
        location: { areaCode: 'enfield-town' },
        groupCode: 'enfield-safe',
      })
    ).id;
    meetingId = (await api.must('POST', '/v1/meetings', tokens.inspector, { groupCode: 'enfield-safe', heldOn: new Date().toISOString().slice(0, 10), chair: 'Insp Jane Hart' })).id;
  });

  afterAll(() => closeConsole(contexts, browser, server));

  describe.each(SIZES)('at a %s', (size, viewport) => {
    it('says who claimed an action first, keeps the card and offers a refresh', async () => {
      const actionId = await agree(`Serve warning letters on the flats (${size})`);
      const page = await open(tokens.omar, viewport);
      await page.goto(`${server.baseUrl}/actions?status=unclaimed`);
      const card = page.locator(`article[data-action-id="${actionId}"]`);
      const slot = page.locator(`[data-slot-for="${actionId}"]`);
      await card.getByRole('button', { name: 'Claim', exact: true }).waitFor();

      // Another tab (Priya's) claims it first; this page still shows it unclaimed.
      await command(`/v1/actions/${actionId}/claim`, tokens.priya);
      await card.getByRole('button', { name: 'Claim', exact: true }).click();

      // The notice sits just above the card, says what happened, and takes focus.
      const alert = slot.getByRole('alert');
      await alert.getByRole('heading', { name: 'Not claimed' }).waitFor();
      expect(await alert.textContent()).toContain('Someone else claimed this a moment ago.');
      expect(await alert.textContent()).toContain(`Priya Shah claimed this at ${await lastEventTime(actionId)}.`);
      expect(await alert.textContent()).toContain('This can no longer be done on this action.');
      // The card shows the action as it is now and stays in the unclaimed list.
      await card.getByText('Priya Shah', { exact: true }).waitFor();
      expect(await card.getByRole('button', { name: 'Claim', exact: true }).count()).toBe(0);
      expect((await focusIn(page, `[data-slot-for="${actionId}"] [role="alert"]`)).inCard).toBe(true);
      await screenshot(page, `clash-claim-${size}`);
      await expectAccessible(page, `claim clash (${size})`);

      await alert.getByRole('button', { name: 'Refresh the list' }).click();
      await eventually(async () => expect(await slot.getByRole('alert').count()).toBe(0));
      await card.getByText('Priya Shah', { exact: true }).waitFor();
    });

    it('keeps the typed intervention when the action was discharged in another tab, and says so', async () => {
      const actionId = await agree(`Patrol the service road at dusk (${size})`);
      await command(`/v1/actions/${actionId}/claim`, tokens.omar);
      const page = await open(tokens.omar, viewport);
      const card = page.locator(`article[data-action-id="${actionId}"]`);
      const slot = page.locator(`[data-slot-for="${actionId}"]`);
      await card.getByRole('button', { name: 'Record intervention…' }).click();
      const typed = 'Spoke to the two shops about the bins; gave them the collection timetable.';
      await card.locator('[name="description"]').fill(typed);

      // Tab A (the same officer) discharges it meanwhile.
      await command(`/v1/actions/${actionId}/discharge`, tokens.omar, { result: 'completed', note: 'Done.' });
      await card.getByRole('button', { name: 'Record intervention', exact: true }).click();

      const alert = slot.getByRole('alert');
      await alert.getByRole('heading', { name: 'Intervention not recorded' }).waitFor();
      const said = await alert.textContent();
      expect(said).toContain(`You discharged this (Completed) at ${await lastEventTime(actionId)} (in another tab or window).`);
      expect(said).toContain('What you typed is kept below.');
      expect(await card.locator('[name="description"]').inputValue()).toBe(typed);
      await card.getByText('Completed: Done.').waitFor();
      await screenshot(page, `clash-intervention-${size}`);
      await expectAccessible(page, `intervention clash (${size})`);

      // Refreshing keeps the card (and the text) although it has left open work.
      await alert.getByRole('button', { name: 'Refresh the list' }).click();
      await eventually(async () => expect(await slot.getByRole('alert').count()).toBe(0));
      expect(await card.locator('[name="description"]').inputValue()).toBe(typed);
    });

    it('announces a claim, an intervention and a discharge, and moves focus to the card’s confirmation', async () => {
      const actionId = await agree(`Speak to the shopkeepers (${size})`);
      const selector = `article[data-action-id="${actionId}"]`;
      const page = await open(tokens.omar, viewport);
      await page.goto(`${server.baseUrl}/actions?status=unclaimed`);
      const card = page.locator(selector);

      await card.getByRole('button', { name: 'Claim', exact: true }).click();
      await eventually(async () => expect(await focusIn(page, selector)).toEqual({ inCard: true, text: 'You claimed this action.' }));
      await eventually(async () => expect(await liveRegion(page).textContent()).toBe(`You claimed this action. Speak to the shopkeepers (${size})`));
      expect(await liveRegion(page).getAttribute('aria-live')).toBe('polite');
      await expectAccessible(page, `after a claim (${size})`);

      await card.getByRole('button', { name: 'Record intervention…' }).click();
      await card.locator('[name="description"]').fill('Visited all four shops.');
      await card.getByRole('button', { name: 'Record intervention', exact: true }).click();
      await eventually(async () => expect(await focusIn(page, selector)).toEqual({ inCard: true, text: 'Intervention recorded.' }));
      await eventually(async () => expect(await liveRegion(page).textContent()).toBe(`Intervention recorded. Speak to the shopkeepers (${size})`));

      await card.getByRole('button', { name: 'Discharge…' }).click();
      await card.locator('[name="result"]').selectOption('completed');
      await card.getByRole('button', { name: 'Discharge action', exact: true }).click();
      await eventually(async () => expect(await focusIn(page, selector)).toEqual({ inCard: true, text: 'Action discharged.' }));
      await eventually(async () => expect(await liveRegion(page).textContent()).toBe(`Action discharged. Speak to the shopkeepers (${size})`));
      await screenshot(page, `confirmation-discharge-${size}`);
      await expectAccessible(page, `after a discharge (${size})`);
    });

    it('keeps a re-dated overdue action in the meeting room with its confirmation focused', async () => {
      const { actionId } = await assignAction(server.runtime.store, problemId, {
        partnership: PARTNERSHIP,
        agency: 'POLICE',
        description: `Review the CCTV footage (${size})`,
        tactic: { category: 'prevention', name: 'CCTV' },
        dueBy: inDays(-3),
      });
      const selector = `article[data-action-id="${actionId}"]`;
      const page = await open(tokens.inspector, viewport);
      await page.goto(`${server.baseUrl}/meetings/${meetingId}`);
      const card = page.locator(selector);
      await card.getByRole('button', { name: 'Change due date…' }).click({ timeout: 30_000 });
      await card.locator('[name="dueBy"]').fill(isoDay(10));
      await card.locator('[name="reason"]').fill('Footage requested from the council.');
      await card.getByRole('button', { name: 'Change due date', exact: true }).click();
      await eventually(async () => expect(await focusIn(page, selector)).toEqual({ inCard: true, text: 'Due date changed.' }));
      await eventually(async () => expect(await liveRegion(page).textContent()).toBe(`Due date changed. Review the CCTV footage (${size})`));
      // Still there after the meeting room has re-read its overdue list.
      await page.waitForTimeout(1_000);
      await card.getByText('Due date changed.').waitFor();
      await expectAccessible(page, `meeting room after a new due date (${size})`);
    });
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
