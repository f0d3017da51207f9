import { emulateMedia, setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import en from '../../../locales/en/schedule.json';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { currentDataLayer } from '../../data/local-data.ts';
import { currentMe } from '../../data/session.ts';
import { expectNoAxeViolations } from '../../test/api.ts';
import { part, signInAndOpen, useAppAgainstApi } from '../../test/app.ts';
import { textOf, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import type { HrSchedule } from './hr-schedule.ts';
import { localIsoDate, sectionsInTerm, sectionsOfStudent, termsOf } from './schedule-terms.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-schedule');

const courses = (view: HrSchedule) => [...view.shadowRoot!.querySelectorAll('tbody tr')].map((row) => row.getAttribute('data-section'));

/** What the device holds for one student in the current term, in the school day's order. */
async function currentTermSections(studentId: string): Promise<SectionDocument[]> {
  const layer = (await currentDataLayer())!;
  const all = (await layer.db.sections.find().exec()).map((doc) => doc.toJSON() as SectionDocument);
  const mine = sectionsOfStudent(all, studentId);
  const [term] = termsOf(mine, localIsoDate());
  return term ? sectionsInTerm(mine, term.id) : [];
}

const openSchedule = (username: string): Promise<HrSchedule> => signInAndOpen(username, '#/schedule', 'hr-schedule');

describe('hr-schedule', () => {
  useAppAgainstApi();

  it('shows the elementary child’s classes of the current term by period, and another child’s after switching', async function () {
    this.timeout(30_000);
    const view = await openSchedule(demo.guardian);
    const children = [...currentMe()!.students].sort((a, b) => a.gradeLevel - b.gradeLevel);
    const [elementary, , high] = children;
    await waitFor(() => courses(view).length > 0, 10_000);
    const expected = await currentTermSections(elementary!.id);
    expect(expected.length).to.be.greaterThan(0);
    expect(courses(view)).to.deep.equal(expected.map((section) => section.id));
    const first = expected[0]!;
    const row = part(view, `tr[data-section="${first.id}"]`);
    expect(textOf(row.querySelector('.course'))).to.include(first.courseName);
    expect(textOf(row.querySelector('th'))).to.equal(String(first.periodName ?? first.periodSequence));
    if (first.roomName) expect(textOf(row.querySelector('.room'))).to.equal(first.roomName);
    if (first.roomName && /^\d+$/.test(first.roomName)) expect(row.querySelector<HTMLElement>('.room')!.dataset.label).to.equal(en.table.room);
    const teacher = first.teachers.find((candidate) => candidate.email);
    if (teacher) {
      const link = row.querySelector<HTMLAnchorElement>(`a[href="mailto:${teacher.email}"]`)!;
      expect(textOf(link)).to.equal(teacher.name);
    }
    // The current term is chosen first in the picker, and marked as such.
    const picker = part<HTMLSelectElement>(view, '#term');
    expect(picker.value).to.equal(first.termId);
    expect(textOf(picker.selectedOptions[0])).to.equal(en.term.current.replace('{{name}}', first.termName));
    expect(textOf(part(view, 'caption'))).to.equal(en.table.caption.replace('{{term}}', first.termName));
    await expectNoAxeViolations();

    // Switching child (by keyboard on the switcher's select) changes the classes.
    const switcher = part(view, 'hr-student-switcher');
    const select = switcher.shadowRoot!.querySelector<HTMLSelectElement>('select')!;
    select.focus();
    select.value = high!.id;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    const highSections = await currentTermSections(high!.id);
    await waitFor(() => courses(view)[0] === highSections[0]?.id, 5000);
    expect(courses(view)).to.deep.equal(highSections.map((section) => section.id));
    expect(courses(view)).to.not.deep.equal(expected.map((section) => section.id));
    // A room the district names in words ("Room 104") shows without the column's word beside it
    // on a phone's cards (no "Room Room 104"); a bare number keeps it ("Room" 104, above).
    const named = highSections.find((section) => section.roomName && /\p{L}/u.test(section.roomName))!;
    expect(named, 'the high school names its rooms in words').to.exist;
    expect(part(view, `tr[data-section="${named.id}"] .room`).dataset.label).to.equal(undefined);
  });

  it('changes term with the picker and prints with the button', async function () {
    this.timeout(30_000);
    const view = await openSchedule(demo.student);
    await waitFor(() => courses(view).length > 0, 10_000);
    const picker = part<HTMLSelectElement>(view, '#term');
    const before = courses(view);
    if (picker.options.length > 1) {
      picker.value = picker.options[1]!.value;
      picker.dispatchEvent(new Event('change'));
      await view.updateComplete;
      expect(courses(view)).to.not.deep.equal(before);
      expect(textOf(part(view, 'h2'))).to.equal(textOf(picker.selectedOptions[0]));
    }
    // On a 320-pixel phone the page keeps its width; only the table scrolls sideways, by keyboard too.
    await setViewport({ width: 320, height: 640 });
    try {
      await view.updateComplete;
      expect(view.getBoundingClientRect().width).to.be.at.most(320);
      const scroller = part(view, '.scroll');
      expect(scroller.getBoundingClientRect().right).to.be.at.most(320);
      expect(scroller.getAttribute('tabindex')).to.equal('0');
      await expectNoAxeViolations();
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
    await waitFor(() => /^Last updated /.test(textOf(part(view, '.synced'))), 15_000);

    // On paper: the student's name heads the page; the picker, buttons, switcher and tabs are left out.
    await emulateMedia({ media: 'print' });
    try {
      const shown = (element: Element | null) => element !== null && getComputedStyle(element).display !== 'none';
      expect(shown(part(view, '.toolbar'))).to.equal(false);
      expect(shown(part(view, 'hr-student-switcher'))).to.equal(false);
      expect(shown(part(view, 'h1 .print-only'))).to.equal(true);
      expect(textOf(part(view, 'h1 .print-only'))).to.include(currentMe()!.person.lastName);
      expect(shown(part(view, 'table'))).to.equal(true);
      const nav = document.querySelector('hr-app')?.shadowRoot?.querySelector('hr-portal-nav');
      if (nav) expect(shown(nav)).to.equal(false);
    } finally {
      await emulateMedia({ media: 'screen' });
    }

    let printed = 0;
    const realPrint = window.print;
    window.print = () => {
      printed += 1;
    };
    try {
      const button = [...view.shadowRoot!.querySelectorAll('button')].find((candidate) => textOf(candidate) === en.print)!;
      button.focus();
      expect(view.shadowRoot!.activeElement).to.equal(button);
      button.click();
    } finally {
      window.print = realPrint;
    }
    expect(printed).to.equal(1);
    await expectNoAxeViolations();
  });
});
