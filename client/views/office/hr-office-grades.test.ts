import { setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import { collections } from '../../data/database.ts';
import en from '../../../locales/en/office.json';
import type { AssignmentDocument } from '../../../server/contract/sync/assignments.ts';
import type { GradeDocument } from '../../../server/contract/sync/grades.ts';
import type { ScoreDocument } from '../../../server/contract/sync/scores.ts';
import { type SectionDocument } from '../../../server/contract/sync/sections.ts';
import { studentDisplayName, type StudentDocument } from '../../data/students.ts';
import { demoPassword, expectNoAxeViolations } from '../../test/api.ts';
import { part, signInAndSync, type, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { textOf, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import { pullAll, serverToday, setNetwork } from '../../test/sync.ts';
import { officeSchools } from './hr-office-accounts.ts';
import type { HrOfficeGrades } from './hr-office-grades.ts';
import { gradeAdminSchools, matchStudents } from './office-grades.ts';
import { staffTabsFor } from '../../components/hr-staff-nav.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-office-grades');

/** An access token of `username` from another device: no cookie is sent or kept, so the app's session stays as it is. */
async function tokenOf(username: string): Promise<string> {
  const response = await fetch('/api/auth/login', { method: 'POST', credentials: 'omit', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword }) });
  expect(response.status).to.equal(200);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function teacherCall(token: string, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(path, { method: 'POST', credentials: 'omit', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** demo-teacher changes one score from `from` to `to`, as her gradebook would push it; the server's refusals come back. */
async function pushScore(token: string, from: ScoreDocument, to: ScoreDocument): Promise<ScoreDocument[]> {
  const reply = await teacherCall(token, `/api/sync/scores/push?v=${collections.scores.schema.version}`, [{ newDocumentState: { ...to, _deleted: false }, assumedMasterState: { ...from, _deleted: false } }]);
  expect(reply.status).to.equal(200);
  return reply.body as ScoreDocument[];
}

interface PostedCase {
  section: SectionDocument;
  periodId: string;
  grade: GradeDocument;
  score: ScoreDocument;
}

/**
 * A term grade of demo-teacher's, at demo-office's school, posted for a grading period that has
 * ended (every grade of that period in the section posted), with a score of that period behind
 * it. When the demo data has no such posting, demo-teacher posts an ended period herself.
 */
async function postedGradeOfTeacher(token: string, schoolIds: readonly string[]): Promise<PostedCase> {
  const today = serverToday();
  const sections = (await pullAll<SectionDocument>('sections', token)).filter((section) => schoolIds.includes(section.schoolId));
  expect(sections.length).to.be.greaterThan(0);
  const [assignments, scores] = [await pullAll<AssignmentDocument>('assignments', token), await pullAll<ScoreDocument>('scores', token)];
  const find = (grades: GradeDocument[]): PostedCase | undefined => {
    for (const section of sections) {
      for (const period of section.gradingPeriods.filter((p) => p.end < today)) {
        const ofPeriod = grades.filter((grade) => grade.kind === 'term' && grade.sectionId === section.id && grade.gradingPeriodId === period.id);
        if (ofPeriod.length === 0 || ofPeriod.some((grade) => grade.status !== 'posted')) continue;
        const work = new Set(assignments.filter((a) => a.sectionId === section.id && a.gradingPeriodId === period.id).map((a) => a.id));
        for (const grade of ofPeriod) {
          const score = scores.find((s) => work.has(s.assignmentId) && s.studentId === grade.studentId && s.points !== null && section.studentIds.includes(s.studentId));
          if (score) return { section, periodId: period.id, grade, score };
        }
      }
    }
    return undefined;
  };
  const found = find(await pullAll<GradeDocument>('grades', token));
  if (found) return found;
  // No posted period in the demo data: the teacher posts the first ended period of a section with scored work.
  const section = sections.find((s) => s.gradingPeriods.some((p) => p.end < today && assignments.some((a) => a.sectionId === s.id && a.gradingPeriodId === p.id)))!;
  const period = section.gradingPeriods.find((p) => p.end < today && assignments.some((a) => a.sectionId === section.id && a.gradingPeriodId === p.id))!;
  expect((await teacherCall(token, `/api/gradebook/sections/${section.id}/periods/${period.id}/post`, {})).status).to.equal(200);
  const posted = find(await pullAll<GradeDocument>('grades', token));
  if (!posted) throw new Error('demo-teacher has no posted term grade with a score behind it');
  return posted;
}

/** The grade as the server has it now, read as demo-teacher. */
async function serverGrade(token: string, id: string): Promise<GradeDocument | undefined> {
  return (await pullAll<GradeDocument>('grades', token)).find((grade) => grade.id === id);
}

describe('hr-office-grades', () => {
  useAppAgainstApi(async () => {
    await setNetwork(true);
    await setViewport({ width: 800, height: 600 });
  });

  it('shows the tab only with the grades_admin right, and searches only the schools where it holds', () => {
    expect(staffTabsFor(['office'], ['accounts']).map((tab) => tab.view)).not.to.include('office-grades');
    expect(staffTabsFor(['office'], ['grades_admin']).map((tab) => tab.view)).to.include('office-grades');
    expect(staffTabsFor(['teacher'], ['grades_admin']).map((tab) => tab.view)).not.to.include('office-grades');

    const right = (schoolId: string | null) => ({ tool: 'grades_admin' as const, schoolId, expiresOn: '2027-06-30' });
    expect(gradeAdminSchools([{ ...right('north'), tool: 'accounts' }])).to.equal('none');
    expect(gradeAdminSchools([right(null), right('north')])).to.equal('all');
    const schools = gradeAdminSchools([right('north')]);
    const student = (id: string, firstName: string, lastName: string, studentNumber: string, schoolId: string): StudentDocument => ({
      id, firstName, lastName, preferredName: null, studentNumber, birthDate: null, gradeLevel: 10, homeLanguage: 'en', schoolId, schoolName: schoolId, relation: 'school',
    });
    const students = [student('a', 'Nguyễn', 'Thảo', '100231', 'north'), student('b', 'Hodan', 'Warsame', '100245', 'north'), student('c', 'Hodan', 'Ali', '100231', 'south')];
    expect(matchStudents(students, 'thao nguyen', schools).map((s) => s.id)).to.deep.equal(['a']);
    expect(matchStudents(students, '1002', schools).map((s) => s.id)).to.deep.equal(['a', 'b']);
    expect(matchStudents(students, 'hodan', schools).map((s) => s.id)).to.deep.equal(['b']);
    expect(matchStudents(students, 'hodan', 'all').map((s) => s.id)).to.deep.equal(['c', 'b']);
    expect(matchStudents(students, '  ', 'all')).to.deep.equal([]);
    expect(matchStudents(students, 'hodan', 'none')).to.deep.equal([]);
  });

  it('demo-office finds a student, reopens a posted term grade with a reason, and the teacher can change that period’s scores again', async function () {
    this.timeout(240_000);
    const teacher = await tokenOf(demo.teacher);
    // The office's device holds students and sections, and no grades: the screen reads them online.
    const { app, db } = await signInAndSync(demo.office, ['students', 'sections', 'grades'], 90_000);
    expect(await db.grades.count().exec()).to.equal(0);
    const target = await postedGradeOfTeacher(teacher, officeSchools().map((school) => school.id));
    const { section, periodId, grade, score } = target;
    const changed: ScoreDocument = { ...score, points: score.points! + 1, syncError: null };
    let reopened = false;
    try {
      // Posted: the teacher's change to that period is refused.
      const refused = await pushScore(teacher, score, changed);
      expect(refused.map((s) => s.syncError)).to.deep.equal(['grades_posted']);

      // The office's tab, shown for the grades_admin right.
      await waitFor(() => app.shadowRoot!.querySelector('hr-staff-nav')?.shadowRoot?.querySelector('a[href="#/office-grades"]'), 10_000);
      expect(textOf(app.shadowRoot!.querySelector('hr-staff-nav')!.shadowRoot!.querySelector('a[href="#/office-grades"]'))).to.equal(en.nav.grades);
      location.hash = '#/office-grades';
      const view: HrOfficeGrades = await viewOf(app, 'hr-office-grades', 15_000);
      expect(document.title).to.equal(en.grades.title);

      // Found by last name and first name, and by student number; the server's grade shows course, period and mark.
      const student = (await db.students.findOne(grade.studentId).exec())!.toJSON() as StudentDocument;
      type(view, '#student-search', `${student.lastName} ${student.firstName}`);
      await waitFor(() => view.shadowRoot!.querySelector(`button.student[data-id="${grade.studentId}"]`), 10_000);
      type(view, '#student-search', student.studentNumber);
      const choice = await waitFor(() => view.shadowRoot!.querySelector<HTMLButtonElement>(`button.student[data-id="${grade.studentId}"]`), 10_000);
      expect(view.shadowRoot!.querySelectorAll('button.student').length).to.equal(1);
      expect(textOf(choice)).to.include(studentDisplayName(student));
      // Offline, the grades cannot be read and the screen says why; online again, choosing the student reads them.
      await setNetwork(false);
      choice.focus();
      choice.click();
      await waitFor(() => textOf(view.shadowRoot!.querySelector('.grades-problem')) === en.grades.load.offline, 15_000);
      await setNetwork(true);
      choice.click();
      const row = () => view.shadowRoot!.querySelector<HTMLTableRowElement>(`table.posted tr[data-id="${grade.id}"]`);
      await waitFor(row, 10_000);
      const periodName = section.gradingPeriods.find((p) => p.id === periodId)!.name;
      expect(textOf(row()!.querySelector('th'))).to.equal(section.courseName);
      expect(textOf(row())).to.include(periodName);
      if (grade.mark) expect(textOf(row()!.querySelector('td.mark'))).to.include(grade.mark);
      expect(textOf(part(view, '#posted-title'))).to.include(student.studentNumber);
      await expectNoAxeViolations();

      // The reopen form: reached by keyboard, the reason is required.
      const reopen = row()!.querySelector<HTMLButtonElement>('button.reopen')!;
      reopen.focus();
      reopen.click();
      const reason = await waitFor(() => view.shadowRoot!.querySelector<HTMLTextAreaElement>('#reason'));
      await waitFor(() => view.shadowRoot!.activeElement === reason);
      expect(reopen.getAttribute('aria-expanded')).to.equal('true');
      part<HTMLFormElement>(view, 'form.reopen-form').requestSubmit();
      await waitFor(() => view.shadowRoot!.querySelector('#reason-error'));
      expect(textOf(part(view, '#reason-error'))).to.equal(en.grades.reasonRequired);
      expect(reason.getAttribute('aria-invalid')).to.equal('true');
      await expectNoAxeViolations();

      // The server's refusal, worded: a reason longer than it takes.
      reason.value = 'x'.repeat(501);
      part<HTMLFormElement>(view, 'form.reopen-form').requestSubmit();
      await waitFor(() => textOf(view.shadowRoot!.querySelector('.grades-status')) === en.grades.errors.validation_failed, 15_000);

      // Without a connection it says one is needed, and nothing changes.
      await setNetwork(false);
      reason.value = 'Late work accepted by arrangement with the family';
      part<HTMLFormElement>(view, 'form.reopen-form').requestSubmit();
      await waitFor(() => textOf(view.shadowRoot!.querySelector('.grades-status')) === en.grades.errors.offline, 15_000);
      await setNetwork(true);
      expect((await serverGrade(teacher, grade.id))?.status).to.equal('posted');

      // On a 320-pixel phone only the table scrolls sideways.
      await setViewport({ width: 320, height: 640 });
      await view.updateComplete;
      expect(document.documentElement.scrollWidth).to.be.at.most(320);
      expect(part(view, '.table-scroll').getBoundingClientRect().right).to.be.at.most(320);
      await expectNoAxeViolations();
      await setViewport({ width: 800, height: 600 });

      // Reopened: the server holds it in progress, and the row leaves the posted list.
      const periodLabel = textOf(row()!.querySelector('td'));
      reopened = true;
      part<HTMLFormElement>(view, 'form.reopen-form').requestSubmit();
      const notice = en.grades.reopened.replace('{{course}}', section.courseName).replace('{{period}}', periodLabel);
      await waitFor(() => textOf(view.shadowRoot!.querySelector('.grades-status')) === notice, 15_000);
      expect(row()).to.equal(null);
      await waitFor(() => view.shadowRoot!.activeElement?.matches('.grades-status .status.good'));
      expect((await serverGrade(teacher, grade.id))?.status).to.equal('in_progress');

      // The teacher's change to that period now goes through, and back again.
      expect(await pushScore(teacher, score, changed)).to.deep.equal([]);
      expect(await pushScore(teacher, changed, score)).to.deep.equal([]);
    } finally {
      // The demo data as it was: the teacher posts the period again.
      if (reopened) {
        await setNetwork(true);
        const posted = await teacherCall(teacher, `/api/gradebook/sections/${section.id}/periods/${periodId}/post`, {});
        expect(posted.status).to.equal(200);
      }
    }
    const after = await serverGrade(teacher, grade.id);
    expect(after).to.deep.include({ status: 'posted', percent: grade.percent, mark: grade.mark });
  });
});
