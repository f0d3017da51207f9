/**
 * Shared computers end to end (issue 11), in Debian's Chromium with a profile kept on disk that
 * is closed and opened again as a media-center computer's browser is: the office makes it a kiosk,
 * a parent signs in and walks away without signing out, and the next person finds nothing of hers;
 * the kiosk signs out by itself after its idle limit, with an announced warning first; a browser
 * whose user says "this is not my device" behaves the same without enrolment; a removed kiosk is
 * an ordinary browser again. SCREENSHOTS=1 saves the kiosk screens to docs/screenshots/.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import shellEn from '../locales/en/shell.json';
import kioskEn from '../locales/en/kiosk.json';
import kioskEs from '../locales/es/kiosk.json';
import kioskSo from '../locales/so/kiosk.json';
import kioskVi from '../locales/vi/kiosk.json';
import type { SecondFactorChallenge, SessionResponse } from '../server/contract/auth.ts';
import type { KioskCode } from '../server/contract/kiosk.ts';
import { DEMO_PASSWORD, defaultSeedOptions, demoTotpCode } from '../server/seed/generate.ts';
import { startAppServer, type AppServer } from './app-server.ts';
import { HOMEROOM_DB_PREFIX, homeroomIndexedDbs, launchPersistentApp, runAxe, signInThroughForm, waitForView, waitInPage } from './browser.ts';
import { builtClient } from './client-build.ts';

const screenshotsDir = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const desk = { width: 1024, height: 768 };
const kioskStrings = { en: kioskEn, es: kioskEs, so: kioskSo, vi: kioskVi } as const;

let server: AppServer | undefined;
let staticDir = '';
const profiles: string[] = [];
const open: BrowserContext[] = [];

beforeAll(async () => {
  staticDir = await builtClient();
  server = await startAppServer({ staticDir });
}, 240_000);

// A test that fails with its browser open must not keep the profile from the next one.
afterEach(async () => {
  for (const context of open.splice(0)) await context.close().catch(() => undefined);
});

afterAll(async () => {
  for (const context of open) await context.close().catch(() => undefined);
  await server?.close();
  for (const dir of profiles) await rm(dir, { recursive: true, force: true });
});

async function newProfile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'homeroom-profile-'));
  profiles.push(dir);
  return dir;
}

/** Opens the browser on `profile` (again), on the app's front page. */
async function openBrowser(profile: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await launchPersistentApp(profile, server!, { viewport: desk });
  open.push(context);
  context.setDefaultTimeout(30_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  if (process.env.E2E_DEBUG) page.on('console', (message) => console.log(`[kiosk] ${message.type()}: ${message.text()}`));
  await page.goto(`${server!.origin}/`);
  return { context, page, errors };
}

async function closeBrowser(context: BrowserContext): Promise<void> {
  open.splice(open.indexOf(context), 1);
  await context.close();
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!process.env.SCREENSHOTS) return;
  await mkdir(screenshotsDir, { recursive: true });
  await page.screenshot({ path: `${screenshotsDir}${name}.png`, fullPage: true });
}

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect((await runAxe(page)).violations, where).toEqual([]);
}

/** What the browser keeps for this origin that could be someone's: records, cached answers, storage. */
async function leftOnDevice(page: Page): Promise<{ databases: string[]; caches: string[]; local: string[]; session: number }> {
  const databases = await homeroomIndexedDbs(page);
  return page.evaluate(
    async (found) => ({
      databases: found,
      caches: (await caches.keys()).filter((name) => !name.startsWith('workbox-precache')),
      // The language someone picked is the computer's setting, not theirs.
      local: Object.keys(localStorage).filter((key) => key !== 'homeroom.lang'),
      session: sessionStorage.length,
    }),
    databases,
  );
}

const nothingLeft = { databases: [], caches: [], local: [], session: 0 };

async function refreshStatus(page: Page): Promise<number> {
  return page.evaluate(async () => (await fetch('/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
}

let office: { session: SessionResponse; at: number } | undefined;

/**
 * A session for the API, as demo-office's own computer would have: password, then her
 * authenticator's code. Kept for ten minutes: a code is good once, and a new one comes every 30 s.
 */
async function officeSession(): Promise<SessionResponse> {
  if (office && Date.now() - office.at < 10 * 60_000) return office.session;
  office = { session: await signInOffice(), at: Date.now() };
  return office.session;
}

async function signInOffice(): Promise<SessionResponse> {
  const post = (path: string, body: unknown) =>
    fetch(`${server!.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const login = await post('/api/auth/login', { username: 'demo-office', password: DEMO_PASSWORD });
  expect(login.status).toBe(200);
  const challenge = (await login.json()) as SecondFactorChallenge;
  for (let attempt = 0; ; attempt++) {
    const serverNow = new Date(Date.now() + server!.clockOffsetMs);
    const code = demoTotpCode(defaultSeedOptions(server!.today), 'demo-office', serverNow);
    const verified = await post('/api/auth/second-factor/verify', { challenge: challenge.challenge, code });
    if (verified.status === 200) return (await verified.json()) as SessionResponse;
    const { error } = (await verified.json()) as { error: { code: string } };
    // She signed in on the kiosk with this 30-second code a moment ago: the next one, as a person would.
    expect(error.code === 'second_factor_reused' && attempt === 0, `second factor: ${error.code}`).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 30_000 - (serverNow.getTime() % 30_000) + 500));
  }
}

async function asOffice(path: string, init: RequestInit = {}): Promise<Response> {
  const { accessToken } = await officeSession();
  return fetch(`${server!.origin}${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` } });
}

async function officeSchoolId(): Promise<string> {
  const { me } = await officeSession();
  return me.locations.find((location) => location.role === 'office')!.schoolId!;
}

async function setIdleMinutes(minutes: number): Promise<void> {
  const response = await asOffice('/api/staff/kiosks/settings', { method: 'PUT', body: JSON.stringify({ schoolId: await officeSchoolId(), idleMinutes: minutes }) });
  expect(response.status).toBe(200);
}

/** From the kiosk's start screen, in English: Sign in, as `username`, landing on `landing`. */
async function signInOnKiosk(page: Page, username: string, landing: string): Promise<void> {
  await waitForView(page, 'hr-kiosk');
  await page.locator('hr-kiosk button[lang="en"]').click();
  await page.locator('hr-kiosk a.sign-in').click();
  await waitForView(page, 'hr-sign-in');
  // An enrolled kiosk does not ask whose device it is: it is everyone's.
  expect(await page.locator('hr-sign-in #device-own').count()).toBe(0);
  await signInThroughForm(page, username, DEMO_PASSWORD);
  await waitForView(page, landing, 45_000);
}

let kioskProfile = '';

describe('a shared computer in the media center', () => {
  it('is made a kiosk by the office; a parent who leaves without signing out leaves nothing for the next person', async () => {
    kioskProfile = await newProfile();
    let { context, page, errors } = await openBrowser(kioskProfile);

    // demo-office, on the media center's computer, makes it a kiosk: she is signed out of it.
    await signInThroughForm(page, 'demo-office', DEMO_PASSWORD);
    await waitForView(page, 'hr-office', 45_000);
    await page.evaluate(() => {
      location.hash = '#/office-kiosks';
    });
    await waitForView(page, 'hr-office-kiosks');
    await page.locator('hr-office-kiosks #label').fill('Media center 1');
    await expectAccessible(page, 'the shared computers screen');
    await page.locator('hr-office-kiosks button.this-browser').click();
    await page.locator('hr-office-kiosks button.confirm-this-browser').click();
    await waitForView(page, 'hr-kiosk');
    expect(await page.locator('hr-kiosk h1').textContent()).toBe(kioskEn.start.heading);

    // The start screen: the language first, in four languages, axe clean in each.
    for (const language of ['es', 'so', 'vi', 'en'] as const) {
      await page.locator(`hr-kiosk button[lang="${language}"]`).click();
      await expect.poll(() => page.locator('hr-kiosk h1').textContent()).toBe(kioskStrings[language].start.heading);
      expect(await page.locator(`hr-kiosk button[lang="${language}"]`).getAttribute('aria-pressed')).toBe('true');
      await expectAccessible(page, `the kiosk start screen in ${language}`);
      await screenshot(page, `kiosk-start-${language}`);
    }

    // A parent signs in: her records live in memory only.
    await signInOnKiosk(page, 'demo-guardian', 'hr-today');
    await expect.poll(() => page.locator('hr-app .session .name').textContent()).toMatch(/\S/);
    expect(await page.locator('hr-app .session .child').count()).toBe(1);
    await page.waitForFunction(() => (document.querySelector('hr-app')?.shadowRoot?.querySelector('main > hr-today')?.shadowRoot?.textContent ?? '').length > 100);
    expect(await homeroomIndexedDbs(page)).toEqual([]);
    expect(errors).toEqual([]);

    // She walks away and the browser is closed, without signing out. Opened again: the start
    // screen, no session to refresh, nothing of hers anywhere.
    await closeBrowser(context);
    ({ context, page, errors } = await openBrowser(kioskProfile));
    await waitForView(page, 'hr-kiosk');
    expect(await refreshStatus(page)).toBe(401);
    expect(await leftOnDevice(page)).toEqual(nothingLeft);
    expect(await page.locator('hr-app .session').count()).toBe(0);
    expect(errors).toEqual([]);
    await closeBrowser(context);
  }, 240_000);

  it('signs out by itself after the school’s idle limit, after an announced warning that a key press puts off', async () => {
    await setIdleMinutes(1);
    try {
      const { context, page } = await openBrowser(kioskProfile);
      await signInOnKiosk(page, 'demo-guardian', 'hr-today');

      // Half a minute before the end: the warning, in a live region, reachable, axe clean.
      const warning = page.locator('hr-app [role="alert"] .idle-warning');
      await warning.waitFor({ timeout: 45_000 });
      expect(await page.locator('hr-app [role="alert"]').getAttribute('aria-live')).toBe('assertive');
      expect(await warning.locator('p').first().textContent()).toBe(shellEn.idle.warning);
      await expectAccessible(page, 'the idle warning');
      await screenshot(page, 'kiosk-idle-warning-en');
      // Any key keeps her signed in.
      await page.keyboard.press('Shift');
      await warning.waitFor({ state: 'detached', timeout: 5000 });
      await waitForView(page, 'hr-today');

      // Then she leaves: warned again, then signed out to the start screen, nothing kept.
      await warning.waitFor({ timeout: 45_000 });
      await waitForView(page, 'hr-kiosk', 45_000);
      await waitInPage(page, async (prefix) => (await indexedDB.databases()).every((info) => !(info.name ?? '').startsWith(prefix)), HOMEROOM_DB_PREFIX, 'no records on the device', 5000);
      expect(await leftOnDevice(page)).toEqual(nothingLeft);
      expect(await refreshStatus(page)).toBe(401);
      // Back does not bring her screen back.
      await page.goBack();
      await page.waitForTimeout(500);
      expect(await page.locator('hr-app main > hr-today').count()).toBe(0);
      expect(await page.locator('hr-app .session').count()).toBe(0);
      await closeBrowser(context);
    } finally {
      await setIdleMinutes(2);
    }
  }, 240_000);

  it('is an ordinary browser again once removed, and becomes a kiosk again with a one-time code', async () => {
    const schoolId = await officeSchoolId();
    const listed = (await (await asOffice(`/api/staff/kiosks?schoolId=${schoolId}`)).json()) as { kiosks: Array<{ id: string; label: string; state: string }> };
    const kiosk = listed.kiosks.find((candidate) => candidate.label === 'Media center 1' && candidate.state === 'enrolled')!;
    expect((await asOffice(`/api/staff/kiosks/${kiosk.id}/revoke`, { method: 'POST', body: '{}' })).status).toBe(204);

    const { context, page } = await openBrowser(kioskProfile);
    // The plain start: sign-in, which asks whose device this is.
    await waitForView(page, 'hr-sign-in');
    await page.locator('hr-sign-in #device-own').waitFor();

    // Made a kiosk again, with a code typed at #/kiosk.
    const made = (await (await asOffice('/api/staff/kiosks', { method: 'POST', body: JSON.stringify({ schoolId, label: 'Media center 1' }) })).json()) as KioskCode;
    await page.evaluate(() => {
      location.hash = '#/kiosk';
    });
    await waitForView(page, 'hr-kiosk');
    await page.locator('hr-kiosk #code').fill('WRONG-CODE');
    await page.locator('hr-kiosk button.submit').click();
    await expect.poll(() => page.locator('hr-kiosk [role="alert"]').textContent()).toContain(kioskEn.enrol.errors.invalid_kiosk_code);
    await expectAccessible(page, 'the kiosk enrolment form');
    await screenshot(page, 'kiosk-enrol-en');
    await page.locator('hr-kiosk #code').fill(made.code);
    await page.locator('hr-kiosk button.submit').click();
    await expect.poll(() => page.locator('hr-kiosk h1').textContent()).toBe(kioskEn.start.heading);
    await closeBrowser(context);
  }, 180_000);
});

describe('"This is not my device" on an ordinary browser', () => {
  it('keeps nothing after the browser closes; "my own device" keeps the records for offline use as before', async () => {
    const profile = await newProfile();
    let { context, page, errors } = await openBrowser(profile);
    await waitForView(page, 'hr-sign-in');
    // No answer given: the form asks for one.
    await page.locator('hr-sign-in #username').fill('demo-student');
    await page.locator('hr-sign-in #password').fill(DEMO_PASSWORD);
    await page.locator('hr-sign-in button[type="submit"]').click();
    await page.locator('hr-sign-in #device-error').waitFor();
    await expectAccessible(page, 'sign-in asking whose device this is');
    await screenshot(page, 'sign-in-device-question-en');

    await page.locator('hr-sign-in #device-shared').check();
    await page.locator('hr-sign-in button[type="submit"]').click();
    await waitForView(page, 'hr-today', 45_000);
    await page.waitForFunction(() => (document.querySelector('hr-app')?.shadowRoot?.querySelector('main > hr-today')?.shadowRoot?.textContent ?? '').length > 100);
    expect(await homeroomIndexedDbs(page)).toEqual([]);
    expect(errors).toEqual([]);
    await closeBrowser(context);

    ({ context, page, errors } = await openBrowser(profile));
    await waitForView(page, 'hr-sign-in');
    expect(await refreshStatus(page)).toBe(401);
    expect(await leftOnDevice(page)).toEqual(nothingLeft);

    // Her own device: records in IndexedDB (the offline tests go on from there), and the answer
    // is remembered for her next sign-in on this browser.
    await signInThroughForm(page, 'demo-student', DEMO_PASSWORD, 'own');
    await waitForView(page, 'hr-today', 45_000);
    await waitInPage(page, async (prefix) => (await indexedDB.databases()).some((info) => (info.name ?? '').startsWith(prefix)), HOMEROOM_DB_PREFIX, 'records in IndexedDB');
    await page.locator('hr-app .session button.sign-out').click();
    await waitForView(page, 'hr-sign-in');
    await page.locator('hr-sign-in #username').fill('demo-student');
    await expect.poll(() => page.locator('hr-sign-in #device-own').isChecked()).toBe(true);
    expect(errors).toEqual([]);
    await closeBrowser(context);
  }, 180_000);
});
