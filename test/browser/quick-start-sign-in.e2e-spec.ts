/**
 * The development quick start (embedded store, generated secret): the console offers the demo
 * users the API lists at /v1/dev/tokens, and one click signs in.
 */
import type { Browser } from 'playwright-core';
import { LAPTOP, launchChromium, newPage, screenshot, seriousViolations } from './support/browser';
import { PHONE } from './support/console-suite';
import { ensureWebBuilt, requireChromium, startConsoleServer, type ConsoleServer } from './support/console-server';

jest.setTimeout(120_000);

describe('quick-start sign-in', () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    requireChromium();
    ensureWebBuilt();
    server = await startConsoleServer({}, { quickStart: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the demo users and signs in as one with a click', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${server.baseUrl}/signin`);
    const list = page.getByRole('heading', { name: 'Sign in as' });
    await list.waitFor();
    const users = page.locator('.demo-users button');
    expect(await users.count()).toBeGreaterThanOrEqual(5);
    await screenshot(page, 'sign-in-quick-start');
    expect(await seriousViolations(page)).toEqual([]);

    await users.filter({ hasText: /inspector/i }).first().click();
    await page.getByRole('heading', { name: 'Problems', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Raise a problem' }).waitFor();
    await context.close();
  });

  it.each([
    ['laptop', LAPTOP],
    ['phone', PHONE],
  ])('keeps the session per browser (%s): a new tab is signed in, and signing out in one tab signs out the others', async (_size, viewport) => {
    const { context, page } = await newPage(browser, viewport);
    await page.goto(`${server.baseUrl}/signin`);
    await page.locator('.demo-users button').filter({ hasText: /inspector/i }).first().click();
    await page.getByRole('heading', { name: 'Problems', level: 1 }).waitFor();

    const second = await context.newPage();
    await second.goto(`${server.baseUrl}/problems`);
    await second.getByRole('heading', { name: 'Problems', level: 1 }).waitFor();
    await second.getByRole('link', { name: 'Raise a problem' }).waitFor();
    expect(await second.getByRole('heading', { name: 'Sign in as' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await second.getByRole('heading', { name: 'Sign in as' }).waitFor();
    expect(await seriousViolations(second)).toEqual([]);
    await context.close();
  });
});
