import { LitElement, css, html, nothing } from 'lit';
import { ACCESS_EVENTS, type AccessEvent } from '../../../server/contract/auth.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { currentLanguage, t, type TranslationKey } from '../../app/i18n.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { alertIcon } from '../../components/form-field.ts';
import { fetchAccessLog, type AccessLogEntry } from '../../data/account.ts';
import { currentMe } from '../../data/session.ts';
import { describeDevice } from '../../lib/device.ts';
import { formatDate } from '../../lib/format.ts';

/** Date and time without `dateStyle`/`timeStyle`, which 2019 browsers lack. */
const whenFormat: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
};

/** Addresses the server records when it could not tell. */
const unknownAddresses = new Set(['', 'unknown', 'local']);

function isAccessEvent(event: string): event is AccessEvent {
  return (ACCESS_EVENTS as readonly string[]).includes(event);
}

function eventLabel(entry: AccessLogEntry): string {
  const student = entry.studentId ? currentMe()?.students.find((candidate) => candidate.id === entry.studentId) : undefined;
  // Records of a student this account can see are named; others stay "Records viewed".
  if (student && (entry.event === 'record.read' || entry.event === 'record.write')) {
    const name = `${student.firstName} ${student.lastName}`;
    return t(entry.event === 'record.read' ? 'access-log:recordRead' : 'access-log:recordWrite', { student: name });
  }
  return t((isAccessEvent(entry.event) ? `access-log:events.${entry.event}` : 'access-log:events.other') as TranslationKey);
}

function deviceLabel(userAgent: string): string {
  const { browser, system } = describeDevice(userAgent);
  if (browser && system) return t('access-log:device.known', { browser, system });
  return browser ?? system ?? t('access-log:device.unknown');
}

/**
 * @summary "View access log": every sign-in to the account and every use of records with it,
 * newest first, 50 at a time with "Load older entries". Dates in the reader's language.
 */
export class HrAccessLog extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    css`
      :host {
        display: block;
        padding: var(--hr-space-5) var(--hr-space-3) var(--hr-space-7);
      }
      .page {
        max-width: 56rem;
        margin: 0 auto;
        padding: var(--hr-space-5) var(--hr-space-4);
        background: var(--hr-color-surface);
        border: 1px solid var(--hr-color-border);
        border-radius: var(--hr-radius-large);
        box-shadow: var(--hr-shadow-card);
      }
      @media (min-width: 30rem) {
        .page {
          padding: var(--hr-space-6);
        }
      }
      .back {
        display: inline-flex;
        align-items: center;
        min-height: var(--hr-target-size);
        margin-bottom: var(--hr-space-2);
      }
      h1 {
        margin: 0 0 var(--hr-space-2);
        font-size: var(--hr-font-size-title);
        line-height: 1.25;
      }
      .intro {
        margin: 0 0 var(--hr-space-5);
        color: var(--hr-color-ink-muted);
      }

      table {
        width: 100%;
        border-collapse: collapse;
        font-size: var(--hr-font-size-small);
      }
      th,
      td {
        padding: var(--hr-space-2) var(--hr-space-3);
        text-align: start;
        vertical-align: top;
        border-bottom: 1px solid var(--hr-color-border);
      }
      th {
        color: var(--hr-color-ink-muted);
        font-weight: 600;
        white-space: nowrap;
      }
      td.when {
        white-space: nowrap;
      }
      td.what {
        font-weight: 600;
      }
      td.where {
        overflow-wrap: anywhere;
      }
      .cell-label {
        display: none;
      }

      /* Phones: each entry becomes a small card; roles keep it a table for screen readers. */
      @media (max-width: 40rem) {
        table,
        tbody,
        tr,
        td {
          display: block;
        }
        thead {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
          white-space: nowrap;
        }
        tr {
          padding: var(--hr-space-3) 0;
          border-bottom: 1px solid var(--hr-color-border);
        }
        td {
          display: flex;
          padding: var(--hr-space-1) 0;
          border: 0;
        }
        td.what {
          font-size: var(--hr-font-size);
        }
        .cell-label {
          display: block;
          flex: none;
          width: 7.5rem;
          margin-inline-end: var(--hr-space-2);
          color: var(--hr-color-ink-muted);
          font-weight: 400;
        }
        td.what .cell-label {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
        }
        td.when {
          white-space: normal;
        }
      }

      .footer {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        margin-top: var(--hr-space-4);
      }
      .footer p {
        margin: 0;
        color: var(--hr-color-ink-muted);
      }
      .footer p:focus {
        outline: none;
      }
      .alert:not(:empty) {
        display: flex;
        align-items: flex-start;
        margin: var(--hr-space-3) 0;
        color: var(--hr-color-danger);
        font-weight: 600;
      }
      .alert p {
        margin: 0 var(--hr-space-3) 0 0;
      }
      .icon {
        flex: none;
        width: 1.125rem;
        height: 1.125rem;
        margin-top: 0.15em;
        margin-inline-end: var(--hr-space-2);
      }
    `,
  ];

  static override properties = {
    entries: { state: true },
    next: { state: true },
    loading: { state: true },
    failed: { state: true },
    announcement: { state: true },
  };

  declare private entries: AccessLogEntry[];
  /** The `before` of the next older page; null when the oldest entry is shown. */
  declare private next: number | null;
  declare private loading: boolean;
  declare private failed: boolean;
  /** What the status region says after loading older entries. */
  declare private announcement: TranslationKey | undefined;
  /** Nothing has answered yet: the first page is still on its way. */
  private loadedOnce = false;

  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.entries = [];
    this.next = null;
    this.loading = false;
    this.failed = false;
    this.announcement = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Every visit starts from the newest entry.
    this.entries = [];
    this.next = null;
    this.loadedOnce = false;
    this.announcement = undefined;
    void this.load();
  }

  private async load(before?: number): Promise<void> {
    this.loading = true;
    this.failed = false;
    const result = await fetchAccessLog(before);
    this.loading = false;
    if (!result.ok) {
      this.failed = true;
      return;
    }
    this.loadedOnce = true;
    this.entries = before === undefined ? result.body.entries : [...this.entries, ...result.body.entries];
    this.next = result.body.next;
    this.announcement = before === undefined ? undefined : 'access-log:loaded';
  }

  private async onLoadOlder(): Promise<void> {
    if (this.loading || this.next === null) return;
    await this.load(this.next);
    if (this.next === null) {
      // The button is gone with the last page: keep keyboard focus where it was, on the footer.
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.footer p')?.focus();
    }
  }

  private onRetry(): void {
    void this.load(this.entries.length > 0 && this.next !== null ? this.next : undefined);
  }

  private renderRow(entry: AccessLogEntry, language: string) {
    const place = unknownAddresses.has(entry.ip) ? t('access-log:unknownPlace') : entry.ip;
    return html`
      <tr role="row">
        <td role="cell" class="when">
          <span class="cell-label" aria-hidden="true">${t('access-log:columns.when')}</span>
          <time datetime=${entry.at}>${formatDate(entry.at, language, whenFormat)}</time>
        </td>
        <td role="cell" class="what">
          <span class="cell-label" aria-hidden="true">${t('access-log:columns.what')}</span>
          <span>${eventLabel(entry)}</span>
        </td>
        <td role="cell" class="where">
          <span class="cell-label" aria-hidden="true">${t('access-log:columns.where')}</span>
          <span>${place}</span>
        </td>
        <td role="cell" class="device">
          <span class="cell-label" aria-hidden="true">${t('access-log:columns.device')}</span>
          <span>${deviceLabel(entry.userAgent)}</span>
        </td>
      </tr>
    `;
  }

  private renderFooter() {
    if (!this.loadedOnce) return this.loading ? html`<p>${t('access-log:loading')}</p>` : nothing;
    if (this.entries.length === 0) return html`<p>${t('access-log:empty')}</p>`;
    if (this.next === null) return html`<p tabindex="-1">${t('access-log:end')}</p>`;
    return html`
      <button class="button secondary" type="button" aria-disabled=${this.loading ? 'true' : 'false'} @click=${this.onLoadOlder}>
        ${this.loading ? t('access-log:loading') : t('access-log:loadOlder')}
      </button>
    `;
  }

  override render() {
    const language = currentLanguage();
    return html`
      <div class="page">
        <a class="back" href="#/account">${t('access-log:back')}</a>
        <h1>${t('access-log:title')}</h1>
        <p class="intro">${t('access-log:intro')}</p>

        ${this.entries.length > 0
          ? html`<table role="table">
              <caption class="visually-hidden">${t('access-log:caption')}</caption>
              <thead role="rowgroup">
                <tr role="row">
                  <th role="columnheader" scope="col">${t('access-log:columns.when')}</th>
                  <th role="columnheader" scope="col">${t('access-log:columns.what')}</th>
                  <th role="columnheader" scope="col">${t('access-log:columns.where')}</th>
                  <th role="columnheader" scope="col">${t('access-log:columns.device')}</th>
                </tr>
              </thead>
              <tbody role="rowgroup">
                ${this.entries.map((entry) => this.renderRow(entry, language))}
              </tbody>
            </table>`
          : nothing}

        <div class="alert" role="alert">
          ${this.failed
            ? html`${alertIcon}<p>${t('access-log:failed')}</p>
                <button class="button secondary" type="button" @click=${this.onRetry}>${t('access-log:retry')}</button>`
            : nothing}
        </div>
        <div class="footer">${this.renderFooter()}</div>
        <p class="visually-hidden" role="status">${this.announcement ? t(this.announcement) : nothing}</p>
      </div>
    `;
  }
}

customElements.define('hr-access-log', HrAccessLog);

declare global {
  interface HTMLElementTagNameMap {
    'hr-access-log': HrAccessLog;
  }
}
