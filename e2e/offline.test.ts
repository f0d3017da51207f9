/**
 * The built app in Debian's Chromium against the real server: sign in, sync into IndexedDB,
 * lose the network, reload, and still see the same records; sign out and nothing is left.
 * Set SCREENSHOTS=1 to save a phone-width picture of the home view to docs/screenshots/,
 * E2E_DEBUG=1 to print the page's console.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import en from '../locales/en/home.json';
import type { Me, SessionResponse } from '../server/contract/auth.ts';
import { DEMO_PASSWORD } from '../server/seed/generate.ts';
import { startAppServer, type AppServer } from './app-server.ts';
import {
  homeroomIndexedDbs,
  HOMEROOM_DB_PREFIX,
  launchChromium,
  newAppContext,
  runAxe,
  signInThroughForm,
  storedDocumentIds,
  textsOf,
  waitForStudents,
  waitForView,
  waitInPage,
} from './browser.ts';
import { builtClient } from './client-build.ts';

const phone = { width: 360, height: 740 };
const screenshotsDir = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));

let server: AppServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
/** Uncaught errors in the page: any one fails the test. */
let pageErrors: string[] = [];

beforeAll(async () => {
  const [staticDir, chromium] = await Promise.all([builtClient(), launchChromium()]);
  browser = chromium;
  // demo-teacher's classes today: the district lives on a school day.
  server = await startAppServer({ staticDir, day: 'school-day' });
}, 240_000);

afterEach(async () => {
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(): Promise<Page> {
  context = await newAppContext(browser!, server!, { viewport: phone });
  // Every wait fails on its own, with its own message, well before the test's time limit.
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  if (process.env.E2E_DEBUG) page.on('console', (message) => console.log(`[page] ${message.type()}: ${message.text()}`));
  return page;
}

/** What the server says `username` may see: their account and students, by display name. */
async function expectedFor(username: string): Promise<{ me: Me; names: string[] }> {
  const response = await fetch(`${server!.origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  expect(response.status).toBe(200);
  const { me } = (await response.json()) as SessionResponse;
  // `Me` has no preferred names; the home view shows them when a student has one.
  const preferred = await server!.store.query<{ id: string; preferred_name: string | null }>(
    `SELECT s.id, p.preferred_name FROM students s JOIN people p ON p.district_id = s.district_id AND p.id = s.person_id
      WHERE s.district_id = $1 AND s.id = ANY($2::uuid[])`,
    [me.districtId, me.students.map((student) => student.id)],
  );
  const preferredName = new Map(preferred.map((row) => [row.id, row.preferred_name]));
  const names = me.students.map((student) => `${preferredName.get(student.id) || student.firstName} ${student.lastName}`);
  return { me, names: names.sort() };
}

/** Families land on Today; the home screen's list of students is one step away. */
async function openHome(page: Page): Promise<void> {
  await waitForView(page, 'hr-today');
  await page.evaluate(() => {
    location.hash = '#/home';
  });
  await waitForView(page, 'hr-home');
}

const shownNames = async (page: Page) => (await textsOf(page, 'hr-home .students .student-name')).sort();

describe('the built app in Chromium', () => {
  it('signs in, syncs into IndexedDB, reloads offline with the same records, then signs out leaving nothing', async () => {
    const { me, names } = await expectedFor('demo-guardian');
    expect(names).toHaveLength(3);
    const page = await openPage();
    await page.goto(`${server!.origin}/#/sign-in`);
    await signInThroughForm(page, 'demo-guardian', DEMO_PASSWORD);

    // Home lists her three children, from the device's copy, one per school level.
    await waitForView(page, 'hr-today');
    expect(new URL(page.url()).hash).toBe('#/today');
    await openHome(page);
    await waitForStudents(page, 3);
    expect(await shownNames(page)).toEqual(names);
    const details = await textsOf(page, 'hr-home .students .student-detail');
    for (const level of ['Elementary School', 'Middle School', 'High School']) {
      expect(details.filter((detail) => detail.includes(level))).toHaveLength(1);
    }
    await page.locator('hr-home .synced').waitFor();
    expect(await page.locator('hr-home .synced').textContent()).toMatch(/^\s*Last updated \w{3} \d{1,2}, \d{4}/);

    // IndexedDB holds them: the account's students database, with exactly her children in it.
    const studentsDb = `${HOMEROOM_DB_PREFIX}${me.account.id}--0--students`;
    expect(await homeroomIndexedDbs(page)).toContain(studentsDb);
    expect(await storedDocumentIds(page, studentsDb)).toEqual(me.students.map((student) => student.id).sort());

    if (process.env.SCREENSHOTS) {
      await mkdir(screenshotsDir, { recursive: true });
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: `${screenshotsDir}home-en.png`, fullPage: true });
    }

    // The service worker takes control from the next load on (it does not claim open pages).
    await waitInPage(
      page,
      async () => (await navigator.serviceWorker.getRegistration())?.active?.state === 'activated',
      '',
      'the service worker to activate',
      30_000,
    );
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
    await waitForStudents(page, 3);

    // No network at all, the worker's fetches included; then a reload.
    await context!.setOffline(true);
    await page.reload();
    expect(await page.evaluate(() => fetch('/api/health').then(() => 'reached', () => 'unreachable'))).toBe('unreachable');
    // Resumed offline, the session opens on the screen it was on (the home screen; it used to
    // open the landing tab as after a sign-in).
    await waitForView(page, 'hr-home');
    await waitForStudents(page, 3);
    expect(await shownNames(page)).toEqual(names);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await page.locator('hr-home .offline-notice p').waitFor();
    expect((await page.locator('hr-home .offline-notice').textContent())?.trim()).toBe(en.offline);
    expect(await page.locator('hr-home .synced').textContent()).toMatch(/Last updated/);

    const axe = await runAxe(page);
    expect(axe.rulesRun).toContain('target-size');
    expect(axe.rulesRun).toContain('color-contrast');
    expect(axe.violations).toEqual([]);

    // Back online, the session opened offline is renewed and syncing resumes: a change made
    // at school meanwhile reaches the screen without a reload.
    await context!.setOffline(false);
    const child = me.students[0]!;
    await server!.store.query(
      `UPDATE people SET preferred_name = 'Lulu' WHERE district_id = $1 AND id = (SELECT person_id FROM students WHERE district_id = $1 AND id = $2)`,
      [me.districtId, child.id],
    );
    await page.waitForFunction(
      (name) => {
        const home = document.querySelector('hr-app')?.shadowRoot?.querySelector('main > hr-home');
        return [...(home?.shadowRoot?.querySelectorAll('.student-name') ?? [])].some((element) => element.textContent?.trim() === name);
      },
      `Lulu ${child.lastName}`,
      { timeout: 60_000 },
    );
    await page.locator('hr-home .offline-notice p').waitFor({ state: 'detached' });

    // Sign out from the account screen: the account's databases are gone.
    await page.locator('hr-home a[href="#/account"]').click();
    await waitForView(page, 'hr-account');
    await page.locator('hr-account #sign-out-title ~ .actions button').click();
    await waitForView(page, 'hr-sign-in');
    await waitInPage(
      page,
      async (prefix) => (await indexedDB.databases()).every((info) => !info.name?.startsWith(prefix)),
      `${HOMEROOM_DB_PREFIX}${me.account.id}`,
      'the account’s IndexedDB databases to be deleted',
    );
    expect(await homeroomIndexedDbs(page)).toEqual([]);
    // What stays: the language, and the hashed list of accounts that called this their own
    // device (so the sign-in screen need not ask again); no username, id or record of hers.
    const leftBehind = await page.evaluate(() => Object.fromEntries(Object.entries(localStorage)));
    expect(Object.keys(leftBehind).filter((key) => key !== 'homeroom.lang')).toEqual(['homeroom.ownDevice']);
    const stored = JSON.stringify(leftBehind);
    expect(stored).not.toContain(me.account.username);
    expect(stored).not.toContain(me.account.id);

    // Signed out for good: a reload, online, stays on the sign-in screen.
    await page.reload();
    await waitForView(page, 'hr-sign-in');
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('shows demo-teacher her classes today with their rosters, only students she teaches', async () => {
    const { me, names } = await expectedFor('demo-teacher');
    expect(me.roles).toContain('teacher');
    expect(names.length).toBeGreaterThan(3);
    const page = await openPage();
    await page.goto(`${server!.origin}/`);
    await signInThroughForm(page, 'demo-teacher', DEMO_PASSWORD);
    // Teachers land on their workspace, not the family portal.
    await waitForView(page, 'hr-teacher');
    expect(page.url()).toContain('#/teacher');
    await page.waitForFunction(() => document.querySelector('hr-app')?.shadowRoot?.querySelector('main > hr-teacher')?.shadowRoot?.querySelector('.roster .student-name'), undefined, { timeout: 30_000 });
    const roster = await textsOf(page, 'hr-teacher .roster .student-name');
    expect(roster.length).toBeGreaterThan(3);
    // Every name on her rosters is a student the server says she may see.
    for (const name of roster) expect(names).toContain(name);
    expect(await homeroomIndexedDbs(page)).toContain(`${HOMEROOM_DB_PREFIX}${me.account.id}--0--students`);
    expect((await runAxe(page)).violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
