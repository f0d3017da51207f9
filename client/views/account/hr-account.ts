import { LitElement, css, html, nothing } from 'lit';
import type { Me } from '../../../server/contract/auth.ts';
import { STAFF_ROLES, type Role, type StaffRole } from '../../../server/contract/roles.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { currentLanguage, t, type TranslationKey } from '../../app/i18n.ts';
import { OnlineController } from '../../app/online-controller.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { alertIcon } from '../../components/form-field.ts';
import { fetchMe } from '../../data/account.ts';
import { RxController } from '../../data/rx-controller.ts';
import { currentMe, signOut, signOutEverywhere, subscribeSession } from '../../data/session.ts';
import { observeStudents, studentDisplayName, type StudentDocument } from '../../data/students.ts';
import { observeSyncState, readSyncState } from '../../data/sync-state.ts';
import { formatDate } from '../../lib/format.ts';
import { columnPageStyles, studentsCardStyles } from '../home/column-page.styles.ts';
import './hr-change-email.ts';
import './hr-change-password.ts';
import './hr-second-factor-settings.ts';

/** Lists longer than this show the first few and fold the rest (teachers see whole sections). */
const studentsShown = 8;

const syncedFormat: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };

/** "Kindergarten", "Grade 3": grade levels as schools say them (-1 is pre-kindergarten). */
export function gradeLabel(level: number): string {
  if (level < 0) return t('account:students.grade.preK');
  if (level === 0) return t('account:students.grade.k');
  return t('account:students.grade.numbered', { grade: level });
}

function isStaffRole(role: Role): role is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(role);
}

/** Each role once, staff roles with every school they hold it at ("Teacher at Riverbend High School"). */
function roleLines(me: Me): string[] {
  const lines: string[] = [];
  for (const role of me.roles) {
    const name = t(`account:roles.names.${role}`);
    const places = isStaffRole(role) ? me.locations.filter((location) => location.role === role) : [];
    if (places.length === 0) lines.push(name);
    for (const place of places) {
      lines.push(
        place.schoolName
          ? t('account:roles.atSchool', { role: name, school: place.schoolName })
          : t('account:roles.districtWide', { role: name }),
      );
    }
  }
  return lines;
}

/**
 * @summary The signed-in person's account: who they are, their roles and schools (from
 * /api/me), the students they may see (from the device's synced copy, with when it was last
 * updated), password and access log, and signing out (here or everywhere).
 */
export class HrAccount extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    columnPageStyles,
    studentsCardStyles,
    css`
      .page {
        max-width: 40rem;
      }
      h1:focus {
        outline: none;
      }
      .signed-in-as {
        margin: var(--hr-space-1) 0 0;
        color: var(--hr-color-ink-muted);
        overflow-wrap: anywhere;
      }
      ul.plain {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .roles li + li {
        margin-top: var(--hr-space-1);
      }
      .student-name {
        display: block;
        font-weight: 600;
      }
      details {
        margin-top: var(--hr-space-2);
      }
      summary {
        display: flex;
        align-items: center;
        min-height: var(--hr-target-size);
        color: var(--hr-color-brand);
        font-weight: 600;
        cursor: pointer;
      }
      summary:focus {
        outline: 3px solid var(--hr-color-focus);
        outline-offset: 2px;
      }
      .access-log {
        margin: 0 0 var(--hr-space-5);
        padding-bottom: var(--hr-space-5);
        border-bottom: 1px solid var(--hr-color-border);
      }
      .access-log a {
        display: inline-flex;
        align-items: center;
        min-height: var(--hr-target-size);
        font-weight: 600;
      }
      .access-log p {
        margin: 0;
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        margin-bottom: calc(-1 * var(--hr-space-2));
      }
      /* Margins, not flex gap: Safari 13 has no gap for flexbox. */
      .actions > * {
        margin: 0 var(--hr-space-3) var(--hr-space-2) 0;
      }
      .sign-out-hint {
        margin: var(--hr-space-4) 0 var(--hr-space-3);
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
      }
      .confirm {
        margin-top: var(--hr-space-3);
        padding: var(--hr-space-3) var(--hr-space-4);
        border-radius: var(--hr-radius);
        background: var(--hr-color-danger-soft);
        border: 1px solid var(--hr-color-danger-border);
      }
      .confirm p {
        margin: 0 0 var(--hr-space-3);
        font-weight: 600;
      }
      .alert:not(:empty) {
        display: flex;
        align-items: flex-start;
        margin-top: var(--hr-space-3);
        color: var(--hr-color-danger);
        font-weight: 600;
      }
      .alert p {
        margin: 0;
      }
      .stale {
        margin: 0;
      }
      .stale:not(:empty) {
        margin-top: var(--hr-space-2);
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
      }
    `,
  ];

  static override properties = {
    me: { state: true },
    confirmingEverywhere: { state: true },
    signingOut: { state: true },
    failure: { state: true },
    stale: { state: true },
  };

  declare private me: Me | undefined;
  /** "Sign out of all devices" was pressed once: ask before doing it. */
  declare private confirmingEverywhere: boolean;
  declare private signingOut: boolean;
  declare private failure: TranslationKey | undefined;
  /** Fetching the latest account details failed: what is shown is from sign-in. */
  declare private stale: boolean;

  private readonly i18n = new I18nController(this);
  private readonly network = new OnlineController(this);
  private readonly students = new RxController(this, observeStudents);
  private readonly studentsSync = new RxController(this, (db) => observeSyncState(db, 'students'));
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.me = currentMe();
    this.confirmingEverywhere = false;
    this.signingOut = false;
    this.failure = undefined;
    this.stale = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.me = currentMe();
    this.unsubscribe = subscribeSession((me) => {
      this.me = me;
    });
    // Roles and students can change while signed in: ask for the current account.
    void fetchMe().then((result) => {
      this.stale = !result.ok && result.status !== 401;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private async onSignOut(): Promise<void> {
    this.signingOut = true;
    await signOut();
    this.signingOut = false;
  }

  private async onConfirmEverywhere(): Promise<void> {
    this.signingOut = true;
    this.failure = undefined;
    const result = await signOutEverywhere();
    this.signingOut = false;
    if (!result.ok) this.failure = result.code === 'offline' ? 'common:errors.offline' : 'common:errors.generic';
  }

  private async onAskEverywhere(): Promise<void> {
    this.confirmingEverywhere = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#confirm-everywhere')?.focus();
  }

  private async onCancelEverywhere(): Promise<void> {
    this.confirmingEverywhere = false;
    this.failure = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#sign-out-everywhere')?.focus();
  }

  private renderStudents() {
    const students = this.students.value ?? [];
    const sync = readSyncState(this.studentsSync.value);
    const item = (student: StudentDocument) => html`
      <li>
        <span class="student-name">${studentDisplayName(student)}</span>
        <span class="student-detail">${gradeLabel(student.gradeLevel)} · ${student.schoolName}</span>
      </li>
    `;
    let list;
    if (students.length > 0) {
      const first = students.slice(0, studentsShown);
      const rest = students.slice(studentsShown);
      list = html`
        <ul class="plain students">
          ${first.map(item)}
        </ul>
        ${rest.length > 0
          ? html`<details>
              <summary>${t('account:students.showAll', { count: students.length })}</summary>
              <ul class="plain students">
                ${rest.map(item)}
              </ul>
            </details>`
          : nothing}
      `;
    } else if (sync.lastSyncedAt !== null) {
      list = html`<p class="muted">${t('account:students.none')}</p>`;
    } else {
      list = html`<p class="muted">${this.network.online ? t('account:students.loading') : t('account:students.waitingForNetwork')}</p>`;
    }
    return html`
      ${list}
      ${sync.lastSyncedAt !== null
        ? html`<p class="synced">
            ${t('account:students.lastSynced', {
              when: formatDate(sync.lastSyncedAt, currentLanguage(), syncedFormat),
            })}
          </p>`
        : nothing}
      <div class="sync-alert" role="status">
        ${sync.updateRequired ? html`<p>${alertIcon}<span>${t('account:students.updateRequired')}</span></p>` : nothing}
      </div>
    `;
  }

  private renderSignOut() {
    const busy = this.signingOut ? 'true' : 'false';
    return html`
      <section aria-labelledby="sign-out-title">
        <h2 id="sign-out-title">${t('account:signOut.title')}</h2>
        <div class="actions">
          <button class="button" type="button" aria-disabled=${busy} @click=${this.onSignOut}>
            ${this.signingOut && !this.confirmingEverywhere ? t('account:signOut.signingOut') : t('account:signOut.button')}
          </button>
        </div>
        <p class="sign-out-hint" id="everywhere-hint">${t('account:signOut.everywhereHint')}</p>
        <button
          id="sign-out-everywhere"
          class="button danger"
          type="button"
          aria-describedby="everywhere-hint"
          aria-expanded=${this.confirmingEverywhere ? 'true' : 'false'}
          aria-controls="confirm-everywhere-panel"
          @click=${this.onAskEverywhere}
        >
          ${t('account:signOut.everywhere')}
        </button>
        <div id="confirm-everywhere-panel">
          ${this.confirmingEverywhere
            ? html`<div class="confirm">
                <p id="confirm-everywhere-question">${t('account:signOut.confirm')}</p>
                <div class="actions">
                  <button
                    id="confirm-everywhere"
                    class="button danger solid"
                    type="button"
                    aria-describedby="confirm-everywhere-question"
                    aria-disabled=${busy}
                    @click=${this.onConfirmEverywhere}
                  >
                    ${this.signingOut ? t('account:signOut.signingOut') : t('account:signOut.confirmYes')}
                  </button>
                  <button class="button secondary" type="button" @click=${this.onCancelEverywhere}>
                    ${t('account:signOut.cancel')}
                  </button>
                </div>
              </div>`
            : nothing}
        </div>
        <div class="alert" role="alert">${this.failure ? html`${alertIcon}<p>${t(this.failure)}</p>` : nothing}</div>
      </section>
    `;
  }

  override render() {
    const me = this.me;
    if (!me) return nothing;
    const name = me.person.preferredName || me.person.firstName;
    const roles = roleLines(me);
    return html`
      <div class="page">
        <header>
          <h1 tabindex="-1">${t('account:greeting', { name })}</h1>
          <p class="signed-in-as">${t('account:signedInAs', { username: me.account.username })}</p>
          <p class="stale" role="status">${this.stale ? t('account:loadFailed') : nothing}</p>
        </header>

        ${roles.length > 0
          ? html`<section aria-labelledby="roles-title">
              <h2 id="roles-title">${t('account:roles.title')}</h2>
              <ul class="plain roles">
                ${roles.map((line) => html`<li>${line}</li>`)}
              </ul>
            </section>`
          : nothing}

        <section aria-labelledby="students-title">
          <h2 id="students-title">${t('account:students.title')}</h2>
          ${this.renderStudents()}
        </section>

        <section aria-labelledby="security-title">
          <h2 id="security-title">${t('account:security.title')}</h2>
          <div class="access-log">
            <a href="#/access-log" aria-describedby="access-log-hint">${t('account:security.accessLog')}</a>
            <p id="access-log-hint">${t('account:security.accessLogHint')}</p>
          </div>
          <hr-second-factor-settings></hr-second-factor-settings>
          <hr-change-email></hr-change-email>
          <hr-change-password></hr-change-password>
        </section>

        ${this.renderSignOut()}
      </div>
    `;
  }
}

customElements.define('hr-account', HrAccount);

declare global {
  interface HTMLElementTagNameMap {
    'hr-account': HrAccount;
  }
}
