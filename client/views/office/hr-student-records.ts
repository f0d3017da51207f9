import { LitElement, css, html, nothing } from 'lit';
import type { AttendanceHistoryRow, StudentRecordsResponse } from '../../../server/contract/student-records.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { t, type TranslationKey } from '../../app/i18n.ts';
import { OnlineController } from '../../app/online-controller.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { hashParams } from '../../app/views.ts';
import { apiRequest } from '../../data/api.ts';
import { RxController } from '../../data/rx-controller.ts';
import { authorizedFetch } from '../../data/session.ts';
import { studentDisplayName, type StudentDocument } from '../../data/students.ts';
import { portalPageStyles } from '../attendance/portal-page.styles.ts';
import { matchStudents } from './office-grades.ts';
import { calendarDay } from './school-days.ts';
import { staffFormStyles } from './staff-form.styles.ts';
import { renderStudentSearch, studentSearchStyles } from './student-search.ts';

/** Why the history could not be read, as the screen words it. */
const PROBLEMS: ReadonlyMap<string, TranslationKey> = new Map([
  ['offline', 'office:records.offline'],
  ['not_found', 'office:records.notFound'],
]);

const dayFormat: Intl.DateTimeFormatOptions = { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' };

/**
 * @summary A student's whole attendance history for school staff, read online
 * (`GET /api/students/:id/attendance`): the device holds only the last 30 school days
 * (server/access/sync-windows.ts). Find the student among the device's students by name or
 * student number (or arrive with `#/student-records?student=<id>` from the office's day), then
 * see every mark, newest first, with the totals. Offline it says the history needs a connection.
 */
export class HrStudentRecords extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    portalPageStyles,
    staffFormStyles("input[type='search']"),
    studentSearchStyles,
    css`
      .totals {
        display: flex;
        flex-wrap: wrap;
        gap: var(--hr-space-2) var(--hr-space-4);
        margin: var(--hr-space-3) 0;
        padding: 0;
        list-style: none;
      }
    `,
  ];

  static override properties = {
    search: { state: true },
    studentId: { state: true },
    rows: { state: true },
    problem: { state: true },
  };

  declare private search: string;
  declare private studentId: string | null;
  /** The server's marks of the student, newest first; null while reading. */
  declare private rows: AttendanceHistoryRow[] | null;
  declare private problem: TranslationKey | null;

  private readonly i18n = new I18nController(this);
  private readonly network = new OnlineController(this);
  private readonly students = new RxController(this, (db) => db.students.find().$);
  private loadCount = 0;

  constructor() {
    super();
    this.search = '';
    this.studentId = null;
    this.rows = null;
    this.problem = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const studentId = hashParams(location.hash).get('student');
    if (studentId) this.selectStudent(studentId);
  }

  /** Reads another student's history (the same one again only after a failed read). */
  selectStudent(studentId: string): void {
    if (studentId === this.studentId && !this.problem) return;
    this.studentId = studentId;
    void this.load();
  }

  private async load(): Promise<void> {
    const studentId = this.studentId;
    if (!studentId) return;
    const load = ++this.loadCount;
    this.rows = null;
    this.problem = null;
    const result = await apiRequest<StudentRecordsResponse<AttendanceHistoryRow>>(`/api/students/${encodeURIComponent(studentId)}/attendance`, {}, authorizedFetch);
    if (load !== this.loadCount) return;
    if (result.ok) this.rows = result.body.rows;
    else this.problem = PROBLEMS.get(result.code) ?? 'office:records.generic';
  }

  private readonly onSearch = (event: Event): void => {
    this.search = (event.target as HTMLInputElement).value;
  };

  private renderHistory(student: StudentDocument | undefined) {
    const name = student ? studentDisplayName(student) : '';
    if (this.problem) return html`<p class="status bad records-problem">${t(this.problem)}</p>`;
    if (!this.rows) return html`<p class="muted">${t('office:records.loading')}</p>`;
    const marks = this.rows.filter((row) => row.status !== 'present');
    const count = (status: AttendanceHistoryRow['status']) => marks.filter((row) => row.status === status).length;
    return html`
      <section aria-labelledby="history-title">
        <h2 id="history-title">${student ? t('office:records.historyOf', { name, number: student.studentNumber }) : t('office:records.history')}</h2>
        <ul class="totals" aria-label=${t('office:records.totals')}>
          <li>${t('office:records.absences', { count: count('absent') })}</li>
          <li>${t('office:records.tardies', { count: count('tardy') })}</li>
          <li>${t('office:records.earlyReleases', { count: count('early_release') })}</li>
        </ul>
        ${marks.length === 0
          ? html`<p class="muted none">${t('office:records.none')}</p>`
          : html`
              <div class="table-scroll" role="region" tabindex="0" aria-labelledby="history-caption">
                <table class="history">
                  <caption id="history-caption">${t('office:records.caption', { name })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">${t('office:records.date')}</th>
                      <th scope="col">${t('office:day.class')}</th>
                      <th scope="col">${t('office:day.attendance')}</th>
                      <th scope="col">${t('office:day.excused')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${marks.map(
                      (row) => html`
                        <tr data-id=${row.id}>
                          <th scope="row">${calendarDay(row.date, dayFormat)}</th>
                          <td>${row.sectionId === null ? t('office:day.allDay') : [row.periodName, row.courseName].filter(Boolean).join(' ')}</td>
                          <td>${t(`attendance:status.${row.status}`)}${row.minutes ? ` (${t('office:records.minutes', { count: row.minutes })})` : ''}</td>
                          <td>${t(`attendance:excuse.${row.excuse}`)}${row.reasonCode && row.reasonCode in REASON_KEYS ? html`<br />${t(`attendance:reason.${row.reasonCode as keyof typeof REASON_KEYS}`)}` : nothing}</td>
                        </tr>
                      `,
                    )}
                  </tbody>
                </table>
              </div>
            `}
      </section>
    `;
  }

  override render() {
    const students = (this.students.value ?? []).map((doc) => doc.toJSON() as StudentDocument);
    const matches = matchStudents(students, this.search, 'all');
    const student = students.find((candidate) => candidate.id === this.studentId);
    return html`
      <div class="page">
        <h1>${t('office:records.title')}</h1>
        <p>${t('office:records.intro')}</p>
        <div role="status">${this.network.online ? nothing : html`<p class="status info">${t('office:records.offline')}</p>`}</div>
        ${renderStudentSearch({ search: this.search, matches, ready: this.students.ready, selectedId: this.studentId, onSearch: this.onSearch, onSelect: (id) => this.selectStudent(id) })}
        ${this.studentId ? this.renderHistory(student) : nothing}
      </div>
    `;
  }
}

const REASON_KEYS = { ILL: 1, MED: 1, FAM: 1, REL: 1, BRV: 1, SCH: 1, UNV: 1, TRU: 1, VAC: 1, PND: 1 } as const;

customElements.define('hr-student-records', HrStudentRecords);

declare global {
  interface HTMLElementTagNameMap {
    'hr-student-records': HrStudentRecords;
  }
}
