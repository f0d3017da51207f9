import { LitElement, css, html, nothing } from 'lit';
import type { MessageDocument } from '../../../server/contract/sync/messages.ts';
import type { StudentDocument } from '../../../server/contract/sync/students.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { currentLanguage, t } from '../../app/i18n.ts';
import { LocalDatabaseController } from '../../app/local-database-controller.ts';
import { OnlineController } from '../../app/online-controller.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { markMessageRead, observeInbox } from '../../data/messages.ts';
import { observeOutbox, refusalKey } from '../../data/outbox.ts';
import { RxController } from '../../data/rx-controller.ts';
import { observeStudents, studentDisplayName } from '../../data/students.ts';
import { observeSyncState, readSyncState } from '../../data/sync-state.ts';
import { formatDate } from '../../lib/format.ts';
import { plainDocuments } from '../today/plain-documents.ts';
import { portalPageStyles } from '../today/portal-page.styles.ts';
import { inLanguage } from '../today/today-items.ts';

const syncedFormat: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
const sentFormat: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
const dayFormat: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric' };

/** When a message arrived: sent time for messages, first day for announcements. */
function arrivedAt(message: MessageDocument): string {
  return message.sentAt ?? (message.startsOn ? `${message.startsOn}T00:00:00` : '');
}

/** Only messages addressed to the reader are read or unread; announcements are for everyone. */
export function isUnread(message: MessageDocument): boolean {
  return message.kind === 'message' && message.readAt === null;
}

/**
 * @summary The inbox: messages from teachers and the school and the announcements that reach
 * the reader, newest first, unread ones marked. Opening a message shows it and marks it read
 * on the device at once; the data layer sends that to the server (later, when offline).
 */
export class HrMessages extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    portalPageStyles,
    css`
      .message {
        display: grid;
        gap: var(--hr-space-1);
      }
      .toggle {
        display: block;
        width: 100%;
        min-height: var(--hr-target-size);
        padding: var(--hr-space-2) 0;
        border: 0;
        background: none;
        color: var(--hr-color-ink);
        font: inherit;
        text-align: start;
        cursor: pointer;
      }
      .toggle:hover .subject {
        color: var(--hr-color-brand);
        text-decoration: underline;
      }
      .subject {
        display: block;
        font-weight: 400;
        overflow-wrap: anywhere;
      }
      .unread .subject {
        font-weight: 700;
      }
      .unread-dot {
        display: inline-block;
        width: 0.625rem;
        height: 0.625rem;
        margin-inline-end: var(--hr-space-2);
        border-radius: 50%;
        background: var(--hr-color-brand);
      }
      .body {
        margin: var(--hr-space-2) 0 0;
        padding: var(--hr-space-3);
        border-radius: var(--hr-radius);
        background: var(--hr-color-canvas);
        white-space: pre-line;
        overflow-wrap: anywhere;
      }
      .actions {
        margin-top: var(--hr-space-2);
      }
      .actions .button {
        padding: var(--hr-space-1) var(--hr-space-4);
      }
    `,
  ];

  static override properties = {
    opened: { state: true },
  };

  /** The message shown in full. */
  declare private opened: string | undefined;

  private readonly i18n = new I18nController(this);
  private readonly network = new OnlineController(this);
  private readonly inbox = new RxController(this, (db) => plainDocuments<MessageDocument>(observeInbox(db)));
  private readonly students = new RxController(this, (db) => plainDocuments<StudentDocument>(observeStudents(db)));
  private readonly outbox = new RxController(this, (db) => observeOutbox(db, 'messages'));
  private readonly sync = new RxController(this, (db) => observeSyncState(db, 'messages'));
  private readonly db = new LocalDatabaseController(this);

  constructor() {
    super();
    this.opened = undefined;
  }

  private async toggle(message: MessageDocument): Promise<void> {
    const opening = this.opened !== message.id;
    this.opened = opening ? message.id : undefined;
    if (opening && isUnread(message) && this.db.value) await markMessageRead(this.db.value, message.id, true);
  }

  private async markUnread(message: MessageDocument): Promise<void> {
    this.opened = undefined;
    if (this.db.value) await markMessageRead(this.db.value, message.id, false);
  }

  private renderMessage(message: MessageDocument, studentName: Map<string, string>) {
    const language = currentLanguage();
    const unread = isUnread(message);
    const open = this.opened === message.id;
    const pending = this.outbox.value?.pending.includes(message.id) ?? false;
    const refusal = message.syncError ?? this.outbox.value?.refused.find((entry) => entry.id === message.id)?.code;
    const from = message.senderName ? t('messages:from', { name: message.senderName }) : t('messages:fromDistrict');
    const when =
      message.kind === 'message' && message.sentAt
        ? t('messages:sent', { date: formatDate(message.sentAt, language, sentFormat) })
        : message.endsOn
          ? t('messages:runs', { date: formatDate(`${message.endsOn}T12:00:00`, language, dayFormat) })
          : '';
    const about = message.aboutStudentId && studentName.get(message.aboutStudentId);
    const titleLanguage = message.title[language] ? language : 'en';
    return html`
      <li class="message ${unread ? 'unread' : ''}" data-id=${message.id}>
        <button class="toggle" type="button" aria-expanded=${open ? 'true' : 'false'} aria-controls="body-${message.id}" @click=${() => this.toggle(message)}>
          <span class="subject" lang=${titleLanguage}
            >${unread ? html`<span class="unread-dot" aria-hidden="true"></span><span class="visually-hidden">${t('messages:unread')}: </span>` : nothing}${message.kind ===
            'announcement'
              ? html`<span class="badge">${t('messages:announcement')}</span> `
              : nothing}${inLanguage(message.title, language)}</span
          >
          <span class="detail">${[from, about ? t('messages:about', { name: about }) : '', when].filter(Boolean).join(' · ')}</span>
        </button>
        ${pending ? html`<span class="detail waiting" role="status">${t('messages:waiting')}</span>` : nothing}
        ${refusal ? html`<p class="refusal" role="alert">${t('messages:refused', { reason: t(refusalKey(refusal)) })}</p>` : nothing}
        <div id="body-${message.id}" ?hidden=${!open}>
          ${open
            ? html`<p class="body" lang=${message.body[language] ? language : 'en'}>${inLanguage(message.body, language)}</p>
                ${message.kind === 'message'
                  ? html`<div class="actions"><button class="button secondary mark-unread" type="button" @click=${() => this.markUnread(message)}>${t('messages:markUnread')}</button></div>`
                  : nothing}`
            : nothing}
        </div>
      </li>
    `;
  }

  override render() {
    void this.i18n;
    const inbox = [...(this.inbox.value ?? [])].sort((a, b) => arrivedAt(b).localeCompare(arrivedAt(a)) || a.id.localeCompare(b.id));
    const studentName = new Map((this.students.value ?? []).map((s) => [s.id, studentDisplayName(s)]));
    const synced = readSyncState(this.sync.value);
    const unread = inbox.filter(isUnread).length;
    let list;
    if (inbox.length > 0) list = html`<ul class="list inbox">${inbox.map((message) => this.renderMessage(message, studentName))}</ul>`;
    else if (synced.lastSyncedAt !== null) list = html`<p class="muted">${t('messages:none')}</p>`;
    else list = html`<p class="muted">${t('messages:loading')}</p>`;
    return html`
      <div class="page">
        <h1>${t('messages:title')}</h1>
        <div class="offline-notice" role="status">${this.network.online ? nothing : html`<p>${t('messages:offline')}</p>`}</div>
        <section aria-labelledby="inbox-title">
          <h2 id="inbox-title">${t('messages:inbox')}</h2>
          <p class="muted unread-count">${t('messages:unreadCount', { count: unread })}</p>
          ${list}
        </section>
        <p class="synced">
          ${synced.lastSyncedAt !== null ? t('messages:lastSynced', { when: formatDate(synced.lastSyncedAt, currentLanguage(), syncedFormat) }) : t('messages:neverSynced')}
        </p>
      </div>
    `;
  }
}

customElements.define('hr-messages', HrMessages);

declare global {
  interface HTMLElementTagNameMap {
    'hr-messages': HrMessages;
  }
}
