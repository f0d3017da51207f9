/**
 * What the staff workspace's end-to-end test needs beyond e2e/browser.ts: one browser context
 * per person (their own IndexedDB, cookies and service worker), the app installed on it so it
 * opens without a network, and the rows of the demo district the flow works on, read from the
 * server's store.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Store } from '../server/db/store.ts';
import { DEMO_PASSWORD } from '../server/seed/generate.ts';
import type { AppServer } from './app-server.ts';
import { newAppContext, runAxe, signInThroughForm, waitForView, waitInPage } from './browser.ts';

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors in the page: the test expects none. */
  errors: string[];
}

/**
 * A new browser context for one person, signed in through the form, on their landing view. Its
 * clock reads the server's day and time (`newAppContext`).
 */
export async function signInAs(
  browser: Browser,
  server: AppServer,
  username: string,
  landing: string,
  options: { viewport: { width: number; height: number } },
): Promise<Person> {
  const context = await newAppContext(browser, server, { viewport: options.viewport });
  // Every wait fails on its own, with its own message, well before the test's time limit.
  context.setDefaultTimeout(45_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${username}: ${String(error)}`));
  if (process.env.E2E_DEBUG) page.on('console', (message) => console.log(`[${username}] ${message.type()}: ${message.text()}`));
  await page.goto(`${server.origin}/`);
  await signInThroughForm(page, username, DEMO_PASSWORD);
  await waitForView(page, landing, 45_000);
  return { context, page, errors };
}

/**
 * Waits until the service worker controls the page, as on a device where the app was opened
 * before: every view's code is then on the device and opens without a network.
 */
export async function installApp(page: Page, landing: string): Promise<void> {
  await waitInPage(page, async () => (await navigator.serviceWorker.getRegistration())?.active?.state === 'activated', '', 'the service worker to activate', 45_000);
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
  await waitForView(page, landing, 45_000);
}

/** Opens a view by its address, as a link or the staff tabs do. */
export async function go(page: Page, hash: string, tag: string): Promise<void> {
  await page.evaluate((target) => {
    location.hash = target;
  }, hash);
  await waitForView(page, tag, 30_000);
}

/** axe-core on the page as it is now: no WCAG 2.2 AA violation. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const report = await runAxe(page);
  expect(report.violations, where).toEqual([]);
}

/** The text of the first element matching `selector`, whitespace collapsed ('' when there is none). */
export async function textOf(page: Page, selector: string): Promise<string> {
  const found = page.locator(selector);
  if ((await found.count()) === 0) return '';
  return ((await found.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Matches an element whose whole text is `text` (Playwright's `hasText` with a string matches a part). */
export function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

export interface ChosenClass {
  districtId: string;
  sectionId: string;
  courseName: string;
  schoolId: string;
  /** demo-guardian's child in the class: marked absent, then given a new score. */
  childId: string;
  childLastName: string;
  /** As the teacher's screens name her: preferred or first name, and last name. */
  childName: string;
  /** demo-teacher's staff id, which the server records as the writer of her marks and scores. */
  teacherStaffId: string;
  officeAccountId: string;
  officeStaffId: string;
}

/**
 * A class demo-teacher teaches on `day` with one of demo-guardian's children in it (the seed
 * puts her in the grade-10 child's English class), so the family can see what she enters.
 */
export async function chooseClass(store: Store, day: string): Promise<ChosenClass> {
  const rows = await store.query<{
    district_id: string;
    section_id: string;
    course_name: string;
    school_id: string;
    child_id: string;
    child_last_name: string;
    child_name: string;
    teacher_staff_id: string;
  }>(
    `SELECT s.district_id, s.id AS section_id, c.name AS course_name, s.school_id, r.student_id AS child_id, p.last_name AS child_last_name,
            coalesce(nullif(p.preferred_name, ''), p.first_name) || ' ' || p.last_name AS child_name, t.id AS teacher_staff_id
       FROM accounts ta
       JOIN staff t ON t.district_id = ta.district_id AND t.person_id = ta.person_id
       JOIN section_staff ss ON ss.district_id = t.district_id AND ss.staff_id = t.id AND NOT ss.deleted
       JOIN sections s ON s.district_id = ss.district_id AND s.id = ss.section_id AND NOT s.deleted
       JOIN courses c ON c.district_id = s.district_id AND c.id = s.course_id
       JOIN terms tm ON tm.district_id = s.district_id AND tm.id = s.term_id AND tm.start_date <= $1::date AND tm.end_date >= $1::date
       JOIN section_enrollments r ON r.district_id = s.district_id AND r.section_id = s.id AND NOT r.deleted
            AND r.start_date <= $1::date AND (r.end_date IS NULL OR r.end_date >= $1::date)
       JOIN guardianships g ON g.district_id = r.district_id AND g.student_id = r.student_id AND NOT g.deleted AND g.portal_access
       JOIN accounts ga ON ga.district_id = g.district_id AND ga.person_id = g.guardian_person_id AND ga.username = 'demo-guardian'
       JOIN students st ON st.district_id = r.district_id AND st.id = r.student_id
       JOIN people p ON p.district_id = st.district_id AND p.id = st.person_id
      WHERE ta.username = 'demo-teacher'
      ORDER BY c.name, s.id`,
    [day],
  );
  const chosen = rows[0];
  if (!chosen) throw new Error(`demo-teacher teaches none of demo-guardian's children on ${day}: the seed changed`);
  const [office] = await store.query<{ account_id: string; staff_id: string }>(
    `SELECT a.id AS account_id, t.id AS staff_id FROM accounts a JOIN staff t ON t.district_id = a.district_id AND t.person_id = a.person_id
      WHERE a.district_id = $1 AND a.username = 'demo-office'`,
    [chosen.district_id],
  );
  return {
    districtId: chosen.district_id,
    sectionId: chosen.section_id,
    courseName: chosen.course_name,
    schoolId: chosen.school_id,
    childId: chosen.child_id,
    childLastName: chosen.child_last_name,
    childName: chosen.child_name,
    teacherStaffId: chosen.teacher_staff_id,
    officeAccountId: office!.account_id,
    officeStaffId: office!.staff_id,
  };
}
