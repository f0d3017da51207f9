/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), and what the
 * end-to-end tests read from the app: its views inside `<hr-app>`, its IndexedDB databases,
 * and axe-core's verdict.
 */
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { clockShimSource } from '../client/test/clock-shim.mjs';
import { totpCode } from '../server/access/second-factor.ts';
import { defaultSeedOptions, demoTotpSecret } from '../server/seed/generate.ts';
import { testDay } from '../server/test/test-day.ts';
import type { AppServer } from './app-server.ts';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Where the RxDB Dexie storage keeps an account's records (client/data/indexed-db.ts). */
export const HOMEROOM_DB_PREFIX = 'rxdb-dexie-homeroom-';

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
}

/**
 * Chromium with a profile kept in `userDataDir`, as on a real computer: closing it and launching
 * it again on the same folder is closing and reopening the browser (cookies the server gave for
 * the session only are gone; stored ones, IndexedDB and localStorage stay). Its pages' clock reads
 * the server's, as in `newAppContext`.
 */
export async function launchPersistentApp(userDataDir: string, server: Pick<AppServer, 'clockOffsetMs'>, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    args: chromiumArgs,
    locale: 'en-US',
    timezoneId: 'UTC',
    bypassCSP: true,
    serviceWorkers: 'allow',
    ...options,
  });
  await context.addInitScript({ content: clockShimSource(server.clockOffsetMs) });
  return context;
}

/**
 * A new browser context (its own IndexedDB, cookies and service worker) whose pages' clock reads
 * the server's day and time, so "today" is the same day on both sides whatever the machine's date.
 * bypassCSP only so that axe-core can be injected into the page.
 */
export async function newAppContext(browser: Browser, server: Pick<AppServer, 'clockOffsetMs'>, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', bypassCSP: true, serviceWorkers: 'allow', ...options });
  await context.addInitScript({ content: clockShimSource(server.clockOffsetMs) });
  return context;
}

/** Waits until `<hr-app>` shows the view `tag` and it has rendered. */
export async function waitForView(page: Page, tag: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    (name) => {
      const view = document.querySelector('hr-app')?.shadowRoot?.querySelector(`main > ${name}`);
      return Boolean(view?.shadowRoot && view.shadowRoot.childElementCount > 0);
    },
    tag,
    { timeout },
  );
}

/**
 * Signs in through the sign-in screen, as a person would: type, say whose device this is (their
 * own unless `device` says otherwise; a kiosk does not ask), then press the button. Demo staff
 * holding tool rights then type the code their authenticator app shows (see `typeSecondFactor`).
 */
export async function signInThroughForm(page: Page, username: string, password: string, device: 'own' | 'shared' = 'own'): Promise<void> {
  await waitForView(page, 'hr-sign-in');
  await page.locator('hr-sign-in #username').fill(username);
  await page.locator('hr-sign-in #password').fill(password);
  const answer = page.locator(`hr-sign-in #device-${device}`);
  if ((await answer.count()) > 0) await answer.check();
  await page.locator('hr-sign-in button[type="submit"]').click();
  if (await secondFactorAsked(page)) await typeSecondFactor(page, username);
}

/** After the password: whether the screen asks for a second factor (or the sign-in screen went away, or said why not). */
async function secondFactorAsked(page: Page): Promise<boolean> {
  const handle = await page.waitForFunction(
    () => {
      const signIn = document.querySelector('hr-app')?.shadowRoot?.querySelector('main > hr-sign-in');
      if (!signIn) return 'no';
      if (signIn.shadowRoot?.querySelector('hr-second-factor')?.shadowRoot?.querySelector('#code')) return 'yes';
      return (signIn.shadowRoot?.querySelector('[role="alert"]')?.textContent ?? '').trim() ? 'no' : false;
    },
    undefined,
    { timeout: 60_000 },
  );
  return (await handle.jsonValue()) === 'yes';
}

/**
 * The second step for a demo staff account: the code from the secret the seed derived for it, on
 * the page's clock (the server's). A code already used this step is refused; a phone a step
 * ahead is accepted, so the next step's code is typed then.
 */
async function typeSecondFactor(page: Page, username: string): Promise<void> {
  // Every end-to-end server seeds the default demo district (e2e/app-server.ts).
  const secret = demoTotpSecret(defaultSeedOptions(testDay()), username);
  const now = await page.evaluate(() => Date.now());
  for (const ahead of [0, 30_000]) {
    await page.locator('hr-sign-in hr-second-factor #code').fill(totpCode(secret, new Date(now + ahead)));
    await page.locator('hr-sign-in hr-second-factor button[type="submit"]').click();
    const outcome = await page.waitForFunction(
      () => {
        const signIn = document.querySelector('hr-app')?.shadowRoot?.querySelector('main > hr-sign-in');
        if (!signIn) return 'signed-in';
        const alert = signIn.shadowRoot?.querySelector('hr-second-factor')?.shadowRoot?.querySelector('[role="alert"]');
        return (alert?.textContent ?? '').trim() ? 'refused' : false;
      },
      undefined,
      { timeout: 60_000 },
    );
    if ((await outcome.jsonValue()) === 'signed-in') return;
  }
  throw new Error(`${username} could not pass the second factor`);
}

/** The text of every element matching `selector` (Playwright's CSS reaches into open shadow roots). */
export async function textsOf(page: Page, selector: string): Promise<string[]> {
  return (await page.locator(selector).allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
}

/** Waits until the home view lists `count` students. */
export async function waitForStudents(page: Page, count: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const home = document.querySelector('hr-app')?.shadowRoot?.querySelector('main > hr-home');
      return home?.shadowRoot?.querySelectorAll('.students li').length === expected;
    },
    count,
    { timeout },
  );
}

/**
 * Polls `check` in the page until it resolves truthy (for checks that must await, such as
 * IndexedDB or service worker questions), or fails after `timeout` ms.
 */
export async function waitInPage(page: Page, check: (arg: string) => Promise<unknown>, arg: string, what: string, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await page.evaluate(check, arg))) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${what}`);
    await page.waitForTimeout(100);
  }
}

/** Names of this origin's IndexedDB databases that hold Homeroom records. */
export function homeroomIndexedDbs(page: Page): Promise<string[]> {
  return page.evaluate(
    async (prefix) =>
      (await indexedDB.databases())
        .map((info) => info.name ?? '')
        .filter((name) => name.startsWith(prefix))
        .sort(),
    HOMEROOM_DB_PREFIX,
  );
}

/** Ids of the documents stored in one RxDB Dexie database, read with the raw IndexedDB API. */
export function storedDocumentIds(page: Page, databaseName: string): Promise<string[]> {
  return page.evaluate(
    (name) =>
      new Promise<string[]>((resolve, reject) => {
        const opening = indexedDB.open(name);
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
          const db = opening.result;
          const reading = db.transaction('docs', 'readonly').objectStore('docs').getAll();
          reading.onerror = () => reject(reading.error);
          reading.onsuccess = () => {
            db.close();
            resolve((reading.result as Array<{ id: string }>).map((doc) => doc.id).sort());
          };
        };
      }),
    databaseName,
  );
}

export interface AxeReport {
  violations: string[];
  /** Every rule that ran, to show that the ones asked for did. */
  rulesRun: string[];
}

/** axe-core on the whole page: WCAG 2.2 A and AA, with the target-size rule (off by default) on. */
export async function runAxe(page: Page): Promise<AxeReport> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      rules: { 'target-size': { enabled: true } },
    });
    const ids = (list: Array<{ id: string }>) => list.map((rule) => rule.id);
    return {
      violations: results.violations.map(
        (violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
      ),
      rulesRun: [...ids(results.passes), ...ids(results.violations), ...ids(results.incomplete), ...ids(results.inapplicable)],
    };
  });
}

/** Follows the portal navigation's link to `tab` and waits for its view (`hr-<tab>`). */
export async function openPortalTab(page: Page, tab: string): Promise<void> {
  await page.locator(`hr-portal-nav a[href="#/${tab}"]`).click();
  await waitForView(page, `hr-${tab}`);
}

/** The `href` of the element that has keyboard focus, looking through open shadow roots. */
export function focusedHref(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.getAttribute('href') ?? null;
  });
}

/** How wide the page is laid out, in CSS pixels: wider than the viewport means sideways scrolling. */
export function pageScrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}
