import { LitElement, css, html, nothing } from 'lit';
import { TOTP_CODE_LENGTH } from '../../../server/contract/auth.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { t, type TranslationKey } from '../../app/i18n.ts';
import { formStyles } from '../../app/form-styles.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { authenticatorSetupStyles, renderAuthenticatorSteps, renderRecoveryCodes } from '../../components/authenticator-setup.ts';
import { alertIcon, renderField, successIcon } from '../../components/form-field.ts';
import {
  confirmSecondFactor,
  fetchSecondFactor,
  startSecondFactor,
  turnOffSecondFactor,
  type SecondFactorStatus,
  type TotpEnrolment,
} from '../../data/account.ts';

const failureMessages: Record<string, TranslationKey> = {
  second_factor_incorrect: 'second-factor:errors.second_factor_incorrect',
  second_factor_reused: 'second-factor:errors.second_factor_reused',
  second_factor_required: 'account:secondFactor.required',
  rate_limited: 'second-factor:errors.rate_limited',
  offline: 'common:errors.offline',
};

/** What the section shows: the status with its form, the app being set up, or the new recovery codes. */
type Stage = { kind: 'status' } | { kind: 'enrolling'; enrolment: TotpEnrolment } | { kind: 'codes'; codes: string[] };

/**
 * @summary Two-step sign-in on the account page: whether it is on (and, for staff holding a tool
 * right, that it must be), turning it on (current password, then the authenticator app's key
 * and its first code, then the recovery codes) and off (with a current code).
 */
export class HrSecondFactorSettings extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    formStyles,
    authenticatorSetupStyles,
    css`
      :host {
        display: block;
        margin: 0 0 var(--hr-space-5);
        padding-bottom: var(--hr-space-5);
        border-bottom: 1px solid var(--hr-color-border);
      }
      h3 {
        margin: 0 0 var(--hr-space-3);
        font-size: var(--hr-font-size-large);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
      }
      .actions > * {
        margin: 0 var(--hr-space-3) var(--hr-space-2) 0;
      }
      .muted {
        color: var(--hr-color-ink-muted);
      }
    `,
  ];

  static override properties = {
    status: { state: true },
    stage: { state: true },
    fieldError: { state: true },
    failure: { state: true },
    done: { state: true },
    busy: { state: true },
  };

  /** From the server; undefined while loading, null when it could not be read. */
  declare private status: SecondFactorStatus | null | undefined;
  declare private stage: Stage;
  declare private fieldError: TranslationKey | undefined;
  declare private failure: TranslationKey | undefined;
  declare private done: TranslationKey | undefined;
  declare private busy: boolean;

  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.status = undefined;
    this.stage = { kind: 'status' };
    this.fieldError = undefined;
    this.failure = undefined;
    this.done = undefined;
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const result = await fetchSecondFactor();
    this.status = result.ok ? result.body : null;
  }

  private input(id: string): HTMLInputElement {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)!;
  }

  private async focusFirst(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private refused(code: string): void {
    this.failure = failureMessages[code] ?? 'common:errors.generic';
  }

  private async onStart(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const password = this.input('mfaPassword').value;
    this.failure = undefined;
    this.done = undefined;
    this.fieldError = password ? undefined : 'account:secondFactor.passwordRequired';
    if (this.fieldError) return this.focusFirst('#mfaPassword');
    this.busy = true;
    const result = await startSecondFactor(password);
    this.busy = false;
    if (result.ok) {
      this.stage = { kind: 'enrolling', enrolment: result.body };
      return this.focusFirst('#mfa-setup-title');
    }
    if (result.code === 'password_incorrect') this.fieldError = 'account:secondFactor.passwordIncorrect';
    else this.refused(result.code);
    return this.focusFirst('#mfaPassword');
  }

  private async onConfirm(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const code = this.input('mfaCode').value.replace(/\s/g, '');
    this.failure = undefined;
    this.fieldError = new RegExp(`^\\d{${TOTP_CODE_LENGTH}}$`).test(code) ? undefined : 'second-factor:code.required';
    if (this.fieldError) return this.focusFirst('#mfaCode');
    this.busy = true;
    const result = await confirmSecondFactor(code);
    this.busy = false;
    if (result.ok) {
      this.stage = { kind: 'codes', codes: result.body.recoveryCodes };
      await this.load();
      return this.focusFirst('#mfa-codes-title');
    }
    this.refused(result.code);
    this.input('mfaCode').value = '';
    return this.focusFirst('#mfaCode');
  }

  private async onTurnOff(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const code = this.input('mfaOffCode').value.replace(/\s/g, '');
    this.failure = undefined;
    this.done = undefined;
    this.fieldError = code ? undefined : 'second-factor:code.required';
    if (this.fieldError) return this.focusFirst('#mfaOffCode');
    this.busy = true;
    const result = await turnOffSecondFactor(code);
    this.busy = false;
    if (result.ok) {
      this.done = 'account:secondFactor.turnedOff';
      await this.load();
      return;
    }
    this.refused(result.code);
    this.input('mfaOffCode').value = '';
    return this.focusFirst('#mfaOffCode');
  }

  private async onCancel(): Promise<void> {
    this.stage = { kind: 'status' };
    this.failure = undefined;
    this.fieldError = undefined;
    return this.focusFirst('#mfa-title');
  }

  private async onCodesSaved(): Promise<void> {
    this.stage = { kind: 'status' };
    this.done = 'account:secondFactor.turnedOn';
    return this.focusFirst('#mfa-title');
  }

  private renderMessages() {
    return html`
      <div class="alert" role="alert">${this.failure ? html`${alertIcon}<p>${t(this.failure)}</p>` : nothing}</div>
      <div role="status">${this.done ? html`<div class="notice">${successIcon}<p>${t(this.done)}</p></div>` : nothing}</div>
    `;
  }

  private renderStatus(status: SecondFactorStatus) {
    const busy = this.busy ? 'true' : 'false';
    const error = this.fieldError ? t(this.fieldError) : undefined;
    return html`
      <p id="mfa-state">${t(status.enabled ? 'account:secondFactor.on' : 'account:secondFactor.off')}</p>
      ${status.required ? html`<p class="muted">${t('account:secondFactor.required')}</p>` : nothing}
      ${status.enabled ? html`<p class="muted">${t('account:secondFactor.recoveryLeft', { count: status.recoveryCodesLeft })}</p>` : nothing}
      ${this.renderMessages()}
      ${!status.enabled
        ? html`<p class="muted">${t('account:secondFactor.why')}</p>
            <form novalidate aria-labelledby="mfa-start" aria-busy=${busy} @submit=${this.onStart}>
              ${renderField({ id: 'mfaPassword', label: t('account:secondFactor.password'), type: 'password', autocomplete: 'current-password', error })}
              <button id="mfa-start" class="button" type="submit" aria-disabled=${busy}>
                ${this.busy ? t('account:secondFactor.working') : t('account:secondFactor.start')}
              </button>
            </form>`
        : status.required
          ? nothing
          : html`<form novalidate aria-labelledby="mfa-off" aria-busy=${busy} @submit=${this.onTurnOff}>
              ${renderField({
                id: 'mfaOffCode',
                label: t('account:secondFactor.offLabel'),
                hint: t('account:secondFactor.offHint'),
                autocomplete: 'one-time-code',
                maxlength: 20,
                error,
              })}
              <button id="mfa-off" class="button danger" type="submit" aria-disabled=${busy}>
                ${this.busy ? t('account:secondFactor.working') : t('account:secondFactor.turnOff')}
              </button>
            </form>`}
    `;
  }

  private renderEnrolling(enrolment: TotpEnrolment) {
    const busy = this.busy ? 'true' : 'false';
    return html`
      <h4 id="mfa-setup-title" tabindex="-1">${t('second-factor:enrol.title')}</h4>
      ${this.renderMessages()}
      ${renderAuthenticatorSteps(
        enrolment,
        html`<p>${t('second-factor:enrol.confirm')}</p>
          <form novalidate aria-labelledby="mfa-confirm" aria-busy=${busy} @submit=${this.onConfirm}>
            ${renderField({
              id: 'mfaCode',
              label: t('second-factor:code.label'),
              autocomplete: 'one-time-code',
              inputmode: 'numeric',
              maxlength: TOTP_CODE_LENGTH + 2,
              error: this.fieldError ? t(this.fieldError) : undefined,
            })}
            <div class="actions">
              <button id="mfa-confirm" class="button" type="submit" aria-disabled=${busy}>
                ${this.busy ? t('second-factor:submitting') : t('account:secondFactor.confirm')}
              </button>
              <button class="button secondary" type="button" @click=${this.onCancel}>${t('account:secondFactor.cancel')}</button>
            </div>
          </form>`,
      )}
    `;
  }

  private renderCodes(codes: string[]) {
    return html`
      <h4 id="mfa-codes-title" tabindex="-1">${t('second-factor:recovery.title')}</h4>
      <p>${t('second-factor:recovery.intro')}</p>
      ${renderRecoveryCodes(codes)}
      <button id="mfa-codes-saved" class="button" type="button" @click=${this.onCodesSaved}>${t('account:secondFactor.codesSaved')}</button>
    `;
  }

  override render() {
    void this.i18n;
    const status = this.status;
    let body;
    if (this.stage.kind === 'enrolling') body = this.renderEnrolling(this.stage.enrolment);
    else if (this.stage.kind === 'codes') body = this.renderCodes(this.stage.codes);
    else if (status) body = this.renderStatus(status);
    else if (status === null) body = html`<p class="muted">${t('account:secondFactor.loadFailed')}</p>`;
    else body = html`<p class="muted">${t('account:secondFactor.loading')}</p>`;
    return html`
      <section aria-labelledby="mfa-title">
        <h3 id="mfa-title" tabindex="-1">${t('account:secondFactor.title')}</h3>
        ${body}
      </section>
    `;
  }
}

customElements.define('hr-second-factor-settings', HrSecondFactorSettings);

declare global {
  interface HTMLElementTagNameMap {
    'hr-second-factor-settings': HrSecondFactorSettings;
  }
}
