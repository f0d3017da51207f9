import { LitElement, css, html, nothing } from 'lit';
import { IDLE_MINUTES, type KioskCode, type KioskListing, type KioskSummary } from '../../../server/contract/kiosk.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { currentLanguage, t } from '../../app/i18n.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { apiRequest } from '../../data/api.ts';
import { authorizedFetch, currentMe } from '../../data/session.ts';
import { enrolThisBrowser } from '../../data/shared-device.ts';
import { formatDate } from '../../lib/format.ts';
import { portalPageStyles } from '../attendance/portal-page.styles.ts';
import { staffFormStyles } from '../office/staff-form.styles.ts';

const dateTime: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
const time: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };

/** Schools where the signed-in staff member holds the kiosks right (a district-wide right: every school of theirs). */
export function kioskSchools(): Array<{ id: string; name: string }> {
  const me = currentMe();
  const rights = (me?.toolRights ?? []).filter((right) => right.tool === 'kiosks');
  const schools = new Map<string, string>();
  for (const location of me?.locations ?? []) {
    if (location.schoolId && rights.some((right) => right.schoolId === null || right.schoolId === location.schoolId)) schools.set(location.schoolId, location.schoolName ?? location.schoolId);
  }
  return [...schools].map(([id, name]) => ({ id, name }));
}

/**
 * @summary The school's shared computers (the kiosks right, online only): each with its state and
 * last use, removed with one button; a one-time code to set up another one, or this very
 * computer made one; and how long a shared computer waits before signing its user out.
 */
export class HrOfficeKiosks extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    portalPageStyles,
    staffFormStyles("select, input[type='text'], input[type='number']"),
    css`
      select,
      input[type='text'] {
        width: 100%;
        max-width: 24rem;
      }
      input[type='number'] {
        width: 6rem;
      }
      .hint {
        margin: 0 0 var(--hr-space-2);
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
      }
      form,
      .field {
        margin-bottom: var(--hr-space-3);
      }
      .code {
        margin: var(--hr-space-2) 0;
        font-family: ui-monospace, monospace;
        font-size: 2.5rem;
        font-weight: 700;
        letter-spacing: 0.1em;
      }
      .confirm {
        display: flex;
        flex-wrap: wrap;
        gap: var(--hr-space-2);
      }
    `,
  ];

  static override properties = {
    schoolId: { state: true },
    listing: { state: true },
    code: { state: true },
    confirming: { state: true },
    problem: { state: true },
    notice: { state: true },
  };

  declare private schoolId: string | null;
  declare private listing: KioskListing | undefined;
  /** The code made last, with the name it was made for. */
  declare private code: (KioskCode & { label: string }) | undefined;
  declare private confirming: boolean;
  declare private problem: string;
  declare private notice: string;

  private readonly i18n = new I18nController(this);
  private loads = 0;

  constructor() {
    super();
    this.schoolId = kioskSchools()[0]?.id ?? null;
    this.listing = undefined;
    this.code = undefined;
    this.confirming = false;
    this.problem = '';
    this.notice = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** The school's kiosks again; only the answer to the latest question is shown. */
  async load(): Promise<void> {
    if (!this.schoolId) return;
    const asked = ++this.loads;
    const answer = await this.call<KioskListing>(`/api/staff/kiosks?schoolId=${encodeURIComponent(this.schoolId)}`);
    if (!answer || asked !== this.loads) return;
    this.listing = answer.body;
  }

  /** The answer when the server took the call; otherwise says why and returns undefined. */
  private async call<T = unknown>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<{ body: T } | undefined> {
    this.problem = '';
    const result = await apiRequest<T>(path, init, authorizedFetch);
    if (result.ok) return { body: result.body };
    this.problem = result.code === 'offline' ? t('kiosk:staff.offline') : result.status === 403 ? t('kiosk:staff.forbidden') : t('kiosk:staff.failed');
    return undefined;
  }

  private readonly onSchool = (event: Event): void => {
    this.schoolId = (event.target as HTMLSelectElement).value;
    this.listing = undefined;
    this.code = undefined;
    this.notice = '';
    void this.load();
  };

  private labelInput(): string {
    return this.renderRoot.querySelector<HTMLInputElement>('#label')?.value.trim() ?? '';
  }

  private async makeCode(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.schoolId) return;
    const label = this.labelInput();
    const answer = await this.call<KioskCode>('/api/staff/kiosks', { method: 'POST', json: { schoolId: this.schoolId, label } });
    if (!answer) return;
    this.code = { ...answer.body, label };
    this.notice = '';
    await this.load();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#code-title')?.focus();
  }

  private async makeThisBrowser(): Promise<void> {
    if (!this.schoolId) return;
    const result = await enrolThisBrowser(this.schoolId, this.labelInput());
    // Signed out on success: the app shows the kiosk's start screen.
    if (!result.ok) this.problem = result.code === 'offline' ? t('kiosk:staff.offline') : result.status === 403 ? t('kiosk:staff.forbidden') : t('kiosk:staff.failed');
    this.confirming = false;
  }

  private async revoke(kiosk: KioskSummary): Promise<void> {
    const name = kiosk.label || t('kiosk:staff.unnamed');
    if (!(await this.call(`/api/staff/kiosks/${encodeURIComponent(kiosk.id)}/revoke`, { method: 'POST', json: {} }))) return;
    this.notice = t('kiosk:staff.revoked', { name });
    await this.load();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.kiosks-status .status.good')?.focus();
  }

  private async saveIdle(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const minutes = Number(this.renderRoot.querySelector<HTMLInputElement>('#idle-minutes')?.value);
    if (!this.schoolId || !Number.isInteger(minutes) || minutes < IDLE_MINUTES.min || minutes > IDLE_MINUTES.max) return;
    if (!(await this.call('/api/staff/kiosks/settings', { method: 'PUT', json: { schoolId: this.schoolId, idleMinutes: minutes } }))) return;
    this.notice = t('kiosk:staff.saved', { minutes });
    await this.load();
  }

  private when(value: string | null): string {
    return value ? formatDate(value, currentLanguage(), dateTime) : t('kiosk:staff.never');
  }

  private renderList() {
    const listing = this.listing;
    if (!listing) return this.problem ? nothing : html`<p class="muted">${t('kiosk:staff.loading')}</p>`;
    if (listing.kiosks.length === 0) return html`<p class="muted none">${t('kiosk:staff.none')}</p>`;
    return html`
      <div class="table-scroll" role="region" tabindex="0" aria-labelledby="list-title">
        <table class="kiosks">
          <thead>
            <tr>
              <th scope="col">${t('kiosk:staff.columns.label')}</th>
              <th scope="col">${t('kiosk:staff.columns.state')}</th>
              <th scope="col">${t('kiosk:staff.columns.enrolled')}</th>
              <th scope="col">${t('kiosk:staff.columns.lastUsed')}</th>
              <th scope="col">${t('kiosk:staff.columns.action')}</th>
            </tr>
          </thead>
          <tbody>
            ${listing.kiosks.map((kiosk) => {
              const name = kiosk.label || t('kiosk:staff.unnamed');
              return html`
                <tr data-id=${kiosk.id}>
                  <th scope="row">${name}</th>
                  <td class="state">${t(`kiosk:staff.states.${kiosk.state}`)}</td>
                  <td>${this.when(kiosk.enrolledAt)}</td>
                  <td>${this.when(kiosk.lastUsedAt)}</td>
                  <td>
                    ${kiosk.state === 'revoked'
                      ? nothing
                      : html`<button type="button" class="button secondary revoke" aria-label=${t('kiosk:staff.revokeFor', { name })} @click=${() => this.revoke(kiosk)}>
                          ${t('kiosk:staff.revoke')}
                        </button>`}
                  </td>
                </tr>
              `;
            })}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderCode() {
    const code = this.code;
    if (!code) return nothing;
    const address = `${location.origin}/#/kiosk`;
    return html`
      <section class="made-code" aria-labelledby="code-title">
        <h3 id="code-title" tabindex="-1">${t('kiosk:staff.codeHeading', { name: code.label || t('kiosk:staff.unnamed') })}</h3>
        <p class="code">${code.code}</p>
        <p>${t('kiosk:staff.codeSteps', { address, time: formatDate(code.expiresAt, currentLanguage(), time) })}</p>
      </section>
    `;
  }

  override render() {
    const schools = kioskSchools();
    return html`
      <div class="page">
        <h1>${t('kiosk:staff.heading')}</h1>
        <p>${t('kiosk:staff.intro')}</p>
        ${schools.length === 0
          ? html`<p class="status info">${t('kiosk:staff.forbidden')}</p>`
          : html`
              <div class="field">
                <label for="school">${t('kiosk:staff.school')}</label>
                <select id="school" @change=${this.onSchool}>
                  ${schools.map((school) => html`<option value=${school.id} ?selected=${school.id === this.schoolId}>${school.name}</option>`)}
                </select>
              </div>
              <div role="status" class="kiosks-status">
                ${this.problem ? html`<p class="status bad problem">${this.problem}</p>` : nothing}
                ${this.notice ? html`<p class="status good" tabindex="-1">${this.notice}</p>` : nothing}
              </div>

              <section aria-labelledby="list-title">
                <h2 id="list-title">${t('kiosk:staff.listHeading')}</h2>
                ${this.renderList()}
              </section>

              <section aria-labelledby="add-title">
                <h2 id="add-title">${t('kiosk:staff.addHeading')}</h2>
                <form @submit=${this.makeCode}>
                  <label for="label">${t('kiosk:staff.label')}</label>
                  <p class="hint" id="label-hint">${t('kiosk:staff.labelHint')}</p>
                  <input id="label" type="text" maxlength="80" autocomplete="off" aria-describedby="label-hint" />
                  <p><button type="submit" class="button make-code">${t('kiosk:staff.makeCode')}</button></p>
                </form>
                ${this.renderCode()}
                <p class="hint" id="this-browser-hint">${t('kiosk:staff.thisBrowserHint')}</p>
                ${this.confirming
                  ? html`<div class="confirm">
                      <button type="button" class="button danger confirm-this-browser" @click=${this.makeThisBrowser}>${t('kiosk:staff.confirmThisBrowser')}</button>
                      <button type="button" class="button secondary" @click=${() => (this.confirming = false)}>${t('kiosk:staff.cancel')}</button>
                    </div>`
                  : html`<button type="button" class="button secondary this-browser" aria-describedby="this-browser-hint" @click=${() => (this.confirming = true)}>
                      ${t('kiosk:staff.thisBrowser')}
                    </button>`}
              </section>

              <section aria-labelledby="idle-title">
                <h2 id="idle-title">${t('kiosk:staff.idleHeading')}</h2>
                <form @submit=${this.saveIdle}>
                  <label for="idle-minutes">${t('kiosk:staff.idleMinutes')}</label>
                  <p class="hint" id="idle-hint">${t('kiosk:staff.idleHint')}</p>
                  <input
                    id="idle-minutes"
                    type="number"
                    inputmode="numeric"
                    min=${IDLE_MINUTES.min}
                    max=${IDLE_MINUTES.max}
                    step="1"
                    required
                    aria-describedby="idle-hint"
                    .value=${String(this.listing?.idleMinutes ?? IDLE_MINUTES.default)}
                  />
                  <p><button type="submit" class="button save-idle">${t('kiosk:staff.save')}</button></p>
                </form>
              </section>
            `}
      </div>
    `;
  }
}

customElements.define('hr-office-kiosks', HrOfficeKiosks);

declare global {
  interface HTMLElementTagNameMap {
    'hr-office-kiosks': HrOfficeKiosks;
  }
}
