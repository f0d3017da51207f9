import { setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import en from '../../../locales/en/teacher.json';
import portalEn from '../../../locales/en/portal.json';
import type { AttendanceDocument } from '../../../server/contract/sync/attendance.ts';
import type { ScoreDocument } from '../../../server/contract/sync/scores.ts';
import { currentDataLayer } from '../../data/local-data.ts';
import { getSyncState } from '../../data/sync-state.ts';
import { getOutbox } from '../../data/outbox.ts';
import { currentMe } from '../../data/session.ts';
import { demoPassword, expectNoAxeViolations } from '../../test/api.ts';
import { expectFitsPhone, mountApp, part, signInThroughApp, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { textOf, unmountAll, waitFor, waitForAsync } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import type { HrApp } from '../../app/hr-app.ts';
import type { HrTakeAttendance } from './hr-take-attendance.ts';
import './hr-take-attendance.ts';
import './hr-teacher-gradebook.ts';
import './hr-teacher.ts';
import type { HrTeacher } from './hr-teacher.ts';
import type { HrTeacherGradebook } from './hr-teacher-gradebook.ts';
import { localToday } from './roster.ts';
import { calculateGrade, type GradeScore } from '../../../server/domain/grade-calc.ts';
import { formatPercent } from '../grades/gradebook.ts';
import { cutApi, holdPulls, pretendNetwork, pullAll, untilFirstSync } from '../../test/sync.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts), on a school day: its tests need classes today. */
const demo = useOwnDistrict('hr-teacher', { day: 'school-day' });

async function openWorkspace(): Promise<{ app: HrApp; view: HrTeacher }> {
  const app = await mountApp('#/sign-in');
  await signInThroughApp(app, demo.teacher, demoPassword);
  const view = await viewOf(app, 'hr-teacher');
  await waitFor(() => view.shadowRoot!.querySelector('table.roster tbody tr'), 15_000);
  return { app, view };
}

const sectionCards = (view: HrTeacher) => [...view.shadowRoot!.querySelectorAll<HTMLElement>('section.card')];

describe('teacher workspace', () => {
  let restoreFetch: (() => void) | undefined;

  useAppAgainstApi(async () => {
    restoreFetch?.();
    restoreFetch = undefined;
    delete (navigator as { onLine?: boolean }).onLine;
  });

  it('lands demo-teacher on her classes meeting today, in period order, each with its roster and flags', async function () {
    this.timeout(40_000);
    const { app, view } = await openWorkspace();
    expect(location.hash).to.equal('#/teacher');
    expect(document.title).to.equal(en.title);
    // Staff navigation instead of the family portal's.
    const nav = app.shadowRoot!.querySelector('hr-staff-nav')!;
    expect(nav).to.not.equal(null);
    expect(app.shadowRoot!.querySelector('hr-portal-nav')).to.equal(null);
    await waitFor(() => nav.shadowRoot!.querySelector('a[aria-current="page"]'));
    expect(textOf(nav.shadowRoot!.querySelector('a[aria-current="page"]'))).to.equal(en.nav.teacher);

    const layer = (await currentDataLayer())!;
    const today = localToday();
    const me = currentMe()!;
    const name = `${me.person.firstName} ${me.person.lastName}`;
    const sections = (await layer.db.sections.find().exec())
      .map((doc) => doc.toJSON())
      .filter((section) => section.termStart <= today && section.termEnd >= today && section.teachers.some((teacher) => teacher.name === name));
    expect(sections.length).to.be.greaterThan(0);
    const cards = sectionCards(view);
    expect(cards).to.have.length(sections.length);
    const shownOrder = cards.map((card) => textOf(card.querySelector('h2')));
    const expectedOrder = [...sections]
      .sort((a, b) => (a.periodSequence ?? 99) - (b.periodSequence ?? 99) || a.courseName.localeCompare(b.courseName) || a.id.localeCompare(b.id))
      .map((section) => `${section.courseName} (${section.sectionNumber})`);
    expect(shownOrder).to.deep.equal(expectedOrder);
    // The district's own period and room names, not wrapped in a second "Period"/"Room".
    for (const [index, card] of cards.entries()) {
      const meta = textOf(card.querySelector('.meta'));
      const section = sections.find((candidate) => `${candidate.courseName} (${candidate.sectionNumber})` === shownOrder[index])!;
      expect(meta).to.not.match(/Period Period|Room Room/);
      if (section.periodName) expect(meta).to.contain(section.periodName);
      if (section.roomName) expect(meta).to.contain(section.roomName);
    }

    // Each student's flags match the device's marks and scores.
    const first = sections.find((section) => `${section.courseName} (${section.sectionNumber})` === shownOrder[0])!;
    const rows = [...cards[0]!.querySelectorAll<HTMLTableRowElement>('table.roster tbody tr')];
    expect(rows.length).to.be.greaterThan(0);
    const students = (await layer.db.students.find({ selector: { relation: 'teacher' } }).exec()).map((doc) => doc.toJSON());
    const marks = (await layer.db.attendance.find().exec()).map((doc) => doc.toJSON());
    const scores = (await layer.db.scores.find({ selector: { sectionId: first.id, missing: true } }).exec()).map((doc) => doc.toJSON());
    for (const row of rows) {
      const student = students.find((candidate) => `${candidate.preferredName || candidate.firstName} ${candidate.lastName}` === textOf(row.querySelector('th')))!;
      expect(student, textOf(row.querySelector('th'))).to.not.equal(undefined);
      const absences = marks.filter((mark) => mark.studentId === student.id && mark.status === 'absent' && mark.date >= first.termStart && mark.date <= first.termEnd).length;
      expect(textOf(row.querySelector('td.absences'))).to.equal(String(absences));
      expect(textOf(row.querySelector('td.missing'))).to.equal(String(scores.filter((score) => score.studentId === student.id).length));
    }
    await expectNoAxeViolations();

    // A 320-pixel phone: the page keeps its width, only the rosters scroll.
    await setViewport({ width: 320, height: 640 });
    try {
      await view.updateComplete;
      expect(document.documentElement.scrollWidth).to.be.at.most(320);
      await expectNoAxeViolations();
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('says her classes are loading until they have synced once (never "no classes today" before), then when the screen was last updated', async function () {
    this.timeout(40_000);
    // The device's first sections pull is held.
    const release = holdPulls('sections');
    let view: HrTeacher;
    try {
      const app = await mountApp('#/sign-in');
      await signInThroughApp(app, demo.teacher, demoPassword);
      view = await viewOf(app, 'hr-teacher');
      await untilFirstSync(['students', 'attendance', 'scores']);
      await view.updateComplete;
      expect(view.shadowRoot!.querySelector('.loading'), 'it says it is loading').to.not.equal(null);
      expect(textOf(view.shadowRoot!.querySelector('.page'))).to.not.include(en.today.none);
      expect(textOf(part(view, '.synced'))).to.equal(portalEn.status.never);
    } finally {
      release();
    }
    await waitFor(() => view.shadowRoot!.querySelector('.loading') === null, 30_000);
    await waitFor(() => /^Last updated/.test(textOf(view.shadowRoot!.querySelector('.synced'))), 30_000);
  });

  it('never shows a class with students as having none (a count of 0) while its records are being read', async function () {
    this.timeout(60_000);
    const { view } = await openWorkspace();
    expect(sectionCards(view).length).to.be.greaterThan(0);
    const none = [en.today.students_other.replace('{{count}}', '0'), en.roster.empty];
    // Every state the screens render, read right after each render (before the browser paints).
    const seen: Array<{ tag: string; text: string }> = [];
    const watched = ['hr-teacher', 'hr-take-attendance', 'hr-teacher-gradebook'] as const;
    const restore = watched.map((tag) => {
      const prototype = customElements.get(tag)!.prototype as { render(): unknown };
      const render = prototype.render;
      prototype.render = function (this: HTMLElement) {
        const result = render.call(this);
        queueMicrotask(() => seen.push({ tag, text: textOf(this.shadowRoot!.querySelector('.page')) }));
        return result;
      };
      return () => void (prototype.render = render);
    });
    try {
      // The app opened again on this device: a reload keeps the records, and each query reads
      // them from storage anew (RxDB's cache of this page's queries is emptied).
      const layer = (await currentDataLayer())!;
      const forgetQueries = () => {
        for (const collection of Object.values(layer.db.collections)) (collection as unknown as { _queryCache: { _map: Map<string, unknown> } })._queryCache._map.clear();
      };
      unmountAll();
      forgetQueries();
      const again = await mountApp('#/teacher');
      const shown = await viewOf(again, 'hr-teacher');
      await waitFor(() => shown.shadowRoot!.querySelectorAll('table.roster tbody tr').length > 0, 15_000);
      // The first class's attendance screen and gradebook, opened straight from their addresses.
      const card = sectionCards(shown)[0]!;
      const link = (href: string) => card.querySelector<HTMLAnchorElement>(`a[href^="${href}"]`)!.getAttribute('href')!;
      const [attendanceLink, gradebookLink] = [link('#/take-attendance'), link('#/gradebook')];
      unmountAll();
      forgetQueries();
      const taking = await viewOf(await mountApp(attendanceLink), 'hr-take-attendance');
      await waitFor(() => taking.shadowRoot!.querySelectorAll('ul.marks li').length > 0, 15_000);
      await taking.updateComplete;
      unmountAll();
      forgetQueries();
      const gradebook = await viewOf(await mountApp(gradebookLink), 'hr-teacher-gradebook');
      await waitFor(() => gradebook.shadowRoot!.querySelectorAll('table.grid tbody tr').length > 0, 15_000);
      await gradebook.updateComplete;
    } finally {
      for (const undo of restore) undo();
    }
    const teacherStates = seen.filter((state) => state.tag === 'hr-teacher');
    expect(teacherStates.length).to.be.greaterThan(0);
    for (const { text } of teacherStates) for (const words of none) expect(text, 'her classes screen').to.not.include(words);
    const takingStates = seen.filter((state) => state.tag === 'hr-take-attendance');
    expect(takingStates.length).to.be.greaterThan(0);
    const noOne = en.attendance.summary.replace('{{present}}', '0').replace('{{absent}}', '0').replace('{{tardy}}', '0');
    for (const { text } of takingStates) expect(text, 'the attendance screen').to.not.include(noOne);
    const gradebookStates = seen.filter((state) => state.tag === 'hr-teacher-gradebook');
    expect(gradebookStates.length).to.be.greaterThan(0);
    for (const { text } of gradebookStates) expect(text, 'the gradebook').to.not.include(en.gradebook.empty);
  });

  it('takes attendance with the API cut: waiting to be sent, then saved and on the server', async function () {
    this.timeout(60_000);
    const { app, view } = await openWorkspace();
    const link = sectionCards(view)[0]!.querySelector<HTMLAnchorElement>('a[href^="#/take-attendance"]')!;
    const sectionId = new URLSearchParams(link.getAttribute('href')!.split('?')[1]).get('section')!;
    link.click();
    const taking = (await viewOf(app, 'hr-take-attendance')) as HrTakeAttendance;
    await waitFor(() => taking.shadowRoot!.querySelectorAll('ul.marks li').length > 1, 10_000);
    // Today's stored marks are on the device (the list shows them, not the default).
    const synced = (await currentDataLayer())!;
    await waitForAsync(async () => (await getSyncState(synced.db, 'attendance')).lastSyncedAt !== null, 15_000);
    await taking.updateComplete;
    const items = [...taking.shadowRoot!.querySelectorAll<HTMLLIElement>('ul.marks li')];
    const statusOf = (studentId: string) => textOf(taking.shadowRoot!.querySelector(`li[data-student="${studentId}"] .status-word`));
    // Two students marked present so far (the browser tests share one demo district, and other
    // files mark demo-teacher's classes too): marking them is a change to send.
    const present = items.map((item) => item.dataset.student!).filter((studentId) => statusOf(studentId) === en.attendance.status.present);
    expect(present.length, 'two students present so far').to.be.at.least(2);
    const [absentId, tardyId] = [present[0]!, present[1]!];
    const tapUntil = async (studentId: string, status: string) => {
      for (let taps = 0; statusOf(studentId) !== status && taps < 3; taps++) {
        taking.shadowRoot!.querySelector<HTMLButtonElement>(`li[data-student="${studentId}"] button.mark`)!.click();
        await taking.updateComplete;
      }
      expect(statusOf(studentId)).to.equal(status);
    };

    restoreFetch = cutApi();
    pretendNetwork(false);
    await tapUntil(absentId, en.attendance.status.absent);
    await tapUntil(tardyId, en.attendance.status.tardy);
    const minutes = taking.shadowRoot!.querySelector<HTMLInputElement>(`li[data-student="${tardyId}"] input[type="number"]`)!;
    minutes.value = '7';
    minutes.dispatchEvent(new Event('change'));
    await taking.updateComplete;
    taking.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();

    const layer = (await currentDataLayer())!;
    const today = localToday();
    await waitForAsync(async () => (await layer.db.attendance.find({ selector: { sectionId, date: today } }).exec()).length >= items.length, 5000);
    const stateOf = (studentId: string) => textOf(taking.shadowRoot!.querySelector(`li[data-student="${studentId}"] .state`));
    await waitFor(() => stateOf(absentId) === en.attendance.state.waiting && stateOf(tardyId) === en.attendance.state.waiting, 5000);
    expect(textOf(taking.shadowRoot!.querySelector('.save-status'))).to.equal(en.attendance.savedWaiting);
    await expectNoAxeViolations();
    await expectFitsPhone(taking);

    restoreFetch();
    restoreFetch = undefined;
    pretendNetwork(true);
    layer.sync.reSync(['attendance']);
    await waitFor(() => stateOf(absentId) === en.attendance.state.saved && stateOf(tardyId) === en.attendance.state.saved, 20_000);
    const onServer = (await pullAll<AttendanceDocument>('attendance')).filter((mark) => mark.sectionId === sectionId && mark.date === today);
    expect(onServer.find((mark) => mark.studentId === absentId)?.status).to.equal('absent');
    expect(onServer.find((mark) => mark.studentId === tardyId)).to.deep.include({ status: 'tardy', minutes: 7, excuse: 'unknown' });
    expect(onServer.length).to.equal(items.length);
  });

  it('has a gradebook grid reachable by keyboard where typing a score updates the grade column', async function () {
    this.timeout(60_000);
    const { app, view } = await openWorkspace();
    // The first class with coursework in the current grading period.
    const links = sectionCards(view).map((card) => card.querySelector<HTMLAnchorElement>('a[href^="#/gradebook"]')!);
    let book: HrTeacherGradebook | undefined;
    for (const link of links) {
      link.click();
      book = (await viewOf(app, 'hr-teacher-gradebook')) as HrTeacherGradebook;
      try {
        await waitFor(() => book!.shadowRoot!.querySelector('table.grid tbody tr'), 5000);
        break;
      } catch {
        location.hash = '#/teacher';
        await viewOf(app, 'hr-teacher');
        book = undefined;
      }
    }
    expect(book, 'a class with a gradebook').to.not.equal(undefined);
    const root = book!.shadowRoot!;
    // One tab stop in the grid: the active cell.
    const focusable = [...root.querySelectorAll<HTMLInputElement>('table.grid input')].filter((input) => input.tabIndex === 0);
    expect(focusable).to.have.length(1);
    const start = focusable[0]!;
    start.focus();
    const active = () => root.activeElement as HTMLInputElement;
    const press = async (key: string) => {
      active().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true }));
      await book!.updateComplete;
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    await press('ArrowRight');
    expect(active().dataset.column).to.equal(root.querySelectorAll('table.grid thead th[data-assignment]').length > 1 ? '1' : '0');
    await press('ArrowDown');
    expect(active().dataset.row).to.equal('1');
    await press('ArrowLeft');
    await press('ArrowUp');
    expect([active().dataset.row, active().dataset.column]).to.deep.equal(['0', '0']);

    // Typing a number enters a score; Enter saves it and moves down.
    const row = root.querySelector<HTMLTableRowElement>('table.grid tbody tr')!;
    const studentId = row.dataset.student!;
    const assignmentId = root.querySelector<HTMLElement>('table.grid thead th[data-assignment]')!.dataset.assignment!;
    const layer = (await currentDataLayer())!;
    const assignment = (await layer.db.assignments.findOne(assignmentId).exec())!.toJSON();
    // The grade the shared calculation gives this student with `points` on this assignment.
    const section = (await layer.db.sections.findOne(assignment.sectionId).exec())!.toJSON();
    const period = (await layer.db.assignments.find({ selector: { sectionId: assignment.sectionId, gradingPeriodId: assignment.gradingPeriodId } }).exec()).map((doc) => doc.toJSON());
    const studentScores = (await layer.db.scores.find({ selector: { studentId, sectionId: assignment.sectionId } }).exec()).map((doc) => doc.toJSON());
    const gradeWith = (points: number) => {
      const categories = [...new Map(period.map((work) => [work.categoryId, { id: work.categoryId, weight: work.categoryWeight, dropLowest: work.categoryDropLowest }])).values()];
      const counted = period.flatMap((work): GradeScore[] => {
        const score = studentScores.find((candidate) => candidate.assignmentId === work.id);
        if (work.id === assignmentId) return [{ ...(score ?? { missing: false, exempt: false, incomplete: false, dropped: false }), assignmentId, categoryId: work.categoryId, pointsPossible: work.pointsPossible, points, exempt: false }];
        return score ? [{ ...score, categoryId: work.categoryId, pointsPossible: work.pointsPossible }] : [];
      });
      return calculateGrade(categories, counted, { method: section.gradingMethod === 'points' ? 'points' : 'weighted', missingCountsAsZero: true, decimals: 1 }).percent;
    };
    const current = studentScores.find((score) => score.assignmentId === assignmentId)?.points ?? null;
    // A score that moves the grade (with "drop the lowest", some scores would not).
    const shown = (points: number | null) => (points === null ? en.gradebook.noGrade : formatPercent(points, 'en'));
    const before = textOf(row.querySelector('td.grade'));
    expect(before).to.not.contain('NaN');
    const target = [0, assignment.pointsPossible, Math.floor(assignment.pointsPossible / 2), 1].find((points) => points !== current && shown(gradeWith(points)) !== before)!;
    expect(target, 'a score that changes the grade').to.not.equal(undefined);
    if (studentScores.find((score) => score.assignmentId === assignmentId)?.exempt) throw new Error('the first score is exempt: pick another cell');
    await press(String(target)[0]!);
    active().value = String(target);
    await press('Enter');
    await waitFor(() => active().dataset.row === '1', 5000);
    await waitForAsync(async () => (await layer.db.scores.findOne({ selector: { studentId, assignmentId } }).exec())?.points === target, 5000);
    await waitFor(() => textOf(row.querySelector('td.grade')) === shown(gradeWith(target)), 5000);
    await expectNoAxeViolations();
    await expectFitsPhone(book!);

    // The server takes it.
    await waitForAsync(async () => (await pullAll<ScoreDocument>('scores')).some((score) => score.studentId === studentId && score.assignmentId === assignmentId && score.points === target), 20_000);
  });

  it('flags a score and comments on it from the small form, and asks before posting term grades (online only)', async function () {
    this.timeout(60_000);
    const app = await mountApp('#/sign-in');
    await signInThroughApp(app, demo.teacher, demoPassword);
    await viewOf(app, 'hr-teacher');
    location.hash = '#/gradebook';
    let book = (await viewOf(app, 'hr-teacher-gradebook')) as HrTeacherGradebook;
    // Without a class: a choice of today's classes.
    await waitFor(() => book.shadowRoot!.querySelectorAll('a[href^="#/gradebook?section="]').length > 0, 15_000);
    const choices = [...book.shadowRoot!.querySelectorAll<HTMLAnchorElement>('a[href^="#/gradebook?section="]')];
    for (const choice of choices) {
      choice.click();
      book = (await viewOf(app, 'hr-teacher-gradebook')) as HrTeacherGradebook;
      try {
        await waitFor(() => book.shadowRoot!.querySelector('table.grid tbody tr'), 5000);
        break;
      } catch {
        location.hash = '#/gradebook';
        await book.updateComplete;
      }
    }
    const root = book.shadowRoot!;
    const layer = (await currentDataLayer())!;
    await waitForAsync(async () => (await getSyncState(layer.db, 'scores')).lastSyncedAt !== null, 15_000);
    // A score the device holds (changing it patches it; a new one is covered by the grid test).
    const rows = [...root.querySelectorAll<HTMLTableRowElement>('table.grid tbody tr')];
    const assignmentIds = [...root.querySelectorAll<HTMLElement>('table.grid thead th[data-assignment]')].map((th) => th.dataset.assignment!);
    const held = await waitForAsync(async () => {
      const scores = (await layer.db.scores.find().exec()).map((doc) => doc.toJSON());
      for (const [r, tr] of rows.entries()) {
        const c = assignmentIds.findIndex((id) => scores.some((score) => score.studentId === tr.dataset.student && score.assignmentId === id));
        if (c !== -1) return { r, c };
      }
      return undefined;
    }, 15_000);
    const row = rows[held.r]!;
    const studentId = row.dataset.student!;
    const assignmentId = assignmentIds[held.c]!;
    root.querySelector<HTMLInputElement>(`input[data-row="${held.r}"][data-column="${held.c}"]`)!.focus();
    await book.updateComplete;
    const form = root.querySelector<HTMLFormElement>('form.details')!;
    expect(textOf(form.querySelector('legend'))).to.include(textOf(row.querySelector('th')));
    const before = (await layer.db.scores.findOne({ selector: { studentId, assignmentId } }).exec())?.toJSON();
    const late = form.querySelector<HTMLInputElement>('input[name="late"]')!;
    late.checked = !(before?.late ?? false);
    const comment = `Handed in after the bell (${Date.now()}).`;
    form.querySelector<HTMLTextAreaElement>('textarea[name="comment"]')!.value = comment;
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitForAsync(async () => (await layer.db.scores.findOne({ selector: { studentId, assignmentId } }).exec())?.comment === comment, 5000);
    const found = await layer.db.scores.findOne({ selector: { studentId, assignmentId } }).exec();
    if (!found) throw new Error(`gone: before ${JSON.stringify(before)} outbox ${JSON.stringify(await getOutbox(layer.db, 'scores'))}`);
    const after = found.toJSON();
    expect(after.late).to.equal(!(before?.late ?? false));
    if (after.late) await waitFor(() => textOf(row.querySelector('td.score .cell-flags')).includes(en.gradebook.flags.late), 5000);
    await expectNoAxeViolations();

    // Posting asks first; cancelling posts nothing. Offline, it says a connection is needed.
    root.querySelector<HTMLButtonElement>('button.post')!.click();
    await book.updateComplete;
    expect(textOf(root.querySelector('#confirm-text'))).to.equal(en.gradebook.post.confirm);
    await expectNoAxeViolations();
    const [yes, no] = [...root.querySelectorAll<HTMLButtonElement>('.confirm button')];
    no!.click();
    await book.updateComplete;
    expect(root.querySelector('.confirm')).to.equal(null);
    pretendNetwork(false);
    root.querySelector<HTMLButtonElement>('button.post')!.click();
    await book.updateComplete;
    expect(yes).to.not.equal(undefined);
    root.querySelector<HTMLButtonElement>('.confirm button')!.click();
    await waitFor(() => textOf(root.querySelector('.message')) === en.gradebook.post.offline, 3000);
  });
});
