import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import type { Me } from '../../../server/contract/auth.ts';
import type { AssignmentDocument } from '../../../server/contract/sync/assignments.ts';
import type { AttendanceDocument } from '../../../server/contract/sync/attendance.ts';
import type { FeeDocument } from '../../../server/contract/sync/fees.ts';
import type { GradeDocument } from '../../../server/contract/sync/grades.ts';
import type { HealthDocument } from '../../../server/contract/sync/health.ts';
import type { MessageDocument } from '../../../server/contract/sync/messages.ts';
import type { RequestDocument } from '../../../server/contract/sync/requests.ts';
import type { ScoreDocument } from '../../../server/contract/sync/scores.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import type { StudentDocument } from '../../../server/contract/sync/students.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { CardTableController } from '../../components/card-table.ts';
import { currentLanguage, t } from '../../app/i18n.ts';
import { OnlineController } from '../../app/online-controller.ts';
import { baseStyles } from '../../app/shared-styles.ts';
import { isViewName } from '../../app/views.ts';
import '../../components/hr-student-switcher.ts';
import type { HomeroomDatabase } from '../../data/database.ts';
import { RxController } from '../../data/rx-controller.ts';
import { selectedStudentId, subscribeSelectedStudent } from '../../data/selected-student.ts';
import { currentMe, subscribeSession } from '../../data/session.ts';
import { observeStudents } from '../../data/students.ts';
import { observeLastSynced } from '../../data/sync-state.ts';
import { formatDate, formatList, formatMoney, formatNumber } from '../../lib/format.ts';
import { formatPoints, scoreFlags } from '../grades/gradebook.ts';
import { distinctUntilChanged, map, switchMap } from 'rxjs';
import { plainDocuments } from './plain-documents.ts';
import { portalPageStyles } from './portal-page.styles.ts';
import {
  addDays,
  announcementsFor,
  inLanguage,
  localIsoDate,
  missingImmunizationsFor,
  pendingRequestsFor,
  RECENT_DAYS,
  recentAttendanceFor,
  recentlyGradedFor,
  type GradedWork,
  recentGradesFor,
  recentMessagesFor,
  scheduleFor,
  unpaidCentsFor,
} from './today-items.ts';
import { DISTRICT_WORDS_EVENT, districtWord } from '../../data/district-words.ts';
import { namesItself } from '../teacher/place-names.ts';

/** Guardians and students have a day to show; staff keep the home screen's list until their workspace exists. */
function isFamily(me: Me | undefined): boolean {
  return me !== undefined && (me.roles.includes('guardian') || me.roles.includes('student'));
}

const syncedFormat: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
const dayFormat: Intl.DateTimeFormatOptions = { weekday: 'long', month: 'long', day: 'numeric' };
const shortDayFormat: Intl.DateTimeFormatOptions = { weekday: 'short', month: 'short', day: 'numeric' };

/** A calendar date (`2026-11-24`) read as that day wherever the device is. */
function formatDay(isoDate: string, options: Intl.DateTimeFormatOptions): string {
  return formatDate(`${isoDate}T12:00:00`, currentLanguage(), options);
}

/** `13:05` in the reader's clock (1:05 PM in English). */
function formatTime(time: string): string {
  return formatDate(`2000-01-01T${time}:00`, currentLanguage(), { hour: 'numeric', minute: '2-digit' });
}

/** The one tab link a needs-attention item gives, when that tab exists. */
function tabLink(tab: string) {
  return isViewName(tab) ? html` <a href="#/${tab}">${t('today:attention.see')}</a>` : nothing;
}

/**
 * Scores graded since a day before Today's window opened (the day, not the instant: both readers
 * ask the same selector, so RxDB runs one query for them; recentlyGradedFor narrows to the window).
 */
function gradedLately(db: HomeroomDatabase) {
  return db.scores.find({ selector: { gradedAt: { $gte: addDays(localIsoDate(), -(RECENT_DAYS + 1)) } } });
}

/**
 * @summary The portal's landing tab, for the student chosen in the switcher: what needs the
 * family (unpaid fees, missing immunizations, requests the office has not decided), the
 * announcements running now, today's classes, work graded, grades posted and attendance events
 * of the last 14 days. Everything is read from the device's own copy, so it works offline, and says when
 * that copy was last updated.
 */
export class HrToday extends LitElement {
  static override styles = [
    baseStyles,
    portalPageStyles,
    css`
      .attention li {
        font-weight: 600;
      }
      .attention a {
        font-weight: 400;
        white-space: nowrap;
      }
      .announcement h3 {
        margin: 0;
      }
      .announcement p {
        margin: var(--hr-space-1) 0 0;
        white-space: pre-line;
      }
      .scroll {
        overflow-x: auto;
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      caption {
        text-align: start;
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
        padding-bottom: var(--hr-space-2);
      }
      th,
      td {
        text-align: start;
        vertical-align: top;
        padding: var(--hr-space-2);
        border-top: 1px solid var(--hr-color-border);
      }
      thead th {
        border-top: 0;
        font-size: var(--hr-font-size-small);
        color: var(--hr-color-ink-muted);
      }
      .account a {
        display: inline-flex;
        align-items: center;
        min-height: var(--hr-target-size);
        font-weight: 600;
      }
      @media print {
        .account {
          display: none;
        }
      }
      .message.unread a {
        font-weight: 700;
      }
      .badge-unread {
        display: inline-block;
        padding: 0 var(--hr-space-2);
        border-radius: var(--hr-radius-small);
        font-size: var(--hr-font-size-small);
        font-weight: 600;
        background: var(--hr-color-info-soft);
      }
      .grade-value {
        font-weight: 700;
        white-space: nowrap;
      }
      .score-value {
        font-weight: 700;
      }
    `,
  ];

  static override properties = {
    chosen: { state: true },
    family: { state: true },
  };

  declare private chosen: string | undefined;
  declare private family: boolean;

  private readonly i18n = new I18nController(this);
  private readonly cardTables = new CardTableController(this);
  private readonly network = new OnlineController(this);
  private readonly students = new RxController(this, (db) => plainDocuments(observeStudents(db)));
  private readonly sections = new RxController(this, (db) => plainDocuments<SectionDocument>(db.sections.find().$));
  private readonly messages = new RxController(this, (db) => plainDocuments<MessageDocument>(db.messages.find({ selector: { kind: 'announcement' } }).$));
  private readonly received = new RxController(this, (db) => plainDocuments<MessageDocument>(db.messages.find({ selector: { kind: 'message', folder: 'inbox' } }).$));
  private readonly grades = new RxController(this, (db) => plainDocuments<GradeDocument>(db.grades.find({ selector: { status: 'posted' } }).$));
  // Only what Today shows is read (a phone holds the whole year): marks dated since a day before
  // the window opened when the view did, and the scores graded since then with their assignments.
  private readonly attendance = new RxController(this, (db) =>
    plainDocuments<AttendanceDocument>(db.attendance.find({ selector: { date: { $gte: addDays(localIsoDate(), -(RECENT_DAYS + 1)) } } }).$),
  );
  private readonly graded = new RxController(this, (db) => plainDocuments<ScoreDocument>(gradedLately(db).$));
  private readonly assignments = new RxController(this, (db) =>
    gradedLately(db).$.pipe(
      map((scores) => [...new Set(scores.map((score) => score.assignmentId))].sort()),
      distinctUntilChanged((a, b) => a.length === b.length && a.every((id, index) => id === b[index])),
      switchMap((ids) => db.assignments.findByIds(ids).$),
      map((found) => [...found.values()].map((document) => document.toJSON() as AssignmentDocument)),
    ),
  );
  private readonly fees = new RxController(this, (db) => plainDocuments<FeeDocument>(db.fees.find().$));
  private readonly health = new RxController(this, (db) => plainDocuments<HealthDocument>(db.health.find().$));
  private readonly requests = new RxController(this, (db) => plainDocuments<RequestDocument>(db.requests.find({ selector: { status: 'pending' } }).$));
  private readonly lastSynced = new RxController(this, observeLastSynced);
  /** Every query the day is made of. */
  private readonly queries = [this.students, this.sections, this.messages, this.received, this.grades, this.attendance, this.graded, this.assignments, this.fees, this.health, this.requests, this.lastSynced];
  private unsubscribe: (() => void) | undefined;
  private unsubscribeSession: (() => void) | undefined;
  /** Counts the district's names arriving, so that the sections naming courses and periods show them. */
  private districtWordsSeen = 0;

  constructor() {
    super();
    this.chosen = undefined;
    this.family = isFamily(currentMe());
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = subscribeSelectedStudent((id) => {
      this.chosen = id;
    });
    this.unsubscribeSession = subscribeSession((me) => {
      this.family = isFamily(me);
    });
    window.addEventListener(DISTRICT_WORDS_EVENT, this.onDistrictWords);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribeSession?.();
    window.removeEventListener(DISTRICT_WORDS_EVENT, this.onDistrictWords);
  }

  private readonly onDistrictWords = (): void => {
    this.districtWordsSeen++;
  };

  private renderAttention(studentId: string) {
    const language = currentLanguage();
    const unpaid = unpaidCentsFor(this.fees.value ?? [], studentId);
    const missing = missingImmunizationsFor(this.health.value ?? [], studentId);
    const pending = pendingRequestsFor(this.requests.value ?? [], studentId);
    const items = [
      unpaid > 0 ? html`<li class="fees">${t('today:attention.fees', { amount: formatMoney(unpaid, 'USD', language) })}${tabLink('fees')}</li>` : nothing,
      missing.length > 0
        ? html`<li class="immunizations">${t('today:attention.immunizations', { count: missing.length, vaccines: formatList(missing.map((m) => m.vaccine), language) })}${tabLink('health')}</li>`
        : nothing,
      pending.length > 0 ? html`<li class="requests">${t('today:attention.requests', { count: pending.length })}${tabLink('family')}</li>` : nothing,
    ].filter((item) => item !== nothing);
    return html`
      <section class="attention" aria-labelledby="attention-title">
        <h2 id="attention-title">${t('today:attention.title')}</h2>
        ${items.length > 0 ? html`<ul class="list">${items}</ul>` : html`<p class="muted">${t('today:attention.none')}</p>`}
      </section>
    `;
  }

  private renderAnnouncements(student: StudentDocument, sectionIds: ReadonlySet<string>, today: string) {
    const language = currentLanguage();
    const announcements = announcementsFor(this.messages.value ?? [], student, sectionIds, today);
    return html`
      <section class="announcements" aria-labelledby="announcements-title">
        <h2 id="announcements-title">${t('today:announcements.title')}</h2>
        ${announcements.length === 0
          ? html`<p class="muted">${t('today:announcements.none')}</p>`
          : html`<ul class="list">
              ${announcements.map(
                (a) => html`<li class="announcement" lang=${a.title[language] ? language : 'en'}>
                  <h3>${inLanguage(a.title, language)}</h3>
                  <span class="detail" lang=${language}
                    >${a.schoolName ? html`<span class="school">${a.schoolName}</span> · ` : nothing}${a.senderName ? t('today:announcements.from', { name: a.senderName }) : t('today:announcements.district')}${a.endsOn
                      ? html` · ${t('today:announcements.until', { date: formatDay(a.endsOn, shortDayFormat) })}`
                      : nothing}</span
                  >
                  <p lang=${a.body[language] ? language : 'en'}>${inLanguage(a.body, language)}</p>
                </li>`,
              )}
            </ul>`}
      </section>
    `;
  }

  private renderSchedule(classes: SectionDocument[]) {
    const period = t('today:schedule.period');
    const time = t('today:schedule.time');
    const room = t('today:schedule.room');
    const teacher = t('today:schedule.teacher');
    return html`
      <section class="schedule" aria-labelledby="schedule-title">
        <h2 id="schedule-title">${t('today:schedule.title')}</h2>
        ${classes.length === 0
          ? html`<p class="muted">${t('today:schedule.none')}</p>`
          : html`<div class="scroll">
              <table class="cards">
                <caption>${t('today:schedule.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">${period}</th>
                    <th scope="col">${t('today:schedule.course')}</th>
                    <th scope="col">${time}</th>
                    <th scope="col">${room}</th>
                    <th scope="col">${teacher}</th>
                  </tr>
                </thead>
                <tbody>
                  ${classes.map(
                    (s) => html`<tr>
                      <td ?data-names-itself=${namesItself(s.periodName)}>${districtWord(s.periodName) ?? ''}</td>
                      <th scope="row" class="course">${districtWord(s.courseName)}</th>
                      <td>${s.startTime && s.endTime ? `${formatTime(s.startTime)} – ${formatTime(s.endTime)}` : ''}</td>
                      <td ?data-names-itself=${namesItself(s.roomName)}>${districtWord(s.roomName) ?? ''}</td>
                      <td>${s.teachers.map((person) => person.name).join(', ')}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}
      </section>
    `;
  }

  /** A section of what changed in the last 14 days: its title, then its items or a line saying there are none. */
  private renderRecent(kind: 'graded' | 'grades' | 'messages' | 'attendance', items: TemplateResult[]) {
    return html`
      <section class=${kind} aria-labelledby=${`${kind}-title`}>
        <h2 id=${`${kind}-title`}>${t(`today:${kind}.title`)}</h2>
        ${items.length === 0 ? html`<p class="muted">${t(`today:${kind}.none`)}</p>` : html`<ul class="list">${items}</ul>`}
      </section>
    `;
  }

  private renderGrades(grades: GradeDocument[], courseOf: Map<string, string>) {
    const language = currentLanguage();
    return this.renderRecent(
      'grades',
      grades.map(
        (g) => html`<li class="grade">
          <strong>${courseOf.get(g.sectionId) ?? ''}</strong> · ${districtWord(g.gradingTaskName) ?? g.standardCode ?? ''}:
          <span class="grade-value">${[g.mark, g.percent === null ? null : formatNumber(g.percent / 100, language, { style: 'percent', maximumFractionDigits: 1 })].filter(Boolean).join(' · ')}</span>
          <span class="detail">${t('today:grades.posted', { date: formatDay(g.postedAt!.slice(0, 10), shortDayFormat) })}</span>
        </li>`,
      ),
    );
  }

  /** Work graded lately: the assignment, its class, the score as the Grades tab reads it (points of possible, flags), and when. */
  private renderGraded(work: GradedWork[], courseOf: Map<string, string>) {
    const language = currentLanguage();
    return this.renderRecent(
      'graded',
      work.map(({ score, assignment }) => {
        const points = score.points === null ? [] : [t('today:graded.points', { points: formatPoints(score.points, language), possible: formatPoints(assignment.pointsPossible, language) })];
        const flags = scoreFlags(score).map((flag) => t(`grades:flags.${flag}`));
        return html`<li class="graded-work" data-score=${score.id}>
          <strong class="assignment">${assignment.name}</strong> · <span class="course">${courseOf.get(score.sectionId) ?? ''}</span>:
          <span class="score-value">${[...points, ...flags].join(' · ')}</span>
          <span class="detail">${t('today:graded.on', { date: formatDate(score.gradedAt, language, shortDayFormat) })}</span>
        </li>`;
      }),
    );
  }

  private renderMessages(messages: MessageDocument[]) {
    const language = currentLanguage();
    return this.renderRecent(
      'messages',
      messages.map(
        (m) => html`<li class="message ${m.readAt === null ? 'unread' : ''}" lang=${m.title[language] ? language : 'en'}>
          <a href="#/messages">${inLanguage(m.title, language)}</a>${m.readAt === null ? html` <span class="badge-unread" lang=${language}>${t('today:messages.unread')}</span>` : nothing}
          <span class="detail" lang=${language}>${t('today:messages.from', { name: m.senderName, date: formatDay(m.sentAt!.slice(0, 10), shortDayFormat) })}</span>
        </li>`,
      ),
    );
  }

  private renderAttendance(marks: AttendanceDocument[], courseOf: Map<string, string>) {
    return this.renderRecent(
      'attendance',
      marks.map(
        (m) => html`<li class="attendance-event">
          <strong>${formatDay(m.date, shortDayFormat)}</strong> · ${t(`today:attendance.status.${m.status as 'absent' | 'tardy' | 'early_release'}`)} ·
          ${t(`today:attendance.excuse.${m.excuse}`)}
          <span class="detail">${m.sectionId ? (courseOf.get(m.sectionId) ?? '') : t('today:attendance.wholeDay')}${m.comment ? ` · ${m.comment}` : ''}</span>
        </li>`,
      ),
    );
  }

  private renderSynced() {
    const when = this.lastSynced.value;
    return html`<p class="synced">${when ? t('today:lastSynced', { when: formatDate(when, currentLanguage(), syncedFormat) }) : t('today:neverSynced')}</p>`;
  }

  /**
   * Each section is worked out again only when what it shows changed: during a first sync every
   * stored page of one collection re-renders Today, and each time all seven sections were redone.
   */
  private renderStudent(student: StudentDocument, today: string) {
    const sections = this.sections.value;
    const scope = [student, today, currentLanguage(), this.districtWordsSeen];
    // Read only by the sections worked out again.
    let classes: { courseOf: Map<string, string>; mine: Set<string> } | undefined;
    const classesOf = () =>
      (classes ??= {
        courseOf: new Map((sections ?? []).map((s) => [s.id, districtWord(s.courseName)])),
        mine: new Set((sections ?? []).filter((s) => s.studentIds.includes(student.id)).map((s) => s.id)),
      });
    const courseOf = () => classesOf().courseOf;
    const mine = () => classesOf().mine;
    return html`
      ${guard([...scope, this.fees.value, this.health.value, this.requests.value], () => this.renderAttention(student.id))}
      ${guard([...scope, sections, this.messages.value], () => this.renderAnnouncements(student, mine(), today))}
      ${guard([...scope, sections], () => this.renderSchedule(scheduleFor(sections ?? [], student.id, today)))}
      ${guard([...scope, sections, this.received.value], () => this.renderMessages(recentMessagesFor(this.received.value ?? [], student.id, mine(), today)))}
      ${guard([...scope, sections, this.graded.value, this.assignments.value], () =>
        this.renderGraded(recentlyGradedFor(this.graded.value ?? [], this.assignments.value ?? [], student.id, today), courseOf()),
      )}
      ${guard([...scope, sections, this.grades.value], () => this.renderGrades(recentGradesFor(this.grades.value ?? [], student.id, today), courseOf()))}
      ${guard([...scope, sections, this.attendance.value], () => this.renderAttendance(recentAttendanceFor(this.attendance.value ?? [], student.id, today), courseOf()))}
    `;
  }

  override render() {
    void this.i18n;
    const today = localIsoDate();
    const students = this.students.value;
    const current = students?.find((s) => s.id === selectedStudentId(students.map((each) => each.id)));
    // The day is drawn at once, when every query has read the device's records: drawn as each
    // answered, what came first moved down the page as the rest arrived (layout shifts).
    const read = this.queries.every((query) => query.ready);
    let body;
    if (!this.family) body = html`<p class="muted staff">${t('today:staff.note')} <a href="#/home">${t('today:staff.link')}</a></p>`;
    else if (current && read) body = this.renderStudent(current, today);
    else if (students && read && this.lastSynced.value) body = html`<p class="muted">${t('today:noStudents')}</p>`;
    else body = html`<p class="muted">${this.network.online ? t('today:loading') : t('today:waitingForNetwork')}</p>`;
    void this.chosen; // the switcher's choice, read through selectedStudentId
    return html`
      <div class="page">
        <h1>${t('today:date', { date: formatDay(today, dayFormat) })}</h1>
        <div class="offline-notice" role="status">${this.network.online ? nothing : html`<p>${t('today:offline')}</p>`}</div>
        <hr-student-switcher></hr-student-switcher>
        ${body}
        ${read || !this.family
          ? html`${this.renderSynced()}
              <div class="account">
                <a href="#/account" aria-describedby="account-hint">${t('today:account.link')}</a>
                <p id="account-hint" class="detail">${t('today:account.hint')}</p>
              </div>`
          : nothing}
      </div>
    `;
  }
}

customElements.define('hr-today', HrToday);

declare global {
  interface HTMLElementTagNameMap {
    'hr-today': HrToday;
  }
}
