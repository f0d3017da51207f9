import { LitElement, css, html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { AssignmentDocument } from '../../../server/contract/sync/assignments.ts';
import { scoreId, type ScoreDocument } from '../../../server/contract/sync/scores.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { calculateGrade } from '../../../server/domain/grade-calc.ts';
import { HashRouteController } from '../../app/hash-route-controller.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { currentLanguage, t, type TranslationKey } from '../../app/i18n.ts';
import { LocalDatabaseController } from '../../app/local-database-controller.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { apiRequest } from '../../data/api.ts';
import { emptyOutbox, observeOutbox, refusalKey } from '../../data/outbox.ts';
import { RxController } from '../../data/rx-controller.ts';
import { observeSyncState } from '../../data/sync-state.ts';
import { authorizedFetch, currentMe } from '../../data/session.ts';
import { formatNumber } from '../../lib/format.ts';
import { formatPercent } from '../grades/gradebook.ts';
import { classRecords, recordsLoaded } from './class-records.ts';
import { periodLabel } from './place-names.ts';
import { currentGradingPeriod, localToday, sectionsMeetingOn, sectionsTaughtBy, studentName, type RosterEntry } from './roster.ts';
import { teacherStyles } from './teacher.styles.ts';

const FLAGS = ['missing', 'late', 'exempt', 'incomplete', 'dropped'] as const;
type Flag = (typeof FLAGS)[number];

/** The district default (missing work counts as zero) and the schools' rounding, as the server computes. */
const CALCULATION_DEFAULTS = { missingCountsAsZero: true, decimals: 1 } as const;

type ScoreChange = Partial<Pick<ScoreDocument, 'points' | 'comment' | Flag>>;

/** One row of the categories panel, as the categories route takes it. */
interface CategorySetting {
  id: string;
  name: string;
  weight: number;
  dropLowest: number;
}

/** Server refusals the setup forms explain in their own words; anything else is generic. */
const SETUP_ERRORS = new Map<string, TranslationKey>([
  ['grades_posted', 'teacher:setup.errors.grades_posted'],
  ['category_in_use', 'teacher:setup.errors.category_in_use'],
  ['validation_failed', 'teacher:setup.errors.validation_failed'],
  ['forbidden', 'teacher:setup.errors.forbidden'],
  ['not_found', 'teacher:setup.errors.not_found'],
  ['offline', 'teacher:setup.errors.offline'],
]);

const setupError = (code: string): string => t(SETUP_ERRORS.get(code) ?? 'teacher:setup.errors.generic');

/**
 * @summary One class's gradebook (`#/gradebook?section=<id>`): a grid of students by the
 * current grading period's assignments. Arrow keys move, typing a number or Enter edits, Enter
 * saves, Escape cancels; flags and a comment for the selected score below the grid. Scores are
 * written on the device (sent with the next sync) and the grade column recomputes at once with
 * the shared calculation. Posting term grades, creating, editing or deleting work and changing
 * the categories' weights need the network; their changes come back to the grid through sync.
 */
export class HrTeacherGradebook extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    teacherStyles,
    css`
      /*
       * A spreadsheet: the sheet scrolls both ways inside the page, the header row stays on top,
       * the names and the grade stay on the left. 30 students by 30 assignments fit a 1280 by 800
       * laptop without zooming out (client/views/teacher/hr-gradebook-sheet.test.ts).
       */
      .sheet {
        --name-width: 11rem;
        --grade-width: 5.5rem;
        max-width: 100%;
        max-height: min(75vh, 48rem);
        overflow: auto;
        border: 1px solid var(--hr-color-border);
        border-radius: var(--hr-radius);
      }
      /* On a phone the held columns leave room for the scores. */
      @media (max-width: 37.5rem) {
        .sheet {
          --name-width: 6.5rem;
          --grade-width: 4rem;
        }
      }
      .grid {
        border-collapse: separate;
        border-spacing: 0;
      }
      .grid th,
      .grid td {
        white-space: nowrap;
        background: var(--hr-color-surface);
      }
      .grid thead th {
        position: sticky;
        top: 0;
        z-index: 2;
        vertical-align: bottom;
        max-width: 7rem;
        white-space: normal;
        overflow-wrap: anywhere;
      }
      .grid .name {
        position: sticky;
        left: 0;
        z-index: 1;
        width: var(--name-width);
        min-width: var(--name-width);
        max-width: var(--name-width);
        white-space: normal;
      }
      .grid .grade {
        position: sticky;
        left: var(--name-width);
        z-index: 1;
        width: var(--grade-width);
        min-width: var(--grade-width);
        max-width: var(--grade-width);
        white-space: normal;
        border-inline-end: 2px solid var(--hr-color-border);
      }
      /* Held columns keep their width: long names and "no grade yet" wrap inside them. */
      .grid .name,
      .grid .grade {
        overflow-wrap: anywhere;
      }
      .grid thead .name,
      .grid thead .grade {
        z-index: 3;
      }
      .grid caption {
        position: sticky;
        left: 0;
        text-align: start;
      }
      .grid td.score {
        padding: var(--hr-space-1);
      }
      .grid input {
        width: 4rem;
        min-height: var(--hr-target-size);
        padding: 0 var(--hr-space-2);
        border: 1px solid var(--hr-color-field-border);
        border-radius: var(--hr-radius);
        font: inherit;
        text-align: end;
      }
      .grid input.active {
        outline: 3px solid var(--hr-color-brand);
        outline-offset: 1px;
      }
      .grid input.editing {
        background: var(--hr-color-brand-soft);
      }
      .cell-flags {
        display: block;
        font-size: var(--hr-font-size-small);
        color: var(--hr-color-ink-muted);
      }
      .grade {
        font-weight: 700;
      }
      fieldset {
        border: 1px solid var(--hr-color-border);
        border-radius: var(--hr-radius);
        padding: var(--hr-space-3);
      }
      .checks {
        display: flex;
        flex-wrap: wrap;
        gap: var(--hr-space-3);
      }
      .checks label,
      .field {
        display: flex;
        align-items: center;
        gap: var(--hr-space-2);
        min-height: var(--hr-target-size);
      }
      .field {
        flex-direction: column;
        align-items: stretch;
        margin: var(--hr-space-2) 0;
      }
      .field input,
      .field select,
      .field textarea {
        min-height: var(--hr-target-size);
        font: inherit;
      }
      .setup input[type='number'] {
        width: 5.5rem;
      }
      .setup input[type='text'] {
        width: 100%;
        min-width: 8rem;
      }
      .setup td input {
        min-height: var(--hr-target-size);
        font: inherit;
      }
      .setup .sum {
        font-weight: 700;
      }
    `,
  ];

  static override properties = {
    sectionId: { state: true },
    active: { state: true },
    editing: { state: true },
    confirmingPost: { state: true },
    message: { state: true },
    typedTotal: { state: true },
    categoriesMessage: { state: true },
    assignmentMessage: { state: true },
    confirmingDelete: { state: true },
    busy: { state: true },
  };

  declare private sectionId: string | null;
  /** The selected cell: row (student) and column (assignment). */
  declare private active: { row: number; column: number };
  declare private editing: boolean;
  declare private confirmingPost: boolean;
  /** The outcome of the last post or new assignment, announced. */
  declare private message: { text: string; error: boolean } | undefined;
  /** The sum of the weights as typed in the categories panel (its fields keep what was typed). */
  declare private typedTotal: number | undefined;
  declare private categoriesMessage: { text: string; error: boolean } | undefined;
  declare private assignmentMessage: { text: string; error: boolean } | undefined;
  /** The assignment whose deletion waits for a yes. */
  declare private confirmingDelete: string | undefined;
  /** A setup request is on its way (its buttons wait). */
  declare private busy: boolean;

  private readonly i18n = new I18nController(this);
  private readonly today = localToday();
  private readonly records = classRecords(this);
  private readonly assignments = new RxController(this, (db) => db.assignments.find().$);
  private readonly outbox = new RxController(this, (db) => observeOutbox(db, 'scores'));
  private readonly assignmentsSynced = new RxController(this, (db) => observeSyncState(db, 'assignments'));
  private readonly route = new HashRouteController(this, 'gradebook', (params) => {
    const sectionId = params.get('section');
    if (sectionId === this.sectionId) return;
    this.sectionId = sectionId;
    this.clearSectionState();
  });
  private readonly db = new LocalDatabaseController(this);

  constructor() {
    super();
    this.sectionId = null;
    this.busy = false;
    this.clearSectionState();
  }

  /** The state of one class's page, cleared when another class opens. */
  private clearSectionState(): void {
    this.active = { row: 0, column: 0 };
    this.editing = false;
    this.confirmingPost = false;
    this.message = undefined;
    this.typedTotal = undefined;
    this.categoriesMessage = undefined;
    this.assignmentMessage = undefined;
    this.confirmingDelete = undefined;
  }

  /**
   * The class's records and work are read and have synced once: a score typed before the stored
   * ones arrived would take a slot another device already holds (and be refused as changed
   * elsewhere), and an empty grid before then would be a guess.
   */
  private get loaded(): boolean {
    return this.records.loaded() && recordsLoaded([this.assignments], [this.assignmentsSynced]);
  }

  private section(): SectionDocument | undefined {
    return this.records.section(this.sectionId);
  }

  private sectionWork(): AssignmentDocument[] {
    return (this.assignments.value ?? []).filter((assignment) => assignment.sectionId === this.sectionId);
  }

  /** The section's categories as the device knows them: those carried by its assignments. */
  private deviceCategories(): CategorySetting[] {
    const categories = new Map<string, CategorySetting>();
    for (const assignment of this.sectionWork()) {
      categories.set(assignment.categoryId, { id: assignment.categoryId, name: assignment.categoryName, weight: assignment.categoryWeight, dropLowest: assignment.categoryDropLowest });
    }
    return [...categories.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  private periodId(): string | undefined {
    return currentGradingPeriod(this.sectionWork(), this.today, this.section()?.gradingPeriods);
  }

  private columns(): AssignmentDocument[] {
    const periodId = this.periodId();
    return this.sectionWork()
      .filter((assignment) => assignment.gradingPeriodId === periodId)
      // Newest work nearest the names (and the first cell), as teachers enter it.
      .sort((a, b) => b.dueOn.localeCompare(a.dueOn) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  private rows(section: SectionDocument): RosterEntry[] {
    return this.records.roster(section);
  }

  private scoreOf(studentId: string, assignmentId: string): ScoreDocument | undefined {
    return (this.records.scores.value ?? []).find((score) => score.studentId === studentId && score.assignmentId === assignmentId);
  }

  /** Inserts or changes one score on the device; the data layer sends it. */
  private async writeScore(studentId: string, assignment: AssignmentDocument, change: ScoreChange): Promise<void> {
    const db = this.db.value;
    if (!db) return;
    const existing = await db.scores.findOne({ selector: { studentId, assignmentId: assignment.id } }).exec();
    if (existing) {
      const unchanged = Object.entries(change).every(([field, value]) => existing.get(field) === value);
      if (unchanged && !existing.syncError) return;
      await existing.incrementalPatch({ ...change, syncError: null });
      return;
    }
    await db.scores.insert({
      id: scoreId(assignment.id, studentId),
      assignmentId: assignment.id,
      studentId,
      sectionId: assignment.sectionId,
      points: null,
      missing: false,
      late: false,
      exempt: false,
      incomplete: false,
      dropped: false,
      comment: '',
      gradedAt: null,
      syncError: null,
      ...change,
    });
  }

  private cellInput(row: number, column: number): HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLInputElement>(`input[data-row="${row}"][data-column="${column}"]`);
  }

  private async moveTo(row: number, column: number, rowCount: number, columnCount: number): Promise<void> {
    this.active = { row: Math.max(0, Math.min(rowCount - 1, row)), column: Math.max(0, Math.min(columnCount - 1, column)) };
    await this.updateComplete;
    this.cellInput(this.active.row, this.active.column)?.focus();
  }

  private async commit(input: HTMLInputElement, entry: RosterEntry, assignment: AssignmentDocument): Promise<void> {
    this.editing = false;
    const typed = input.value.trim().replace(',', '.');
    if (typed === '') {
      if (this.scoreOf(entry.student.id, assignment.id)) await this.writeScore(entry.student.id, assignment, { points: null });
      return;
    }
    const points = Number(typed);
    if (!Number.isFinite(points) || points < 0) {
      input.value = this.shownPoints(this.scoreOf(entry.student.id, assignment.id));
      return;
    }
    await this.writeScore(entry.student.id, assignment, { points: Math.round(points * 100) / 100 });
  }

  private shownPoints(score: ScoreDocument | undefined): string {
    return score?.points === null || score?.points === undefined ? '' : String(score.points);
  }

  /** A tap or click edits the cell (its number selected, so what is typed replaces it); keys keep moving as before. */
  private async onCellClick(event: MouseEvent, row: number, column: number): Promise<void> {
    const input = event.target as HTMLInputElement;
    if (this.editing && this.active.row === row && this.active.column === column) return;
    this.active = { row, column };
    this.editing = true;
    await this.updateComplete;
    input.select();
  }

  private onCellKeydown(event: KeyboardEvent, rowCount: number, columnCount: number, entry: RosterEntry, assignment: AssignmentDocument): void {
    const input = event.target as HTMLInputElement;
    const { row, column } = this.active;
    if (this.editing) {
      if (event.key === 'Enter') {
        event.preventDefault();
        void this.commit(input, entry, assignment).then(() => this.moveTo(row + 1, column, rowCount, columnCount));
      } else if (event.key === 'Escape') {
        event.preventDefault();
        input.value = this.shownPoints(this.scoreOf(entry.student.id, assignment.id));
        this.editing = false;
      } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
        event.preventDefault();
        void this.commit(input, entry, assignment).then(() => this.moveTo(row + (event.key === 'ArrowUp' ? -1 : 1), column, rowCount, columnCount));
      }
      return;
    }
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      void this.moveTo(row + move[0], column + move[1], rowCount, columnCount);
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      void this.moveTo(row, event.key === 'Home' ? 0 : columnCount - 1, rowCount, columnCount);
    } else if (event.key === 'Enter' || event.key === 'F2') {
      event.preventDefault();
      this.editing = true;
      input.select();
    } else if (/^[0-9.,]$/.test(event.key)) {
      // Typing a number over a score replaces it, as in a spreadsheet.
      event.preventDefault();
      this.editing = true;
      input.value = event.key;
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      input.value = '';
      void this.commit(input, entry, assignment);
    }
  }

  private onCellBlur(event: FocusEvent, entry: RosterEntry, assignment: AssignmentDocument): void {
    if (this.editing) void this.commit(event.target as HTMLInputElement, entry, assignment);
  }

  private gradeOf(section: SectionDocument, studentId: string, columns: readonly AssignmentDocument[]): number | null {
    const categories = new Map(columns.map((assignment) => [assignment.categoryId, { id: assignment.categoryId, weight: assignment.categoryWeight, dropLowest: assignment.categoryDropLowest }]));
    const scores = columns.flatMap((assignment) => {
      const score = this.scoreOf(studentId, assignment.id);
      // Named fields: the query gives RxDocuments, whose fields are getters that a spread would lose.
      return score
        ? [{ assignmentId: assignment.id, categoryId: assignment.categoryId, pointsPossible: assignment.pointsPossible, points: score.points, missing: score.missing, exempt: score.exempt, incomplete: score.incomplete, dropped: score.dropped }]
        : [];
    });
    return calculateGrade([...categories.values()], scores, { method: section.gradingMethod === 'points' ? 'points' : 'weighted', ...CALCULATION_DEFAULTS }).percent;
  }

  /** Where a cell's score stands: waiting to be sent, or refused with the server's reason (a refused new score is gone from the device). */
  private cellState(studentId: string, assignmentId: string, score: ScoreDocument | undefined): { state: 'waiting' } | { state: 'refused'; reason: string } | undefined {
    const outbox = this.outbox.value ?? emptyOutbox;
    if (score?.syncError) return { state: 'refused', reason: score.syncError };
    if (score && outbox.pending.includes(score.id)) return { state: 'waiting' };
    const refused = outbox.refused.find((entry) => (score ? entry.id === score.id : entry.document.studentId === studentId && entry.document.assignmentId === assignmentId));
    return refused ? { state: 'refused', reason: refused.code } : undefined;
  }

  private async saveDetails(event: Event, entry: RosterEntry, assignment: AssignmentDocument): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const change: ScoreChange = { comment: String(data.get('comment') ?? '').slice(0, 2000) };
    for (const flag of FLAGS) change[flag] = data.get(flag) === 'on';
    await this.writeScore(entry.student.id, assignment, change);
  }

  private async post(section: SectionDocument, periodId: string): Promise<void> {
    this.confirmingPost = false;
    if (!navigator.onLine) {
      this.message = { text: t('teacher:gradebook.post.offline'), error: true };
      return;
    }
    try {
      const response = await authorizedFetch(`/api/gradebook/sections/${section.id}/periods/${periodId}/post`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      if (!response.ok) throw new Error(String(response.status));
      const result = (await response.json()) as { posted: number };
      this.message = { text: t('teacher:gradebook.post.done', { count: result.posted }), error: false };
    } catch {
      this.message = { text: t('teacher:gradebook.post.failed'), error: true };
    }
  }

  private async createAssignment(event: Event, section: SectionDocument, periodId: string): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    if (!navigator.onLine) {
      this.message = { text: t('teacher:gradebook.assignment.offline'), error: true };
      return;
    }
    const data = new FormData(form);
    const body = {
      categoryId: String(data.get('categoryId') ?? ''),
      gradingPeriodId: periodId,
      name: String(data.get('name') ?? ''),
      description: String(data.get('description') ?? ''),
      pointsPossible: Number(data.get('pointsPossible')),
      assignedOn: String(data.get('assignedOn') ?? ''),
      dueOn: String(data.get('dueOn') ?? ''),
      published: true,
    };
    try {
      const response = await authorizedFetch(`/api/gradebook/sections/${section.id}/assignments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(String(response.status));
      form.reset();
      this.message = { text: t('teacher:gradebook.assignment.created'), error: false };
    } catch {
      this.message = { text: t('teacher:gradebook.assignment.failed'), error: true };
    }
  }

  /** The panel's rows as typed; a field left empty reads as NaN and the browser's checks stop it. */
  private typedCategories(form: HTMLFormElement): CategorySetting[] {
    return [...form.querySelectorAll<HTMLTableRowElement>('tr[data-category]')].map((row) => ({
      id: row.dataset.category!,
      name: row.querySelector<HTMLInputElement>('input[name="name"]')!.value.trim(),
      weight: row.querySelector<HTMLInputElement>('input[name="weight"]')!.valueAsNumber,
      dropLowest: row.querySelector<HTMLInputElement>('input[name="dropLowest"]')!.valueAsNumber,
    }));
  }

  private onCategoryInput(event: Event): void {
    const total = this.typedCategories(event.currentTarget as HTMLFormElement).reduce((sum, category) => sum + (Number.isFinite(category.weight) ? category.weight : 0), 0);
    this.typedTotal = Math.round(total * 100) / 100;
  }

  /**
   * Sends every category the device knows (through their assignments). The route leaves
   * categories it is not sent alone, so one the device does not know is never removed.
   */
  private async saveCategories(event: Event, section: SectionDocument): Promise<void> {
    event.preventDefault();
    const categories = this.typedCategories(event.target as HTMLFormElement);
    if (!navigator.onLine) {
      this.categoriesMessage = { text: t('teacher:setup.categories.offline'), error: true };
      return;
    }
    this.busy = true;
    const result = await apiRequest<{ categories: CategorySetting[] }>(`/api/gradebook/sections/${section.id}/categories`, { method: 'PUT', json: { categories } }, authorizedFetch);
    this.busy = false;
    this.categoriesMessage = result.ok ? { text: t('teacher:setup.categories.saved'), error: false } : { text: setupError(result.code), error: true };
  }

  private async saveAssignment(event: Event, assignment: AssignmentDocument): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const body = {
      categoryId: String(data.get('categoryId') ?? ''),
      gradingPeriodId: String(data.get('gradingPeriodId') ?? assignment.gradingPeriodId),
      name: String(data.get('name') ?? '').trim(),
      description: String(data.get('description') ?? ''),
      pointsPossible: Number(data.get('pointsPossible')),
      assignedOn: String(data.get('assignedOn') ?? ''),
      dueOn: String(data.get('dueOn') ?? ''),
      published: assignment.published,
    };
    if (body.dueOn < body.assignedOn) {
      this.assignmentMessage = { text: t('teacher:setup.assignment.dates'), error: true };
      return;
    }
    if (!navigator.onLine) {
      this.assignmentMessage = { text: t('teacher:setup.assignment.offline'), error: true };
      return;
    }
    this.busy = true;
    const result = await apiRequest(`/api/gradebook/assignments/${assignment.id}`, { method: 'PUT', json: body }, authorizedFetch);
    this.busy = false;
    this.assignmentMessage = result.ok ? { text: t('teacher:setup.assignment.saved'), error: false } : { text: setupError(result.code), error: true };
  }

  /** Opens or closes the delete confirmation; focus follows, so a keyboard user is not left on a removed button. */
  private async askToDelete(assignmentId: string | undefined): Promise<void> {
    this.confirmingDelete = assignmentId;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(assignmentId ? '.confirm-delete button.secondary' : 'button.delete')?.focus();
  }

  private async deleteAssignment(assignment: AssignmentDocument): Promise<void> {
    this.confirmingDelete = undefined;
    if (!navigator.onLine) {
      this.assignmentMessage = { text: t('teacher:setup.assignment.offline'), error: true };
      return;
    }
    this.busy = true;
    const result = await apiRequest(`/api/gradebook/assignments/${assignment.id}`, { method: 'DELETE' }, authorizedFetch);
    this.busy = false;
    if (!result.ok) {
      this.assignmentMessage = { text: setupError(result.code), error: true };
      return;
    }
    // The column goes once sync brings the deletion; the selection stays inside the grid.
    this.active = { row: this.active.row, column: Math.max(0, this.active.column - 1) };
    this.assignmentMessage = { text: t('teacher:setup.assignment.deleted', { name: assignment.name }), error: false };
  }

  private renderChooser() {
    const taught = sectionsMeetingOn(sectionsTaughtBy(this.records.sections.value ?? [], currentMe()), this.today);
    return html`
      <div class="page">
        <h1>${t('teacher:gradebook.title')}</h1>
        <h2>${t('teacher:gradebook.choose')}</h2>
        <ul>
          ${taught.map((section) => html`<li><a href=${`#/gradebook?section=${section.id}`}>${section.courseName} (${section.sectionNumber})${section.periodName ? ` · ${periodLabel(section.periodName)}` : ''}</a></li>`)}
        </ul>
      </div>
    `;
  }

  private renderGrid(section: SectionDocument, rows: RosterEntry[], columns: AssignmentDocument[]) {
    const language = currentLanguage();
    const { row: activeRow, column: activeColumn } = this.active;
    return html`
      <p id="grid-hint">${t('teacher:gradebook.hint')}</p>
      <div class="sheet" role="region" aria-label=${t('teacher:gradebook.caption', { course: section.courseName })}>
        <table class="grid" aria-describedby="grid-hint">
          <caption>${t('teacher:gradebook.caption', { course: section.courseName })}</caption>
          <thead>
            <tr>
              <th scope="col" class="name">${t('teacher:gradebook.student')}</th>
              <th scope="col" class="grade">${t('teacher:gradebook.grade')}</th>
              ${columns.map(
                (assignment) => html`<th scope="col" data-assignment=${assignment.id}>
                  ${assignment.name}<br /><span class="muted">${t('teacher:gradebook.possible', { points: formatNumber(assignment.pointsPossible, language) })}</span>
                </th>`,
              )}
            </tr>
          </thead>
          <tbody>
            ${rows.map((entry, row) => {
              const name = studentName(entry.student);
              const percent = this.gradeOf(section, entry.student.id, columns);
              return html`
                <tr data-student=${entry.student.id}>
                  <th scope="row" class="name">${name}</th>
                  <td class="grade">${percent === null ? t('teacher:gradebook.noGrade') : formatPercent(percent, language)}</td>
                  ${columns.map((assignment, column) => {
                    const score = this.scoreOf(entry.student.id, assignment.id);
                    const isActive = row === activeRow && column === activeColumn;
                    const flags = FLAGS.filter((flag) => score?.[flag]);
                    const state = this.cellState(entry.student.id, assignment.id, score);
                    return html`<td class="score">
                      <input
                        data-row=${row}
                        data-column=${column}
                        class=${`${isActive ? 'active' : ''} ${isActive && this.editing ? 'editing' : ''}`}
                        inputmode="decimal"
                        autocomplete="off"
                        tabindex=${isActive ? 0 : -1}
                        ?readonly=${!(isActive && this.editing)}
                        aria-label=${t('teacher:gradebook.scoreLabel', { student: name, assignment: assignment.name })}
                        .value=${isActive && this.editing ? (this.cellInput(row, column)?.value ?? this.shownPoints(score)) : this.shownPoints(score)}
                        @focus=${() => {
                          if (!isActive) this.active = { row, column };
                        }}
                        @click=${(event: MouseEvent) => this.onCellClick(event, row, column)}
                        @keydown=${(event: KeyboardEvent) => this.onCellKeydown(event, rows.length, columns.length, entry, assignment)}
                        @blur=${(event: FocusEvent) => this.onCellBlur(event, entry, assignment)}
                      />
                      ${flags.length > 0 || state
                        ? html`<span class="cell-flags">${flags.map((flag) => t(`teacher:gradebook.flags.${flag}`)).join(', ')}${state
                            ? html`${flags.length > 0 ? ' · ' : ''}<span class="state ${state.state}">${state.state === 'waiting' ? t('teacher:gradebook.waiting') : t('teacher:gradebook.refused', { reason: t(refusalKey(state.reason)) })}</span>`
                            : nothing}</span>`
                        : nothing}
                    </td>`;
                  })}
                </tr>
              `;
            })}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderDetails(rows: RosterEntry[], columns: AssignmentDocument[]) {
    const entry = rows[this.active.row];
    const assignment = columns[this.active.column];
    if (!entry || !assignment) return nothing;
    const score = this.scoreOf(entry.student.id, assignment.id);
    const name = studentName(entry.student);
    return html`
      <section class="card" aria-labelledby="details-title">
        <h2 id="details-title">${t('teacher:gradebook.details')}</h2>
        <form class="details" @submit=${(event: Event) => this.saveDetails(event, entry, assignment)}>
          <fieldset>
            <legend>${t('teacher:gradebook.flags.legend', { student: name, assignment: assignment.name })}</legend>
            <div class="checks">
              ${FLAGS.map((flag) => html`<label><input type="checkbox" name=${flag} .checked=${score?.[flag] ?? false} />${t(`teacher:gradebook.flags.${flag}`)}</label>`)}
            </div>
            <label class="field">
              <span>${t('teacher:gradebook.comment')}</span>
              <textarea name="comment" rows="2" maxlength="2000" .value=${score?.comment ?? ''}></textarea>
            </label>
            <button class="button secondary" type="submit">${t('teacher:gradebook.saveDetails')}</button>
          </fieldset>
        </form>
        <p class="no-print"><a class="message-guardians" href=${`#/message?section=${assignment.sectionId}&student=${entry.student.id}`}>${t('teacher:compose.link.studentNamed', { student: name })}</a></p>
      </section>
    `;
  }

  private renderCategories(section: SectionDocument) {
    const categories = this.deviceCategories();
    if (categories.length === 0) return nothing;
    const language = currentLanguage();
    const total = this.typedTotal ?? Math.round(categories.reduce((sum, category) => sum + category.weight, 0) * 100) / 100;
    const weighted = section.gradingMethod !== 'points';
    return html`
      <details class="card no-print setup categories">
        <summary>${t('teacher:setup.categories.title')}</summary>
        ${keyed(
          section.id,
          html`<form class="categories" @input=${this.onCategoryInput} @submit=${(event: Event) => this.saveCategories(event, section)}>
            <div class="scroll">
              <table>
                <caption>${t('teacher:setup.categories.caption', { course: section.courseName })}</caption>
                <thead>
                  <tr>
                    <th scope="col">${t('teacher:setup.categories.name')}</th>
                    <th scope="col">${t('teacher:setup.categories.weight')}</th>
                    <th scope="col">${t('teacher:setup.categories.dropLowest')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${categories.map(
                    (category) => html`<tr data-category=${category.id}>
                      <td><input type="text" name="name" required maxlength="60" value=${category.name} aria-label=${t('teacher:setup.categories.nameOf', { name: category.name })} /></td>
                      <td><input type="number" name="weight" required min="0" max="100" step="0.01" inputmode="decimal" value=${String(category.weight)} aria-label=${t('teacher:setup.categories.weightOf', { name: category.name })} /></td>
                      <td><input type="number" name="dropLowest" required min="0" max="10" step="1" inputmode="numeric" value=${String(category.dropLowest)} aria-label=${t('teacher:setup.categories.dropLowestOf', { name: category.name })} /></td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            ${weighted
              ? html`<p class="sum" aria-live="polite">${total === 100 ? t('teacher:setup.categories.sumExact') : t('teacher:setup.categories.sumOther', { total: formatNumber(total, language) })}</p>
                  <p class="muted">${t('teacher:setup.categories.renormalised')}</p>`
              : html`<p class="muted">${t('teacher:setup.categories.pointsMethod')}</p>`}
            <p class="muted">${t('teacher:setup.categories.dropHint')}</p>
            <button class="button" type="submit" ?disabled=${this.busy}>${t('teacher:setup.categories.save')}</button>
          </form>`,
        )}
        <div class="setup-message" role="status">${this.categoriesMessage ? html`<p class="notice ${this.categoriesMessage.error ? 'error' : ''}">${this.categoriesMessage.text}</p>` : nothing}</div>
      </details>
    `;
  }

  private renderEditAssignment(section: SectionDocument, assignment: AssignmentDocument | undefined) {
    if (!assignment) return nothing;
    const categories = this.deviceCategories();
    const periods = [...section.gradingPeriods].sort((a, b) => a.start.localeCompare(b.start));
    const scored = (this.records.scores.value ?? []).filter((score) => score.assignmentId === assignment.id && (score.points !== null || score.missing || score.exempt || score.incomplete || score.dropped)).length;
    return html`
      <details class="card no-print setup edit-assignment">
        <summary>${t('teacher:setup.assignment.title', { name: assignment.name })}</summary>
        ${keyed(
          assignment.id,
          html`<form class="edit-assignment" @submit=${(event: Event) => this.saveAssignment(event, assignment)}>
            <label class="field"><span>${t('teacher:gradebook.assignment.name')}</span><input name="name" required maxlength="200" value=${assignment.name} /></label>
            <label class="field"
              ><span>${t('teacher:gradebook.assignment.category')}</span>
              <select name="categoryId">
                ${categories.map((category) => html`<option value=${category.id} ?selected=${category.id === assignment.categoryId}>${category.name}</option>`)}
              </select></label
            >
            ${periods.length > 0
              ? html`<label class="field"
                  ><span>${t('teacher:setup.assignment.period')}</span>
                  <select name="gradingPeriodId">
                    ${periods.map((period) => html`<option value=${period.id} ?selected=${period.id === assignment.gradingPeriodId}>${period.name}</option>`)}
                  </select></label
                >`
              : nothing}
            <label class="field"><span>${t('teacher:gradebook.assignment.points')}</span><input name="pointsPossible" type="number" min="0" max="9999.99" step="0.01" required value=${String(assignment.pointsPossible)} /></label>
            <label class="field"><span>${t('teacher:gradebook.assignment.assignedOn')}</span><input name="assignedOn" type="date" required value=${assignment.assignedOn} /></label>
            <label class="field"><span>${t('teacher:gradebook.assignment.dueOn')}</span><input name="dueOn" type="date" required value=${assignment.dueOn} /></label>
            <label class="field"><span>${t('teacher:gradebook.assignment.description')}</span><textarea name="description" rows="2" maxlength="4000" .defaultValue=${assignment.description}></textarea></label>
            <button class="button" type="submit" ?disabled=${this.busy}>${t('teacher:setup.assignment.save')}</button>
          </form>`,
        )}
        <div class="actions">
          ${this.confirmingDelete === assignment.id
            ? html`<div class="confirm-delete" role="group" aria-labelledby="confirm-delete-text">
                <p id="confirm-delete-text">${scored > 0 ? t('teacher:setup.assignment.confirm', { name: assignment.name, count: scored }) : t('teacher:setup.assignment.confirmEmpty', { name: assignment.name })}</p>
                <button class="button danger" type="button" ?disabled=${this.busy} @click=${() => this.deleteAssignment(assignment)}>${t('teacher:setup.assignment.yes')}</button>
                <button class="button secondary" type="button" @click=${() => this.askToDelete(undefined)}>${t('teacher:setup.assignment.no')}</button>
              </div>`
            : html`<button class="button secondary delete" type="button" @click=${() => this.askToDelete(assignment.id)}>${t('teacher:setup.assignment.delete')}</button>`}
        </div>
        <div class="setup-message" role="status">${this.assignmentMessage ? html`<p class="notice ${this.assignmentMessage.error ? 'error' : ''}">${this.assignmentMessage.text}</p>` : nothing}</div>
      </details>
    `;
  }

  private renderNewAssignment(section: SectionDocument, periodId: string) {
    const categories = new Map(this.sectionWork().map((assignment) => [assignment.categoryId, assignment.categoryName]));
    if (categories.size === 0) return nothing;
    return html`
      <details class="card no-print">
        <summary>${t('teacher:gradebook.assignment.new')}</summary>
        <form class="new-assignment" @submit=${(event: Event) => this.createAssignment(event, section, periodId)}>
          <label class="field"><span>${t('teacher:gradebook.assignment.name')}</span><input name="name" required maxlength="200" /></label>
          <label class="field"
            ><span>${t('teacher:gradebook.assignment.category')}</span>
            <select name="categoryId">
              ${[...categories].map(([id, name]) => html`<option value=${id}>${name}</option>`)}
            </select></label
          >
          <label class="field"><span>${t('teacher:gradebook.assignment.points')}</span><input name="pointsPossible" type="number" min="0" max="9999.99" step="0.01" required value="10" /></label>
          <label class="field"><span>${t('teacher:gradebook.assignment.assignedOn')}</span><input name="assignedOn" type="date" required .value=${this.today} /></label>
          <label class="field"><span>${t('teacher:gradebook.assignment.dueOn')}</span><input name="dueOn" type="date" required .value=${this.today} /></label>
          <label class="field"><span>${t('teacher:gradebook.assignment.description')}</span><textarea name="description" rows="2" maxlength="4000"></textarea></label>
          <button class="button" type="submit">${t('teacher:gradebook.assignment.create')}</button>
        </form>
      </details>
    `;
  }

  override render() {
    void this.i18n;
    const section = this.section();
    if (!section) return this.renderChooser();
    const rows = this.rows(section);
    const columns = this.columns();
    const periodId = this.periodId();
    return html`
      <div class="page">
        <p class="no-print"><a href="#/teacher">${t('teacher:attendance.back')}</a></p>
        <h1>${t('teacher:gradebook.heading', { course: section.courseName })}</h1>
        ${!this.loaded
          ? html`<p class="muted" role="status">${t('teacher:today.loading')}</p>`
          : columns.length === 0 || rows.length === 0
            ? html`<p class="muted">${t('teacher:gradebook.empty')}</p>`
            : this.renderGrid(section, rows, columns)}
        ${this.loaded && columns.length > 0 && rows.length > 0 ? this.renderDetails(rows, columns) : nothing}
        <div class="message" role="status">${this.message ? html`<p class="notice ${this.message.error ? 'error' : ''}">${this.message.text}</p>` : nothing}</div>
        ${periodId
          ? html`
              <div class="actions">
                ${this.confirmingPost
                  ? html`<div class="confirm" role="group" aria-labelledby="confirm-text">
                      <p id="confirm-text">${t('teacher:gradebook.post.confirm')}</p>
                      <button class="button" type="button" @click=${() => this.post(section, periodId)}>${t('teacher:gradebook.post.yes')}</button>
                      <button class="button secondary" type="button" @click=${() => (this.confirmingPost = false)}>${t('teacher:gradebook.post.no')}</button>
                    </div>`
                  : html`<button class="button secondary post" type="button" @click=${() => (this.confirmingPost = true)}>${t('teacher:gradebook.post.button')}</button>`}
              </div>
              ${this.loaded ? this.renderEditAssignment(section, columns[this.active.column]) : nothing}
              ${this.renderNewAssignment(section, periodId)}
              ${this.renderCategories(section)}
            `
          : nothing}
      </div>
    `;
  }
}

customElements.define('hr-teacher-gradebook', HrTeacherGradebook);

declare global {
  interface HTMLElementTagNameMap {
    'hr-teacher-gradebook': HrTeacherGradebook;
  }
}
