import { expect } from 'chai';
import en from '../../../locales/en/teacher.json';
import type { AssignmentDocument } from '../../../server/contract/sync/assignments.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { calculateGrade, type GradeScore } from '../../../server/domain/grade-calc.ts';
import type { HrApp } from '../../app/hr-app.ts';
import type { HomeroomDatabase } from '../../data/database.ts';
import { currentDataLayer } from '../../data/local-data.ts';
import { getSyncState } from '../../data/sync-state.ts';
import { authorizedFetch, currentMe } from '../../data/session.ts';
import { demoPassword, expectNoAxeViolations } from '../../test/api.ts';
import { expectFitsPhone, mountApp, signInThroughApp, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { textOf, waitFor, waitForAsync } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import { formatPercent } from '../grades/gradebook.ts';
import type { HrTeacherGradebook } from './hr-teacher-gradebook.ts';
import { currentGradingPeriod, localToday, sectionsTaughtBy } from './roster.ts';
import { pretendNetwork } from '../../test/sync.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts), on a school day: its tests need classes today. */
const demo = useOwnDistrict('hr-gradebook-setup', { day: 'school-day' });

interface CategorySetting {
  id: string;
  name: string;
  weight: number;
  dropLowest: number;
}

/** The section's categories as the device has them (each assignment carries its own). */
function categoriesOf(work: readonly AssignmentDocument[]): CategorySetting[] {
  const categories = new Map(work.map((a) => [a.categoryId, { id: a.categoryId, name: a.categoryName, weight: a.categoryWeight, dropLowest: a.categoryDropLowest }]));
  return [...categories.values()];
}

async function sectionWork(db: HomeroomDatabase, sectionId: string): Promise<AssignmentDocument[]> {
  return (await db.assignments.find({ selector: { sectionId } }).exec()).map((doc) => doc.toJSON() as AssignmentDocument);
}

/** Puts a section's categories back as they were (straight to the route, so a failed test still restores). */
async function putCategories(sectionId: string, categories: readonly CategorySetting[]): Promise<void> {
  const response = await authorizedFetch(`/api/gradebook/sections/${sectionId}/categories`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ categories: categories.map(({ id, name, weight, dropLowest }) => ({ id, name, weight, dropLowest })) }),
  });
  expect(response.status, 'categories restored').to.equal(200);
}

/** The grade the shared calculation gives a student for the period's work, with `weights` by category. */
async function expectedGrade(db: HomeroomDatabase, section: SectionDocument, studentId: string, weights: ReadonlyMap<string, number>): Promise<string> {
  const work = await sectionWork(db, section.id);
  const periodId = currentGradingPeriod(work, localToday(), section.gradingPeriods);
  const columns = work.filter((a) => a.gradingPeriodId === periodId);
  const scores = (await db.scores.find({ selector: { studentId, sectionId: section.id } }).exec()).map((doc) => doc.toJSON());
  const counted = columns.flatMap((a): GradeScore[] => {
    const score = scores.find((s) => s.assignmentId === a.id);
    return score ? [{ ...score, categoryId: a.categoryId, pointsPossible: a.pointsPossible }] : [];
  });
  const categories = categoriesOf(columns).map((c) => ({ ...c, weight: weights.get(c.id) ?? c.weight }));
  const { percent } = calculateGrade(categories, counted, { method: 'weighted', missingCountsAsZero: true, decimals: 1 });
  return percent === null ? en.gradebook.noGrade : formatPercent(percent, 'en');
}

interface Opened {
  app: HrApp;
  book: HrTeacherGradebook;
  root: ShadowRoot;
  db: HomeroomDatabase;
  section: SectionDocument;
}

/**
 * demo-teacher's gradebook for a weighted class whose current period has graded work in at
 * least two weighted categories (so a weight moves grades), once its scores have synced.
 */
async function openGradebook(): Promise<Opened> {
  const app = await mountApp('#/sign-in');
  await signInThroughApp(app, demo.teacher, demoPassword);
  await viewOf(app, 'hr-teacher');
  const db = (await currentDataLayer())!.db;
  // The class is chosen from what the device holds once sections, work and scores have all come.
  await waitForAsync(async () => {
    for (const name of ['sections', 'assignments', 'scores'] as const) if ((await getSyncState(db, name)).lastSyncedAt === null) return false;
    return currentMe() !== undefined;
  }, 30_000);
  const today = localToday();
  const sections = sectionsTaughtBy((await db.sections.find().exec()).map((doc) => doc.toJSON() as SectionDocument), currentMe());
  let chosen: SectionDocument | undefined;
  for (const section of sections.filter((s) => s.gradingMethod !== 'points' && s.termStart <= today && s.termEnd >= today && s.studentIds.length > 0)) {
    const work = await sectionWork(db, section.id);
    const periodId = currentGradingPeriod(work, today, section.gradingPeriods);
    const weighted = categoriesOf(work.filter((a) => a.gradingPeriodId === periodId)).filter((c) => c.weight > 0);
    if (weighted.length >= 2) {
      chosen = section;
      break;
    }
  }
  expect(chosen, `a weighted class of demo-teacher with work in two categories (of ${sections.length} sections taught)`).to.not.equal(undefined);
  location.hash = `#/gradebook?section=${chosen!.id}`;
  const book = (await viewOf(app, 'hr-teacher-gradebook')) as HrTeacherGradebook;
  await waitFor(() => book.shadowRoot!.querySelector('table.grid tbody tr td.grade'), 20_000);
  return { app, book, root: book.shadowRoot!, db, section: chosen! };
}

/** Opens a <details> panel as a keyboard user would reach it: its summary is a focusable control. */
async function openPanel(book: HrTeacherGradebook, selector: string): Promise<HTMLDetailsElement> {
  const panel = await waitFor(() => book.shadowRoot!.querySelector<HTMLDetailsElement>(selector), 10_000);
  const summary = panel.querySelector('summary')!;
  summary.focus();
  expect(book.shadowRoot!.activeElement).to.equal(summary);
  if (!panel.open) summary.click();
  await book.updateComplete;
  expect(panel.open).to.equal(true);
  return panel;
}

/** Selects the grid column of `assignmentId` by focusing its first cell. */
async function selectColumn(book: HrTeacherGradebook, assignmentId: string): Promise<void> {
  const root = book.shadowRoot!;
  const column = await waitFor(() => {
    const index = [...root.querySelectorAll<HTMLElement>('table.grid thead th[data-assignment]')].findIndex((th) => th.dataset.assignment === assignmentId);
    return index === -1 ? undefined : String(index);
  }, 20_000);
  root.querySelector<HTMLInputElement>(`table.grid input[data-row="0"][data-column="${column}"]`)!.focus();
  await book.updateComplete;
}

function typeInto(input: HTMLInputElement | HTMLSelectElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

describe('gradebook setup: categories and assignments', () => {
  /** Undo steps of the running test, run even when it fails. */
  let restore: Array<() => Promise<void>> = [];

  useAppAgainstApi(async () => {
    delete (navigator as { onLine?: boolean }).onLine;
    for (const step of restore.reverse()) await step();
    restore = [];
  });

  it('changes a category weight: the sum is explained, and the grade column follows the shared calculation once synced', async function () {
    this.timeout(120_000);
    const { book, root, db, section } = await openGradebook();
    const original = categoriesOf(await sectionWork(db, section.id));
    restore.push(async () => {
      const now = categoriesOf(await sectionWork(db, section.id));
      if (original.every((c) => now.some((n) => n.id === c.id && n.weight === c.weight && n.name === c.name && n.dropLowest === c.dropLowest))) return;
      await putCategories(section.id, original);
      await waitForAsync(async () => categoriesOf(await sectionWork(db, section.id)).every((n) => original.some((c) => c.id === n.id && c.weight === n.weight)));
    });

    const panel = await openPanel(book, 'details.categories');
    const rows = [...panel.querySelectorAll<HTMLTableRowElement>('tr[data-category]')];
    expect(rows.map((row) => row.dataset.category).sort()).to.deep.equal(original.map((c) => c.id).sort());
    const total = original.reduce((sum, c) => sum + c.weight, 0);
    expect(textOf(panel.querySelector('.sum'))).to.equal(total === 100 ? en.setup.categories.sumExact : en.setup.categories.sumOther.replace('{{total}}', String(total)));
    expect(textOf(panel)).to.include(en.setup.categories.renormalised);
    // Every field is labelled with its category.
    for (const input of panel.querySelectorAll<HTMLInputElement>('tr[data-category] input')) expect(input.getAttribute('aria-label')).to.match(/\S/);

    // A weight that moves the first student's grade as the shared calculation says.
    const studentRow = root.querySelector<HTMLTableRowElement>('table.grid tbody tr')!;
    const studentId = studentRow.dataset.student!;
    // The device may still be taking in the last pages of scores: the grade settles on the calculation's.
    const before = await waitForAsync(async () => {
      const shown = textOf(studentRow.querySelector('td.grade'));
      return shown === (await expectedGrade(db, section, studentId, new Map())) && shown;
    });
    let change: { category: CategorySetting; weight: number; expected: string } | undefined;
    for (const category of original.filter((c) => c.weight > 0)) {
      for (const weight of [90, 5, 55]) {
        if (weight === category.weight) continue;
        const expected = await expectedGrade(db, section, studentId, new Map([[category.id, weight]]));
        if (expected !== before) {
          change = { category, weight, expected };
          break;
        }
      }
      if (change) break;
    }
    expect(change, 'a weight that changes the grade').to.not.equal(undefined);
    const weightInput = panel.querySelector<HTMLInputElement>(`tr[data-category="${change!.category.id}"] input[name="weight"]`)!;
    typeInto(weightInput, String(change!.weight));
    await book.updateComplete;
    const newTotal = total - change!.category.weight + change!.weight;
    expect(textOf(panel.querySelector('.sum'))).to.equal(newTotal === 100 ? en.setup.categories.sumExact : en.setup.categories.sumOther.replace('{{total}}', String(newTotal)));

    panel.querySelector<HTMLButtonElement>('form.categories button[type="submit"]')!.click();
    await waitFor(() => textOf(panel.querySelector('.setup-message')) === en.setup.categories.saved, 15_000);
    // Sync brings the new weight to every assignment of the category, and the grade follows.
    await waitForAsync(async () => (await sectionWork(db, section.id)).filter((a) => a.categoryId === change!.category.id).every((a) => a.categoryWeight === change!.weight));
    await waitFor(() => textOf(studentRow.querySelector('td.grade')) === change!.expected, 15_000);
    expect(weightInput.value).to.equal(String(change!.weight));
    await expectNoAxeViolations();
    await expectFitsPhone(book);

    // Offline, nothing is sent and the panel says why.
    pretendNetwork(false);
    panel.querySelector<HTMLButtonElement>('form.categories button[type="submit"]')!.click();
    await waitFor(() => textOf(panel.querySelector('.setup-message')) === en.setup.categories.offline, 5000);
    pretendNetwork(true);

    // Put back through the panel itself; the grade returns to what it was.
    typeInto(weightInput, String(change!.category.weight));
    panel.querySelector<HTMLButtonElement>('form.categories button[type="submit"]')!.click();
    await waitFor(() => textOf(panel.querySelector('.setup-message')) === en.setup.categories.saved, 15_000);
    await waitForAsync(async () => (await sectionWork(db, section.id)).filter((a) => a.categoryId === change!.category.id).every((a) => a.categoryWeight === change!.category.weight));
    await waitFor(() => textOf(studentRow.querySelector('td.grade')) === before, 15_000);
  });

  it('edits the selected assignment’s points, and shows the server’s refusal to move it into a posted period', async function () {
    this.timeout(120_000);
    const { book, root, db, section } = await openGradebook();
    const assignmentId = root.querySelector<HTMLElement>('table.grid thead th[data-assignment]')!.dataset.assignment!;
    const original = (await db.assignments.findOne(assignmentId).exec())!.toJSON() as AssignmentDocument;
    restore.push(async () => {
      const now = (await db.assignments.findOne(assignmentId).exec())?.toJSON() as AssignmentDocument | undefined;
      if (now && now.pointsPossible === original.pointsPossible && now.gradingPeriodId === original.gradingPeriodId) return;
      const body = {
        categoryId: original.categoryId, gradingPeriodId: original.gradingPeriodId, name: original.name, description: original.description,
        pointsPossible: original.pointsPossible, assignedOn: original.assignedOn, dueOn: original.dueOn, published: original.published,
      };
      const response = await authorizedFetch(`/api/gradebook/assignments/${assignmentId}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, 'assignment restored').to.equal(204);
      await waitForAsync(async () => (await db.assignments.findOne(assignmentId).exec())?.pointsPossible === original.pointsPossible);
    });

    await selectColumn(book, assignmentId);
    const panel = await openPanel(book, 'details.edit-assignment');
    expect(textOf(panel.querySelector('summary'))).to.equal(en.setup.assignment.title.replace('{{name}}', original.name));
    const form = panel.querySelector<HTMLFormElement>('form.edit-assignment')!;
    const field = <T extends HTMLElement>(name: string) => form.querySelector<T>(`[name="${name}"]`)!;
    expect(field<HTMLInputElement>('name').value).to.equal(original.name);
    expect(field<HTMLSelectElement>('categoryId').value).to.equal(original.categoryId);
    expect(field<HTMLInputElement>('pointsPossible').value).to.equal(String(original.pointsPossible));
    expect(field<HTMLInputElement>('dueOn').value).to.equal(original.dueOn);
    // Each field has a visible label around it.
    for (const control of form.querySelectorAll('input, select, textarea')) expect(textOf(control.closest('label')?.querySelector('span'))).to.match(/\S/);

    const points = original.pointsPossible + 5;
    typeInto(field<HTMLInputElement>('pointsPossible'), String(points));
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitFor(() => textOf(panel.querySelector('.setup-message')) === en.setup.assignment.saved, 15_000);
    await waitForAsync(async () => (await db.assignments.findOne(assignmentId).exec())?.pointsPossible === points);
    const header = () => textOf(root.querySelector(`table.grid thead th[data-assignment="${assignmentId}"]`));
    await waitFor(() => header().includes(en.gradebook.possible.replace('{{points}}', String(points))), 15_000);
    await expectNoAxeViolations();
    await expectFitsPhone(book);

    // A grading period already posted takes no work: refused, with the reason in our words.
    const posted = [...section.gradingPeriods].filter((p) => p.end < localToday()).sort((a, b) => a.start.localeCompare(b.start))[0];
    expect(posted, 'a past (posted) grading period in the demo term').to.not.equal(undefined);
    typeInto(field<HTMLSelectElement>('gradingPeriodId'), posted!.id);
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitFor(() => textOf(panel.querySelector('.setup-message')) === en.setup.errors.grades_posted, 15_000);
    expect(panel.querySelector('.setup-message .notice.error')).to.not.equal(null);
    expect((await db.assignments.findOne(assignmentId).exec())!.gradingPeriodId).to.equal(original.gradingPeriodId);

    // Back as it was, through the form.
    typeInto(field<HTMLSelectElement>('gradingPeriodId'), original.gradingPeriodId);
    typeInto(field<HTMLInputElement>('pointsPossible'), String(original.pointsPossible));
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitFor(() => textOf(panel.querySelector('.setup-message')) === en.setup.assignment.saved, 15_000);
    await waitForAsync(async () => (await db.assignments.findOne(assignmentId).exec())?.pointsPossible === original.pointsPossible);
    await waitFor(() => header().includes(en.gradebook.possible.replace('{{points}}', String(original.pointsPossible))), 15_000);
  });

  it('creates an assignment, then deletes it after a confirmation that can be cancelled', async function () {
    this.timeout(120_000);
    const { book, root, db, section } = await openGradebook();
    const name = `Setup check ${Date.now()}`;
    restore.push(async () => {
      for (const left of await db.assignments.find({ selector: { sectionId: section.id, name } }).exec()) {
        await authorizedFetch(`/api/gradebook/assignments/${left.id}`, { method: 'DELETE' });
      }
    });

    const creation = await openPanel(book, 'details:has(form.new-assignment)');
    const form = creation.querySelector<HTMLFormElement>('form.new-assignment')!;
    typeInto(form.querySelector<HTMLInputElement>('[name="name"]')!, name);
    typeInto(form.querySelector<HTMLInputElement>('[name="pointsPossible"]')!, '12');
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitFor(() => textOf(root.querySelector('.message')) === en.gradebook.assignment.created, 15_000);
    const created = await waitForAsync(async () => (await db.assignments.findOne({ selector: { sectionId: section.id, name } }).exec())?.id);

    await selectColumn(book, created);
    const panel = await openPanel(book, 'details.edit-assignment');
    expect(textOf(panel.querySelector('summary'))).to.include(name);
    // Asking first; cancelling deletes nothing.
    panel.querySelector<HTMLButtonElement>('button.delete')!.click();
    await book.updateComplete;
    // Focus moves to the safe choice, not lost with the button that opened the question.
    await waitFor(() => root.activeElement?.matches('.confirm-delete button.secondary'), 5000);
    expect(textOf(panel.querySelector('#confirm-delete-text'))).to.equal(en.setup.assignment.confirmEmpty.replace('{{name}}', name));
    await expectNoAxeViolations();
    const [, cancel] = [...panel.querySelectorAll<HTMLButtonElement>('.confirm-delete button')];
    cancel!.click();
    await book.updateComplete;
    expect(panel.querySelector('.confirm-delete')).to.equal(null);
    await waitFor(() => root.activeElement?.matches('button.delete'), 5000);
    expect(await db.assignments.findOne(created).exec()).to.not.equal(null);

    panel.querySelector<HTMLButtonElement>('button.delete')!.click();
    await book.updateComplete;
    panel.querySelector<HTMLButtonElement>('.confirm-delete button.danger')!.click();
    await waitFor(() => textOf(panel.querySelector('.setup-message')) === en.setup.assignment.deleted.replace('{{name}}', name), 15_000);
    // Sync removes it from the device and the grid.
    await waitForAsync(async () => (await db.assignments.findOne(created).exec()) === null);
    await waitFor(() => root.querySelector(`table.grid thead th[data-assignment="${created}"]`) === null, 15_000);
    await expectNoAxeViolations();
  });
});
