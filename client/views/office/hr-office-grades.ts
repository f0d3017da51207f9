import { LitElement, css, html, nothing } from 'lit';
import type { GradeDocument } from '../../../server/contract/sync/grades.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
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

/** The server's refusals this screen words for itself; any other code gets the general line. */
const REFUSALS: ReadonlyMap<string, TranslationKey> = new Map([
  ['offline', 'office:grades.errors.offline'],
  ['forbidden', 'office:grades.errors.forbidden'],
  ['not_found', 'office:grades.errors.not_found'],
  ['validation_failed', 'office:grades.errors.validation_failed'],
]);

const postedFormat: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };

/** One posted term grade as the table shows it. */
interface PostedGradeRow {
  grade: GradeDocument;
  course: string;
  period: string;
}

/**
 * @summary Reopening a posted term grade (office staff with the `grades_admin` right): find a
 * student of the school on this device's synced records by name or student number, see their
 * posted term grades, and reopen one with a reason, after which the teacher can change that
 * grading period's scores again. The reopening itself is online only, through the gradebook API.
 */
export class HrOfficeGrades extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    portalPageStyles,
    staffFormStyles("input[type='search'], textarea"),
    css`
      input[type='search'],
      textarea {
        width: 100%;
        max-width: 32rem;
      }
      textarea {
        min-height: 5rem;
      }
      .hint {
        margin: var(--hr-space-1) 0 0;
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
      }
      .field-error {
        margin: var(--hr-space-1) 0 0;
        color: var(--hr-color-danger);
        font-weight: 600;
      }
      .matches {
        display: flex;
        flex-wrap: wrap;
        gap: var(--hr-space-2);
        margin: var(--hr-space-3) 0;
        padding: 0;
        list-style: none;
      }
      .matches button {
        overflow-wrap: anywhere;
        text-align: start;
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

  private readonly i18n = new I18nController(this);
  private readonly students = new RxController(this, (db) => db.students.find().$);
  private readonly sections = new RxController(this, (db) => db.sections.find().$);
  private readonly grades = new RxController(this, (db) => db.grades.find({ selector: { studentId: this.studentId ?? '', kind: 'term', status: 'posted' } }).$);
  /** Grades this screen reopened, with the posting they undid: hidden until the device hears of it (a later posting shows again). */
  private readonly reopened = new Map<string, string | null>();

  constructor() {
    super();
    this.search = '';
    this.studentId = null;
    this.reopening = null;
    this.reasonError = false;
    this.busy = false;
    this.problem = null;
    this.notice = '';
  }

  /** Shows the posted grades of another student. */
  selectStudent(studentId: string): void {
    if (studentId === this.studentId) return;
    this.studentId = studentId;
    this.reopening = null;
    this.problem = null;
    this.notice = '';
    // The grades query reads `studentId`: reconnecting the controller runs it again.
    this.grades.hostDisconnected();
    this.grades.hostConnected();
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
    this.reopened.set(row.grade.id, row.grade.postedAt);
    this.reopening = null;
    this.notice = t('office:grades.reopened', { course: row.course, period: row.period });
    // The form and its row are gone: the reader goes on from the outcome.
    await this.updateComplete;
    this.shadowRoot!.querySelector<HTMLElement>('.grades-status .status.good')?.focus();
  }

  private postedRows(sectionsById: Map<string, SectionDocument>): PostedGradeRow[] {
    return (this.grades.value ?? [])
      .map((doc) => doc.toJSON() as GradeDocument)
      .filter((grade) => grade.studentId === this.studentId && !(this.reopened.has(grade.id) && this.reopened.get(grade.id) === grade.postedAt))
      .map((grade) => {
        const section = sectionsById.get(grade.sectionId);
        const period = section?.gradingPeriods.find((p) => p.id === grade.gradingPeriodId);
        const periodName = period?.name ?? '';
        return {
          grade,
          course: section?.courseName ?? t('office:grades.unknownCourse'),
          period: grade.gradingTaskName && grade.gradingTaskName !== periodName ? [periodName, grade.gradingTaskName].filter(Boolean).join(' · ') : periodName,
          sequence: period?.sequence ?? 0,
        };
      })
      .sort((a, b) => a.course.localeCompare(b.course) || a.sequence - b.sequence)
      .map(({ grade, course, period }) => ({ grade, course, period }));
  }

  private renderMark(grade: GradeDocument): string {
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

  private renderGrades(student: StudentDocument, sectionsById: Map<string, SectionDocument>) {
    const name = studentDisplayName(student);
    if (!this.grades.ready) return html`<p class="muted">${t('office:grades.loading')}</p>`;
    const rows = this.postedRows(sectionsById);
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
    const sectionsById = new Map((this.sections.value ?? []).map((doc) => [doc.id, doc.toJSON() as SectionDocument]));
    const matches = matchStudents(students, this.search, schools);
    const student = students.find((candidate) => candidate.id === this.studentId);
    return html`
      <div class="page">
        <h1>${t('office:grades.title')}</h1>
        ${schools === 'none'
          ? html`<p class="status info">${t('office:grades.noRight')}</p>`
          : html`
              <p>${t('office:grades.intro')}</p>
              <div>
                <label for="student-search">${t('office:grades.search')}</label>
                <input id="student-search" type="search" autocomplete="off" aria-describedby="search-hint" .value=${this.search} @input=${this.onSearch} />
                <p id="search-hint" class="hint">${t('office:grades.searchHint')}</p>
              </div>
              ${!this.students.ready
                ? html`<p class="muted">${t('office:grades.loading')}</p>`
                : this.search.trim().length < 2
                  ? nothing
                  : matches.length === 0
                    ? html`<p class="muted no-match">${t('office:grades.noMatch')}</p>`
                    : html`<ul class="matches" aria-label=${t('office:grades.matches')}>
                        ${matches.map(
                          (match) => html`<li>
                            <button type="button" class="button secondary student" data-id=${match.id} aria-pressed=${match.id === this.studentId ? 'true' : 'false'} @click=${() => this.selectStudent(match.id)}>
                              ${t('office:grades.studentChoice', { name: studentDisplayName(match), number: match.studentNumber })}
                            </button>
                          </li>`,
                        )}
                      </ul>`}
              <div role="status" class="grades-status">
                ${this.problem ? html`<p class="status bad problem">${t(this.problem)}</p>` : nothing}
                ${this.notice ? html`<p class="status good" tabindex="-1">${this.notice}</p>` : nothing}
              </div>
              ${student ? this.renderGrades(student, sectionsById) : nothing}
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
