import { setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import en from '../../../locales/en/office.json';
import es from '../../../locales/es/office.json';
import so from '../../../locales/so/office.json';
import vi from '../../../locales/vi/office.json';
import type { AttendanceHistoryRow, StudentRecordsResponse } from '../../../server/contract/student-records.ts';
import { setLanguage, type Language } from '../../app/i18n.ts';
import { staffTabsFor } from '../../components/hr-staff-nav.ts';
import { authorizedFetch, currentMe } from '../../data/session.ts';
import type { StudentDocument } from '../../data/students.ts';
import { expectNoAxeViolations } from '../../test/api.ts';
import { signInAndSync, type, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { useOwnDistrict } from '../../test/district.ts';
import { textOf, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import { setNetwork } from '../../test/sync.ts';
import type { HrStudentRecords } from './hr-student-records.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-student-records');

const office = { en, es, so, vi } as const;

describe('hr-student-records', () => {
  useAppAgainstApi(async () => {
    await setNetwork(true);
    await setLanguage('en');
    await setViewport({ width: 800, height: 600 });
  });

  it('is a tab of the office and principals, not of teachers', () => {
    expect(staffTabsFor(['office']).map((tab) => tab.view)).to.include('student-records');
    expect(staffTabsFor(['principal']).map((tab) => tab.view)).to.include('student-records');
    expect(staffTabsFor(['teacher']).map((tab) => tab.view)).not.to.include('student-records');
  });

  it('demo-office reads a student’s whole attendance history online, older than her device holds, and is told offline that it needs a connection', async function () {
    this.timeout(240_000);
    const { app, db } = await signInAndSync(demo.office, ['students', 'attendance'], 120_000);
    // The device holds the last 30 school days only: its oldest mark is not older than the window's first day.
    const since = currentMe()!.locations.find((location) => location.role === 'office')!.attendanceSince;
    expect(since, 'the office holds a window of attendance').to.be.a('string');
    const held = (await db.attendance.find().exec()).map((doc) => doc.date);
    expect(held.every((day) => day >= since!)).to.equal(true);

    // A student with marks from before the window, found through the API as the screen reads them.
    const students = (await db.students.find().exec()).map((doc) => doc.toJSON() as StudentDocument);
    let chosen: { student: StudentDocument; rows: AttendanceHistoryRow[] } | undefined;
    for (const student of students) {
      const response = await authorizedFetch(`/api/students/${student.id}/attendance`);
      expect(response.status).to.equal(200);
      const { rows } = (await response.json()) as StudentRecordsResponse<AttendanceHistoryRow>;
      if (rows.some((row) => row.date < since! && row.status !== 'present')) {
        chosen = { student, rows };
        break;
      }
    }
    expect(chosen, 'a student absent before the window').to.not.equal(undefined);
    const { student, rows } = chosen!;
    const older = rows.find((row) => row.date < since! && row.status !== 'present')!;
    expect(await db.attendance.findOne(older.id).exec(), 'the older mark is not on the device').to.equal(null);

    location.hash = '#/student-records';
    const view: HrStudentRecords = await viewOf(app, 'hr-student-records', 15_000);
    expect(document.title).to.equal(en.records.title);

    // Offline: the search works on the device's students, the history says it needs a connection.
    await setNetwork(false);
    type(view, '#student-search', student.studentNumber);
    const choice = await waitFor(() => view.shadowRoot!.querySelector<HTMLButtonElement>(`button.student[data-id="${student.id}"]`), 10_000);
    choice.click();
    await waitFor(() => textOf(view.shadowRoot!.querySelector('.records-problem')) === en.records.offline, 15_000);
    await expectNoAxeViolations();

    // Online: the same choice reads the history, older marks included, with the totals.
    await setNetwork(true);
    choice.click();
    const row = await waitFor(() => view.shadowRoot!.querySelector(`table.history tr[data-id="${older.id}"]`), 15_000);
    expect(textOf(row)).to.not.equal('');
    const absences = rows.filter((r) => r.status === 'absent').length;
    expect(textOf(view.shadowRoot!.querySelector('.totals'))).to.include(String(absences));
    expect(view.shadowRoot!.querySelectorAll('table.history tbody tr').length).to.equal(rows.filter((r) => r.status !== 'present').length);
    await expectNoAxeViolations();

    // From the office's day, a student's name leads here.
    location.hash = `#/student-records?student=${student.id}`;
    await waitFor(() => view.shadowRoot!.querySelector(`table.history tr[data-id="${older.id}"]`), 15_000);

    // At 320 pixels in every language: only the table scrolls sideways, the title and totals are in view.
    await setViewport({ width: 320, height: 640 });
    for (const language of ['en', 'es', 'so', 'vi'] as Language[]) {
      await setLanguage(language);
      await view.updateComplete;
      expect(textOf(view.shadowRoot!.querySelector('h1')), language).to.equal(office[language].records.title);
      expect(document.documentElement.scrollWidth, language).to.be.at.most(320);
      for (const selector of ['h1', '.totals', '#student-search', '.table-scroll']) {
        expect(view.shadowRoot!.querySelector(selector)!.getBoundingClientRect().right, `${language} ${selector}`).to.be.at.most(320);
      }
    }
    await setLanguage('en');
  });
});
