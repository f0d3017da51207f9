import { expect } from 'chai';
import en from '../../../locales/en/grades.json';
import vi from '../../../locales/vi/grades.json';
import type { AssignmentDocument } from '../../../server/contract/sync/assignments.ts';
import type { GradeDocument } from '../../../server/contract/sync/grades.ts';
import type { ScoreDocument } from '../../../server/contract/sync/scores.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { setLanguage } from '../../app/i18n.ts';
import { currentDataLayer } from '../../data/local-data.ts';
import { selectStudent } from '../../data/selected-student.ts';
import { currentMe } from '../../data/session.ts';
import { expectNoAxeViolations } from '../../test/api.ts';
import { part, signInAndOpen, useAppAgainstApi } from '../../test/app.ts';
import { textOf, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import { untilFirstSync } from '../../test/sync.ts';
import { localIsoDate, sectionsInTerm, sectionsOfStudent, termsOf } from '../schedule/schedule-terms.ts';
import { formatPercent, type HrGrades } from './hr-grades.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-grades');

interface Device {
  sections: SectionDocument[];
  grades: GradeDocument[];
  assignments: AssignmentDocument[];
  scores: ScoreDocument[];
}

/** What the device holds for one student in the current term. */
async function deviceRecords(studentId: string): Promise<Device> {
  const { db } = (await currentDataLayer())!;
  const json = async <T>(query: { exec(): Promise<Array<{ toJSON(): unknown }>> }) => (await query.exec()).map((doc) => doc.toJSON() as T);
  const mine = sectionsOfStudent(await json<SectionDocument>(db.sections.find()), studentId);
  const [term] = termsOf(mine, localIsoDate());
  const sections = term ? sectionsInTerm(mine, term.id) : [];
  const ids = new Set(sections.map((section) => section.id));
  return {
    sections,
    grades: (await json<GradeDocument>(db.grades.find())).filter((grade) => grade.studentId === studentId && ids.has(grade.sectionId)),
    assignments: (await json<AssignmentDocument>(db.assignments.find())).filter((assignment) => ids.has(assignment.sectionId)),
    scores: (await json<ScoreDocument>(db.scores.find())).filter((score) => score.studentId === studentId && ids.has(score.sectionId)),
  };
}

const openGrades = (username: string): Promise<HrGrades> => signInAndOpen(username, '#/grades', 'hr-grades');

/** Resolves once the grade book's collections have finished their first pull. */
const waitForFirstSync = () => untilFirstSync(['sections', 'grades', 'assignments', 'scores']);

const courseCards = (view: HrGrades) => [...view.shadowRoot!.querySelectorAll<HTMLElement>('section.course')];

describe('hr-grades', () => {
  useAppAgainstApi();

  it('shows the high-school child’s classes with percent and mark, each assignment’s flags and comment, and how the grade is calculated', async function () {
    this.timeout(40_000);
    const view = await openGrades(demo.guardian);
    const high = [...currentMe()!.students].sort((a, b) => b.gradeLevel - a.gradeLevel)[0]!;
    selectStudent(high.id);
    await waitForFirstSync();
    const device = await deviceRecords(high.id);
    expect(device.assignments.length, 'assignments on the device').to.be.greaterThan(0);
    await waitFor(() => courseCards(view).length === device.sections.length && view.shadowRoot!.querySelector('.percent'), 10_000);
    await view.updateComplete;
    expect(courseCards(view).map((card) => card.dataset.section)).to.deep.equal(device.sections.map((section) => section.id));

    // An in-progress grade: percent, mark and status, as the device holds it.
    const grade = device.grades.find((candidate) => candidate.kind === 'term' && candidate.status === 'in_progress' && candidate.percent !== null)!;
    const card = part(view, `section.course[data-section="${grade.sectionId}"]`);
    const period = card.querySelector<HTMLElement>(`[data-grading-period="${grade.gradingPeriodId}"]`)!;
    expect(textOf(period.querySelector('.percent'))).to.equal(formatPercent(grade.percent!, 'en'));
    expect(textOf(period.querySelector('.mark'))).to.equal(grade.mark);
    expect(textOf(period.querySelector('.status'))).to.equal(en.status.inProgress);
    // A posted grade says so, with its date.
    const posted = device.grades.find((candidate) => candidate.kind === 'term' && candidate.status === 'posted');
    if (posted) {
      const postedPeriod = part(view, `section.course[data-section="${posted.sectionId}"] [data-grading-period="${posted.gradingPeriodId}"]`);
      expect(textOf(postedPeriod.querySelector('.status'))).to.match(/^Posted on /);
    }

    // Opening the class's assignments, by keyboard.
    const details = period.querySelector('details')!;
    const summary = details.querySelector('summary')!;
    summary.focus();
    expect(view.shadowRoot!.activeElement).to.equal(summary);
    summary.click();
    await waitFor(() => details.open);
    const rows = [...details.querySelectorAll('tbody tr')];
    expect(rows.length).to.equal(device.assignments.filter((assignment) => assignment.sectionId === grade.sectionId && assignment.gradingPeriodId === grade.gradingPeriodId).length);
    const headers = [...details.querySelectorAll('thead th')].map(textOf);
    expect(headers).to.deep.equal([en.assignments.assignment, en.assignments.category, en.assignments.due, en.assignments.score, en.assignments.possible, en.assignments.flags, en.assignments.comment]);

    // A flagged score anywhere in the term, with its teacher's comment.
    const flagged = device.scores.find((score) => (score.missing || score.late) && score.comment) ?? device.scores.find((score) => score.missing || score.late)!;
    expect(flagged, 'a missing or late score in the demo data').to.not.equal(undefined);
    const flaggedAssignment = device.assignments.find((assignment) => assignment.id === flagged.assignmentId)!;
    const flaggedRow = part(view, `tr[data-assignment="${flagged.assignmentId}"]`);
    const badges = [...flaggedRow.querySelectorAll('.badges li')].map(textOf);
    if (flagged.missing) expect(badges).to.include(en.flags.missing);
    if (flagged.late) expect(badges).to.include(en.flags.late);
    expect(textOf(flaggedRow.querySelector('.comment'))).to.equal(flagged.comment);
    expect(textOf(flaggedRow.querySelector('th'))).to.equal(flaggedAssignment.name);
    expect(textOf(flaggedRow.querySelector('.possible'))).to.equal(String(flaggedAssignment.pointsPossible));

    // How the grade is calculated: each category's weight in words, and the device's result equals the school's.
    const calculation = details.querySelector('.calculation')!;
    expect(textOf(calculation.querySelector('h4'))).to.equal(en.calculation.title);
    const section = device.sections.find((candidate) => candidate.id === grade.sectionId)!;
    const homework = device.assignments.find((assignment) => assignment.sectionId === grade.sectionId && assignment.categoryName === 'Homework')!;
    if (section.gradingMethod === 'weighted') {
      expect(textOf(calculation)).to.include(`Homework counts ${homework.categoryWeight}%`);
    } else {
      expect(textOf(calculation)).to.include(en.calculation.points);
    }
    expect(textOf(calculation.querySelector('.result'))).to.equal(en.calculation.result.replace('{{percent}}', formatPercent(grade.percent!, 'en')));
    await expectNoAxeViolations();

    // In Vietnamese at once: headings, status, the explanation and the percent's format.
    await setLanguage('vi');
    await view.updateComplete;
    expect(textOf(part(view, 'h1'))).to.equal(vi.heading);
    expect(textOf(period.querySelector('.status'))).to.equal(vi.status.inProgress);
    expect(textOf(calculation.querySelector('h4'))).to.equal(vi.calculation.title);
    expect(textOf(calculation.querySelector('.result'))).to.equal(vi.calculation.result.replace('{{percent}}', formatPercent(grade.percent!, 'vi')));
    await expectNoAxeViolations();
    await setLanguage('en');
    await waitFor(() => currentMe()?.account.language === 'en');
  });

  it('shows an elementary child’s standards with levels 1–4 and what they mean, not percents', async function () {
    this.timeout(40_000);
    const view = await openGrades(demo.guardian);
    const elementary = [...currentMe()!.students].sort((a, b) => a.gradeLevel - b.gradeLevel)[0]!;
    selectStudent(elementary.id);
    await waitForFirstSync();
    await waitFor(() => view.shadowRoot!.querySelector('table.standards td.level'), 15_000);
    const device = await deviceRecords(elementary.id);
    const mark = device.grades.find((grade) => grade.kind === 'standard' && grade.proficiency !== null)!;
    expect(mark).to.not.equal(undefined);
    const row = part(view, `section.course[data-section="${mark.sectionId}"] [data-grading-period="${mark.gradingPeriodId}"] tr[data-standard="${mark.standardId}"]`);
    expect(textOf(row.querySelector('.level'))).to.equal(String(mark.proficiency));
    expect(textOf(row.querySelector('.meaning'))).to.include(en.standards.levels[String(mark.proficiency) as '1']);
    expect(textOf(row.querySelector('th'))).to.include(mark.standardCode!);
    expect(view.shadowRoot!.querySelector('.percent')).to.equal(null);
    await expectNoAxeViolations();
  });
});
