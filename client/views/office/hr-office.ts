import { LitElement, css, html, nothing } from 'lit';
import type { RxDocument } from 'rxdb';
import type { AttendanceDocument } from '../../../server/contract/sync/attendance.ts';
import type { AbsenceNotePayload, PhoneLine, PostalAddress, RequestDocument } from '../../../server/contract/sync/requests.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { currentLanguage, t } from '../../app/i18n.ts';
import { OnlineController } from '../../app/online-controller.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { emptyOutbox, observeOutbox, refusalKey, type Outbox } from '../../data/outbox.ts';
import { RxController } from '../../data/rx-controller.ts';
import { observeSyncState, readSyncState } from '../../data/sync-state.ts';
import { staffTabsFor } from '../../components/hr-staff-nav.ts';
import { renderLastSynced } from '../schedule/last-synced.ts';
import { currentMe } from '../../data/session.ts';
import { studentDisplayName, type StudentDocument } from '../../data/students.ts';
import { portalPageStyles } from '../attendance/portal-page.styles.ts';
import { attendanceSince, EXCUSED_REASON_CODES, householdChangeRows, localToday, markState, notesForDay, type WriteState } from './office-queries.ts';
import { calendarDay } from './school-days.ts';
import { staffFormStyles } from './staff-form.styles.ts';

const dayFormat: Intl.DateTimeFormatOptions = { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' };

/**
 * @summary The office's day: the school's absences, tardies and early releases of one day with
 * each student's note from home, excusing a mark with a district reason code and comment,
 * deciding families' absence notes and household change requests. Reads and writes the
 * device's copy; decisions are sent by the data layer, shown waiting until the server takes them.
 */
export class HrOffice extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    portalPageStyles,
    staffFormStyles('input, select, textarea'),
    css`
      nav ul {
        display: flex;
        flex-wrap: wrap;
        gap: var(--hr-space-3);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      nav a {
        display: inline-flex;
        align-items: center;
        min-height: var(--hr-target-size);
        font-weight: 600;
      }
      input,
      select,
      textarea {
        max-width: 100%;
      }
      textarea {
        width: 100%;
        min-height: 4rem;
      }
      .field {
        margin-bottom: var(--hr-space-3);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--hr-space-2);
      }
      .excuse-form {
        margin-top: var(--hr-space-2);
        padding: var(--hr-space-3);
        border: 1px solid var(--hr-color-border);
        border-radius: var(--hr-radius);
        min-width: 14rem;
      }
      .requests {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .requests > li {
        padding: var(--hr-space-3) 0;
        border-top: 1px solid var(--hr-color-border);
      }
      .requests > li:first-child {
        border-top: 0;
      }
      .state {
        font-weight: 600;
      }
      .state.refused {
        color: var(--hr-color-danger, inherit);
      }
      table.change td {
        overflow-wrap: anywhere;
        width: 50%;
      }
      .who {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
    `,
  ];

  static override properties = {
    day: { state: true },
    excusing: { state: true },
  };

  declare private day: string;
  /** The attendance mark whose excuse form is open. */
  declare private excusing: string | null;

  private readonly i18n = new I18nController(this);
  private readonly network = new OnlineController(this);
  private database: Parameters<ConstructorParameters<typeof RxController>[1]>[0] | undefined;
  private readonly marks = new RxController(this, (db) => {
    this.database = db;
    return db.attendance.find({ selector: { date: this.day, status: { $ne: 'present' } } }).$;
  });
  private readonly students = new RxController(this, (db) => db.students.find().$);
  private readonly sections = new RxController(this, (db) => db.sections.find().$);
  private readonly requests = new RxController(this, (db) => db.requests.find().$);
  private readonly attendanceOutbox = new RxController(this, (db) => observeOutbox(db, 'attendance'));
  private readonly requestsOutbox = new RxController(this, (db) => observeOutbox(db, 'requests'));
  private readonly attendanceSynced = new RxController(this, (db) => observeSyncState(db, 'attendance'));
  private readonly requestsSynced = new RxController(this, (db) => observeSyncState(db, 'requests'));

  constructor() {
    super();
    this.day = localToday();
    this.excusing = null;
  }

  /** Shows another day of the school calendar. */
  showDay(day: string): void {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day === this.day) return;
    this.day = day;
    this.excusing = null;
    // The marks query reads `day`: reconnecting the controller runs it again.
    this.marks.hostDisconnected();
    this.marks.hostConnected();
  }

  private readonly onDayChange = (event: Event): void => {
    this.showDay((event.target as HTMLInputElement).value);
  };

  private async saveExcuse(event: SubmitEvent, mark: RxDocument<AttendanceDocument>): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const reasonCode = String(data.get('reason') ?? '');
    if (!EXCUSED_REASON_CODES.includes(reasonCode)) return;
    await mark.incrementalPatch({ excuse: 'excused', reasonCode, comment: String(data.get('comment') ?? '').trim().slice(0, 2000), syncError: null });
    this.excusing = null;
  }

  private async decide(request: RequestDocument, status: 'approved' | 'rejected', noteField: string): Promise<void> {
    const doc = await this.database?.requests.findOne(request.id).exec();
    if (!doc) return;
    const note = this.shadowRoot!.querySelector<HTMLTextAreaElement>(`#${noteField}`)?.value.trim() ?? '';
    await doc.incrementalPatch({ status, decisionNote: note.slice(0, 1000), syncError: null });
  }

  private stateText(state: WriteState, refusal: string | undefined, keys: 'day' | 'notes' | 'household'): string {
    if (state === 'refused') return t(`office:${keys}.state.refused`, { reason: t(refusalKey(refusal ?? '')) });
    if (keys === 'day') return state === 'waiting' ? t('office:day.state.waiting') : t('office:day.state.saved');
    if (keys === 'notes') return t(`office:notes.state.${state as Exclude<WriteState, 'refused' | 'saved'>}`);
    return state === 'pending' ? '' : t(`office:household.state.${state as 'waiting' | 'approved' | 'rejected'}`);
  }

  private renderMarks(studentsById: Map<string, StudentDocument>, sectionsById: Map<string, SectionDocument>, outbox: Outbox) {
    const marks = [...(this.marks.value ?? [])].sort((a, b) => {
      const nameA = studentsById.get(a.studentId)?.lastName ?? '';
      const nameB = studentsById.get(b.studentId)?.lastName ?? '';
      return nameA.localeCompare(nameB) || (sectionsById.get(a.sectionId ?? '')?.periodSequence ?? -1) - (sectionsById.get(b.sectionId ?? '')?.periodSequence ?? -1);
    });
    const date = calendarDay(this.day, dayFormat);
    // Until the device has synced attendance once, an empty day means "not here yet", not "none".
    if (this.marks.value === undefined || !this.attendanceSynced.ready || readSyncState(this.attendanceSynced.value).lastSyncedAt === null) {
      return html`<p class="muted loading" role="status">${t('office:day.loading')}</p>`;
    }
    // A day older than this device holds (server/access/sync-windows.ts): no marks here does not mean none.
    const since = attendanceSince(currentMe());
    if (since !== null && this.day < since && marks.length === 0) {
      return html`<p class="status info before-window">${t('office:day.beforeWindow', { date, since: calendarDay(since, dayFormat) })}</p>`;
    }
    if (marks.length === 0) return html`<p class="muted none">${t('office:day.none', { date })}</p>`;
    const notes = notesForDay((this.requests.value ?? []).map((doc) => doc.toJSON() as RequestDocument), this.day);
    const row = (mark: RxDocument<AttendanceDocument>) => {
      const student = studentsById.get(mark.studentId);
      const name = student ? studentDisplayName(student) : mark.studentId;
      const section = mark.sectionId ? sectionsById.get(mark.sectionId) : undefined;
      const note = notes.find((entry) => entry.studentId === mark.studentId);
      const { state, refusal } = markState(mark.toJSON() as AttendanceDocument, outbox);
      const open = this.excusing === mark.id;
      return html`
        <tr data-id=${mark.id} data-student=${mark.studentId}>
          <th scope="row" class="who"><a href=${`#/student-records?student=${encodeURIComponent(mark.studentId)}`} title=${t('office:records.link', { name })}>${name}</a></th>
          <td>${mark.sectionId === null ? t('office:day.allDay') : section ? `${section.periodName ?? ''} ${section.courseName}`.trim() : '—'}</td>
          <td>${t(`attendance:status.${mark.status}`)}${mark.minutes ? ` (${t('attendance:marks.minutes', { minutes: mark.minutes })})` : ''}</td>
          <td class="excuse">
            ${t(`attendance:excuse.${mark.excuse}`)}${mark.reasonCode && mark.reasonCode in reasonKeys ? html`<br />${t(`attendance:reason.${mark.reasonCode as ReasonCode}`)}` : nothing}
            ${mark.comment ? html`<br /><span class="muted">${mark.comment}</span>` : nothing}
            ${state ? html`<br /><span class="state mark-state ${state}" role="status">${this.stateText(state, refusal, 'day')}</span>` : nothing}
          </td>
          <td>${note ? html`${t(`attendance:reason.${note.payload.reason}`)}${note.payload.note ? html`: <span>${note.payload.note}</span>` : nothing}` : t('office:day.noNote')}</td>
          <td>
            ${mark.excuse === 'excused' && !open
              ? nothing
              : open
                ? this.renderExcuseForm(mark, name, note?.payload.reason)
                : html`<button type="button" class="button secondary excuse-button" aria-label=${t('office:day.excuseFor', { name })} @click=${() => (this.excusing = mark.id)}>
                    ${t('office:day.excuse')}
                  </button>`}
          </td>
        </tr>
      `;
    };
    return html`
      <p>${t('office:day.count', { count: marks.length })}</p>
      <div class="table-scroll" role="region" tabindex="0" aria-labelledby="marks-caption">
        <table class="marks">
          <caption id="marks-caption">${t('office:day.caption', { date })}</caption>
          <thead>
            <tr>
              <th scope="col">${t('office:day.student')}</th>
              <th scope="col">${t('office:day.class')}</th>
              <th scope="col">${t('office:day.attendance')}</th>
              <th scope="col">${t('office:day.excused')}</th>
              <th scope="col">${t('office:day.note')}</th>
              <th scope="col">${t('office:day.action')}</th>
            </tr>
          </thead>
          <tbody>
            ${marks.map(row)}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderExcuseForm(mark: RxDocument<AttendanceDocument>, name: string, suggested: string | undefined) {
    const id = `excuse-${mark.id}`;
    return html`
      <form class="excuse-form" aria-label=${t('office:day.excuseFor', { name })} @submit=${(event: SubmitEvent) => this.saveExcuse(event, mark)}>
        <div class="field">
          <label for="${id}-reason">${t('office:day.reason')}</label>
          <select id="${id}-reason" name="reason" required>
            ${EXCUSED_REASON_CODES.map(
              (code) => html`<option value=${code} ?selected=${code === (suggested ?? mark.reasonCode)}>${code} · ${t(`attendance:reason.${code as ReasonCode}`)}</option>`,
            )}
          </select>
        </div>
        <div class="field">
          <label for="${id}-comment">${t('office:day.comment')}</label>
          <textarea id="${id}-comment" name="comment" maxlength="2000" .value=${mark.comment}></textarea>
        </div>
        <div class="actions">
          <button type="submit" class="button">${t('office:day.save')}</button>
          <button type="button" class="button secondary" @click=${() => (this.excusing = null)}>${t('office:day.cancel')}</button>
        </div>
      </form>
    `;
  }

  private renderNotes(studentsById: Map<string, StudentDocument>, outbox: Outbox) {
    const notes = notesForDay((this.requests.value ?? []).map((doc) => doc.toJSON() as RequestDocument), this.day);
    if (notes.length === 0) return html`<p class="muted">${t('office:notes.none')}</p>`;
    return html`
      <ul class="requests notes">
        ${notes.map((note) => {
          const student = note.studentId ? studentsById.get(note.studentId) : undefined;
          const payload = note.payload as AbsenceNotePayload;
          const { state, refusal } = markState(note, outbox, note.status);
          const noteField = `note-${note.id}`;
          return html`
            <li data-id=${note.id}>
              <p class="who">${student ? studentDisplayName(student) : note.studentId}</p>
              <p>
                ${payload.endDate && payload.endDate !== payload.date
                  ? t('office:notes.days', { from: calendarDay(payload.date), to: calendarDay(payload.endDate) })
                  : calendarDay(payload.date)}
                · ${t(`attendance:reason.${payload.reason}`)}${payload.sectionIds ? ` · ${t('office:notes.classes')}` : ''}
              </p>
              ${payload.note ? html`<p>${payload.note}</p>` : nothing}
              <p class="muted small">${t('office:notes.from', { name: note.requestedByName })}</p>
              <p class="state note-state ${state}" role="status">${this.stateText(state ?? note.status, refusal, 'notes')}</p>
              ${note.status === 'pending' && state !== 'waiting'
                ? html`
                    <div class="field">
                      <label for=${noteField}>${t('office:notes.decisionNote')}</label>
                      <textarea id=${noteField} maxlength="1000"></textarea>
                    </div>
                    <div class="actions">
                      <button type="button" class="button approve" @click=${() => this.decide(note, 'approved', noteField)}>${t('office:notes.approve')}</button>
                      <button type="button" class="button secondary reject" @click=${() => this.decide(note, 'rejected', noteField)}>${t('office:notes.reject')}</button>
                    </div>
                  `
                : nothing}
            </li>
          `;
        })}
      </ul>
    `;
  }

  private renderHousehold(outbox: Outbox) {
    const requests = (this.requests.value ?? [])
      .map((doc) => doc.toJSON() as RequestDocument)
      .filter((request) => request.kind === 'household_change' && (request.status === 'pending' || outbox.pending.includes(request.id) || request.syncError));
    if (requests.length === 0) return html`<p class="muted none">${t('office:household.none')}</p>`;
    const kindLabel = (kind: string | undefined) =>
      kind === 'home' || kind === 'mailing' || kind === 'mobile' || kind === 'work' ? t(`office:household.kind.${kind}`) : t('office:household.kind.unknown');
    const address = (value: PostalAddress | null | undefined) =>
      value ? html`${value.line1}${value.line2 ? html`<br />${value.line2}` : nothing}<br />${value.city}, ${value.region} ${value.postalCode}` : t('office:household.notOnRecord');
    const phone = (value: PhoneLine | null | undefined) => (value ? html`${value.number}${value.smsOk ? html`<br />${t('office:household.sms')}` : nothing}` : t('office:household.notOnRecord'));
    return html`
      <ul class="requests household">
        ${requests.map((request) => {
          const rows = householdChangeRows(request.payload);
          const { state, refusal } = markState(request, outbox, request.status);
          const noteField = `decision-${request.id}`;
          const captionId = `change-${request.id}`;
          return html`
            <li data-id=${request.id}>
              <p class="who">${t('office:household.requestedBy', { name: request.requestedByName, date: request.submittedAt ? calendarDay(request.submittedAt.slice(0, 10)) : '—' })}</p>
              <div>
                <table class="change">
                  <caption id=${captionId}>
                    ${rows.change === 'address' ? t('office:household.change.address', { kind: kindLabel(rows.kind) }) : t('office:household.change.phone', { kind: kindLabel(rows.kind) })}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">${t('office:household.old')}</th>
                      <th scope="col">${t('office:household.new')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <tr>
                      <td class="old">${rows.change === 'address' ? address(rows.old as PostalAddress | null) : phone(rows.old as PhoneLine | null)}</td>
                      <td class="new">${rows.change === 'address' ? address(rows.next as PostalAddress | null) : phone(rows.next as PhoneLine | null)}</td>
                    </tr>
                  </tbody>
                </table>
              </div>
              ${state && state !== 'pending' ? html`<p class="state household-state ${state}" role="status">${this.stateText(state, refusal, 'household')}</p>` : nothing}
              ${request.status === 'pending' && state !== 'waiting'
                ? html`
                    <div class="field">
                      <label for=${noteField}>${t('office:household.decisionNote')}</label>
                      <textarea id=${noteField} maxlength="1000"></textarea>
                    </div>
                    <div class="actions">
                      <button type="button" class="button approve" @click=${() => this.decide(request, 'approved', noteField)}>${t('office:household.approve')}</button>
                      <button type="button" class="button secondary reject" @click=${() => this.decide(request, 'rejected', noteField)}>${t('office:household.reject')}</button>
                    </div>
                  `
                : nothing}
            </li>
          `;
        })}
      </ul>
    `;
  }

  override render() {
    const studentsById = new Map((this.students.value ?? []).map((doc) => [doc.id, doc.toJSON() as StudentDocument]));
    const sectionsById = new Map((this.sections.value ?? []).map((doc) => [doc.id, doc.toJSON() as SectionDocument]));
    return html`
      <div class="page">
        <h1>${t('office:title')}</h1>
        ${staffTabsFor(currentMe()?.roles ?? [], (currentMe()?.toolRights ?? []).map((right) => right.tool)).some((tab) => tab.view === 'admin')
          ? html`<nav aria-label=${t('office:nav.label')}>
              <ul>
                <li><a href="#/admin">${t('office:nav.admin')}</a></li>
              </ul>
            </nav>`
          : nothing}
        <div role="status">${this.network.online ? nothing : html`<p class="status info">${t('office:offline')}</p>`}</div>
        ${renderLastSynced([this.attendanceSynced.value, this.requestsSynced.value], currentLanguage())}
        <section aria-labelledby="day-title">
          <h2 id="day-title">${t('office:day.title')}</h2>
          <div class="field">
            <label for="day">${t('office:day.date')}</label>
            <input id="day" type="date" .value=${this.day} @change=${this.onDayChange} />
          </div>
          ${this.renderMarks(studentsById, sectionsById, this.attendanceOutbox.value ?? emptyOutbox)}
        </section>
        <section aria-labelledby="notes-title">
          <h2 id="notes-title">${t('office:notes.title')}</h2>
          ${this.renderNotes(studentsById, this.requestsOutbox.value ?? emptyOutbox)}
        </section>
        <section aria-labelledby="household-title">
          <h2 id="household-title">${t('office:household.title')}</h2>
          ${this.renderHousehold(this.requestsOutbox.value ?? emptyOutbox)}
        </section>
      </div>
    `;
  }
}

const reasonKeys = { ILL: 1, MED: 1, FAM: 1, REL: 1, BRV: 1, SCH: 1, UNV: 1, TRU: 1, VAC: 1, PND: 1 } as const;
type ReasonCode = keyof typeof reasonKeys;

customElements.define('hr-office', HrOffice);

declare global {
  interface HTMLElementTagNameMap {
    'hr-office': HrOffice;
  }
}
