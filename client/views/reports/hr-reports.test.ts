import { expect } from 'chai';
import en from '../../../locales/en/reports.json';
import type { GradeDocument } from '../../../server/contract/sync/grades.ts';
import type { ScoreDocument } from '../../../server/contract/sync/scores.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { currentDataLayer } from '../../data/local-data.ts';
import { selectStudent } from '../../data/selected-student.ts';
import { currentMe } from '../../data/session.ts';
import { expectNoAxeViolations } from '../../test/api.ts';
import { part, signInAndOpen, useAppAgainstApi } from '../../test/app.ts';
import { textOf, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import { untilFirstSync } from '../../test/sync.ts';
import { formatPercent } from '../grades/gradebook.ts';
import type { HrReports } from './hr-reports.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-reports');

const openReports = (username: string): Promise<HrReports> => signInAndOpen(username, '#/reports', 'hr-reports');

/** Resolves once the grade book's collections have finished their first pull. */
const waitForFirstSync = () => untilFirstSync(['sections', 'grades', 'assignments', 'scores']);

async function device<T>(name: 'sections' | 'grades' | 'scores'): Promise<T[]> {
  const { db } = (await currentDataLayer())!;
  return (await db[name].find().exec()).map((doc) => doc.toJSON() as T);
}

describe('hr-reports', () => {
  useAppAgainstApi();

  it('prints the high-school child’s report card of posted grades and list of missing work', async function () {
    this.timeout(40_000);
    const view = await openReports(demo.guardian);
    const high = [...currentMe()!.students].sort((a, b) => b.gradeLevel - a.gradeLevel)[0]!;
    selectStudent(high.id);
    await waitForFirstSync();
    const sections = (await device<SectionDocument>('sections')).filter((section) => section.studentIds.includes(high.id));
    const ids = new Set(sections.map((section) => section.id));
    const posted = (await device<GradeDocument>('grades')).filter((grade) => grade.studentId === high.id && grade.status === 'posted' && ids.has(grade.sectionId));
    expect(posted.length, 'posted grades in the demo data').to.be.greaterThan(0);

    // The report card: every posted grade, none in progress.
    await waitFor(() => view.shadowRoot!.querySelectorAll('table.report-card tbody tr').length === posted.length, 10_000);
    const grade = posted.find((candidate) => candidate.percent !== null)!;
    const row = part(view, `tr[data-grade="${grade.id}"]`);
    expect(textOf(row.querySelector('.result'))).to.equal(`${formatPercent(grade.percent!, 'en')} · ${grade.mark}`);
    expect(textOf(part(view, '.paper h2'))).to.equal(en.reportCard.heading);
    expect(textOf(part(view, '.paper-meta'))).to.include(high.firstName);
    await expectNoAxeViolations();

    // The missing-assignments list, chosen by keyboard in the picker.
    const picker = part<HTMLSelectElement>(view, '#report');
    picker.focus();
    picker.value = 'missing';
    picker.dispatchEvent(new Event('change'));
    await view.updateComplete;
    const missing = (await device<ScoreDocument>('scores')).filter((score) => score.studentId === high.id && score.missing && !score.exempt && ids.has(score.sectionId));
    expect(textOf(part(view, '.paper h2'))).to.equal(en.missing.heading);
    const rows = [...view.shadowRoot!.querySelectorAll('table.missing tbody tr')].map((tr) => tr.getAttribute('data-assignment'));
    expect(rows.sort()).to.deep.equal(missing.map((score) => score.assignmentId).sort());
    if (missing.length > 0) {
      expect(textOf(part(view, '.count'))).to.equal((missing.length === 1 ? en.missing.count_one : en.missing.count_other).replace('{{count}}', String(missing.length)));
    }

    let printed = 0;
    const realPrint = window.print;
    window.print = () => {
      printed += 1;
    };
    try {
      const button = [...view.shadowRoot!.querySelectorAll('button')].find((candidate) => textOf(candidate) === en.print)!;
      button.click();
    } finally {
      window.print = realPrint;
    }
    expect(printed).to.equal(1);
    await expectNoAxeViolations();
  });
});
