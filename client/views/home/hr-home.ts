import { LitElement, css, html, nothing } from 'lit';
import type { Me } from '../../../server/contract/auth.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { currentLanguage, t } from '../../app/i18n.ts';
import { OnlineController } from '../../app/online-controller.ts';
import { baseStyles } from '../../app/shared-styles.ts';
import { alertIcon } from '../../components/form-field.ts';
import { RxController } from '../../data/rx-controller.ts';
import { currentMe, subscribeSession } from '../../data/session.ts';
import { observeStudents, studentDisplayName, type StudentDocument } from '../../data/students.ts';
import { observeSyncState, readSyncState } from '../../data/sync-state.ts';
import { formatDate } from '../../lib/format.ts';
import { columnPageStyles, studentsCardStyles } from './column-page.styles.ts';

const syncedFormat: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };

/** "Kindergarten", "Grade 3": grade levels as schools say them (-1 is pre-kindergarten). */
export function homeGradeLabel(level: number): string {
  if (level < 0) return t('home:students.grade.preK');
  if (level === 0) return t('home:students.grade.k');
  return t('home:students.grade.numbered', { grade: level });
}

/**
 * @summary The signed-in landing screen: the students this person may see, read from the
 * device's own copy (so it works offline), when that copy was last updated, a notice while
 * offline, and the way to the account screen.
 */
export class HrHome extends LitElement {
  static override styles = [
    baseStyles,
    columnPageStyles,
    studentsCardStyles,
    css`
      .page {
        max-width: 40rem;
      }
      .offline-notice:empty {
        display: none;
      }
      .offline-notice p {
        display: flex;
        align-items: flex-start;
        margin: 0;
        padding: var(--hr-space-3) var(--hr-space-4);
        border-radius: var(--hr-radius);
        background: var(--hr-color-info-soft);
        border: 1px solid var(--hr-color-field-border);
      }
      .students {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .student-name {
        display: block;
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .account a {
        display: inline-flex;
        align-items: center;
        min-height: var(--hr-target-size);
        font-weight: 600;
      }
      .account p {
        margin: 0;
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
      }
    `,
  ];

  static override properties = {
    me: { state: true },
  };

  declare private me: Me | undefined;

  private readonly i18n = new I18nController(this);
  private readonly network = new OnlineController(this);
  private readonly students = new RxController(this, observeStudents);
  private readonly studentsSync = new RxController(this, (db) => observeSyncState(db, 'students'));
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.me = currentMe();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.me = currentMe();
    this.unsubscribe = subscribeSession((me) => {
      this.me = me;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private renderStudents() {
    const students = this.students.value ?? [];
    const sync = readSyncState(this.studentsSync.value);
    const item = (student: StudentDocument) => html`
      <li>
        <span class="student-name">${studentDisplayName(student)}</span>
        <span class="student-detail">${homeGradeLabel(student.gradeLevel)} · ${student.schoolName}</span>
      </li>
    `;
    let list;
    if (students.length > 0) list = html`<ul class="students">${students.map(item)}</ul>`;
    else if (sync.lastSyncedAt !== null) list = html`<p class="muted">${t('home:students.none')}</p>`;
    else list = html`<p class="muted">${this.network.online ? t('home:students.loading') : t('home:students.waitingForNetwork')}</p>`;
    return html`
      ${list}
      ${sync.lastSyncedAt !== null
        ? html`<p class="synced">${t('home:students.lastSynced', { when: formatDate(sync.lastSyncedAt, currentLanguage(), syncedFormat) })}</p>`
        : nothing}
      <div class="sync-alert" role="status">
        ${sync.updateRequired ? html`<p>${alertIcon}<span>${t('home:students.updateRequired')}</span></p>` : nothing}
      </div>
    `;
  }

  override render() {
    const me = this.me;
    if (!me) return nothing;
    const name = me.person.preferredName || me.person.firstName;
    return html`
      <div class="page">
        <h1>${t('home:greeting', { name })}</h1>
        <div class="offline-notice" role="status">${this.network.online ? nothing : html`<p>${t('home:offline')}</p>`}</div>
        <section aria-labelledby="students-title">
          <h2 id="students-title">${t('home:students.title')}</h2>
          ${this.renderStudents()}
        </section>
        <div class="account">
          <a href="#/account" aria-describedby="account-hint">${t('home:account.link')}</a>
          <p id="account-hint">${t('home:account.hint')}</p>
        </div>
      </div>
    `;
  }
}

customElements.define('hr-home', HrHome);

declare global {
  interface HTMLElementTagNameMap {
    'hr-home': HrHome;
  }
}
