import { LitElement, css, html, nothing } from 'lit';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { CardTableController } from '../../components/card-table.ts';
import { currentLanguage, t } from '../../app/i18n.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import '../../components/hr-student-switcher.ts';
import { RxController } from '../../data/rx-controller.ts';
import { SelectedStudentController } from '../../data/selected-student-controller.ts';
import { studentDisplayName } from '../../data/students.ts';
import { observeSyncState } from '../../data/sync-state.ts';
import { formatDate } from '../../lib/format.ts';
import { renderLastSynced } from './last-synced.ts';
import { portalPageStyles } from './portal-page.styles.ts';
import { localIsoDate, sectionsInTerm, sectionsOfStudent, termsOf, type Term } from './schedule-terms.ts';
import { renderTermField } from './term-picker.ts';
import { districtWord } from '../../data/district-words.ts';
import { namesItself } from '../teacher/place-names.ts';

/** "08:05" as the reader's language writes a time of day ("8:05 AM", "8:05", "08:05"). */
export function formatClockTime(time: string, language: string): string {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return formatDate(new Date(2000, 0, 1, hours, minutes), language, { hour: 'numeric', minute: '2-digit' });
}

/**
 * @summary The Schedule tab: the chosen student's classes in one term (the current term
 * first), in the order of the school day: period, times, course, teacher (an e-mail link when
 * the school has one), room. Read from the device's copy, so it works offline; printable.
 */
export class HrSchedule extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    portalPageStyles,
    css`
      .term-dates {
        margin: var(--hr-space-2) 0 0;
      }
      .period {
        font-weight: 600;
        white-space: nowrap;
      }
      .course-code {
        display: block;
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
      }
      .teachers {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .teachers a {
        display: inline-block;
        padding: var(--hr-space-1) 0;
        overflow-wrap: anywhere;
      }
      @media print {
        .term-dates {
          display: block;
        }
      }
    `,
  ];

  static override properties = {
    termId: { state: true },
  };

  /** The term chosen in the picker; undefined shows the current term. */
  declare private termId: string | undefined;

  private readonly i18n = new I18nController(this);
  private readonly cardTables = new CardTableController(this);
  private readonly student = new SelectedStudentController(this);
  private readonly sections = new RxController(this, (db) => db.sections.find().$);
  private readonly synced = new RxController(this, (db) => observeSyncState(db, 'sections'));

  private onTermChange(event: Event): void {
    this.termId = (event.target as HTMLSelectElement).value;
  }

  private onPrint(): void {
    window.print();
  }

  private renderTeachers(section: SectionDocument) {
    if (section.teachers.length === 0) return html`<span class="muted">${t('schedule:table.noTeacher')}</span>`;
    return html`<ul class="teachers">
      ${section.teachers.map(
        (teacher) => html`<li>
          ${teacher.email
            ? html`<a href=${`mailto:${teacher.email}`} aria-label=${t('schedule:table.emailTeacher', { name: teacher.name })}>${teacher.name}</a>`
            : teacher.name}
        </li>`,
      )}
    </ul>`;
  }

  private renderTime(section: SectionDocument, language: string) {
    if (!section.startTime || !section.endTime) return html`<span class="muted">${t('schedule:table.noTime')}</span>`;
    return t('schedule:table.timeRange', { start: formatClockTime(section.startTime, language), end: formatClockTime(section.endTime, language) });
  }

  private renderTable(term: Term, sections: SectionDocument[], language: string) {
    return html`
      <div class="scroll" tabindex="0" role="region" aria-label=${t('schedule:table.caption', { term: districtWord(term.name) })}>
        <table class="cards">
          <caption>${t('schedule:table.caption', { term: districtWord(term.name) })}</caption>
          <thead>
            <tr>
              <th scope="col">${t('schedule:table.period')}</th>
              <th scope="col">${t('schedule:table.time')}</th>
              <th scope="col">${t('schedule:table.course')}</th>
              <th scope="col">${t('schedule:table.teacher')}</th>
              <th scope="col">${t('schedule:table.room')}</th>
            </tr>
          </thead>
          <tbody>
            ${sections.map(
              (section) => html`<tr data-section=${section.id}>
                <th scope="row" class="period">${districtWord(section.periodName) ?? section.periodSequence ?? '–'}</th>
                <td>${this.renderTime(section, language)}</td>
                <td class="course">${districtWord(section.courseName)}<span class="course-code">${section.courseCode}</span></td>
                <td>${this.renderTeachers(section)}</td>
                <td class="room" ?data-names-itself=${namesItself(section.roomName)}>${districtWord(section.roomName) ?? html`<span class="muted">${t('schedule:table.noRoom')}</span>`}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderSchedule() {
    const student = this.student.value;
    if (!this.sections.ready || !this.student.ready) return html`<p class="muted">${t('schedule:loading')}</p>`;
    if (!student) return html`<p class="muted">${t('schedule:noStudent')}</p>`;
    const language = currentLanguage();
    const all = sectionsOfStudent((this.sections.value ?? []).map((doc) => doc.toJSON() as SectionDocument), student.id);
    const today = localIsoDate();
    const terms = termsOf(all, today);
    const term = terms.find((candidate) => candidate.id === this.termId) ?? terms[0];
    if (!term) return html`<p class="muted">${t('schedule:empty')}</p>`;
    const date = (iso: string) => formatDate(`${iso}T12:00:00`, language, { year: 'numeric', month: 'short', day: 'numeric' });
    return html`
      <div class="toolbar no-print">
        ${renderTermField(terms, term, today, this.onTermChange)}
        <button type="button" class="button secondary" @click=${this.onPrint}>${t('schedule:print')}</button>
      </div>
      <section class="card" aria-labelledby="term-title">
        <h2 id="term-title">${districtWord(term.name)}</h2>
        ${this.renderTable(term, sectionsInTerm(all, term.id), language)}
        <p class="muted term-dates">${t('schedule:term.dates', { start: date(term.start), end: date(term.end) })}</p>
      </section>
    `;
  }

  override render() {
    void this.i18n;
    const student = this.student.value;
    return html`
      <div class="page">
        <hr-student-switcher class="no-print"></hr-student-switcher>
        <h1>
          <span class="no-print">${t('schedule:heading')}</span>
          ${student ? html`<span class="print-only">${t('schedule:printHeading', { name: studentDisplayName(student) })}</span>` : nothing}
        </h1>
        ${this.renderSchedule()} ${renderLastSynced([this.synced.value], currentLanguage())}
      </div>
    `;
  }
}

customElements.define('hr-schedule', HrSchedule);

declare global {
  interface HTMLElementTagNameMap {
    'hr-schedule': HrSchedule;
  }
}
