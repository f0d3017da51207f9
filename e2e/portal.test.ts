/**
 * The family and student portal (issue 5) in the built app, in Debian's Chromium at phone
 * width, against the real server: demo-guardian switches between her children and opens every
 * tab (one by keyboard), each clean for axe-core and without sideways scrolling, also at 200%
 * zoom; prints a report; goes offline, reloads, still reads grades and asks for an address
 * change that waits, then reaches the office (and withdraws it); reads the portal in Somali and Vietnamese; signs
 * out, and demo-student on the same phone sees her own portal without household administration.
 * Set SCREENSHOTS=1 to save a phone-width picture of each tab to docs/screenshots/,
 * E2E_DEBUG=1 to print the page's console.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import enAccount from '../locales/en/account.json';
import enAttendance from '../locales/en/attendance.json';
import enFamily from '../locales/en/family.json';
import enFees from '../locales/en/fees.json';
import enGrades from '../locales/en/grades.json';
import enHealth from '../locales/en/health.json';
import enMessages from '../locales/en/messages.json';
import enReports from '../locales/en/reports.json';
import enSchedule from '../locales/en/schedule.json';
import enToday from '../locales/en/today.json';
import soGrades from '../locales/so/grades.json';
import soPortal from '../locales/so/portal.json';
import soToday from '../locales/so/today.json';
import viGrades from '../locales/vi/grades.json';
import viPortal from '../locales/vi/portal.json';
import viToday from '../locales/vi/today.json';
import type { Me, SessionResponse } from '../server/contract/auth.ts';
import { DEMO_PASSWORD } from '../server/seed/generate.ts';
import { startAppServer, type AppServer } from './app-server.ts';
import { focusedHref, launchChromium, newAppContext, openPortalTab, pageScrollWidth, runAxe, signInThroughForm, textsOf, waitForView, waitInPage } from './browser.ts';
import { builtClient } from './client-build.ts';

const phone = { width: 360, height: 740 };
/** 200% zoom on a 1280x740 window: half as many CSS pixels, each drawn twice as large. */
const zoomed = { width: 640, height: 370 };
const screenshotsDir = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));

/** Every portal tab, its view's heading (null: it changes, e.g. today's date) and what shows it holds records. */
const tabs = [
  { tab: 'today', title: enToday.title, heading: null, content: 'hr-today section.announcements li.announcement' },
  { tab: 'schedule', title: enSchedule.title, heading: enSchedule.heading, content: 'hr-schedule td.course' },
  { tab: 'grades', title: enGrades.title, heading: enGrades.heading, content: 'hr-grades section.course h2' },
  { tab: 'attendance', title: enAttendance.title, heading: enAttendance.title, content: 'hr-attendance table.totals tbody tr' },
  { tab: 'health', title: enHealth.title, heading: enHealth.title, content: 'hr-health .compliance' },
  { tab: 'fees', title: enFees.title, heading: enFees.title, content: 'hr-fees table.fees tbody tr' },
  { tab: 'reports', title: enReports.title, heading: enReports.heading, content: 'hr-reports section.paper' },
  { tab: 'family', title: enFamily.title, heading: enFamily.title, content: 'hr-family .household .members li' },
  { tab: 'messages', title: enMessages.title, heading: enMessages.title, content: 'hr-messages ul.inbox li' },
  { tab: 'account', title: enAccount.title, heading: null, content: 'hr-account .students .student-name' },
] as const;

let server: AppServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
/** Uncaught errors in the page: any one fails the test. */
let pageErrors: string[] = [];

beforeAll(async () => {
  const [staticDir, chromium] = await Promise.all([builtClient(), launchChromium()]);
  browser = chromium;
  server = await startAppServer({ staticDir });
}, 240_000);

afterEach(async () => {
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(viewport = phone, deviceScaleFactor = 1): Promise<Page> {
  context = await newAppContext(browser!, server!, { viewport, deviceScaleFactor });
  // Every wait fails on its own, with its own message, well before the test's time limit.
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  if (process.env.E2E_DEBUG) page.on('console', (message) => console.log(`[page] ${message.type()}: ${message.text()}`));
  return page;
}

async function signedIn(username: string, viewport = phone, deviceScaleFactor = 1): Promise<Page> {
  const page = await openPage(viewport, deviceScaleFactor);
  await page.goto(`${server!.origin}/#/sign-in`);
  await signInThroughForm(page, username, DEMO_PASSWORD);
  await waitForView(page, 'hr-today');
  return page;
}

/** The account as the server describes it after signing in. */
async function meOf(username: string): Promise<Me> {
  const response = await fetch(`${server!.origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as SessionResponse).me;
}

/** Names of every course a student is or was enrolled in, from the store. */
async function coursesOf(studentId: string): Promise<string[]> {
  const rows = await server!.store.query<{ name: string }>(
    `SELECT DISTINCT c.name FROM section_enrollments se
       JOIN sections s ON s.district_id = se.district_id AND s.id = se.section_id
       JOIN courses c ON c.district_id = s.district_id AND c.id = s.course_id
      WHERE se.student_id = $1 AND NOT se.deleted`,
    [studentId],
  );
  return rows.map((row) => row.name);
}

/** Waits until `selector` matches at least one element, and returns their texts. */
async function shown(page: Page, selector: string, timeout = 30_000): Promise<string[]> {
  await page.locator(selector).first().waitFor({ timeout });
  return textsOf(page, selector);
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!process.env.SCREENSHOTS) return;
  await mkdir(screenshotsDir, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: `${screenshotsDir}${name}.png`, fullPage: true });
}

/** The course headings of the grades tab once they show the student chosen in the switcher. */
async function gradeHeadingsFor(page: Page, studentId: string): Promise<string[]> {
  const courses = await coursesOf(studentId);
  expect(courses.length).toBeGreaterThan(0);
  await page.locator('hr-grades hr-student-switcher select').selectOption(studentId);
  await page.waitForFunction(
    (names) => {
      const view = document.querySelector('hr-app')?.shadowRoot?.querySelector('main > hr-grades')?.shadowRoot;
      const headings = [...(view?.querySelectorAll('section.course h2') ?? [])].map((h) => h.textContent?.trim() ?? '');
      return headings.length > 0 && headings.every((heading) => names.includes(heading));
    },
    courses,
    { timeout: 30_000 },
  );
  return textsOf(page, 'hr-grades section.course h2');
}

/** One tab by keyboard alone: from Today's link, Tab to Schedule's and press Enter. */
async function openScheduleByKeyboard(page: Page): Promise<void> {
  await page.locator('hr-portal-nav a[href="#/today"]').focus();
  await page.keyboard.press('Tab');
  expect(await focusedHref(page)).toBe('#/schedule');
  await page.keyboard.press('Enter');
  await waitForView(page, 'hr-schedule');
  expect(await page.locator('hr-portal-nav a[href="#/schedule"]').getAttribute('aria-current')).toBe('page');
}

/** Waits until the account's language is saved on the server as `language`. */
async function waitForSavedLanguage(accountId: string, language: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [row] = await server!.store.query<{ preferred_language: string }>(`SELECT preferred_language FROM accounts WHERE id = $1`, [accountId]);
    if (row?.preferred_language === language) return;
    if (Date.now() > deadline) throw new Error(`the account's language is ${row?.preferred_language}, not ${language}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the family and student portal in the built app', () => {
  it("shows a first visit its sign-in screen before asking for anything that screen does not show (issue 13, Lighthouse's LCP)", async () => {
    // The real content security policy (no bypass): the page's inline preloads run by their hash.
    context = await newAppContext(browser!, server!, { viewport: phone, bypassCSP: false });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(`${server!.origin}/#/sign-in`);
    await waitForView(page, 'hr-sign-in');
    // Once the screen has painted: the kiosk and session checks, the service worker, the manifest
    // (linked then; Chromium reads it only when asked to install).
    await page.waitForFunction(() => {
      const paths = performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);
      return ['/api/kiosk', '/api/auth/refresh'].every((path) => paths.includes(path)) && paths.some((path) => path.includes('workbox-window'));
    });
    const { painted, started, links } = await page.evaluate(() => ({
      painted: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      started: performance.getEntriesByType('resource').map((entry) => ({ path: new URL(entry.name).pathname, at: entry.startTime })),
      links: [...document.head.querySelectorAll('link')].map((link) => link.rel),
    }));
    expect(painted).toBeGreaterThan(0);
    const before = started.filter((request) => request.at < painted!).map((request) => request.path);
    // Before the first contentful paint only the screen's own code and words: no stylesheet to
    // wait for (it is in the page), no kiosk or session question, no worker, manifest or icon.
    expect(before.length).toBeGreaterThan(0);
    for (const path of before) expect(path, `${path} was asked for before the sign-in screen painted`).toMatch(/^\/assets\/(?!workbox-window)[\w.-]+\.js$/);
    expect(links.filter((rel) => rel === 'stylesheet')).toEqual([]);
    expect(links.filter((rel) => rel === 'modulepreload').length).toBeGreaterThanOrEqual(4); // the inline preloads ran
    expect(links.filter((rel) => rel === 'manifest')).toEqual(['manifest']);
    await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration()) !== undefined);
    expect(pageErrors).toEqual([]);
  });

  it('lets demo-guardian switch child and open every tab at phone width: headings, records, axe clean, no sideways scroll, printable reports', async () => {
    const me = await meOf('demo-guardian');
    expect(me.students).toHaveLength(3);
    const page = await signedIn('demo-guardian');
    // She only reads: her device has nothing to send (a pulled page must never come back as an edit).
    const pushes: string[] = [];
    page.on('request', (request) => {
      if (/\/api\/sync\/\w+\/push/.test(request.url())) pushes.push(new URL(request.url()).pathname);
    });

    // The switcher names each child with grade and school.
    await page.locator('hr-today hr-student-switcher select option').nth(2).waitFor({ state: 'attached' });
    const options = await page.locator('hr-today hr-student-switcher select option').evaluateAll((list) =>
      list.map((option) => ({ value: (option as HTMLOptionElement).value, text: option.textContent!.replace(/\s+/g, ' ').trim() })),
    );
    expect(options.map((option) => option.value).sort()).toEqual(me.students.map((student) => student.id).sort());
    for (const student of me.students) {
      const text = options.find((option) => option.value === student.id)!.text;
      expect(text).toContain(student.lastName);
      expect(text).toContain(student.schoolName);
      expect(text).toContain(student.gradeLevel === 0 ? 'Kindergarten' : `Grade ${student.gradeLevel}`);
    }

    for (const { tab, title, heading, content } of tabs) {
      if (tab === 'schedule') await openScheduleByKeyboard(page);
      else await openPortalTab(page, tab);
      await expect.poll(() => page.title(), { message: tab, timeout: 10_000 }).toBe(title);
      const [h1] = await shown(page, `hr-${tab} h1`);
      if (heading) expect(h1, tab).toContain(heading);
      else expect(h1, tab).not.toBe('');
      expect((await shown(page, content)).join(' '), tab).not.toBe('');
      const axe = await runAxe(page);
      expect(axe.violations, tab).toEqual([]);
      expect(await pageScrollWidth(page), tab).toBeLessThanOrEqual(phone.width);
      await screenshot(page, `${tab}-en`);
    }
    expect(await textsOf(page, 'hr-account .students .student-name')).toHaveLength(3);

    // Switching child changes the grades shown: each child's own courses, different ones.
    await openPortalTab(page, 'grades');
    const byLevel = (level: string) => me.students.find((student) => student.schoolName.includes(level))!;
    const high = await gradeHeadingsFor(page, byLevel('High School').id);
    const elementary = await gradeHeadingsFor(page, byLevel('Elementary School').id);
    expect(elementary.filter((name) => high.includes(name))).toEqual([]);
    // The choice holds on the other tabs.
    await openPortalTab(page, 'schedule');
    const scheduleCourses = (await shown(page, 'hr-schedule td.course')).join(' ');
    expect(elementary.some((name) => scheduleCourses.includes(name))).toBe(true);

    // Printed, the report leaves the navigation and the screen's tools out.
    await openPortalTab(page, 'reports');
    await shown(page, 'hr-reports section.paper');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('hr-portal-nav').isVisible()).toBe(false);
    expect(await page.locator('hr-language-picker').isVisible()).toBe(false);
    expect(await page.locator('hr-reports hr-student-switcher').isVisible()).toBe(false);
    expect(await page.locator('hr-reports h1').isVisible()).toBe(false);
    expect(await page.locator('hr-reports section.paper').isVisible()).toBe(true);
    expect(await page.locator('hr-reports section.paper h2').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('hr-portal-nav').isVisible()).toBe(true);
    expect(pushes).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 150_000);

  it('keeps the dense tabs (grades, attendance) free of sideways page scrolling at 200% zoom', async () => {
    const page = await signedIn('demo-guardian', zoomed, 2);
    for (const { tab, content } of tabs.filter((candidate) => candidate.tab === 'grades' || candidate.tab === 'attendance')) {
      await openPortalTab(page, tab);
      await shown(page, content);
      expect(await pageScrollWidth(page), tab).toBeLessThanOrEqual(zoomed.width);
      expect((await runAxe(page)).violations, tab).toEqual([]);
    }
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('reloads offline with the grades still there, keeps an address change waiting, sends it to the office when back online, then withdraws it', async () => {
    const page = await signedIn('demo-guardian');
    await openPortalTab(page, 'grades');
    const grades = await shown(page, 'hr-grades section.course h2');
    await openPortalTab(page, 'family');
    await shown(page, 'hr-family .household .addresses li');

    // The service worker takes control from the next load on (it does not claim open pages).
    await waitInPage(page, async () => (await navigator.serviceWorker.getRegistration())?.active?.state === 'activated', '', 'the service worker to activate', 30_000);
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
    await page.locator('hr-portal-nav a[href="#/grades"]').waitFor();

    await context!.setOffline(true);
    await page.reload();
    // An offline reload keeps the tab it was on (it used to open Today).
    await waitForView(page, 'hr-family');
    expect(new URL(page.url()).hash).toBe('#/family');
    await openPortalTab(page, 'grades');
    await page.waitForFunction(
      (expected) => {
        const view = document.querySelector('hr-app')?.shadowRoot?.querySelector('main > hr-grades')?.shadowRoot;
        return JSON.stringify([...(view?.querySelectorAll('section.course h2') ?? [])].map((h) => h.textContent?.trim())) === JSON.stringify(expected);
      },
      grades,
      { timeout: 30_000 },
    );

    // An address change asked for offline: saved on the phone, waiting to be sent.
    await openPortalTab(page, 'family');
    await shown(page, 'hr-family .offline-notice p');
    await page.locator('hr-family .change-address').click();
    await page.locator('hr-family #address-line1').fill('4410 Cedar Avenue');
    await page.locator('hr-family #address-line2').fill('Apt 3');
    await page.locator('hr-family #address-city').fill('Riverbend');
    await page.locator('hr-family #address-region').fill('MN');
    await page.locator('hr-family #address-postal').fill('55407');
    await page.locator('hr-family form.address-form button[type="submit"]').click();
    await shown(page, 'hr-family .notice-sent');
    const request = page.locator('hr-family .requests li.request', { hasText: '4410 Cedar Avenue' });
    await request.waitFor();
    const requestId = (await request.getAttribute('data-id'))!;
    const badge = page.locator(`hr-family .requests li[data-id="${requestId}"] .badge`);
    await expect.poll(async () => (await badge.textContent())?.trim(), { timeout: 10_000 }).toBe(enFamily.requests.status.waiting);
    expect((await runAxe(page)).violations).toEqual([]);
    expect(await server!.store.query(`SELECT 1 FROM requests WHERE id = $1`, [requestId])).toEqual([]);

    // Back online: sent, and pending until the office approves it.
    await context!.setOffline(false);
    await page.waitForFunction(
      ({ id, text }) => {
        const view = document.querySelector('hr-app')?.shadowRoot?.querySelector('main > hr-family')?.shadowRoot;
        return view?.querySelector(`.requests li[data-id="${id}"] .badge`)?.textContent?.trim() === text;
      },
      { id: requestId, text: enFamily.requests.status.pending },
      { timeout: 60_000 },
    );
    const [stored] = await server!.store.query<{ status: string; kind: string; payload: { address: Record<string, unknown> } }>(`SELECT status, kind, payload FROM requests WHERE id = $1`, [requestId]);
    expect(stored).toMatchObject({ status: 'pending', kind: 'household_change' });
    expect(stored!.payload.address).toEqual({ line1: '4410 Cedar Avenue', line2: 'Apt 3', city: 'Riverbend', region: 'MN', postalCode: '55407' });
    expect(await request.textContent()).toContain('4410 Cedar Avenue, Apt 3, Riverbend, MN 55407');

    // Asked by mistake: withdrawn again, after a confirmation, and the office no longer has it to decide.
    await request.locator('button.withdraw').click();
    await request.locator('.confirm button.confirm-withdraw').click();
    await page.waitForFunction(
      ({ id, text }) => {
        const view = document.querySelector('hr-app')?.shadowRoot?.querySelector('main > hr-family')?.shadowRoot;
        return view?.querySelector(`.requests li[data-id="${id}"] .badge`)?.textContent?.trim() === text;
      },
      { id: requestId, text: enFamily.requests.status.withdrawn },
      { timeout: 60_000 },
    );
    expect(await server!.store.query(`SELECT status FROM requests WHERE id = $1`, [requestId])).toEqual([{ status: 'withdrawn' }]);
    expect(pageErrors).toEqual([]);
  }, 150_000);

  it('reads the portal in Somali and Vietnamese, back in English, then demo-student on the same phone sees only her own portal', async () => {
    const me = await meOf('demo-guardian');
    const page = await signedIn('demo-guardian');
    const picker = page.locator('hr-app hr-language-picker select');
    const readIn = async (language: 'so' | 'vi', today: { title: string; attention: { title: string } }, grades: { title: string; heading: string }, portal: { nav: Record<string, string> }) => {
      await openPortalTab(page, 'today');
      await picker.selectOption(language);
      await page.locator('hr-today #attention-title', { hasText: today.attention.title }).waitFor();
      await expect.poll(() => page.title(), { timeout: 10_000 }).toBe(today.title);
      await expect.poll(() => page.locator('html').getAttribute('lang'), { timeout: 10_000 }).toBe(language);
      await expect.poll(() => textsOf(page, 'hr-portal-nav a'), { timeout: 10_000 }).toEqual(Object.values(portal.nav).filter((label) => label !== portal.nav.label));
      await waitForSavedLanguage(me.account.id, language);
      await screenshot(page, `today-${language}`);
      await openPortalTab(page, 'grades');
      await page.locator('hr-grades h1', { hasText: grades.heading }).waitFor();
      await expect.poll(() => page.title(), { timeout: 10_000 }).toBe(grades.title);
      expect((await runAxe(page)).violations, language).toEqual([]);
    };
    await readIn('so', soToday, soGrades, soPortal);
    await readIn('vi', viToday, viGrades, viPortal);
    await picker.selectOption('en');
    await page.locator('hr-grades h1', { hasText: enGrades.heading }).waitFor();
    await waitForSavedLanguage(me.account.id, 'en');

    // Signed out, the phone is handed to her daughter.
    await openPortalTab(page, 'account');
    await page.locator('hr-account #sign-out-title ~ .actions button').click();
    await waitForView(page, 'hr-sign-in');
    const student = await meOf('demo-student');
    expect(student.roles).toEqual(['student']);
    const [self] = student.students;
    await signInThroughForm(page, 'demo-student', DEMO_PASSWORD);
    await waitForView(page, 'hr-today');

    // No switcher, no Family tab, no household forms: her own name and school only.
    const only = (await shown(page, 'hr-today hr-student-switcher .only'))[0]!;
    expect(only).toContain(self!.lastName);
    expect(only).toContain(self!.schoolName);
    expect(await page.locator('hr-student-switcher select').count()).toBe(0);
    const hrefs = await page.locator('hr-portal-nav a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(hrefs).toEqual(tabs.filter(({ tab }) => tab !== 'family').map(({ tab }) => `#/${tab}`));

    const courses = await coursesOf(self!.id);
    await openPortalTab(page, 'schedule');
    const schedule = await shown(page, 'hr-schedule td.course');
    expect(schedule.every((cell) => courses.some((name) => cell.startsWith(name)))).toBe(true);
    await openPortalTab(page, 'grades');
    const grades = await shown(page, 'hr-grades section.course h2');
    expect(grades.every((name) => courses.includes(name))).toBe(true);
    expect((await runAxe(page)).violations).toEqual([]);

    await page.evaluate(() => {
      location.hash = '#/family';
    });
    await waitForView(page, 'hr-family');
    await page.locator('hr-family .page .muted', { hasText: enFamily.guardiansOnly }).waitFor();
    expect(await page.locator('hr-family form, hr-family .change-address, hr-family .change-phone, hr-family table.preferences').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 150_000);
});
