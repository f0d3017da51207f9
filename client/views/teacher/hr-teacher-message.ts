import { LitElement, css, html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { BODY_MAX, TITLE_MAX } from '../../../server/contract/sync/messages.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import type { StudentDocument } from '../../../server/contract/sync/students.ts';
import { alertIcon, successIcon } from '../../components/form-field.ts';
import { formStyles } from '../../app/form-styles.ts';
import { HashRouteController } from '../../app/hash-route-controller.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { currentLanguage, t, type TranslationKey } from '../../app/i18n.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { apiRequest } from '../../data/api.ts';
import { authorizedFetch } from '../../data/session.ts';
import { formatNumber } from '../../lib/format.ts';
import { classRecords } from './class-records.ts';
import { studentName } from './roster.ts';
import { teacherStyles } from './teacher.styles.ts';

type Field = 'subject' | 'body';

/** The server's refusals this screen words for itself; any other code gets the general line. */
const REFUSALS: ReadonlyMap<string, TranslationKey> = new Map([
  ['offline', 'teacher:compose.errors.offline'],
  ['no_recipients', 'teacher:compose.errors.no_recipients'],
  ['forbidden', 'teacher:compose.errors.forbidden'],
  ['validation_failed', 'teacher:compose.errors.validation_failed'],
]);

/**
 * @summary A message from a teacher to the guardians of one class or of one student
 * (`#/message?section=<id>[&student=<id>]`), through the staff messages API: online only, so
 * without a connection the screen says so and the draft stays in the form. Families receive it
 * in their Homeroom messages, as written (it is not translated).
 */
export class HrTeacherMessage extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    teacherStyles,
    formStyles,
    css`
      .page {
        max-width: 48rem;
      }
      .recipients {
        margin: var(--hr-space-3) 0;
        padding: var(--hr-space-3) var(--hr-space-4);
        border-radius: var(--hr-radius);
        background: var(--hr-color-brand-soft);
        overflow-wrap: anywhere;
      }
      .recipients strong {
        margin-inline-end: var(--hr-space-1);
      }
      input[type='text'],
      textarea {
        width: 100%;
        min-height: var(--hr-target-size);
        padding: var(--hr-space-2) var(--hr-space-3);
        border: 1px solid var(--hr-color-field-border);
        border-radius: var(--hr-radius);
        background: var(--hr-color-surface);
        color: var(--hr-color-ink);
        font: inherit;
      }
      textarea {
        min-height: 12rem;
        resize: vertical;
      }
      textarea:focus {
        outline: 3px solid var(--hr-color-focus);
        outline-offset: 2px;
      }
      textarea[aria-invalid='true'] {
        border: 2px solid var(--hr-color-danger);
      }
      .language-note {
        margin: 0;
        padding: var(--hr-space-3) var(--hr-space-4);
        border-radius: var(--hr-radius);
        background: var(--hr-color-info-soft, var(--hr-color-brand-soft));
      }
      .alert:empty {
        display: none;
      }
      .actions {
        margin: 0;
      }
    `,
  ];

  static override properties = {
    sectionId: { state: true },
    studentId: { state: true },
    subject: { state: true },
    body: { state: true },
    errors: { state: true },
    failure: { state: true },
    sentTo: { state: true },
    busy: { state: true },
  };

  declare private sectionId: string | null;
  declare private studentId: string | null;
  /** The draft as typed; kept through a failed send. */
  declare private subject: string;
  declare private body: string;
  declare private errors: Partial<Record<Field, TranslationKey>>;
  /** Why the last send failed. */
  declare private failure: TranslationKey | null;
  /** Guardians the last message reached. */
  declare private sentTo: number | null;
  declare private busy: boolean;

  private readonly i18n = new I18nController(this);
  private readonly records = classRecords(this);
  private readonly route = new HashRouteController(this, 'message', (params) => {
    const sectionId = params.get('section');
    const studentId = params.get('student');
    if (sectionId === this.sectionId && studentId === this.studentId) return;
    // Other recipients: the draft stays (it may be meant for them), the last outcome goes.
    this.sectionId = sectionId;
    this.studentId = studentId;
    this.failure = null;
    this.sentTo = null;
  });

  constructor() {
    super();
    this.sectionId = null;
    this.studentId = null;
    this.subject = '';
    this.body = '';
    this.errors = {};
    this.failure = null;
    this.sentTo = null;
    this.busy = false;
  }

  private section(): SectionDocument | undefined {
    return this.records.section(this.sectionId);
  }

  private roster(section: SectionDocument): StudentDocument[] {
    return this.records.roster(section).map((entry) => entry.student);
  }

  private edit(field: Field, event: Event): void {
    this[field] = (event.target as HTMLInputElement | HTMLTextAreaElement).value;
    if (this.errors[field]) this.errors = { ...this.errors, [field]: undefined };
    this.sentTo = null;
  }

  private async send(event: SubmitEvent, recipients: { sectionId: string } | { studentId: string }): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const errors: Partial<Record<Field, TranslationKey>> = {};
    if (this.subject.trim() === '') errors.subject = 'teacher:compose.errors.subjectRequired';
    if (this.body.trim() === '') errors.body = 'teacher:compose.errors.bodyRequired';
    this.errors = errors;
    this.failure = null;
    this.sentTo = null;
    if (errors.subject || errors.body) {
      await this.updateComplete;
      this.shadowRoot!.querySelector<HTMLElement>(errors.subject ? '#subject' : '#body')?.focus();
      return;
    }
    this.busy = true;
    const result = await apiRequest<{ id: string; recipients: number }>(
      '/api/staff/messages',
      { method: 'POST', json: { ...recipients, subject: this.subject, body: this.body } },
      authorizedFetch,
    );
    this.busy = false;
    if (!result.ok) {
      this.failure = REFUSALS.get(result.code) ?? 'teacher:compose.errors.generic';
      return;
    }
    this.sentTo = result.body.recipients;
    this.subject = '';
    this.body = '';
  }

  private renderField(field: Field, label: string, max: number) {
    const error = this.errors[field];
    const hintId = `${field}-hint`;
    const describedBy = error ? `${hintId} ${field}-error` : hintId;
    const hint = t('teacher:compose.limit', { max: formatNumber(max, currentLanguage()) });
    return html`
      <div class="field">
        <label for=${field}>${label}</label>
        <p id=${hintId} class="hint">${hint}</p>
        ${field === 'subject'
          ? html`<input id="subject" name="subject" type="text" maxlength=${max} autocomplete="off" spellcheck="true" aria-required="true"
              aria-invalid=${error ? 'true' : 'false'} aria-describedby=${describedBy} .value=${live(this.subject)} @input=${(event: Event) => this.edit('subject', event)} />`
          : html`<textarea id="body" name="body" maxlength=${max} spellcheck="true" aria-required="true"
              aria-invalid=${error ? 'true' : 'false'} aria-describedby=${describedBy} .value=${live(this.body)} @input=${(event: Event) => this.edit('body', event)}></textarea>`}
        ${error ? html`<p id="${field}-error" class="field-error">${alertIcon}<span>${t(error)}</span></p>` : nothing}
      </div>
    `;
  }

  /** Why this screen cannot write to the families the address names (not on this device's lists). */
  private renderRefusal(reason: TranslationKey) {
    return html`<div class="alert not-yours" role="alert">${alertIcon}<p>${t(reason)}</p></div>`;
  }

  override render() {
    void this.i18n;
    const back = html`<p class="no-print"><a href="#/teacher">${t('teacher:attendance.back')}</a></p>`;
    const heading = html`<h1 id="compose-heading">${t('teacher:compose.heading')}</h1>`;
    if (!this.records.loaded(['sections', 'students'])) {
      return html`<div class="page">${back}${heading}<p class="muted" role="status">${t('teacher:today.loading')}</p></div>`;
    }
    const refusal = (reason: TranslationKey) => html`<div class="page">${back}${heading}${this.renderRefusal(reason)}</div>`;
    const section = this.section();
    if (!section) return refusal('teacher:compose.notYours');
    const roster = this.roster(section);
    const student = this.studentId ? roster.find((candidate) => candidate.id === this.studentId) : undefined;
    if (this.studentId && !student) return refusal('teacher:compose.notInClass');

    const course = `${section.courseName} (${section.sectionNumber})`;
    const to = student
      ? t('teacher:compose.recipients.student', { student: studentName(student) })
      : roster.length > 0
        ? t('teacher:compose.recipients.section', { count: roster.length, course })
        : t('teacher:compose.recipients.sectionAll', { course });
    const recipients = student ? { studentId: student.id } : { sectionId: section.id };
    return html`
      <div class="page">
        ${back}
        ${heading}
        <form novalidate aria-labelledby="compose-heading" aria-busy=${this.busy ? 'true' : 'false'} @submit=${(event: SubmitEvent) => this.send(event, recipients)}>
          <p class="recipients" id="recipients"><strong>${t('teacher:compose.to')}</strong><span class="to">${to}</span></p>
          ${this.renderField('subject', t('teacher:compose.subject'), TITLE_MAX)}
          ${this.renderField('body', t('teacher:compose.body'), BODY_MAX)}
          <p class="language-note" id="language-note">${t('teacher:compose.languageNote')}</p>
          <div class="actions">
            <button class="button" type="submit" aria-describedby="recipients language-note" aria-disabled=${this.busy ? 'true' : 'false'}>
              ${this.busy ? t('teacher:compose.sending') : t('teacher:compose.send')}
            </button>
          </div>
        </form>
        <div class="alert failure" role="alert">${this.failure ? html`${alertIcon}<p>${t(this.failure)}</p>` : nothing}</div>
        <div class="sent-status" role="status">
          ${this.sentTo !== null ? html`<div class="notice sent">${successIcon}<p>${t('teacher:compose.sent', { count: this.sentTo })}</p></div>` : nothing}
        </div>
      </div>
    `;
  }
}

customElements.define('hr-teacher-message', HrTeacherMessage);

declare global {
  interface HTMLElementTagNameMap {
    'hr-teacher-message': HrTeacherMessage;
  }
}
