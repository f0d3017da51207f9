/**
 * The gradebook as a spreadsheet (issue 13): a class of 30 students by 30 assignments on a
 * 1280 by 800 laptop. The sheet scrolls inside the page; the header row stays on top, the names
 * and the grade column stay on the left however far it is scrolled; the newest work is nearest
 * the names; a click edits a cell with a numeric keyboard, its number selected.
 *
 * The class is demo-teacher's current one, filled up on this device to 30 students and 30
 * assignments of its grading period (students, sections and assignments are pulled, never
 * pushed, so nothing reaches the server or another test file).
 */
import { setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import type { AssignmentDocument } from '../../../server/contract/sync/assignments.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import type { StudentDocument } from '../../../server/contract/sync/students.ts';
import { currentMe } from '../../data/session.ts';
import { expectNoAxeViolations } from '../../test/api.ts';
import { signInAndSync, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { waitFor } from '../../test/dom.ts';
import { useOwnDistrict } from '../../test/district.ts';
import { describe, it } from '../../test/mocha.ts';
import { currentGradingPeriod, localToday, sectionsMeetingOn, sectionsTaughtBy } from './roster.ts';

const demo = useOwnDistrict('hr-gradebook-sheet');
const SIZE = 30;

describe('hr-teacher-gradebook as a spreadsheet', () => {
  useAppAgainstApi(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  it('keeps 30 × 30 usable on a 1280 × 800 laptop: header row and names stay put, the grade is always in view, newest work first, a click edits', async function () {
    this.timeout(90_000);
    await setViewport({ width: 1280, height: 800 });
    const { app, db } = await signInAndSync(demo.teacher, ['students', 'sections', 'assignments', 'scores']);
    const today = localToday();
    const [section] = sectionsMeetingOn(sectionsTaughtBy((await db.sections.find().exec()).map((doc) => doc.toJSON() as SectionDocument), currentMe()), today);
    expect(section, 'demo-teacher has a class this term').to.not.equal(undefined);
    const work = (await db.assignments.find({ selector: { sectionId: section!.id } }).exec()).map((doc) => doc.toJSON() as AssignmentDocument);
    const periodId = currentGradingPeriod(work, today, section!.gradingPeriods)!;
    const template = work.find((assignment) => assignment.gradingPeriodId === periodId) ?? work[0]!;
    const inPeriod = work.filter((assignment) => assignment.gradingPeriodId === periodId);
    // Fill the class up on this device: 30 assignments of the period, 30 students on the roster.
    const day = (offset: number) => new Date(Date.parse(`${today}T12:00:00Z`) - offset * 86_400_000).toISOString().slice(0, 10);
    await db.assignments.bulkInsert(
      Array.from({ length: Math.max(0, SIZE - inPeriod.length) }, (_, index) => ({ ...template, id: crypto.randomUUID(), gradingPeriodId: periodId, name: `Exercise ${index + 1}`, dueOn: day(index + 1), assignedOn: day(index + 3) })),
    );
    const studentTemplate = (await db.students.findOne(section!.studentIds[0]!).exec())!.toJSON() as StudentDocument;
    const added = Array.from({ length: Math.max(0, SIZE - section!.studentIds.length) }, (_, index) => ({
      ...studentTemplate, id: crypto.randomUUID(), firstName: `Pupil${index + 1}`, lastName: `Sheet${String(index + 1).padStart(2, '0')}`, preferredName: '', studentNumber: `9${String(index).padStart(6, '0')}`,
    }));
    await db.students.bulkInsert(added);
    await (await db.sections.findOne(section!.id).exec())!.incrementalPatch({ studentIds: [...section!.studentIds, ...added.map((student) => student.id)] });

    location.hash = `#/gradebook?section=${section!.id}`;
    const view = await viewOf(app, 'hr-teacher-gradebook', 20_000);
    const root = view.shadowRoot!;
    await waitFor(() => root.querySelectorAll('table.grid tbody tr').length === SIZE && root.querySelectorAll('table.grid thead th[data-assignment]').length === SIZE, 20_000);

    // Newest work nearest the names.
    const shownDue = [...root.querySelectorAll<HTMLElement>('table.grid thead th[data-assignment]')].map((th) => (db.assignments.findOne(th.dataset.assignment!).exec()));
    const due = (await Promise.all(shownDue)).map((doc) => doc!.dueOn);
    expect(due).to.deep.equal([...due].sort().reverse());

    // The page does not scroll sideways; the sheet fits the window and scrolls inside.
    const sheet = root.querySelector<HTMLElement>('.sheet')!;
    expect(document.documentElement.scrollWidth).to.be.at.most(1280);
    const box = sheet.getBoundingClientRect();
    expect(box.right).to.be.at.most(1280);
    expect(box.height).to.be.at.most(800);
    expect(sheet.scrollWidth).to.be.greaterThan(sheet.clientWidth);
    expect(sheet.scrollHeight).to.be.greaterThan(sheet.clientHeight);

    // Scrolled to the far corner: the header row, the names and the grades are still where they were.
    const firstHeader = root.querySelector<HTMLElement>('table.grid thead th.name')!;
    const lastRow = root.querySelector<HTMLElement>('table.grid tbody tr:last-child')!;
    sheet.scrollLeft = sheet.scrollWidth;
    sheet.scrollTop = sheet.scrollHeight;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const inner = sheet.getBoundingClientRect();
    const near = (a: number, b: number) => Math.abs(a - b) <= 2;
    expect(near(firstHeader.getBoundingClientRect().top, inner.top + sheet.clientTop), 'the header row stays on top').to.equal(true);
    const name = lastRow.querySelector<HTMLElement>('th.name')!.getBoundingClientRect();
    const grade = lastRow.querySelector<HTMLElement>('td.grade')!.getBoundingClientRect();
    expect(near(name.left, inner.left + sheet.clientLeft), 'the names stay on the left').to.equal(true);
    expect(near(grade.left, name.right), 'the grade sits beside the name').to.equal(true);
    expect(grade.right).to.be.at.most(inner.right);
    expect(grade.bottom).to.be.at.most(inner.bottom + 1);
    const lastCell = lastRow.querySelector<HTMLInputElement>('td.score:last-child input')!.getBoundingClientRect();
    expect(lastCell.left, 'the oldest work is reached by scrolling, not hidden under the names').to.be.at.least(grade.right - 1);

    // A click edits: numeric keyboard, the number selected so typing replaces it.
    sheet.scrollLeft = 0;
    const cell = root.querySelector<HTMLInputElement>('input[data-row="2"][data-column="1"]')!;
    cell.click();
    await waitFor(() => cell.classList.contains('editing') && !cell.readOnly, 5000);
    expect(cell.inputMode).to.equal('decimal');
    expect(root.activeElement).to.equal(cell);
    expect([cell.selectionStart, cell.selectionEnd]).to.deep.equal([0, cell.value.length]);
    await expectNoAxeViolations();

    // On a 320-pixel phone the held names and grades leave room for a score beside them.
    await setViewport({ width: 320, height: 640 });
    await view.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    sheet.scrollLeft = 0;
    expect(document.documentElement.scrollWidth).to.be.at.most(320);
    const held = root.querySelector<HTMLElement>('table.grid tbody tr td.grade')!.getBoundingClientRect();
    const first = root.querySelector<HTMLElement>('input[data-row="0"][data-column="0"]')!.getBoundingClientRect();
    expect(first.left).to.be.at.least(held.right - 1);
    expect(first.right, 'a whole score cell is in view beside the names and grades').to.be.at.most(sheet.getBoundingClientRect().right);
  });
});
