/**
 * The staff workspace end to end (issue 6), in Debian's Chromium against the real server, one
 * browser context per person: demo-teacher loses the network, takes attendance and enters a
 * score, and both reach the server when she is back online; demo-office excuses the absence;
 * demo-guardian sees the new score and the excused absence. Then a household change goes from
 * the guardian's request to the office's approval, with the audit trail to show for it.
 * E2E_DEBUG=1 prints the pages' consoles.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import attendanceEn from '../locales/en/attendance.json';
import familyEn from '../locales/en/family.json';
import officeEn from '../locales/en/office.json';
import teacherEn from '../locales/en/teacher.json';
import type { SqlParam } from '../server/db/store.ts';
import { startAppServer, type AppServer } from './app-server.ts';
import { launchChromium, waitForView } from './browser.ts';
import { builtClient } from './client-build.ts';
import { chooseClass, exactly, expectAccessible, go, installApp, signInAs, textOf, type ChosenClass, type Person } from './staff-flow.ts';

const phone = { width: 360, height: 740 };
const laptop = { width: 1280, height: 800 };

let server: AppServer | undefined;
let browser: Browser | undefined;
/** Everyone signed in during the current test; their contexts close after it. */
let people: Person[] = [];

beforeAll(async () => {
  const [staticDir, chromium] = await Promise.all([builtClient(), launchChromium()]);
  browser = chromium;
  // The teacher takes attendance for today's classes: the district lives on a school day.
  server = await startAppServer({ staticDir, day: 'school-day' });
}, 240_000);

afterEach(async () => {
  for (const person of people) await person.context.close();
  people = [];
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(username: string, landing: string, viewport: { width: number; height: number }): Promise<Person> {
  const person = await signInAs(browser!, server!, username, landing, { viewport });
  people.push(person);
  return person;
}

const query = <T>(sql: string, params: readonly SqlParam[]) => server!.store.query<T>(sql, params);

describe('the staff workspace, end to end', () => {
  it('takes attendance and a score offline, the office excuses the absence, and the family sees both', async () => {
    const schoolDay = server!.today;
    const chosen: ChosenClass = await chooseClass(server!.store, schoolDay);
    const { districtId, sectionId, childId } = chosen;
    // The class has not taken attendance yet today (the seed may have marked some of it already).
    await query(`DELETE FROM attendance WHERE district_id = $1 AND section_id = $2 AND date = $3::date`, [districtId, sectionId, schoolDay]);

    // 1. demo-teacher, on a laptop where the app was opened before, waits for her classes.
    const teacher = await signIn('demo-teacher', 'hr-teacher', laptop);
    const { page } = teacher;
    await installApp(page, 'hr-teacher');
    const attendanceLink = page.locator(`hr-teacher a[href="#/take-attendance?section=${sectionId}"]`);
    await attendanceLink.waitFor();
    // Her child's row in the class's roster, with the absences this term.
    const childAbsences = page
      .locator('hr-teacher section.card')
      .filter({ has: page.locator(`a[href="#/take-attendance?section=${sectionId}"]`) })
      .locator('table.roster tbody tr')
      .filter({ has: page.locator('th.student-name', { hasText: exactly(chosen.childName) }) })
      .locator('td.absences');
    await childAbsences.waitFor();
    // What her device should count once its records are in: the child's absences this term in the
    // sections she teaches (her device holds her sections' marks), read from the server.
    const [counted] = await query<{ absences: number }>(
      `SELECT count(*)::int AS absences
         FROM attendance a
         JOIN sections x ON x.district_id = a.district_id AND x.id = $3
         JOIN terms t ON t.district_id = x.district_id AND t.id = x.term_id
        WHERE a.district_id = $1 AND a.student_id = $2 AND a.status = 'absent' AND NOT a.deleted AND a.date BETWEEN t.start_date AND t.end_date
          AND a.section_id IN (SELECT ss.section_id FROM section_staff ss JOIN staff s ON s.district_id = ss.district_id AND s.id = ss.staff_id
                                 JOIN accounts ac ON ac.district_id = s.district_id AND ac.person_id = s.person_id
                                WHERE ac.username = 'demo-teacher' AND NOT ss.deleted)`,
      [districtId, childId, sectionId],
    );
    const absencesBefore = counted!.absences;
    await expect.poll(async () => Number(await childAbsences.textContent()), { timeout: 30_000 }).toBe(absencesBefore);
    await expectAccessible(page, 'hr-teacher');
    // The gradebook has its scores once the first sync is done; then the network goes.
    await page.locator(`hr-teacher a[href="#/gradebook?section=${sectionId}"]`).click();
    await waitForView(page, 'hr-teacher-gradebook');
    await page.locator(`hr-teacher-gradebook table.grid tbody tr[data-student="${childId}"]`).waitFor();
    await go(page, '#/teacher', 'hr-teacher');
    await teacher.context.setOffline(true);

    // Attendance: everyone present, her child absent, a classmate 7 minutes late.
    await attendanceLink.click();
    await waitForView(page, 'hr-take-attendance');
    const mark = (studentId: string) => page.locator(`hr-take-attendance ul.marks li[data-student="${studentId}"]`);
    await mark(childId).waitFor();
    const classmateId = await page
      .locator(`hr-take-attendance ul.marks li:not([data-student="${childId}"])`)
      .first()
      .getAttribute('data-student');
    expect(classmateId).toBeTruthy();
    const statusOf = (studentId: string) => textOf(page, `hr-take-attendance li[data-student="${studentId}"] .status-word`);
    // Everyone starts present; each tap moves a student on: absent, then tardy.
    expect(await statusOf(childId)).toBe(teacherEn.attendance.status.present);
    expect(await statusOf(classmateId!)).toBe(teacherEn.attendance.status.present);
    const tap = async (studentId: string, next: string) => {
      await mark(studentId).locator('button.mark').click();
      await expect.poll(() => statusOf(studentId), { timeout: 5000 }).toBe(next);
    };
    await tap(childId, teacherEn.attendance.status.absent);
    await tap(classmateId!, teacherEn.attendance.status.absent);
    await tap(classmateId!, teacherEn.attendance.status.tardy);
    await mark(classmateId!).locator('input[type="number"]').fill('7');
    // The minutes are taken when the field is left, as a person tabs on.
    await page.keyboard.press('Tab');
    await page.locator('hr-take-attendance form button[type="submit"]').click();
    const stateOf = (studentId: string) => textOf(page, `hr-take-attendance li[data-student="${studentId}"] .state`);
    await expect.poll(() => stateOf(childId), { timeout: 15_000 }).toBe(teacherEn.attendance.state.waiting);
    expect(await stateOf(classmateId!)).toBe(teacherEn.attendance.state.waiting);
    expect(await textOf(page, 'hr-take-attendance .save-status')).toBe(teacherEn.attendance.savedWaiting);
    await expectAccessible(page, 'hr-take-attendance, offline');

    // The gradebook, by keyboard: to her child's row and a published assignment's column, type, Enter.
    await page.locator('hr-take-attendance a[href="#/teacher"]').click();
    await waitForView(page, 'hr-teacher');
    // The roster counts the new absence at once, from the device.
    await expect.poll(async () => Number(await childAbsences.textContent()), { timeout: 10_000 }).toBe(absencesBefore + 1);
    await page.locator(`hr-teacher a[href="#/gradebook?section=${sectionId}"]`).click();
    await waitForView(page, 'hr-teacher-gradebook');
    const grid = page.locator('hr-teacher-gradebook table.grid');
    await grid.locator(`tbody tr[data-student="${childId}"]`).waitFor();
    const rowIds = await grid.locator('tbody tr').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.student!));
    const columnIds = await grid.locator('thead th[data-assignment]').evaluateAll((cells) => cells.map((cell) => (cell as HTMLElement).dataset.assignment!));
    const work = await query<{ id: string; name: string; points_possible: number; points: number | null; exempt: boolean | null }>(
      `SELECT a.id, a.name, a.points_possible::float8 AS points_possible, s.points::float8 AS points, s.exempt
         FROM assignments a LEFT JOIN scores s ON s.district_id = a.district_id AND s.assignment_id = a.id AND s.student_id = $3 AND NOT s.deleted
        WHERE a.district_id = $1 AND a.section_id = $2 AND a.published AND NOT a.deleted AND a.id = ANY($4::uuid[])
        ORDER BY a.due_on, a.id`,
      [districtId, sectionId, childId, columnIds],
    );
    const assignment = work.find((candidate) => !candidate.exempt && candidate.points_possible >= 2);
    expect(assignment, 'a published assignment in the gradebook').toBeDefined();
    const target = [assignment!.points_possible - 1, assignment!.points_possible - 2].find((points) => points !== assignment!.points)!;
    const row = rowIds.indexOf(childId);
    const column = columnIds.indexOf(assignment!.id);
    // One tab stop in the grid, the first cell; arrows move from there.
    await grid.locator('input[tabindex="0"]').focus();
    for (let step = 0; step < row; step++) await page.keyboard.press('ArrowDown');
    for (let step = 0; step < column; step++) await page.keyboard.press('ArrowRight');
    const focused = () => page.evaluate(() => {
      const root = document.querySelector('hr-app')?.shadowRoot?.querySelector('main > hr-teacher-gradebook')?.shadowRoot;
      const input = root?.activeElement as HTMLInputElement | null | undefined;
      return input ? `${input.dataset.row},${input.dataset.column}` : '';
    });
    await expect.poll(focused, { timeout: 5000 }).toBe(`${row},${column}`);
    await page.keyboard.type(String(target));
    await page.keyboard.press('Enter');
    const cell = grid.locator(`td.score:has(input[data-row="${row}"][data-column="${column}"])`);
    await expect.poll(() => cell.locator('input').inputValue(), { timeout: 10_000 }).toBe(String(target));
    await expect.poll(() => textOf(page, `hr-teacher-gradebook td.score:has(input[data-row="${row}"][data-column="${column}"]) .state`), { timeout: 10_000 }).toBe(
      teacherEn.gradebook.waiting,
    );
    expect(await textOf(page, `hr-teacher-gradebook tr[data-student="${childId}"] td.grade`)).not.toContain('NaN');
    await expectAccessible(page, 'hr-teacher-gradebook, offline');

    // The laptop restarts the app, still without a network: what she entered is kept, still waiting.
    await page.reload();
    // It opens on the screen it was on (an offline restart used to open the landing screen).
    await waitForView(page, 'hr-teacher-gradebook', 45_000);
    expect(new URL(page.url()).hash).toBe(`#/gradebook?section=${sectionId}`);
    await expect.poll(() => cell.locator('input').inputValue(), { timeout: 20_000 }).toBe(String(target));
    expect(await textOf(page, `hr-teacher-gradebook td.score:has(input[data-row="${row}"][data-column="${column}"]) .state`)).toBe(teacherEn.gradebook.waiting);
    await page.locator('hr-teacher-gradebook a[href="#/teacher"]').click();
    await waitForView(page, 'hr-teacher');
    await attendanceLink.click();
    await waitForView(page, 'hr-take-attendance');
    await expect.poll(() => stateOf(childId), { timeout: 20_000 }).toBe(teacherEn.attendance.state.waiting);
    expect(await stateOf(classmateId!)).toBe(teacherEn.attendance.state.waiting);
    expect(await textOf(page, `hr-take-attendance li[data-student="${childId}"] .status-word`)).toBe(teacherEn.attendance.status.absent);
    expect(await textOf(page, `hr-take-attendance li[data-student="${classmateId}"] .status-word`)).toBe(teacherEn.attendance.status.tardy);

    // Nothing reached the server while she was offline.
    const marksOnServer = () =>
      query<{ id: string; student_id: string; status: string; minutes: number | null; excuse: string; recorded_by_staff_id: string | null }>(
        `SELECT id, student_id, status, minutes, excuse, recorded_by_staff_id FROM attendance
          WHERE district_id = $1 AND section_id = $2 AND date = $3::date AND student_id = ANY($4::uuid[]) AND NOT deleted`,
        [districtId, sectionId, schoolDay, [childId, classmateId!]],
      );
    const scoreOnServer = async () =>
      (
        await query<{ points: number | null; entered_by_staff_id: string | null }>(
          `SELECT points::float8 AS points, entered_by_staff_id FROM scores WHERE district_id = $1 AND assignment_id = $2 AND student_id = $3 AND NOT deleted`,
          [districtId, assignment!.id, childId],
        )
      )[0];
    expect((await marksOnServer()).filter((found) => found.status !== 'present')).toEqual([]);
    expect((await scoreOnServer())?.points ?? null).toBe(assignment!.points);

    // Meanwhile demo-office has the school's day open: nothing of this class's is there yet.
    const office = await signIn('demo-office', 'hr-office', laptop);
    await office.page.locator('hr-office table.marks, hr-office .none').first().waitFor();
    const officeStudents = () => office.page.locator('hr-office table.marks tbody tr').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.student));
    expect(await officeStudents()).not.toContain(childId);

    // Back online: both are sent without her doing anything, and the screens say so.
    await teacher.context.setOffline(false);
    await expect.poll(() => stateOf(childId), { timeout: 60_000 }).toBe(teacherEn.attendance.state.saved);
    await expect.poll(() => stateOf(classmateId!), { timeout: 15_000 }).toBe(teacherEn.attendance.state.saved);
    await page.locator('hr-take-attendance a[href="#/teacher"]').click();
    await waitForView(page, 'hr-teacher');
    await page.locator(`hr-teacher a[href="#/gradebook?section=${sectionId}"]`).click();
    await waitForView(page, 'hr-teacher-gradebook');
    await expect.poll(() => cell.locator('input').inputValue(), { timeout: 20_000 }).toBe(String(target));
    await expect.poll(() => textOf(page, `hr-teacher-gradebook td.score:has(input[data-row="${row}"][data-column="${column}"]) .state`), { timeout: 60_000 }).toBe('');
    await expect.poll(async () => (await scoreOnServer())?.points, { timeout: 15_000 }).toBe(target);
    expect((await scoreOnServer())?.entered_by_staff_id).toBe(chosen.teacherStaffId);
    const marks = await marksOnServer();
    const absence = marks.find((found) => found.student_id === childId);
    expect(absence).toMatchObject({ status: 'absent', excuse: 'unknown', recorded_by_staff_id: chosen.teacherStaffId });
    expect(marks.find((found) => found.student_id === classmateId)).toMatchObject({ status: 'tardy', minutes: 7, recorded_by_staff_id: chosen.teacherStaffId });
    expect(teacher.errors).toEqual([]);
    await teacher.context.close();

    // 2. demo-office sees the absence and the tardy arrive in the day's list, and excuses the absence.
    const [illness] = await query<{ excuse: string }>(`SELECT excuse FROM attendance_reasons WHERE district_id = $1 AND code = 'ILL' AND NOT deleted`, [districtId]);
    expect(illness?.excuse).toBe('excused');
    const officeRow = (id: string) => office.page.locator(`hr-office table.marks tr[data-id="${id}"]`);
    await officeRow(absence!.id).waitFor();
    const tardyId = marks.find((found) => found.student_id === classmateId)!.id;
    await officeRow(tardyId).waitFor();
    const rowText = (id: string) => textOf(office.page, `hr-office table.marks tr[data-id="${id}"]`);
    expect(await rowText(absence!.id)).toContain(chosen.childLastName);
    expect(await rowText(absence!.id)).toContain(attendanceEn.status.absent);
    expect(await rowText(absence!.id)).toContain(attendanceEn.excuse.unknown);
    expect(await rowText(tardyId)).toContain(`${attendanceEn.status.tardy} (${attendanceEn.marks.minutes.replace('{{minutes}}', '7')})`);
    await expectAccessible(office.page, 'hr-office');
    await officeRow(absence!.id).locator('button.excuse-button').click();
    const excuseForm = officeRow(absence!.id).locator('form.excuse-form');
    await excuseForm.locator('select').selectOption('ILL');
    await excuseForm.locator('textarea').fill('Called in by her mother at 8:10.');
    await expectAccessible(office.page, 'hr-office, excuse form');
    await excuseForm.locator('button[type="submit"]').click();
    await expect.poll(() => textOf(office.page, `hr-office table.marks tr[data-id="${absence!.id}"] td.excuse`), { timeout: 15_000 }).toContain(attendanceEn.reason.ILL);
    expect(await textOf(office.page, `hr-office table.marks tr[data-id="${absence!.id}"] td.excuse`)).toContain(attendanceEn.excuse.excused);
    // Sent: no longer waiting, and the server holds the decision.
    await expect.poll(() => officeRow(absence!.id).locator('.mark-state').count(), { timeout: 30_000 }).toBe(0);
    const excused = async () =>
      (
        await query<{ excuse: string; code: string | null; comment: string }>(
          `SELECT a.excuse, r.code, a.comment FROM attendance a LEFT JOIN attendance_reasons r ON r.district_id = a.district_id AND r.id = a.reason_id
            WHERE a.district_id = $1 AND a.id = $2`,
          [districtId, absence!.id],
        )
      )[0];
    await expect.poll(excused, { timeout: 15_000 }).toEqual({ excuse: 'excused', code: 'ILL', comment: 'Called in by her mother at 8:10.' });
    expect(office.errors).toEqual([]);

    // 3. demo-guardian, on her phone, sees the new score and the excused absence of that child.
    const guardian = await signIn('demo-guardian', 'hr-today', phone);
    await go(guardian.page, '#/grades', 'hr-grades');
    await guardian.page.locator('hr-grades hr-student-switcher select#student').selectOption(childId);
    const scoreRow = guardian.page.locator(`hr-grades section.course[data-section="${sectionId}"] tr[data-assignment="${assignment!.id}"]`);
    await scoreRow.waitFor({ state: 'attached', timeout: 45_000 });
    await guardian.page.locator(`hr-grades section.course[data-section="${sectionId}"] details:has(tr[data-assignment="${assignment!.id}"]) > summary`).click();
    await scoreRow.waitFor({ state: 'visible' });
    await expect.poll(() => textOf(guardian.page, `hr-grades tr[data-assignment="${assignment!.id}"] td.score`), { timeout: 15_000 }).toBe(String(target));
    expect(await textOf(guardian.page, `hr-grades tr[data-assignment="${assignment!.id}"] th`)).toBe(assignment!.name);

    await go(guardian.page, '#/attendance', 'hr-attendance');
    const todays = guardian.page.locator(`hr-attendance table.marks tbody tr[data-date="${schoolDay}"]`).filter({ hasText: chosen.courseName });
    await todays.waitFor({ timeout: 45_000 });
    await expect.poll(async () => ((await todays.locator('td.excused').textContent()) ?? '').trim(), { timeout: 15_000 }).toBe(attendanceEn.excuse.excused);
    const shown = ((await todays.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(shown).toContain(attendanceEn.status.absent);
    expect(shown).toContain(attendanceEn.reason.ILL);
    expect(shown).toContain('Called in by her mother at 8:10.');
    expect(guardian.errors).toEqual([]);
  }, 240_000);

  it('takes a household change from the guardian’s request to the office’s approval, with the audit trail', async () => {
    const guardian = await signIn('demo-guardian', 'hr-today', phone);
    const { page } = guardian;
    await go(page, '#/family', 'hr-family');
    const household = page.locator('hr-family article.household').first();
    await household.waitFor();
    const householdId = (await household.getAttribute('data-id'))!;
    const [old] = await query<{ id: string; line1: string; city: string; district_id: string }>(
      `SELECT id, line1, city, district_id FROM addresses WHERE household_id = $1 AND kind = 'home' AND NOT deleted`,
      [householdId],
    );
    expect(old, 'the demo household has a home address').toBeDefined();
    const districtId = old!.district_id;

    // The guardian asks for a new home address.
    await household.locator('button.change-address').click();
    const form = household.locator('form.address-form');
    await form.locator('#address-kind').selectOption('home');
    await form.locator('#address-line1').fill('2718 Linden Street');
    await form.locator('#address-line2').fill('Apt 3');
    await form.locator('#address-city').fill('Riverbend');
    await form.locator('#address-region').fill('MN');
    await form.locator('#address-postal').fill('55408');
    await form.locator('button[type="submit"]').click();
    await household.locator('.notice-sent').waitFor();
    const request = household.locator('.requests li.request').filter({ hasText: '2718 Linden Street' });
    await expect.poll(() => request.locator('.badge').textContent(), { timeout: 30_000 }).toBe(familyEn.requests.status.pending);
    const requestId = (await request.getAttribute('data-id'))!;
    const [stored] = await query<{ status: string; payload: { old: { line1: string } | null } }>(`SELECT status, payload FROM requests WHERE district_id = $1 AND id = $2`, [districtId, requestId]);
    expect(stored).toMatchObject({ status: 'pending', payload: { old: { line1: old!.line1 } } });

    // demo-office sees what is on record and what is asked, side by side, and approves.
    const office = await signIn('demo-office', 'hr-office', laptop);
    const item = office.page.locator(`hr-office .household li[data-id="${requestId}"]`);
    await item.waitFor();
    expect(await textOf(office.page, `hr-office .household li[data-id="${requestId}"] caption`)).toBe(
      officeEn.household.change.address.replace('{{kind}}', officeEn.household.kind.home),
    );
    expect(await textOf(office.page, `hr-office .household li[data-id="${requestId}"] td.old`)).toContain(old!.line1);
    const requested = await textOf(office.page, `hr-office .household li[data-id="${requestId}"] td.new`);
    expect(requested).toContain('2718 Linden Street');
    expect(requested).toContain('Riverbend, MN 55408');
    await expectAccessible(office.page, 'hr-office, household change');
    await item.locator('textarea').fill('Checked against a utility bill.');
    await item.locator('button.approve').click();
    await item.waitFor({ state: 'detached', timeout: 30_000 });

    // The server applied it; the audit trail says who, when, what was and what is.
    const decided = async () =>
      (await query<{ status: string; decided_by_staff_id: string; decided_at: Date }>(`SELECT status, decided_by_staff_id, decided_at FROM requests WHERE district_id = $1 AND id = $2`, [districtId, requestId]))[0];
    await expect.poll(async () => (await decided())?.status, { timeout: 15_000 }).toBe('approved');
    const [officeStaff] = await query<{ account_id: string; staff_id: string }>(
      `SELECT a.id AS account_id, t.id AS staff_id FROM accounts a JOIN staff t ON t.district_id = a.district_id AND t.person_id = a.person_id WHERE a.district_id = $1 AND a.username = 'demo-office'`,
      [districtId],
    );
    const decision = (await decided())!;
    expect(decision.decided_by_staff_id).toBe(officeStaff!.staff_id);
    const [current] = await query<{ id: string; line1: string; line2: string | null; city: string; region: string; postal_code: string }>(
      `SELECT id, line1, line2, city, region, postal_code FROM addresses WHERE district_id = $1 AND household_id = $2 AND kind = 'home' AND NOT deleted`,
      [districtId, householdId],
    );
    expect(current).toMatchObject({ line1: '2718 Linden Street', line2: 'Apt 3', city: 'Riverbend', region: 'MN', postal_code: '55408' });
    const trail = await query<{ actor_account_id: string; at: Date; table_name: string; row_id: string; action: string; old_values: Record<string, unknown> | null; new_values: Record<string, unknown> | null }>(
      `SELECT actor_account_id, at, table_name, row_id, action, old_values, new_values FROM audit_trail
        WHERE district_id = $1 AND row_id = ANY($2::uuid[]) ORDER BY id`,
      [districtId, [requestId, old!.id, current!.id]],
    );
    expect(trail.map((entry) => [entry.table_name, entry.row_id, entry.action])).toEqual([
      ['requests', requestId, 'update'],
      ['addresses', old!.id, 'update'],
      ['addresses', current!.id, 'insert'],
    ]);
    for (const entry of trail) {
      expect(entry.actor_account_id).toBe(officeStaff!.account_id);
      expect(new Date(entry.at).getTime()).toBe(new Date(decision.decided_at).getTime());
    }
    expect(trail[0]).toMatchObject({ old_values: { status: 'pending' }, new_values: { status: 'approved', decision_note: 'Checked against a utility bill.' } });
    expect(trail[1]).toMatchObject({ old_values: { line1: old!.line1, city: old!.city, deleted: false }, new_values: { deleted: true } });
    expect(trail[2]).toMatchObject({ old_values: null, new_values: { line1: '2718 Linden Street', line2: 'Apt 3', city: 'Riverbend', region: 'MN', postal_code: '55408' } });

    // The guardian's family tab shows the new address and the office's answer, without a reload.
    await expect.poll(() => textOf(page, 'hr-family .addresses'), { timeout: 60_000 }).toContain('2718 Linden Street, Apt 3, Riverbend, MN 55408');
    await expect.poll(() => request.locator('.badge').textContent(), { timeout: 30_000 }).toBe(familyEn.requests.status.approved);
    expect(((await request.textContent()) ?? '').replace(/\s+/g, ' ')).toContain('Checked against a utility bill.');
    expect([...guardian.errors, ...office.errors]).toEqual([]);
  }, 180_000);
});
