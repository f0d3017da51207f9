import { LitElement, css, html, nothing } from 'lit';
import { I18nController } from '../../app/i18n-controller.ts';
import { currentLanguage, languageNames, isLanguage, t } from '../../app/i18n.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { authorizedFetch, currentMe } from '../../data/session.ts';
import { formatNumber } from '../../lib/format.ts';
import { gradeLabel } from '../../components/hr-student-switcher.ts';
import { portalPageStyles } from '../attendance/portal-page.styles.ts';
import { staffFormStyles } from './staff-form.styles.ts';

export type AccountStatus = 'unclaimed' | 'active' | 'disabled';

export interface FamilyAccount {
  id: string;
  kind: 'guardian' | 'student';
  firstName: string;
  lastName: string;
  username: string | null;
  status: AccountStatus;
  disabledReason: string | null;
  language: string;
  /** Its students at the school listed, with grade and number to tell namesakes apart. */
  students: Array<{ name: string; studentNumber: string; gradeLevel: number }>;
}

/** Accounts asked for at a time; "Show more" asks for the next ones. */
const PAGE = 50;
/** How long typing pauses before the search is asked. */
const SEARCH_PAUSE_MS = 300;

/** Schools where this person works in the office (or leads it). */
export function officeSchools(): Array<{ id: string; name: string }> {
  const seen = new Map<string, string>();
  for (const location of currentMe()?.locations ?? []) {
    if (location.schoolId && (location.role === 'office' || location.role === 'principal')) seen.set(location.schoolId, location.schoolName ?? location.schoolId);
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}

/**
 * @summary Family and student accounts of a school (the accounts API, online only): who has not
 * claimed an account (activation letters printed in each family's language), unlocking a
 * locked account, and a printed reset letter (a one-time code, never a link) for someone who
 * cannot use "Forgot password".
 */
export class HrOfficeAccounts extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    portalPageStyles,
    staffFormStyles("select, input[type='text'], input[type='search']"),
    css`
      select,
      input[type='text'],
      input[type='search'] {
        max-width: 100%;
      }
      .search {
        flex: 1 1 16rem;
      }
      .hint {
        display: block;
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
      }
      .student-detail {
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
      }
      .students-list {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      input[type='checkbox'] {
        width: 1.5rem;
        height: 1.5rem;
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: var(--hr-space-4);
        margin-bottom: var(--hr-space-3);
      }
    `,
  ];

  static override properties = {
    schoolId: { state: true },
    status: { state: true },
    accounts: { state: true },
    total: { state: true },
    query: { state: true },
    selected: { state: true },
    problem: { state: true },
    notice: { state: true },
  };

  declare private schoolId: string | null;
  declare private status: AccountStatus;
  declare private accounts: FamilyAccount[] | undefined;
  /** How many accounts match, of which `accounts` holds the first pages. */
  declare private total: number;
  /** The search as typed: part of a name, or a student number. */
  declare private query: string;
  declare private selected: Set<string>;
  /** What went wrong with the last call, in words. */
  declare private problem: string;
  declare private notice: string;

  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.schoolId = officeSchools()[0]?.id ?? null;
    this.status = 'unclaimed';
    this.total = 0;
    this.query = '';
    this.selected = new Set();
    this.problem = '';
    this.notice = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** Lists the school's accounts of the chosen status (and search) again, from the first page; `more` adds the next page. */
  async load(more = false): Promise<void> {
    if (!this.schoolId) return;
    this.problem = '';
    // A list asked for earlier (another status, school or search) may answer after this one: only
    // the answer to the latest question is shown.
    const asked = ++this.loads;
    const offset = more ? (this.accounts?.length ?? 0) : 0;
    const query = new URLSearchParams({ schoolId: this.schoolId, status: this.status, limit: String(PAGE), offset: String(offset) });
    if (this.query.trim()) query.set('q', this.query.trim());
    const response = await this.call(`/api/staff/accounts?${query}`);
    if (!response) return;
    const { accounts, total } = (await response.json()) as { accounts: FamilyAccount[]; total: number };
    if (asked !== this.loads) return;
    this.accounts = more ? [...(this.accounts ?? []), ...accounts] : accounts;
    this.total = total;
    if (!more) this.selected = new Set();
  }

  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  private readonly onSearch = (event: Event): void => {
    this.query = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.load(), SEARCH_PAUSE_MS);
  };

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  private loads = 0;

  /** The response when the server took the call; otherwise says why and returns undefined. */
  private async call(path: string, init: RequestInit = {}): Promise<Response | undefined> {
    try {
      const response = await authorizedFetch(path, init.body ? { ...init, headers: { 'content-type': 'application/json' } } : init);
      if (response.ok) return response;
      this.problem = response.status === 403 ? t('office:accounts.forbidden') : response.status === 429 ? t('office:accounts.resetLimit') : t('office:accounts.failed');
    } catch {
      this.problem = t('office:accounts.offline');
    }
    return undefined;
  }

  private readonly onFilter = (event: Event): void => {
    const target = event.target as HTMLSelectElement;
    if (target.name === 'school') this.schoolId = target.value;
    else this.status = target.value as AccountStatus;
    this.accounts = undefined;
    this.notice = '';
    void this.load();
  };

  private toggle(id: string, checked: boolean): void {
    const next = new Set(this.selected);
    if (checked) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  private async printLetters(): Promise<void> {
    if (this.selected.size === 0) return;
    // Opened during the click, so the browser does not block it; filled once the letters arrive.
    const letterWindow = window.open('', '_blank');
    const response = await this.call('/api/staff/accounts/activation-letters', { method: 'POST', body: JSON.stringify({ accountIds: [...this.selected] }) });
    if (!response) {
      letterWindow?.close();
      return;
    }
    const letters = await response.text();
    if (letterWindow) {
      letterWindow.document.open();
      letterWindow.document.write(letters);
      letterWindow.document.close();
      letterWindow.focus();
      letterWindow.print();
    }
    this.notice = t('office:accounts.lettersIssued', { count: this.selected.size });
  }

  private async unlock(account: FamilyAccount): Promise<void> {
    const response = await this.call(`/api/staff/accounts/${encodeURIComponent(account.id)}/unlock`, { method: 'POST', body: '{}' });
    if (!response) return;
    this.notice = t('office:accounts.unlocked', { name: `${account.firstName} ${account.lastName}` });
    await this.load();
    // The row and its button are gone from the locked list: the reader goes on from the outcome.
    await this.updateComplete;
    this.shadowRoot!.querySelector<HTMLElement>('.accounts-status .status.good')?.focus();
  }

  /** A printed one-time code for the family, never a link this browser could open. */
  private async printResetLetter(account: FamilyAccount): Promise<void> {
    // Opened during the click, so the browser does not block it; filled once the letter arrives.
    const letterWindow = window.open('', '_blank');
    const response = await this.call(`/api/staff/accounts/${encodeURIComponent(account.id)}/reset-letter`, { method: 'POST', body: '{}' });
    if (!response) {
      letterWindow?.close();
      return;
    }
    const letter = await response.text();
    if (letterWindow) {
      letterWindow.document.open();
      letterWindow.document.write(letter);
      letterWindow.document.close();
      letterWindow.focus();
      letterWindow.print();
    }
    this.notice = t('office:accounts.resetLetterPrinted', { name: `${account.firstName} ${account.lastName}` });
  }

  private renderAccounts() {
    const accounts = this.accounts;
    if (accounts === undefined) return this.problem ? nothing : html`<p class="muted">${t('office:accounts.loading')}</p>`;
    if (accounts.length === 0) return html`<p class="muted none">${this.query.trim() ? t('office:accounts.noMatch', { query: this.query.trim() }) : t(`office:accounts.none.${this.status}`)}</p>`;
    const language = (code: string) => (isLanguage(code) ? languageNames[code] : code);
    return html`
      ${this.status === 'unclaimed'
        ? html`<p>
            <button type="button" class="button print-letters" aria-disabled=${this.selected.size === 0 ? 'true' : 'false'} @click=${this.printLetters}>
              ${t('office:accounts.printLetters', { count: this.selected.size })}
            </button>
          </p>`
        : nothing}
      <div class="table-scroll" role="region" tabindex="0" aria-labelledby="accounts-caption">
        <table class="accounts">
          <caption id="accounts-caption">${t(`office:accounts.caption.${this.status}`)}</caption>
          <thead>
            <tr>
              ${this.status === 'unclaimed' ? html`<th scope="col"><span class="visually-hidden">${t('office:accounts.select')}</span></th>` : nothing}
              <th scope="col">${t('office:accounts.name')}</th>
              <th scope="col">${t('office:accounts.kind')}</th>
              <th scope="col">${t('office:accounts.students')}</th>
              <th scope="col">${t('office:accounts.language')}</th>
              ${this.status === 'disabled' ? html`<th scope="col">${t('office:accounts.state')}</th>` : nothing}
              ${this.status === 'unclaimed' ? nothing : html`<th scope="col">${t('office:accounts.username')}</th><th scope="col">${t('office:accounts.action')}</th>`}
            </tr>
          </thead>
          <tbody>
            ${accounts.map((account) => {
              const name = `${account.firstName} ${account.lastName}`;
              return html`
                <tr data-id=${account.id}>
                  ${this.status === 'unclaimed'
                    ? html`<td>
                        <input
                          type="checkbox"
                          aria-label=${t('office:accounts.selectFor', { name })}
                          .checked=${this.selected.has(account.id)}
                          @change=${(event: Event) => this.toggle(account.id, (event.target as HTMLInputElement).checked)}
                        />
                      </td>`
                    : nothing}
                  <th scope="row">${name}</th>
                  <td>${t(`office:accounts.kinds.${account.kind}`)}</td>
                  <td>
                    <ul class="students-list">
                      ${account.students.map(
                        (student) => html`<li>
                          ${student.name}
                          <span class="student-detail">${t('office:accounts.studentDetail', { grade: gradeLabel(student.gradeLevel), number: student.studentNumber })}</span>
                        </li>`,
                      )}
                    </ul>
                  </td>
                  <td>${language(account.language)}</td>
                  ${this.status === 'disabled'
                    ? html`<td class="state">${t(account.disabledReason === 'lockout' ? 'office:accounts.states.locked' : 'office:accounts.states.disabled')}</td>`
                    : nothing}
                  ${this.status === 'unclaimed'
                    ? nothing
                    : html`<td>${account.username ?? ''}</td>
                        <td>
                          ${account.status === 'disabled'
                            ? html`<button type="button" class="button secondary unlock" aria-label=${t('office:accounts.unlockFor', { name })} @click=${() => this.unlock(account)}>
                                ${t('office:accounts.unlock')}
                              </button>`
                            : nothing}
                          <button type="button" class="button secondary reset" aria-label=${t('office:accounts.resetFor', { name })} @click=${() => this.printResetLetter(account)}>
                            ${t('office:accounts.reset')}
                          </button>
                        </td>`}
                </tr>
              `;
            })}
          </tbody>
        </table>
      </div>
      <p class="shown" role="status">${t('office:accounts.shown', { shown: formatNumber(accounts.length, currentLanguage()), total: formatNumber(this.total, currentLanguage()) })}</p>
      ${accounts.length < this.total
        ? html`<p><button type="button" class="button secondary more" @click=${() => this.load(true)}>${t('office:accounts.more', { count: Math.min(PAGE, this.total - accounts.length) })}</button></p>`
        : nothing}
    `;
  }

  override render() {
    const schools = officeSchools();
    return html`
      <div class="page">
        <h1>${t('office:accounts.title')}</h1>
        ${schools.length === 0
          ? html`<p class="status info">${t('office:accounts.noSchool')}</p>`
          : html`
              <section aria-labelledby="accounts-title">
                <h2 id="accounts-title" class="visually-hidden">${t('office:accounts.title')}</h2>
                <div class="filters">
                  <div>
                    <label for="school">${t('office:accounts.school')}</label>
                    <select id="school" name="school" @change=${this.onFilter}>
                      ${schools.map((school) => html`<option value=${school.id} ?selected=${school.id === this.schoolId}>${school.name}</option>`)}
                    </select>
                  </div>
                  <div>
                    <label for="status">${t('office:accounts.status')}</label>
                    <select id="status" name="status" @change=${this.onFilter}>
                      ${(['unclaimed', 'active', 'disabled'] as const).map(
                        (status) => html`<option value=${status} ?selected=${status === this.status}>${t(`office:accounts.statuses.${status}`)}</option>`,
                      )}
                    </select>
                  </div>
                </div>
                <div class="filters">
                  <div class="search">
                    <label for="search">${t('office:accounts.search')}</label>
                    <input id="search" name="search" type="search" autocomplete="off" spellcheck="false" .value=${this.query} aria-describedby="search-hint" @input=${this.onSearch} />
                    <span id="search-hint" class="hint">${t('office:accounts.searchHint')}</span>
                  </div>
                </div>
                <div role="status" class="accounts-status">
                  ${this.problem ? html`<p class="status bad problem">${this.problem}</p>` : nothing}
                  ${this.notice ? html`<p class="status good" tabindex="-1">${this.notice}</p>` : nothing}
                </div>
                ${this.renderAccounts()}
              </section>
            `}
      </div>
    `;
  }
}

customElements.define('hr-office-accounts', HrOfficeAccounts);

declare global {
  interface HTMLElementTagNameMap {
    'hr-office-accounts': HrOfficeAccounts;
  }
}
