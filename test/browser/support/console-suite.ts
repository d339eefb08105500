import type { DevTokenClaims } from '@tasking/auth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { client } from './api-client';
import { LAPTOP, launchChromium, newPage, seriousViolations, signIn } from './browser';
import { ensureWebBuilt, requireChromium, startConsoleServer, type ConsoleServer } from './console-server';

type Api = ReturnType<typeof client>;
type Viewport = { width: number; height: number };

export const PHONE = { width: 390, height: 844 };
/** The two screen sizes every console suite runs at, for `describe.each`. */
export const SIZES = [
  ['laptop', LAPTOP],
  ['phone', PHONE],
] as const;

/** An ISO time `days` from now (negative: in the past). */
export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** The users every console suite signs tokens for. */
export const ADMIN: DevTokenClaims = { sub: 'u-admin', name: 'Ada Admin', agency: 'POLICE', roles: ['admin'] };
export const INSPECTOR: DevTokenClaims = { sub: 'u-insp', name: 'Insp Jane Hart', agency: 'POLICE', roles: ['inspector'] };

const AGENCIES = {
  POLICE: { code: 'POLICE', name: 'North Police', kind: 'police' },
  'COUNCIL-ASB': { code: 'COUNCIL-ASB', name: 'Council ASB team', kind: 'local-authority' },
} as const;
const AREAS = {
  'enfield-town': { name: 'Enfield Town', centroid: { lat: 51.652, lng: -0.081 } },
  'edmonton-green': { name: 'Edmonton Green', centroid: { lat: 51.624, lng: -0.061 } },
} as const;

/** Registers the agencies and areas, and with `group` the Enfield SAFE group over those areas. */
export async function seedPlaces(
  api: Api,
  adminToken: string,
  places: { agencies: (keyof typeof AGENCIES)[]; areas: (keyof typeof AREAS)[]; group?: boolean },
): Promise<void> {
  for (const agency of places.agencies) await api.must('POST', '/v1/agencies', adminToken, AGENCIES[agency]);
  for (const area of places.areas) await api.must('PUT', `/v1/areas/${area}`, adminToken, AREAS[area]);
  if (places.group) await api.must('POST', '/v1/groups', adminToken, { code: 'enfield-safe', name: 'Enfield SAFE', areaCodes: places.areas });
}

/** The console server and Debian's Chromium for one suite. */
export async function startConsole(): Promise<{ server: ConsoleServer; browser: Browser }> {
  requireChromium();
  ensureWebBuilt();
  const server = await startConsoleServer();
  const browser = await launchChromium();
  return { server, browser };
}

/** Closes the suite's pages, its browser and its server (each may be missing when start-up failed). */
export async function closeConsole(contexts: BrowserContext[], browser: Browser | undefined, server: ConsoleServer | undefined): Promise<void> {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
}

/**
 * A new page signed in with `token`; its context joins `contexts` (for `closeConsole`) and each
 * page error is handed to `onPageError` with the errors so far.
 */
export async function openSignedIn(
  browser: Browser,
  server: ConsoleServer,
  contexts: BrowserContext[],
  token: string,
  viewport: Viewport,
  onPageError: (errors: string[]) => void,
): Promise<Page> {
  const { context, page, errors } = await newPage(browser, viewport);
  contexts.push(context);
  page.on('pageerror', () => onPageError(errors));
  await signIn(page, server.baseUrl, token);
  return page;
}

/** Moves the page's errors into the suite's list (checked at the end of the suite). */
export const collectInto = (pageErrors: string[]) => (errors: string[]) => {
  pageErrors.push(...errors.splice(0));
};

export async function expectAccessible(page: Page, screen: string): Promise<void> {
  expect({ screen, violations: await seriousViolations(page) }).toEqual({ screen, violations: [] });
}

export async function noSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
}
