import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Me } from '../../../server/contract/auth.ts';
import { CONTACT_PURPOSES, type ContactPreference, type ContactPurpose, type ProfileDocument } from '../../../server/contract/sync/profile.ts';
import { ADDRESS_KINDS, PHONE_KINDS, type AbsenceNotePayload, type AddressChangePayload, type PhoneChangePayload, type RequestDocument } from '../../../server/contract/sync/requests.ts';
import { formStyles } from '../../app/form-styles.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { CardTableController } from '../../components/card-table.ts';
import { currentLanguage, t } from '../../app/i18n.ts';
import { LocalDatabaseController } from '../../app/local-database-controller.ts';
import { OnlineController } from '../../app/online-controller.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { alertIcon } from '../../components/form-field.ts';
import { emptyOutbox, markPending, observeOutbox, refusalKey, type Outbox } from '../../data/outbox.ts';
import { observeHouseholds } from '../../data/profile.ts';
import { observeRequests } from '../../data/requests.ts';
import { RxController } from '../../data/rx-controller.ts';
import { observeStudents, studentDisplayName, type StudentDocument } from '../../data/students.ts';
import { currentMe, subscribeSession } from '../../data/session.ts';
import { observeSyncState, readSyncState } from '../../data/sync-state.ts';
import { formatDate } from '../../lib/format.ts';
import { plainDocuments } from '../today/plain-documents.ts';
import { portalPageStyles } from '../today/portal-page.styles.ts';
import {
  addressRequest,
  canWithdraw,
  checkAddress,
  checkPhone,
  phoneRequest,
  standingOf,
  type AddressField,
  type AddressForm,
  type FieldProblem,
  type PhoneForm,
} from './household-change.ts';

const syncedFormat: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
const noteDayFormat: Intl.DateTimeFormatOptions = { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' };
const CHANNELS = ['voice', 'sms', 'email'] as const;
type Channel = (typeof CHANNELS)[number];

/** The form open on the page: one at a time, for one household. */
type Editing = { householdId: string; change: 'address' } | { householdId: string; change: 'phone' };

function addressLine(address: { line1: string; line2: string | null; city: string; region: string; postalCode: string }): string {
  return [address.line1, address.line2, `${address.city}, ${address.region} ${address.postalCode}`].filter(Boolean).join(', ');
}

/**
 * @summary The household, for its guardians: members with their e-mail addresses, addresses and
 * phones, the changes asked of the school office (waiting to be sent, pending approval, then
 * the office's answer), and how each way of contact is used per purpose. Address and phone
 * changes are requests the office approves; contact preferences change at once.
 */
export class HrFamily extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    formStyles,
    portalPageStyles,
    css`
      .household {
        display: grid;
        gap: var(--hr-space-4);
      }
      .household > h2 {
        margin: 0;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--hr-space-2);
        margin-top: var(--hr-space-3);
      }
      form {
        display: grid;
        gap: var(--hr-space-3);
        margin-top: var(--hr-space-3);
        padding: var(--hr-space-4);
        border: 1px solid var(--hr-color-field-border);
        border-radius: var(--hr-radius);
      }
      select,
      input[type='tel'] {
        width: 100%;
        min-height: var(--hr-target-size);
        padding: var(--hr-space-2) var(--hr-space-3);
        border: 1px solid var(--hr-color-field-border);
        border-radius: var(--hr-radius);
        background: var(--hr-color-surface);
        color: var(--hr-color-ink);
        font: inherit;
      }
      .notice-sent {
        margin: var(--hr-space-3) 0 0;
        padding: var(--hr-space-2) var(--hr-space-3);
        border-radius: var(--hr-radius);
        background: var(--hr-color-success-soft);
        border: 1px solid var(--hr-color-success-border);
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
        padding: var(--hr-space-2);
        text-align: start;
        border-top: 1px solid var(--hr-color-border);
      }
      thead th {
        border-top: 0;
        font-size: var(--hr-font-size-small);
      }
      td {
        text-align: center;
      }
      td input {
        width: 1.5rem;
        height: 1.5rem;
        margin: 0.625rem;
        accent-color: var(--hr-color-brand);
      }
      .absence-notes .hint {
        margin-bottom: var(--hr-space-3);
      }
      .badge.withdrawing {
        background: var(--hr-color-info-soft);
      }
      li.request:focus-visible {
        outline: 2px solid var(--hr-color-brand);
        outline-offset: 2px;
      }
      .confirm {
        margin-top: var(--hr-space-3);
        padding: var(--hr-space-3) var(--hr-space-4);
        border: 1px solid var(--hr-color-danger-border);
        border-radius: var(--hr-radius);
        background: var(--hr-color-danger-soft);
      }
      .confirm p {
        margin: 0;
        font-weight: 600;
      }
      .preference-status {
        margin: var(--hr-space-2) 0 0;
        font-size: var(--hr-font-size-small);
        color: var(--hr-color-ink-muted);
      }
      @media print {
        .actions,
        .confirm,
        form {
          display: none;
        }
      }
    `,
  ];

  static override properties = {
    me: { state: true },
    editing: { state: true },
    problems: { state: true },
    sentNotice: { state: true },
    preferencesTouched: { state: true },
    confirmingWithdrawal: { state: true },
  };

  declare private me: Me | undefined;
  declare private editing: Editing | undefined;
  /** What is wrong with the open form's fields, after a try to send it. */
  declare private problems: Partial<Record<string, FieldProblem>>;
  /** The household whose request was just saved, to say so. */
  declare private sentNotice: string | undefined;
  /** Households whose preferences the guardian changed on this page (to say "Saved"). */
  declare private preferencesTouched: ReadonlySet<string>;
  /** The request whose "Withdraw" was pressed once: asked to confirm before it is taken back. */
  declare private confirmingWithdrawal: string | undefined;

  private readonly i18n = new I18nController(this);
  private readonly cardTables = new CardTableController(this);
  private readonly network = new OnlineController(this);
  private readonly households = new RxController(this, (db) => plainDocuments<ProfileDocument>(observeHouseholds(db)));
  private readonly requests = new RxController(this, (db) => plainDocuments<RequestDocument>(observeRequests(db)));
  private readonly requestsOutbox = new RxController(this, (db) => observeOutbox(db, 'requests'));
  private readonly profileOutbox = new RxController(this, (db) => observeOutbox(db, 'profile'));
  private readonly sync = new RxController(this, (db) => observeSyncState(db, 'profile'));
  private readonly students = new RxController(this, observeStudents);
  private readonly db = new LocalDatabaseController(this);
  private stopWatchingSession: (() => void) | undefined;

  constructor() {
    super();
    this.me = currentMe();
    this.editing = undefined;
    this.problems = {};
    this.sentNotice = undefined;
    this.preferencesTouched = new Set();
    this.confirmingWithdrawal = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopWatchingSession = subscribeSession((me) => {
      this.me = me;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopWatchingSession?.();
  }

  private open(editing: Editing): void {
    this.editing = editing;
    this.problems = {};
    this.sentNotice = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('form select, form input')?.focus());
  }

  private cancel(): void {
    this.editing = undefined;
    this.problems = {};
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const editing = this.editing;
    const form = event.target as HTMLFormElement;
    if (!editing || !this.db.value) return;
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '');
    let request: RequestDocument;
    if (editing.change === 'address') {
      const address: AddressForm = {
        kind: value('kind') as AddressChangePayload['kind'],
        line1: value('line1'),
        line2: value('line2'),
        city: value('city'),
        region: value('region'),
        postalCode: value('postalCode'),
      };
      this.problems = checkAddress(address);
      request = addressRequest(editing.householdId, address);
    } else {
      const phone: PhoneForm = {
        kind: value('kind') as PhoneChangePayload['kind'],
        personId: value('owner') === 'household' ? null : (this.me?.person.id ?? null),
        number: value('number'),
        smsOk: data.get('smsOk') === 'on',
      };
      this.problems = checkPhone(phone);
      request = phoneRequest(editing.householdId, phone);
    }
    if (Object.keys(this.problems).length > 0) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    // Listed as waiting before it is written, so it never reads as at the school before it is.
    await markPending(this.db.value, 'requests', [request.id]);
    await this.db.value.requests.insert(request);
    this.editing = undefined;
    this.sentNotice = editing.householdId;
  }

  private askWithdrawal(id: string): void {
    this.confirmingWithdrawal = id;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#withdraw-${CSS.escape(id)} .confirm-withdraw`)?.focus());
  }

  private keepRequest(id: string): void {
    this.confirmingWithdrawal = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`li[data-id="${CSS.escape(id)}"] .withdraw`)?.focus());
  }

  /** Takes the request back on the device; it is sent with the next push, offline or not. */
  private async withdraw(id: string): Promise<void> {
    const document = this.db.value ? await this.db.value.requests.findOne(id).exec() : null;
    this.confirmingWithdrawal = undefined;
    if (!document || document.status !== 'pending') return;
    // Listed as waiting before the write, so the request never reads as withdrawn before the
    // school has the withdrawal (the data layer lists every write, a moment after it).
    await markPending(this.db.value!, 'requests', [id]);
    await document.incrementalPatch({ status: 'withdrawn', syncError: null });
    await this.updateComplete;
    // The buttons are gone: focus stays on the request, which now reads as withdrawn (or waiting to be).
    this.renderRoot.querySelector<HTMLElement>(`li[data-id="${CSS.escape(id)}"]`)?.focus();
  }

  private async setPreference(household: ProfileDocument, purpose: ContactPurpose, channel: Channel, on: boolean): Promise<void> {
    const personId = this.me?.person.id;
    const document = this.db.value && personId ? await this.db.value.profile.findOne(household.id).exec() : null;
    if (!document || !personId) return;
    await document.incrementalModify((data) => {
      const preferences = data.contactPreferences.map((c) => ({ ...c }));
      const entry = preferences.find((c) => c.personId === personId && c.purpose === purpose);
      if (entry) entry[channel] = on;
      else preferences.push({ personId, purpose, voice: false, sms: false, email: false, [channel]: on });
      return { ...data, contactPreferences: preferences, syncError: null };
    });
    this.preferencesTouched = new Set([...this.preferencesTouched, household.id]);
  }

  private field(id: string, name: AddressField | 'number', label: string, options: { autocomplete: string; required?: boolean; type?: string; inputmode?: string; value?: string }) {
    const problem = this.problems[name];
    return html`
      <div class="field">
        <label for=${id}>${label}</label>
        <input
          id=${id}
          name=${name}
          type=${options.type ?? 'text'}
          autocomplete=${options.autocomplete}
          inputmode=${options.inputmode ?? 'text'}
          .value=${options.value ?? ''}
          ?required=${options.required ?? true}
          aria-invalid=${problem ? 'true' : 'false'}
          aria-describedby=${problem ? `${id}-error` : nothing}
        />
        ${problem ? html`<p id="${id}-error" class="field-error">${alertIcon}<span>${t(`family:form.errors.${problem}`)}</span></p>` : nothing}
      </div>
    `;
  }

  private renderAddressForm(household: ProfileDocument) {
    const current = household.addresses.find((a) => a.kind === 'home');
    return html`
      <form class="address-form" novalidate @submit=${this.submit} aria-labelledby="address-form-title" aria-describedby="address-form-hint">
        <h3 id="address-form-title">${t('family:form.addressTitle')}</h3>
        <p id="address-form-hint" class="hint">${t('family:form.hint')}</p>
        <div class="field">
          <label for="address-kind">${t('family:form.addressKind')}</label>
          <select id="address-kind" name="kind">
            ${ADDRESS_KINDS.map((kind) => html`<option value=${kind}>${t(`family:addresses.kind.${kind}`)}</option>`)}
          </select>
        </div>
        ${this.field('address-line1', 'line1', t('family:form.line1'), { autocomplete: 'address-line1', value: current?.line1 })}
        ${this.field('address-line2', 'line2', t('family:form.line2'), { autocomplete: 'address-line2', required: false, value: current?.line2 ?? '' })}
        ${this.field('address-city', 'city', t('family:form.city'), { autocomplete: 'address-level2', value: current?.city })}
        ${this.field('address-region', 'region', t('family:form.region'), { autocomplete: 'address-level1', value: current?.region })}
        ${this.field('address-postal', 'postalCode', t('family:form.postalCode'), { autocomplete: 'postal-code', inputmode: 'numeric', value: current?.postalCode })}
        <div class="actions">
          <button class="button" type="submit">${t('family:form.submit')}</button>
          <button class="button secondary" type="button" @click=${this.cancel}>${t('family:form.cancel')}</button>
        </div>
      </form>
    `;
  }

  private renderPhoneForm() {
    return html`
      <form class="phone-form" novalidate @submit=${this.submit} aria-labelledby="phone-form-title" aria-describedby="phone-form-hint">
        <h3 id="phone-form-title">${t('family:form.phoneTitle')}</h3>
        <p id="phone-form-hint" class="hint">${t('family:form.hint')}</p>
        <div class="field">
          <label for="phone-owner">${t('family:form.phoneOwner')}</label>
          <select id="phone-owner" name="owner">
            <option value="household">${t('family:phones.household')}</option>
            <option value="mine">${t('family:phones.yours')}</option>
          </select>
        </div>
        <div class="field">
          <label for="phone-kind">${t('family:form.phoneKind')}</label>
          <select id="phone-kind" name="kind">
            ${PHONE_KINDS.map((kind) => html`<option value=${kind}>${t(`family:phones.kind.${kind}`)}</option>`)}
          </select>
        </div>
        ${this.field('phone-number', 'number', t('family:form.number'), { autocomplete: 'tel', type: 'tel', inputmode: 'tel' })}
        <div class="check">
          <input id="phone-sms" name="smsOk" type="checkbox" />
          <label for="phone-sms">${t('family:form.smsOk')}</label>
        </div>
        <div class="actions">
          <button class="button" type="submit">${t('family:form.submit')}</button>
          <button class="button secondary" type="button" @click=${this.cancel}>${t('family:form.cancel')}</button>
        </div>
      </form>
    `;
  }

  private renderMembers(household: ProfileDocument) {
    return html`
      <section aria-labelledby="members-${household.id}">
        <h3 id="members-${household.id}">${t('family:members.title')}</h3>
        <ul class="list members">
          ${household.members.map(
            (m) => html`<li>
              <strong>${m.preferredName || m.firstName} ${m.lastName}</strong>
              <span class="detail">${[t(`family:members.role.${m.role}`), m.relationship].filter(Boolean).join(' · ')}</span>
              <span class="detail email">${m.email ? html`<a href="mailto:${m.email}">${m.email}</a>` : t('family:members.noEmail')}</span>
            </li>`,
          )}
        </ul>
      </section>
    `;
  }

  private renderAddresses(household: ProfileDocument) {
    const editing = this.editing?.householdId === household.id && this.editing.change === 'address';
    return html`
      <section aria-labelledby="addresses-${household.id}">
        <h3 id="addresses-${household.id}">${t('family:addresses.title')}</h3>
        ${household.addresses.length === 0
          ? html`<p class="muted">${t('family:addresses.none')}</p>`
          : html`<ul class="list addresses">
              ${household.addresses.map((a) => html`<li><strong>${t(`family:addresses.kind.${a.kind}`)}</strong><span class="detail">${addressLine(a)}</span></li>`)}
            </ul>`}
        ${editing
          ? this.renderAddressForm(household)
          : html`<div class="actions">
              <button class="button secondary change-address" type="button" @click=${() => this.open({ householdId: household.id, change: 'address' })}>${t('family:addresses.change')}</button>
            </div>`}
      </section>
    `;
  }

  private renderPhones(household: ProfileDocument) {
    const editing = this.editing?.householdId === household.id && this.editing.change === 'phone';
    const owner = new Map(household.members.map((m) => [m.personId, `${m.preferredName || m.firstName} ${m.lastName}`]));
    return html`
      <section aria-labelledby="phones-${household.id}">
        <h3 id="phones-${household.id}">${t('family:phones.title')}</h3>
        ${household.phones.length === 0
          ? html`<p class="muted">${t('family:phones.none')}</p>`
          : html`<ul class="list phones">
              ${household.phones.map(
                (p) => html`<li>
                  <strong>${t(`family:phones.kind.${p.kind}`)}: <a href="tel:${p.number}">${p.number}</a></strong>
                  <span class="detail"
                    >${[p.personId === null ? t('family:phones.household') : (owner.get(p.personId) ?? ''), p.smsOk ? t('family:phones.smsOk') : ''].filter(Boolean).join(' · ')}</span
                  >
                </li>`,
              )}
            </ul>`}
        ${editing
          ? this.renderPhoneForm()
          : html`<div class="actions">
              <button class="button secondary change-phone" type="button" @click=${() => this.open({ householdId: household.id, change: 'phone' })}>${t('family:phones.change')}</button>
            </div>`}
      </section>
    `;
  }

  private describeRequest(request: RequestDocument): string {
    const payload = request.payload;
    if (!payload || !('change' in payload)) return '';
    if (payload.change === 'address') return t(`family:requests.address.${payload.kind}`, { address: addressLine(payload.address) });
    return t(`family:requests.phone.${payload.kind}`, { number: payload.phone.number });
  }

  private renderRequests(household: ProfileDocument, outbox: Outbox) {
    const shown = (this.requests.value ?? []).filter((r) => r.kind === 'household_change' && r.householdId === household.id);
    // A refused new request leaves the device; its refusal keeps what was asked.
    const refusedGone = outbox.refused
      .filter((entry) => !shown.some((r) => r.id === entry.id))
      .map((entry) => ({ ...(entry.document as unknown as RequestDocument), syncError: entry.code as RequestDocument['syncError'] }))
      .filter((r) => r.kind === 'household_change' && r.householdId === household.id);
    return html`
      <section aria-labelledby="requests-${household.id}">
        <h3 id="requests-${household.id}">${t('family:requests.title')}</h3>
        ${this.sentNotice === household.id ? html`<p class="notice-sent" role="status">${t('family:form.sent')}</p>` : nothing}
        ${shown.length + refusedGone.length === 0
          ? html`<p class="muted">${t('family:requests.none')}</p>`
          : html`<ul class="list requests">
              ${repeat(shown, (r) => r.id, (r) => this.renderRequest(r, this.describeRequest(r), outbox, 'requests'))}
              ${repeat(refusedGone, (r) => r.id, (r) => this.renderRequest(r, this.describeRequest(r), outbox, 'requests', true))}
            </ul>`}
      </section>
    `;
  }

  /**
   * One request with where it stands, the office's note, a refusal's reason, and the way to
   * withdraw it. `refusedNew`: a new request the server turned down, kept only in the outbox;
   * any other refusal is of a withdrawal, and the office's record stands.
   */
  private renderRequest(request: RequestDocument, description: unknown, outbox: Outbox, labels: 'requests' | 'notes', refusedNew = false) {
    const language = currentLanguage();
    const standing = refusedNew ? 'refused' : standingOf(request, outbox.pending);
    const refusal = request.syncError ?? outbox.refused.find((entry) => entry.id === request.id)?.code;
    const confirming = this.confirmingWithdrawal === request.id;
    const refusalText = refusedNew ? 'family:requests.refused' : 'family:requests.withdrawRefused';
    return html`<li class="request" data-id=${request.id} tabindex="-1">
      <span class="badge ${standing}">${t(`family:${labels}.status.${standing}`)}</span>
      <span id="request-${request.id}">${description}</span>
      ${request.submittedAt ? html`<span class="detail">${t('family:requests.submitted', { date: formatDate(request.submittedAt, language, syncedFormat) })}</span>` : nothing}
      ${request.decisionNote ? html`<span class="detail">${t('family:requests.decisionNote', { note: request.decisionNote })}</span>` : nothing}
      ${refusal ? html`<p class="refusal">${t(refusalText, { reason: t(refusalKey(refusal)) })}</p>` : nothing}
      ${canWithdraw(standing)
        ? html`<div class="actions">
            <button
              class="button secondary withdraw"
              type="button"
              aria-describedby="request-${request.id}"
              aria-expanded=${confirming ? 'true' : 'false'}
              aria-controls="withdraw-${request.id}"
              @click=${() => this.askWithdrawal(request.id)}
            >
              ${t('family:requests.withdraw')}
            </button>
          </div>`
        : nothing}
      <div id="withdraw-${request.id}">
        ${confirming && canWithdraw(standing)
          ? html`<div class="confirm">
              <p id="withdraw-question-${request.id}">${t('family:requests.confirmWithdraw')}</p>
              <div class="actions">
                <button class="button danger confirm-withdraw" type="button" aria-describedby="withdraw-question-${request.id} request-${request.id}" @click=${() => this.withdraw(request.id)}>
                  ${t('family:requests.confirmYes')}
                </button>
                <button class="button secondary keep" type="button" @click=${() => this.keepRequest(request.id)}>${t('family:requests.keep')}</button>
              </div>
            </div>`
          : nothing}
      </div>
    </li>`;
  }

  /** The family's absence notes for every child, each of which may be withdrawn until the office decides. */
  private renderAbsenceNotes(outbox: Outbox) {
    const students = new Map((this.students.value ?? []).map((doc) => [doc.id, doc.toJSON() as StudentDocument]));
    const notes = (this.requests.value ?? [])
      .filter((r) => r.kind === 'absence_note' && r.payload && 'date' in r.payload)
      .sort((a, b) => (b.payload as AbsenceNotePayload).date.localeCompare((a.payload as AbsenceNotePayload).date) || a.id.localeCompare(b.id));
    const day = (date: string) => formatDate(`${date}T12:00:00Z`, currentLanguage(), noteDayFormat);
    return html`
      <section class="absence-notes" aria-labelledby="absence-notes-title">
        <h2 id="absence-notes-title">${t('family:notes.title')}</h2>
        <p class="hint">${t('family:notes.hint')}</p>
        ${notes.length === 0
          ? html`<p class="muted">${t('family:notes.none')}</p>`
          : html`<ul class="list requests notes">
              ${repeat(notes, (note) => note.id, (note) => {
                const payload = note.payload as AbsenceNotePayload;
                const student = note.studentId ? students.get(note.studentId) : undefined;
                const days = payload.endDate && payload.endDate !== payload.date ? t('family:notes.range', { from: day(payload.date), to: day(payload.endDate) }) : day(payload.date);
                const description = html`<strong>${student ? studentDisplayName(student) : ''}</strong> · ${days}${payload.note ? html` · ${payload.note}` : nothing}`;
                return this.renderRequest(note, description, outbox, 'notes');
              })}
            </ul>`}
      </section>
    `;
  }

  private renderPreferences(household: ProfileDocument) {
    const personId = this.me?.person.id;
    const mine = new Map<ContactPurpose, ContactPreference>(household.contactPreferences.filter((c) => c.personId === personId).map((c) => [c.purpose, c]));
    const waiting = this.profileOutbox.value?.pending.includes(household.id) ?? false;
    const refusal = household.syncError ?? this.profileOutbox.value?.refused.find((entry) => entry.id === household.id)?.code;
    let status;
    if (refusal) status = html`<p class="refusal preference-status" role="alert">${t('family:preferences.refused', { reason: t(refusalKey(refusal)) })}</p>`;
    else if (waiting) status = html`<p class="preference-status" role="status">${t('family:preferences.waiting')}</p>`;
    else if (this.preferencesTouched.has(household.id)) status = html`<p class="preference-status" role="status">${t('family:preferences.saved')}</p>`;
    else status = html`<p class="preference-status" role="status"></p>`;
    return html`
      <section aria-labelledby="preferences-${household.id}">
        <h3 id="preferences-${household.id}">${t('family:preferences.title')}</h3>
        <p class="hint">${t('family:preferences.hint')}</p>
        <div class="scroll">
          <table class="preferences cards">
            <caption>${t('family:preferences.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">${t('family:preferences.purposeHeader')}</th>
                ${CHANNELS.map((channel) => html`<th scope="col">${t(`family:preferences.channel.${channel}`)}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${CONTACT_PURPOSES.map((purpose) => {
                const entry = mine.get(purpose);
                return html`<tr>
                  <th scope="row">${t(`family:preferences.purpose.${purpose}`)}</th>
                  ${CHANNELS.map(
                    (channel) => html`<td>
                      <input
                        type="checkbox"
                        data-purpose=${purpose}
                        data-channel=${channel}
                        aria-label=${t('family:preferences.checkbox', { channel: t(`family:preferences.channel.${channel}`), purpose: t(`family:preferences.purpose.${purpose}`) })}
                        .checked=${entry?.[channel] ?? false}
                        @change=${(event: Event) => this.setPreference(household, purpose, channel, (event.target as HTMLInputElement).checked)}
                      />
                    </td>`,
                  )}
                </tr>`;
              })}
            </tbody>
          </table>
        </div>
        ${status}
      </section>
    `;
  }

  private renderHousehold(household: ProfileDocument) {
    const outbox = this.requestsOutbox.value ?? emptyOutbox;
    return html`
      <article class="household" data-id=${household.id} aria-labelledby="household-${household.id}">
        <h2 id="household-${household.id}">${t('family:household', { name: household.name })}</h2>
        ${this.renderMembers(household)} ${this.renderAddresses(household)} ${this.renderPhones(household)} ${this.renderRequests(household, outbox)}
        ${this.renderPreferences(household)}
      </article>
    `;
  }

  override render() {
    void this.i18n;
    const me = this.me;
    if (!me) return nothing;
    const synced = readSyncState(this.sync.value);
    const households = this.households.value ?? [];
    let body;
    if (!me.roles.includes('guardian')) body = html`<p class="muted">${t('family:guardiansOnly')}</p>`;
    else if (households.length > 0) body = [...households.map((household) => this.renderHousehold(household)), this.renderAbsenceNotes(this.requestsOutbox.value ?? emptyOutbox)];
    else if (synced.lastSyncedAt !== null) body = html`<p class="muted">${t('family:none')}</p>`;
    else body = html`<p class="muted">${t('family:loading')}</p>`;
    return html`
      <div class="page">
        <h1>${t('family:title')}</h1>
        <div class="offline-notice" role="status">${this.network.online ? nothing : html`<p>${t('family:offline')}</p>`}</div>
        ${body}
        <p class="synced">${synced.lastSyncedAt !== null ? t('family:lastSynced', { when: formatDate(synced.lastSyncedAt, currentLanguage(), syncedFormat) }) : t('family:neverSynced')}</p>
      </div>
    `;
  }
}

customElements.define('hr-family', HrFamily);

declare global {
  interface HTMLElementTagNameMap {
    'hr-family': HrFamily;
  }
}
