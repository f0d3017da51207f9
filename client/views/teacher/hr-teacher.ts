import { LitElement, css, html, nothing } from 'lit';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { currentLanguage, t } from '../../app/i18n.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { RxController } from '../../data/rx-controller.ts';
import { observeSyncState } from '../../data/sync-state.ts';
import { renderLastSynced } from '../schedule/last-synced.ts';
import { currentMe } from '../../data/session.ts';
import { formatDate } from '../../lib/format.ts';
import { recordsLoaded, rosterCollections } from './class-records.ts';
import { periodLabel, roomLabel } from './place-names.ts';
import { localToday, rosterOf, sectionsMeetingOn, sectionsTaughtBy, studentName } from './roster.ts';
import { teacherStyles } from './teacher.styles.ts';

/**
 * @summary The teacher's landing screen: the classes meeting today in period order, each
 * with its roster and each student's flags (absences this term, missing work), and the way
 * to take attendance, open the gradebook or message the families. Reads the device's copy
 * only, so it works offline.
 */
export class HrTeacher extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    teacherStyles,
    css`
      /* Keeps the link's hidden student name inside the scrolling roster, not the page's width. */
      td.message {
        position: relative;
      }
      .synced {
        margin: var(--hr-space-3) 0 0;
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
      }
    `,
  ];

  private readonly i18n = new I18nController(this);
  private readonly sections = new RxController(this, (db) => db.sections.find().$);
  private readonly students = new RxController(this, (db) => db.students.find({ selector: { relation: 'teacher' } }).$);
  private readonly attendance = new RxController(this, (db) => db.attendance.find().$);
  private readonly scores = new RxController(this, (db) => db.scores.find({ selector: { missing: true } }).$);
  private readonly grades = new RxController(this, (db) => db.grades.find().$);
  /** The collections this screen is built from: until each has synced once, an empty list means "not here yet". */
  private readonly synced = rosterCollections.map((name) => new RxController(this, (db) => observeSyncState(db, name)));

  private renderSection(section: SectionDocument) {
    const roster = rosterOf(section, {
      students: this.students.value ?? [],
      grades: this.grades.value ?? [],
      scores: this.scores.value ?? [],
      attendance: this.attendance.value ?? [],
    });
    const headingId = `section-${section.id}`;
    const meta = [
      section.periodName ? periodLabel(section.periodName) : undefined,
      section.startTime && section.endTime ? t('teacher:today.time', { start: section.startTime, end: section.endTime }) : undefined,
      section.roomName ? roomLabel(section.roomName) : undefined,
      t('teacher:today.students', { count: roster.length }),
    ].filter(Boolean);
    return html`
      <section class="card" aria-labelledby=${headingId}>
        <h2 id=${headingId}>${section.courseName} (${section.sectionNumber})</h2>
        <p class="meta">${meta.join(' · ')}</p>
        <div class="actions">
          <a class="button" href=${`#/take-attendance?section=${section.id}`} aria-describedby=${headingId}>${t('teacher:today.takeAttendance')}</a>
          <a class="button secondary" href=${`#/gradebook?section=${section.id}`} aria-describedby=${headingId}>${t('teacher:today.gradebook')}</a>
          <a class="button secondary message-families" href=${`#/message?section=${section.id}`} aria-describedby=${headingId}>${t('teacher:compose.link.section')}</a>
        </div>
        ${roster.length === 0
          ? html`<p class="muted">${t('teacher:roster.empty')}</p>`
          : html`
              <div class="scroll" tabindex="0" role="region" aria-label=${t('teacher:roster.caption', { course: section.courseName })}>
                <table class="roster">
                  <caption>${t('teacher:roster.caption', { course: section.courseName })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">${t('teacher:roster.student')}</th>
                      <th scope="col">${t('teacher:roster.absences')}</th>
                      <th scope="col">${t('teacher:roster.missing')}</th>
                      <th scope="col">${t('teacher:compose.link.column')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${roster.map(
                      (entry) => html`
                        <tr>
                          <th scope="row" class="student-name">${studentName(entry.student)}</th>
                          <td class=${entry.absences > 0 ? 'absences flag' : 'absences'}>${entry.absences}</td>
                          <td class=${entry.missing > 0 ? 'missing flag' : 'missing'}>${entry.missing}</td>
                          <td class="message">
                            <a href=${`#/message?section=${section.id}&student=${entry.student.id}`}>${t('teacher:compose.link.student')}<span class="visually-hidden"> ${studentName(entry.student)}</span></a>
                          </td>
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
    void this.i18n;
    const today = localToday();
    const sections = this.sections.value;
    let body;
    const states = this.synced.map((controller) => controller.value);
    // The rosters count students, absences and missing work: until every query has answered
    // and every collection they come from has synced once, a zero would be a guess.
    const loaded = recordsLoaded([this.sections, this.students, this.attendance, this.scores, this.grades], this.synced);
    if (!sections || !loaded) body = html`<p class="muted loading" role="status">${t('teacher:today.loading')}</p>`;
    else {
      const meeting = sectionsMeetingOn(sectionsTaughtBy(sections, currentMe()), today);
      body = meeting.length === 0 ? html`<p class="muted">${navigator.onLine ? t('teacher:today.none') : t('teacher:today.waitingForNetwork')}</p>` : meeting.map((section) => this.renderSection(section));
    }
    return html`
      <div class="page">
        <h1>${t('teacher:today.heading')}</h1>
        <p class="meta">${formatDate(`${today}T12:00:00`, currentLanguage(), { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' })}</p>
        ${body ?? nothing}
        ${renderLastSynced(states, currentLanguage())}
      </div>
    `;
  }
}

customElements.define('hr-teacher', HrTeacher);

declare global {
  interface HTMLElementTagNameMap {
    'hr-teacher': HrTeacher;
  }
}
