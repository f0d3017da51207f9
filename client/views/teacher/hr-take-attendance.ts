import { LitElement, css, html, nothing } from 'lit';
import type { AttendanceDocument } from '../../../server/contract/sync/attendance.ts';
import { HashRouteController } from '../../app/hash-route-controller.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { currentLanguage, t } from '../../app/i18n.ts';
import { LocalDatabaseController } from '../../app/local-database-controller.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { recordAttendance } from '../../data/attendance.ts';
import { emptyOutbox, observeOutbox, refusalKey } from '../../data/outbox.ts';
import { RxController } from '../../data/rx-controller.ts';
import { formatDate } from '../../lib/format.ts';
import { classRecords } from './class-records.ts';
import { periodLabel } from './place-names.ts';
import { localToday, studentName } from './roster.ts';
import { teacherStyles } from './teacher.styles.ts';

type Mark = 'present' | 'absent' | 'tardy';
const NEXT: Record<Mark, Mark> = { present: 'absent', absent: 'tardy', tardy: 'present' };

interface Draft {
  status: Mark;
  minutes: number | null;
}

/**
 * @summary Attendance for one class today (`#/take-attendance?section=<id>`): everyone present
 * by default, a tap cycles a student through absent and tardy (with minutes late), and Save
 * records the marks on the device. They are sent with the next sync; until then the screen
 * says they wait, and a refusal comes back with the server's reason.
 */
export class HrTakeAttendance extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    teacherStyles,
    css`
      ul.marks {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .marks li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--hr-space-2);
        padding: var(--hr-space-2) 0;
        border-bottom: 1px solid var(--hr-color-border);
      }
      button.mark {
        display: flex;
        flex: 1 1 14rem;
        justify-content: space-between;
        gap: var(--hr-space-3);
        min-height: var(--hr-target-size);
        padding: var(--hr-space-2) var(--hr-space-3);
        border: 2px solid var(--hr-color-field-border);
        border-radius: var(--hr-radius);
        background: var(--hr-color-surface);
        color: var(--hr-color-ink);
        font: inherit;
        text-align: start;
        cursor: pointer;
      }
      button.mark.absent {
        border-color: var(--hr-color-danger);
        background: var(--hr-color-danger-soft);
      }
      button.mark.tardy {
        border-color: var(--hr-color-brand);
        background: var(--hr-color-brand-soft);
      }
      .status-word {
        font-weight: 700;
      }
      label.minutes {
        display: flex;
        align-items: center;
        gap: var(--hr-space-2);
      }
      label.minutes input {
        width: 5rem;
        min-height: var(--hr-target-size);
        font: inherit;
      }
    `,
  ];

  static override properties = {
    sectionId: { state: true },
    drafts: { state: true },
    saved: { state: true },
  };

  declare private sectionId: string | null;
  /** The marks as the teacher has set them, by student; a student not here is as on the device. */
  declare private drafts: Map<string, Draft>;
  /** Save was pressed at least once on this screen. */
  declare private saved: boolean;

  private readonly i18n = new I18nController(this);
  private readonly today = localToday();
  private readonly records = classRecords(this);
  private readonly outbox = new RxController(this, (db) => observeOutbox(db, 'attendance'));
  private readonly route = new HashRouteController(this, 'take-attendance', (params) => {
    const sectionId = params.get('section');
    if (sectionId === this.sectionId) return;
    this.sectionId = sectionId;
    this.drafts = new Map();
    this.saved = false;
  });
  private readonly db = new LocalDatabaseController(this);

  constructor() {
    super();
    this.sectionId = null;
    this.drafts = new Map();
    this.saved = false;
  }

  /** Today's marks of this class on the device, by student. */
  private todaysMarks(): Map<string, AttendanceDocument> {
    const marks = new Map<string, AttendanceDocument>();
    for (const mark of this.records.marks.value ?? []) if (mark.sectionId === this.sectionId && mark.date === this.today) marks.set(mark.studentId, mark);
    return marks;
  }

  private draftOf(studentId: string, marks: Map<string, AttendanceDocument>): Draft {
    const draft = this.drafts.get(studentId);
    if (draft) return draft;
    const mark = marks.get(studentId);
    const status: Mark = mark?.status === 'absent' || mark?.status === 'tardy' ? mark.status : 'present';
    return { status, minutes: mark?.minutes ?? null };
  }

  private cycle(studentId: string, current: Draft): void {
    const status = NEXT[current.status];
    this.drafts = new Map(this.drafts).set(studentId, { status, minutes: status === 'tardy' ? current.minutes : null });
  }

  private setMinutes(studentId: string, current: Draft, event: Event): void {
    const value = (event.target as HTMLInputElement).valueAsNumber;
    this.drafts = new Map(this.drafts).set(studentId, { ...current, minutes: Number.isFinite(value) ? Math.min(600, Math.max(0, Math.round(value))) : null });
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    const db = this.db.value;
    const section = this.records.section(this.sectionId);
    if (!db || !section || !this.records.loaded(['sections', 'students', 'attendance'])) return;
    const marks = this.todaysMarks();
    const roster = this.roster();
    for (const { student } of roster) {
      const draft = this.draftOf(student.id, marks);
      const existing = marks.get(student.id);
      if (existing && existing.status === draft.status && existing.minutes === draft.minutes && !existing.syncError) continue;
      await recordAttendance(db, { studentId: student.id, schoolId: section.schoolId, date: this.today, sectionId: section.id, status: draft.status, minutes: draft.minutes });
    }
    this.drafts = new Map();
    this.saved = true;
  }

  private roster() {
    const section = this.records.section(this.sectionId);
    if (!section) return [];
    return this.records.roster(section);
  }

  /** Where a student's saved mark stands: waiting to be sent, refused (why), or saved. */
  private stateOf(studentId: string, mark: AttendanceDocument | undefined): { state: 'waiting' | 'saved' | 'refused'; reason?: string } | undefined {
    const outbox = this.outbox.value ?? emptyOutbox;
    if (mark?.syncError) return { state: 'refused', reason: mark.syncError };
    if (mark && outbox.pending.includes(mark.id)) return { state: 'waiting' };
    const refused = outbox.refused.find((entry) => entry.document.studentId === studentId && entry.document.sectionId === this.sectionId && entry.document.date === this.today);
    if (refused && (!mark || refused.id === mark.id)) return { state: 'refused', reason: refused.code };
    return mark ? { state: 'saved' } : undefined;
  }

  override render() {
    void this.i18n;
    const section = this.records.section(this.sectionId);
    const back = html`<p class="no-print"><a href="#/teacher">${t('teacher:attendance.back')}</a></p>`;
    // Until the roster and today's marks are read, a list of nobody (or everyone present) would be a guess.
    if (!this.records.loaded(['sections', 'students', 'attendance'])) {
      return html`<div class="page">${back}<h1>${section ? t('teacher:attendance.heading', { course: section.courseName }) : t('teacher:attendance.title')}</h1><p class="muted loading" role="status">${t('teacher:today.loading')}</p></div>`;
    }
    if (!section) {
      return html`<div class="page"><h1>${t('teacher:attendance.title')}</h1>${this.records.sections.value ? html`<p>${t('teacher:attendance.noSection')}</p>` : nothing}${back}</div>`;
    }
    const marks = this.todaysMarks();
    const roster = this.roster();
    const drafts = roster.map(({ student }) => ({ student, draft: this.draftOf(student.id, marks), mark: marks.get(student.id) }));
    const count = (status: Mark) => drafts.filter(({ draft }) => draft.status === status).length;
    const states = drafts.map(({ student, mark }) => this.stateOf(student.id, mark));
    const waiting = states.some((state) => state?.state === 'waiting');
    const refused = states.some((state) => state?.state === 'refused');
    return html`
      <div class="page">
        ${back}
        <h1>${t('teacher:attendance.heading', { course: section.courseName })}</h1>
        <p class="meta">${formatDate(`${this.today}T12:00:00`, currentLanguage(), { weekday: 'long', month: 'long', day: 'numeric' })}${section.periodName ? html` · ${periodLabel(section.periodName)}` : nothing}</p>
        <p id="attendance-hint">${t('teacher:attendance.hint')}</p>
        <form @submit=${this.save}>
          <ul class="marks" aria-describedby="attendance-hint">
            ${drafts.map(({ student, draft, mark }, index) => {
              const name = studentName(student);
              const state = states[index];
              return html`
                <li data-student=${student.id}>
                  <button
                    type="button"
                    class="mark ${draft.status}"
                    @click=${() => this.cycle(student.id, draft)}
                  >
                    <span class="student-name">${name}</span>
                    <span class="status-word">${t(`teacher:attendance.status.${draft.status}`)}</span>
                  </button>
                  ${draft.status === 'tardy'
                    ? html`<label class="minutes">
                        <span>${t('teacher:attendance.minutes')}<span class="visually-hidden"> (${name})</span></span>
                        <input type="number" min="0" max="600" inputmode="numeric" .value=${draft.minutes === null ? '' : String(draft.minutes)} @change=${(event: Event) => this.setMinutes(student.id, draft, event)} />
                      </label>`
                    : nothing}
                  ${state && !this.drafts.has(student.id) && mark !== undefined || state?.state === 'refused'
                    ? html`<span class="state ${state!.state}">${state!.state === 'refused' ? t('teacher:attendance.state.refused', { reason: t(refusalKey(state!.reason ?? '')) }) : t(`teacher:attendance.state.${state!.state}`)}</span>`
                    : nothing}
                </li>
              `;
            })}
          </ul>
          <p class="summary">${t('teacher:attendance.summary', { present: count('present'), absent: count('absent'), tardy: count('tardy') })}</p>
          <div class="actions"><button class="button" type="submit">${t('teacher:attendance.save')}</button></div>
        </form>
        <div class="save-status" role="status">
          ${this.saved
            ? html`<p class="notice ${refused ? 'error' : ''}">${waiting ? t('teacher:attendance.savedWaiting') : refused ? t('teacher:attendance.state.refused', { reason: t(refusalKey(states.find((state) => state?.state === 'refused')?.reason ?? '')) }) : t('teacher:attendance.savedDone')}</p>`
            : nothing}
        </div>
      </div>
    `;
  }
}

customElements.define('hr-take-attendance', HrTakeAttendance);

declare global {
  interface HTMLElementTagNameMap {
    'hr-take-attendance': HrTakeAttendance;
  }
}
