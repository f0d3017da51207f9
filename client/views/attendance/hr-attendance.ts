import { LitElement, css, html, nothing } from 'lit';
import { ABSENCE_NOTE_REASONS, NOTE_DAYS_AHEAD, NOTE_DAYS_BACK, NOTE_MAX_LENGTH, type AbsenceNotePayload, type AbsenceNoteReason, type RequestDocument } from '../../../server/contract/sync/requests.ts';
import type { AttendanceDocument } from '../../../server/contract/sync/attendance.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { OnlineController } from '../../app/online-controller.ts';
import { CardTableController } from '../../components/card-table.ts';
import { currentLanguage, t } from '../../app/i18n.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { alertIcon, successIcon } from '../../components/form-field.ts';
import '../../components/hr-student-switcher.ts';
import { dismissRefusal, emptyOutbox, observeOutbox, refusalKey, type Outbox } from '../../data/outbox.ts';
import { observeAbsenceNotes, observeAllSections, observeAttendanceExceptions, submitAbsenceNote } from '../../data/portal-queries.ts';
import { RxController } from '../../data/rx-controller.ts';
import { selectedStudentId, subscribeSelectedStudent } from '../../data/selected-student.ts';
import { observeStudents, studentDisplayName, type StudentDocument } from '../../data/students.ts';
import { subscribeLocalDatabase } from '../../data/local-data.ts';
import type { HomeroomDatabase } from '../../data/database.ts';
import { observeSyncState, readSyncState } from '../../data/sync-state.ts';
import { formatDate } from '../../lib/format.ts';
import { portalPageStyles } from './portal-page.styles.ts';
import { termTotals } from './attendance-terms.ts';
import { noteDefaultDay } from './note-day.ts';
import { districtWord } from '../../data/district-words.ts';

const syncedFormat: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
const dayFormat: Intl.DateTimeFormatOptions = { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' };

/** A calendar day (YYYY-MM-DD) in the reader's language: noon UTC, so no time zone (nor the Somali calendar, which names months by local time) moves it. */
function formatDay(day: string): string {
  return formatDate(`${day}T12:00:00Z`, currentLanguage(), dayFormat);
}

/** Today on this device, as YYYY-MM-DD. */
function localToday(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** An absence note as the tab lists it: the device's copy, or a refused one the server dropped. */
interface ShownNote {
  id: string;
  payload: AbsenceNotePayload;
  state: 'waiting' | 'refused' | RequestDocument['status'];
  refusal?: string;
  decisionNote: string;
  /** Refused before the server ever stored it: only the device remembers it, until dismissed. */
  dismissible: boolean;
}

type FormError = 'dateRequired' | 'outsideWindow' | 'endBeforeStart';

/**
 * @summary The attendance tab: the selected student's absences, tardies and early releases by
 * day (newest first) with whether each is excused and why, totals per term, and for guardians
 * an absence note to the school, written on the device and sent when it is online.
 */
export class HrAttendance extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    portalPageStyles,
    css`
      form {
        display: grid;
        gap: var(--hr-space-3);
      }
      .field {
        display: grid;
        gap: var(--hr-space-1);
      }
      .dates {
        display: grid;
        gap: var(--hr-space-3);
        grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
      }
      label {
        font-weight: 600;
      }
      input,
      select,
      textarea {
        width: 100%;
        min-height: var(--hr-target-size);
        font: inherit;
        padding: var(--hr-space-2) var(--hr-space-3);
        border: 1px solid var(--hr-color-field-border);
        border-radius: var(--hr-radius);
        background: var(--hr-color-surface);
        color: inherit;
      }
      textarea {
        min-height: 5rem;
        resize: vertical;
      }
      .hint {
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
      }
      .field-error {
        display: flex;
        gap: var(--hr-space-2);
        margin: 0;
        color: var(--hr-color-danger);
        font-weight: 600;
      }
      .notes {
        margin: var(--hr-space-3) 0 0;
        padding: 0;
        list-style: none;
      }
      .notes li {
        padding: var(--hr-space-2) 0;
        border-top: 1px solid var(--hr-color-border);
      }
      .note-state {
        display: inline-block;
        margin-top: var(--hr-space-1);
        padding: 0 var(--hr-space-2);
        border-radius: var(--hr-radius-small);
        font-size: var(--hr-font-size-small);
        font-weight: 600;
        background: var(--hr-color-info-soft);
      }
      .note-state.refused,
      .note-state.rejected {
        background: var(--hr-color-danger-soft);
      }
      .dismiss {
        margin-top: var(--hr-space-2);
      }
      .note-state.approved {
        background: var(--hr-color-success-soft);
      }
      .excused {
        white-space: nowrap;
      }
    `,
  ];

  static override properties = {
    studentId: { state: true },
    formError: { state: true },
    savedId: { state: true },
  };

  declare private studentId: string | undefined;
  declare private formError: FormError | undefined;
  /** The note just written here: the form says whether it waits for the network, is on its way, or has reached the school. */
  declare private savedId: string | undefined;

  private readonly i18n = new I18nController(this);
  private readonly network = new OnlineController(this);
  private readonly cardTables = new CardTableController(this);
  private readonly students = new RxController(this, observeStudents);
  private readonly marks = new RxController(this, observeAttendanceExceptions);
  private readonly sections = new RxController(this, observeAllSections);
  private readonly notes = new RxController(this, observeAbsenceNotes);
  private readonly outbox = new RxController(this, (db) => observeOutbox(db, 'requests'));
  private readonly synced = new RxController(this, (db) => observeSyncState(db, 'attendance'));
  private db: HomeroomDatabase | undefined;
  private unsubscribe: Array<() => void> = [];

  constructor() {
    super();
    this.studentId = undefined;
    this.savedId = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = [
      subscribeSelectedStudent((id) => {
        this.studentId = id;
        this.formError = undefined;
        this.savedId = undefined;
      }),
      subscribeLocalDatabase((db) => {
        this.db = db;
      }),
    ];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const stop of this.unsubscribe) stop();
    this.unsubscribe = [];
  }

  private currentStudent(): StudentDocument | undefined {
    const students = (this.students.value ?? []).map((doc) => doc.toJSON() as StudentDocument);
    const id = selectedStudentId(students.map((student) => student.id));
    return students.find((student) => student.id === id);
  }

  private async onSubmit(event: SubmitEvent, student: StudentDocument): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const date = String(data.get('note-date') ?? '');
    const endDate = String(data.get('note-end') ?? '') || null;
    const reason = String(data.get('note-reason') ?? '') as AbsenceNoteReason;
    const note = String(data.get('note-text') ?? '').trim();
    const today = localToday();
    this.savedId = undefined;
    if (!date) this.formError = 'dateRequired';
    else if (endDate && endDate < date) this.formError = 'endBeforeStart';
    else if (date < addDays(today, -NOTE_DAYS_BACK) || (endDate ?? date) > addDays(today, NOTE_DAYS_AHEAD)) this.formError = 'outsideWindow';
    else this.formError = undefined;
    if (this.formError || !this.db || !ABSENCE_NOTE_REASONS.includes(reason)) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    const id = await submitAbsenceNote(this.db, student, { date, endDate, reason, note, sectionIds: null });
    form.reset();
    this.savedId = id;
  }

  /** From the top of the tab to the note form: its first field, scrolled into view. */
  private readonly onWriteNote = (): void => {
    const field = this.renderRoot.querySelector<HTMLInputElement>('#note-date');
    field?.scrollIntoView({ block: 'center' });
    field?.focus();
  };

  private onDismiss(id: string): void {
    if (this.db) void dismissRefusal(this.db, 'requests', id);
  }

  /** The student's notes, newest absence first, each with where it stands. */
  private shownNotes(studentId: string): ShownNote[] {
    const outbox: Outbox = this.outbox.value ?? emptyOutbox;
    const notes = (this.notes.value ?? []).filter((note) => note.studentId === studentId && note.payload && 'date' in note.payload);
    const shown: ShownNote[] = notes.map((note) => {
      const refused = note.syncError ?? outbox.refused.find((entry) => entry.id === note.id)?.code;
      let state: ShownNote['state'] = note.status;
      if (refused) state = 'refused';
      // Until the server has taken it (submitAbsenceNote lists it in the outbox before writing it).
      else if (outbox.pending.includes(note.id)) state = 'waiting';
      return { id: note.id, payload: note.payload as AbsenceNotePayload, state, refusal: refused ?? undefined, decisionNote: note.decisionNote, dismissible: false };
    });
    // A refused new note is gone from the device; the outbox keeps what was asked, and why.
    const known = new Set(shown.map((note) => note.id));
    for (const entry of outbox.refused) {
      const document = entry.document as Partial<RequestDocument>;
      if (known.has(entry.id) || document.kind !== 'absence_note' || document.studentId !== studentId || !document.payload || !('date' in document.payload)) continue;
      shown.push({ id: entry.id, payload: document.payload, state: 'refused', refusal: entry.code, decisionNote: '', dismissible: true });
    }
    return shown.sort((a, b) => b.payload.date.localeCompare(a.payload.date) || a.id.localeCompare(b.id));
  }

  private reasonLabel(code: string | null): string {
    if (!code) return '';
    const key = `attendance:reason.${code}` as const;
    return t(key as 'attendance:reason.ILL', { defaultValue: code });
  }

  private renderMarks(marks: AttendanceDocument[], sections: Map<string, SectionDocument>) {
    if (marks.length === 0) return html`<p class="muted">${t('attendance:marks.none')}</p>`;
    return html`
      <div class="table-scroll" tabindex="0" role="region" aria-labelledby="marks-caption">
        <table class="marks cards">
          <caption id="marks-caption">${t('attendance:marks.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">${t('attendance:marks.date')}</th>
              <th scope="col">${t('attendance:marks.class')}</th>
              <th scope="col">${t('attendance:marks.code')}</th>
              <th scope="col">${t('attendance:marks.excused')}</th>
              <th scope="col">${t('attendance:marks.reason')}</th>
              <th scope="col">${t('attendance:marks.comment')}</th>
            </tr>
          </thead>
          <tbody>
            ${marks.map((mark) => {
              const section = mark.sectionId ? sections.get(mark.sectionId) : undefined;
              const place = section ? (section.periodName ? `${districtWord(section.periodName)} · ${districtWord(section.courseName)}` : districtWord(section.courseName)) : mark.sectionId ? t('attendance:marks.unknownClass') : t('attendance:marks.allDay');
              const minutes = mark.minutes !== null && mark.status !== 'absent' ? ` · ${t('attendance:marks.minutes', { minutes: mark.minutes })}` : '';
              return html`<tr data-date=${mark.date}>
                <th scope="row">${formatDay(mark.date)}</th>
                <td>${place}</td>
                <td>${t(`attendance:status.${mark.status}` as 'attendance:status.absent')}${minutes}</td>
                <td class="excused">${t(`attendance:excuse.${mark.excuse}` as 'attendance:excuse.excused')}</td>
                <td class="reason">${this.reasonLabel(mark.reasonCode)}</td>
                <td class="comment">${mark.comment}</td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderTotals(marks: AttendanceDocument[], sections: SectionDocument[]) {
    const totals = termTotals(marks, sections);
    if (totals.length === 0) return html`<p class="muted">${t('attendance:totals.none')}</p>`;
    return html`
      <div class="table-scroll" tabindex="0" role="region" aria-labelledby="totals-caption">
        <table class="totals cards">
          <caption id="totals-caption">${t('attendance:totals.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">${t('attendance:totals.term')}</th>
              <th scope="col" class="number">${t('attendance:totals.excusedDays')}</th>
              <th scope="col" class="number">${t('attendance:totals.unexcusedDays')}</th>
              <th scope="col" class="number">${t('attendance:totals.undecidedDays')}</th>
              <th scope="col" class="number">${t('attendance:totals.tardies')}</th>
              <th scope="col" class="number">${t('attendance:totals.earlyReleases')}</th>
            </tr>
          </thead>
          <tbody>
            ${totals.map(
              (term) => html`<tr data-term=${term.termId ?? ''}>
                <th scope="row">${districtWord(term.termName) ?? t('attendance:totals.noTerm')}</th>
                <td class="number">${term.excusedDays}</td>
                <td class="number">${term.unexcusedDays}</td>
                <td class="number">${term.undecidedDays}</td>
                <td class="number">${term.tardies}</td>
                <td class="number">${term.earlyReleases}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    `;
  }

  /** Where the note just written stands: waiting for the network, on its way, or at the school. */
  private renderSaved() {
    const id = this.savedId;
    if (!id) return nothing;
    const outbox: Outbox = this.outbox.value ?? emptyOutbox;
    if (outbox.refused.some((entry) => entry.id === id)) return nothing; // the list below says why
    const key = !outbox.pending.includes(id) ? 'attendance:note.sent' : this.network.online ? 'attendance:note.sending' : 'attendance:note.saved';
    return html`<p class="status good saved">${successIcon}<span>${t(key)}</span></p>`;
  }

  private renderNoteForm(student: StudentDocument) {
    const today = localToday();
    const min = addDays(today, -NOTE_DAYS_BACK);
    const max = addDays(today, NOTE_DAYS_AHEAD);
    const error = this.formError;
    const dateInvalid = error === 'dateRequired' || error === 'outsideWindow';
    return html`
      <form class="no-print" aria-labelledby="note-form-title" novalidate @submit=${(event: SubmitEvent) => void this.onSubmit(event, student)}>
        <p id="note-window" class="hint">${t('attendance:note.window', { back: NOTE_DAYS_BACK, ahead: NOTE_DAYS_AHEAD })}</p>
        <div class="dates">
          <div class="field">
            <label for="note-date">${t('attendance:note.date')}</label>
            <input id="note-date" name="note-date" type="date" min=${min} max=${max} value=${noteDefaultDay(today)} required aria-describedby="note-window${dateInvalid ? ' note-error' : ''}" aria-invalid=${dateInvalid ? 'true' : 'false'} />
          </div>
          <div class="field">
            <label for="note-end">${t('attendance:note.endDate')}</label>
            <input id="note-end" name="note-end" type="date" min=${min} max=${max} aria-describedby="note-end-hint${error === 'endBeforeStart' ? ' note-error' : ''}" aria-invalid=${error === 'endBeforeStart' ? 'true' : 'false'} />
            <span id="note-end-hint" class="hint">${t('attendance:note.endDateHint')}</span>
          </div>
        </div>
        <div class="field">
          <label for="note-reason">${t('attendance:note.reason')}</label>
          <select id="note-reason" name="note-reason">
            ${ABSENCE_NOTE_REASONS.map((code) => html`<option value=${code}>${this.reasonLabel(code)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="note-text">${t('attendance:note.text')}</label>
          <textarea id="note-text" name="note-text" maxlength=${NOTE_MAX_LENGTH}></textarea>
        </div>
        <div role="alert">${error ? html`<p id="note-error" class="field-error">${alertIcon}<span>${t(`attendance:note.errors.${error}`, { back: NOTE_DAYS_BACK, ahead: NOTE_DAYS_AHEAD })}</span></p>` : nothing}</div>
        <div role="status">${this.renderSaved()}</div>
        <div><button class="button" type="submit">${t('attendance:note.submit')}</button></div>
      </form>
    `;
  }

  private renderNotes(studentId: string) {
    const notes = this.shownNotes(studentId);
    if (notes.length === 0) return nothing;
    return html`
      <h3 id="notes-title">${t('attendance:note.listTitle')}</h3>
      <ul class="notes" aria-labelledby="notes-title">
        ${notes.map((note) => {
          const days = note.payload.endDate && note.payload.endDate !== note.payload.date ? t('attendance:note.range', { from: formatDay(note.payload.date), to: formatDay(note.payload.endDate) }) : formatDay(note.payload.date);
          return html`<li data-id=${note.id}>
            <strong>${days}</strong> · ${this.reasonLabel(note.payload.reason)}
            ${note.payload.note ? html`<div class="small">${note.payload.note}</div>` : nothing}
            <div class="note-state ${note.state}">${note.state === 'refused' ? t('attendance:note.state.refused', { reason: t(refusalKey(note.refusal ?? '')) }) : t(`attendance:note.state.${note.state}`)}</div>
            ${note.decisionNote ? html`<div class="small">${note.decisionNote}</div>` : nothing}
            ${note.dismissible ? html`<div><button class="button secondary dismiss" type="button" @click=${() => this.onDismiss(note.id)}>${t('sync:status.dismiss')}</button></div>` : nothing}
          </li>`;
        })}
      </ul>
    `;
  }

  override render() {
    void this.i18n;
    const student = this.currentStudent();
    const ready = this.marks.ready && this.sections.ready;
    const sectionList = this.sections.value ?? [];
    const sections = new Map(sectionList.map((section) => [section.id, section]));
    // Newest day first; within a day, whole-day marks and then the periods in order.
    const period = (mark: AttendanceDocument) => (mark.sectionId ? (sections.get(mark.sectionId)?.periodSequence ?? 99) : -1);
    const marks = student ? (this.marks.value ?? []).filter((mark) => mark.studentId === student.id).sort((a, b) => b.date.localeCompare(a.date) || period(a) - period(b)) : [];
    const { lastSyncedAt } = readSyncState(this.synced.value);
    const studentSections = student ? sectionList.filter((section) => section.studentIds.includes(student.id)) : [];
    return html`
      <div class="page">
        <h1>${t('attendance:title')}</h1>
        <hr-student-switcher></hr-student-switcher>
        ${!student || !ready
          ? html`<p class="muted" role="status">${t('attendance:loading')}</p>`
          : html`
              ${student.relation === 'guardian'
                ? html`<p class="no-print jump"><button class="button secondary write-note" type="button" @click=${this.onWriteNote}>${t('attendance:note.jump', { name: studentDisplayName(student) })}</button></p>`
                : nothing}
              <section aria-labelledby="totals-title">
                <h2 id="totals-title">${t('attendance:totals.title')}</h2>
                ${this.renderTotals(marks, studentSections)}
              </section>
              <section aria-labelledby="marks-title">
                <h2 id="marks-title">${t('attendance:marks.title')}</h2>
                ${this.renderMarks(marks, sections)}
                ${lastSyncedAt !== null ? html`<p class="synced">${t('attendance:lastSynced', { when: formatDate(lastSyncedAt, currentLanguage(), syncedFormat) })}</p>` : nothing}
              </section>
              <section aria-labelledby="note-title" class="absence-notes">
                <h2 id="note-title">${t('attendance:note.title')}</h2>
                ${student.relation === 'guardian'
                  ? html`<h3 id="note-form-title">${t('attendance:note.formTitle', { name: studentDisplayName(student) })}</h3>
                      ${this.renderNoteForm(student)}`
                  : html`<p class="muted">${t('attendance:note.studentsCannot')}</p>`}
                ${this.renderNotes(student.id)}
              </section>
            `}
      </div>
    `;
  }
}

customElements.define('hr-attendance', HrAttendance);

declare global {
  interface HTMLElementTagNameMap {
    'hr-attendance': HrAttendance;
  }
}
