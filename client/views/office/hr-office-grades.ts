import { LitElement, css, html, nothing } from 'lit';
import type { GradeHistoryRow, StudentRecordsResponse } from '../../../server/contract/student-records.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { currentLanguage, t, type TranslationKey } from '../../app/i18n.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { apiRequest } from '../../data/api.ts';
import { RxController } from '../../data/rx-controller.ts';
import { authorizedFetch, currentMe } from '../../data/session.ts';
import { studentDisplayName, type StudentDocument } from '../../data/students.ts';
import { formatDate, formatNumber } from '../../lib/format.ts';
import { portalPageStyles } from '../attendance/portal-page.styles.ts';
import { gradeAdminSchools, matchStudents, REOPEN_REASON_MAX, REOPEN_REASON_MIN } from './office-grades.ts';
import { staffFormStyles } from './staff-form.styles.ts';
import { renderStudentSearch, studentSearchStyles } from './student-search.ts';

/** The server's refusals this screen words for itself; any other code gets the general line. */
const REFUSALS: ReadonlyMap<string, TranslationKey> = new Map([
  ['offline', 'office:grades.errors.offline'],
  ['forbidden', 'office:grades.errors.forbidden'],
  ['not_found', 'office:grades.errors.not_found'],
  ['validation_failed', 'office:grades.errors.validation_failed'],
]);

/** Why the posted grades could not be read. */
const LOAD_REFUSALS: ReadonlyMap<string, TranslationKey> = new Map([
  ['offline', 'office:grades.load.offline'],
  ['not_found', 'office:grades.load.not_found'],
]);

const postedFormat: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };

/** One posted term grade as the table shows it. */
interface PostedGradeRow {
  grade: GradeHistoryRow;
  course: string;
  period: string;
}

/**
 * @summary Reopening a posted term grade (office staff with the `grades_admin` right): find a
 * student of the school on this device's synced records by name or student number, see their
 * posted term grades, and reopen one with a reason, after which the teacher can change that
 * grading period's scores again. The office's device holds no grades (server/access/sync-windows.ts):
 * the posted grades, of every year, are read online (`GET /api/students/:id/grades`), as is the reopening.
 */
export class HrOfficeGrades extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    portalPageStyles,
    staffFormStyles("input[type='search'], textarea"),
    studentSearchStyles,
    css`
      textarea {
        width: 100%;
        max-width: 32rem;
        min-height: 5rem;
      }
      .field-error {
        margin: var(--hr-space-1) 0 0;
        color: var(--hr-color-danger);
        font-weight: 600;
      }
      .reopen-form {
        margin-top: var(--hr-space-4);
        padding: var(--hr-space-3);
        border: 1px solid var(--hr-color-border);
        border-radius: var(--hr-radius);
      }
      .reopen-form h3 {
        margin-top: 0;
        overflow-wrap: anywhere;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--hr-space-2);
        margin-top: var(--hr-space-3);
      }
    `,
  ];

  static override properties = {
    search: { state: true },
    studentId: { state: true },
    reopening: { state: true },
    reasonError: { state: true },
    busy: { state: true },
    problem: { state: true },
    notice: { state: true },
    grades: { state: true },
    gradesProblem: { state: true },
  };

  declare private search: string;
  /** The student whose posted grades are shown. */
  declare private studentId: string | null;
  /** The posted grade whose reopen form is open. */
  declare private reopening: string | null;
  declare private reasonError: boolean;
  declare private busy: boolean;
  /** Why the last reopening did not happen, as a translation key. */
  declare private problem: TranslationKey | null;
  declare private notice: string;
  /** The selected student's term grades as the server answered, or null while loading. */
  declare private grades: GradeHistoryRow[] | null;
  /** Why the grades could not be read, as a translation key. */
  declare private gradesProblem: TranslationKey | null;

  private readonly i18n = new I18nController(this);
  private readonly students = new RxController(this, (db) => db.students.find().$);
  /** Answers for an earlier selection are dropped. */
  private loadCount = 0;

  constructor() {
    super();
    this.search = '';
    this.studentId = null;
    this.reopening = null;
    this.reasonError = false;
    this.busy = false;
    this.problem = null;
    this.notice = '';
    this.grades = null;
    this.gradesProblem = null;
  }

  /** Shows the posted grades of another student. */
  selectStudent(studentId: string): void {
    // The same student again reads again only after a failed read (offline, say).
    if (studentId === this.studentId && !this.gradesProblem) return;
    this.studentId = studentId;
    this.reopening = null;
    this.problem = null;
    this.notice = '';
    void this.loadGrades();
  }

  /** Reads the selected student's term grades from the server (online only). */
  private async loadGrades(): Promise<void> {
    const studentId = this.studentId;
    if (!studentId) return;
    const load = ++this.loadCount;
    this.grades = null;
    this.gradesProblem = null;
    const result = await apiRequest<StudentRecordsResponse<GradeHistoryRow>>(`/api/students/${encodeURIComponent(studentId)}/grades`, {}, authorizedFetch);
    if (load !== this.loadCount) return;
    if (result.ok) this.grades = result.body.rows;
    else this.gradesProblem = LOAD_REFUSALS.get(result.code) ?? 'office:grades.load.generic';
  }

  private readonly onSearch = (event: Event): void => {
    this.search = (event.target as HTMLInputElement).value;
  };

  private async openReopen(gradeId: string): Promise<void> {
    this.reopening = gradeId;
    this.reasonError = false;
    this.problem = null;
    this.notice = '';
    await this.updateComplete;
    this.shadowRoot!.querySelector<HTMLTextAreaElement>('#reason')?.focus();
  }

  private cancelReopen(): void {
    const gradeId = this.reopening;
    this.reopening = null;
    this.problem = null;
    void this.updateComplete.then(() => this.shadowRoot!.querySelector<HTMLButtonElement>(`tr[data-id="${gradeId}"] button.reopen`)?.focus());
  }

  private async submitReopen(event: SubmitEvent, row: PostedGradeRow): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const textarea = this.shadowRoot!.querySelector<HTMLTextAreaElement>('#reason')!;
    const reason = textarea.value.trim();
    this.reasonError = reason.length < REOPEN_REASON_MIN;
    this.problem = null;
    if (this.reasonError) {
      textarea.focus();
      return;
    }
    this.busy = true;
    const result = await apiRequest<null>(
      `/api/gradebook/term-grades/${encodeURIComponent(row.grade.id)}/reopen`,
      { method: 'POST', json: { reason } },
      authorizedFetch,
    );
    this.busy = false;
    if (!result.ok) {
      this.problem = REFUSALS.get(result.code) ?? 'office:grades.errors.generic';
      return;
    }
    this.reopening = null;
    this.notice = t('office:grades.reopened', { course: row.course, period: row.period });
    // The form and its row are gone: the reader goes on from the outcome.
    await this.updateComplete;
    this.shadowRoot!.querySelector<HTMLElement>('.grades-status .status.good')?.focus();
    // The server's grades now: the reopened one is in progress again.
    await this.loadGrades();
  }

  /** Posted grades, newest school year first (the server's order), by course within it. */
  private postedRows(grades: readonly GradeHistoryRow[]): PostedGradeRow[] {
    const years = new Set(grades.map((grade) => grade.schoolYearName));
    return grades
      .filter((grade) => grade.status === 'posted')
      .map((grade) => {
        const periodName = grade.gradingPeriodName;
        const period = grade.gradingTaskName && grade.gradingTaskName !== periodName ? [periodName, grade.gradingTaskName].filter(Boolean).join(' · ') : periodName;
        // Only a student with grades of several years needs the year named.
        return { grade, course: grade.courseName || t('office:grades.unknownCourse'), period: years.size > 1 ? `${grade.schoolYearName} · ${period}` : period };
      })
      .sort((a, b) => b.grade.schoolYearName.localeCompare(a.grade.schoolYearName) || a.course.localeCompare(b.course) || a.period.localeCompare(b.period));
  }

  private renderMark(grade: GradeHistoryRow): string {
    const percent = grade.percent === null ? '' : formatNumber(grade.percent / 100, currentLanguage(), { style: 'percent', maximumFractionDigits: 1 });
    if (grade.mark && percent) return `${grade.mark} (${percent})`;
    return grade.mark ?? (percent || t('office:grades.noMark'));
  }

  private renderReopenForm(row: PostedGradeRow) {
    return html`
      <form class="reopen-form" novalidate @submit=${(event: SubmitEvent) => this.submitReopen(event, row)}>
        <h3>${t('office:grades.reopenTitle', { course: row.course, period: row.period })}</h3>
        <label for="reason">${t('office:grades.reason')}</label>
        <textarea
          id="reason"
          name="reason"
          required
          maxlength=${REOPEN_REASON_MAX}
          aria-describedby=${this.reasonError ? 'reason-hint reason-error' : 'reason-hint'}
          aria-invalid=${this.reasonError ? 'true' : 'false'}
        ></textarea>
        <p id="reason-hint" class="hint">${t('office:grades.reasonHint')}</p>
        ${this.reasonError ? html`<p id="reason-error" class="field-error">${t('office:grades.reasonRequired')}</p>` : nothing}
        <div class="actions">
          <button type="submit" class="button" aria-disabled=${this.busy ? 'true' : 'false'}>${t('office:grades.reopenSubmit')}</button>
          <button type="button" class="button secondary" @click=${this.cancelReopen}>${t('office:grades.cancel')}</button>
        </div>
      </form>
    `;
  }

  private renderGrades(student: StudentDocument) {
    const name = studentDisplayName(student);
    if (this.gradesProblem) return html`<p class="status bad grades-problem">${t(this.gradesProblem)}</p>`;
    if (!this.grades) return html`<p class="muted">${t('office:grades.loading')}</p>`;
    const rows = this.postedRows(this.grades);
    const open = rows.find((row) => row.grade.id === this.reopening);
    return html`
      <section aria-labelledby="posted-title">
        <h2 id="posted-title">${t('office:grades.postedOf', { name, number: student.studentNumber })}</h2>
        ${rows.length === 0
          ? html`<p class="muted none">${t('office:grades.none')}</p>`
          : html`
              <div class="table-scroll" role="region" tabindex="0" aria-labelledby="posted-caption">
                <table class="posted">
                  <caption id="posted-caption">${t('office:grades.caption', { name })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">${t('office:grades.course')}</th>
                      <th scope="col">${t('office:grades.period')}</th>
                      <th scope="col">${t('office:grades.mark')}</th>
                      <th scope="col">${t('office:grades.postedOn')}</th>
                      <th scope="col">${t('office:grades.action')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${rows.map(
                      (row) => html`
                        <tr data-id=${row.grade.id}>
                          <th scope="row">${row.course}</th>
                          <td>${row.period}</td>
                          <td class="mark">${this.renderMark(row.grade)}</td>
                          <td>${row.grade.postedAt ? formatDate(row.grade.postedAt, currentLanguage(), postedFormat) : ''}</td>
                          <td>
                            <button
                              type="button"
                              class="button secondary reopen"
                              aria-label=${t('office:grades.reopenFor', { course: row.course, period: row.period })}
                              aria-expanded=${this.reopening === row.grade.id ? 'true' : 'false'}
                              @click=${() => this.openReopen(row.grade.id)}
                            >
                              ${t('office:grades.reopen')}
                            </button>
                          </td>
                        </tr>
                      `,
                    )}
                  </tbody>
                </table>
              </div>
            `}
        ${open ? this.renderReopenForm(open) : nothing}
      </section>
    `;
  }

  override render() {
    const schools = gradeAdminSchools(currentMe()?.toolRights ?? []);
    const students = (this.students.value ?? []).map((doc) => doc.toJSON() as StudentDocument);
    const matches = matchStudents(students, this.search, schools);
    const student = students.find((candidate) => candidate.id === this.studentId);
    return html`
      <div class="page">
        <h1>${t('office:grades.title')}</h1>
        ${schools === 'none'
          ? html`<p class="status info">${t('office:grades.noRight')}</p>`
          : html`
              <p>${t('office:grades.intro')}</p>
              ${renderStudentSearch({ search: this.search, matches, ready: this.students.ready, selectedId: this.studentId, onSearch: this.onSearch, onSelect: (id) => this.selectStudent(id) })}
              <div role="status" class="grades-status">
                ${this.problem ? html`<p class="status bad problem">${t(this.problem)}</p>` : nothing}
                ${this.notice ? html`<p class="status good" tabindex="-1">${this.notice}</p>` : nothing}
              </div>
              ${student ? this.renderGrades(student) : nothing}
            `}
      </div>
    `;
  }
}

customElements.define('hr-office-grades', HrOfficeGrades);

declare global {
  interface HTMLElementTagNameMap {
    'hr-office-grades': HrOfficeGrades;
  }
}
