import { LitElement, css, html, nothing } from 'lit';
import { TOTP_CODE_LENGTH } from '../../../server/contract/auth.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { t, type TranslationKey } from '../../app/i18n.ts';
import { cardStyles, formStyles } from '../../app/form-styles.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { authenticatorSetupStyles, renderAuthenticatorSteps, renderRecoveryCodes } from '../../components/authenticator-setup.ts';
import { alertIcon, renderField } from '../../components/form-field.ts';
import { enrolSecondFactor, verifySecondFactor, type SecondFactorChallenge, type SessionResponse } from '../../data/auth.ts';

/** Refusals with a message of their own on this screen; any other code gets the generic one. */
const failureMessages = new Map<string, TranslationKey>([
  ['second_factor_incorrect', 'second-factor:errors.second_factor_incorrect'],
  ['second_factor_reused', 'second-factor:errors.second_factor_reused'],
  ['rate_limited', 'second-factor:errors.rate_limited'],
  ['server_busy', 'signin:errors.server_busy'],
  ['offline', 'signin:errors.offline'],
]);

/** What is typed: six digits from the app (spaces allowed), or a recovery code. */
function typedCode(value: string): string {
  return value.replace(/\s/g, '');
}

/**
 * @summary The second step of signing in, after the right password: a code from the
 * authenticator app (or a recovery code), or, for staff who must have one and do not, setting
 * up the app (QR code and the key as text), its first code, then the recovery codes, shown once.
 * @event hr-second-factor-passed - Signed in; `detail` is the `SessionResponse`.
 * @event hr-second-factor-restart - The challenge ran out: back to the password; `detail` says why.
 */
export class HrSecondFactor extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    cardStyles,
    formStyles,
    authenticatorSetupStyles,
    css`
      :host {
        padding: 0;
      }
      .switch {
        display: inline-flex;
        align-items: center;
        min-height: var(--hr-target-size);
        margin-top: var(--hr-space-2);
        padding: 0;
        border: 0;
        background: none;
        color: var(--hr-color-brand);
        font: inherit;
        font-weight: 600;
        text-decoration: underline;
        cursor: pointer;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
      }
      .actions > * {
        margin: 0 var(--hr-space-3) var(--hr-space-2) 0;
      }
      @media print {
        .card {
          border: 0;
          box-shadow: none;
        }
        .actions,
        .links {
          display: none;
        }
      }
    `,
  ];

  static override properties = {
    challenge: { attribute: false },
    sharedDevice: { type: Boolean },
    busy: { state: true },
    useRecovery: { state: true },
    codeError: { state: true },
    failure: { state: true },
    recoveryCodes: { state: true },
  };

  /** The challenge from login: what to ask for, and (to enrol) the new secret. */
  declare challenge: SecondFactorChallenge | undefined;
  /** As answered at login: a shared computer's session. */
  declare sharedDevice: boolean;
  declare private busy: boolean;
  /** The person lost their phone and types a recovery code instead. */
  declare private useRecovery: boolean;
  declare private codeError: TranslationKey | undefined;
  declare private failure: TranslationKey | undefined;
  /** Shown once after enrolling, before the session starts. */
  declare private recoveryCodes: string[] | undefined;

  private readonly i18n = new I18nController(this);
  /** The session, held while the recovery codes are on screen. */
  private session: SessionResponse | undefined;

  constructor() {
    super();
    this.challenge = undefined;
    this.sharedDevice = false;
    this.busy = false;
    this.useRecovery = false;
    this.codeError = undefined;
    this.failure = undefined;
    this.recoveryCodes = undefined;
  }

  override firstUpdated(): void {
    // A new screen in the same place: say so by moving there.
    this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }

  private codeField(): HTMLInputElement {
    return this.renderRoot.querySelector<HTMLInputElement>('#code')!;
  }

  private async onSwitch(): Promise<void> {
    this.useRecovery = !this.useRecovery;
    this.codeError = undefined;
    this.failure = undefined;
    await this.updateComplete;
    this.codeField().focus();
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const challenge = this.challenge;
    if (this.busy || !challenge) return;
    const code = typedCode(this.codeField().value);
    this.failure = undefined;
    const enrolling = challenge.secondFactor === 'enrol';
    if (!code) this.codeError = this.useRecovery ? 'second-factor:code.recoveryRequired' : 'second-factor:code.required';
    else if (!this.useRecovery && !new RegExp(`^\\d{${TOTP_CODE_LENGTH}}$`).test(code)) this.codeError = 'second-factor:code.invalid';
    else this.codeError = undefined;
    if (this.codeError) {
      await this.updateComplete;
      this.codeField().focus();
      return;
    }
    this.busy = true;
    const request = { challenge: challenge.challenge, code, ...(this.sharedDevice ? { sharedDevice: true } : {}) };
    const result = enrolling ? await enrolSecondFactor(request) : await verifySecondFactor(request);
    this.busy = false;
    if (result.ok) {
      if ('recoveryCodes' in result.body && Array.isArray(result.body.recoveryCodes)) {
        const { recoveryCodes, ...session } = result.body;
        this.session = session;
        this.recoveryCodes = recoveryCodes;
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
        return;
      }
      this.passed(result.body);
      return;
    }
    if (result.code === 'challenge_expired') {
      this.dispatchEvent(new CustomEvent('hr-second-factor-restart', { detail: 'second-factor:errors.challenge_expired', bubbles: true, composed: true }));
      return;
    }
    this.failure = failureMessages.get(result.code) ?? 'signin:errors.generic';
    this.codeField().value = '';
    await this.updateComplete;
    this.codeField().focus();
  }

  private passed(session: SessionResponse): void {
    this.dispatchEvent(new CustomEvent('hr-second-factor-passed', { detail: session, bubbles: true, composed: true }));
  }

  private onContinue(): void {
    if (this.session) this.passed(this.session);
  }

  private onPrint(): void {
    window.print();
  }

  private onRestart(): void {
    this.dispatchEvent(new CustomEvent('hr-second-factor-restart', { detail: undefined, bubbles: true, composed: true }));
  }

  private renderCodeForm(submitLabel: TranslationKey) {
    const recovery = this.useRecovery;
    return html`
      <form novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.onSubmit}>
        ${renderField({
          id: 'code',
          label: t(recovery ? 'second-factor:code.recoveryLabel' : 'second-factor:code.label'),
          hint: recovery ? t('second-factor:code.recoveryHint') : undefined,
          autocomplete: 'one-time-code',
          inputmode: recovery ? 'latin' : 'numeric',
          maxlength: recovery ? 20 : TOTP_CODE_LENGTH + 2,
          error: this.codeError ? t(this.codeError) : undefined,
        })}
        <button class="button submit" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>
          ${this.busy ? t('second-factor:submitting') : t(submitLabel)}
        </button>
      </form>
    `;
  }

  private renderAlert() {
    return html`<div class="alert" role="alert">${this.failure ? html`${alertIcon}<p>${t(this.failure)}</p>` : nothing}</div>`;
  }

  private renderRecoveryCodes(codes: string[]) {
    return html`
      <section class="card" aria-labelledby="title">
        <h1 id="title" tabindex="-1">${t('second-factor:recovery.title')}</h1>
        <p class="intro">${t('second-factor:recovery.intro')}</p>
        ${renderRecoveryCodes(codes)}
        <div class="actions">
          <button class="button secondary" type="button" @click=${this.onPrint}>${t('second-factor:recovery.print')}</button>
          <button id="continue" class="button" type="button" @click=${this.onContinue}>${t('second-factor:recovery.continue')}</button>
        </div>
      </section>
    `;
  }

  override render() {
    void this.i18n;
    const challenge = this.challenge;
    if (!challenge) return nothing;
    if (this.recoveryCodes) return this.renderRecoveryCodes(this.recoveryCodes);
    const enrolment = challenge.secondFactor === 'enrol' ? challenge.enrolment : undefined;
    return html`
      <section class="card" aria-labelledby="title">
        ${enrolment
          ? html`
              <h1 id="title" tabindex="-1">${t('second-factor:enrol.title')}</h1>
              <p class="intro">${t('second-factor:enrol.intro')}</p>
              ${this.renderAlert()}
              ${renderAuthenticatorSteps(
                enrolment,
                html`<p>${t('second-factor:enrol.confirm')}</p>
                  ${this.renderCodeForm('second-factor:enrol.submit')}`,
              )}
            `
          : html`
              <h1 id="title" tabindex="-1">${t('second-factor:code.title')}</h1>
              <p class="intro">${t('second-factor:code.intro')}</p>
              ${this.renderAlert()} ${this.renderCodeForm('second-factor:code.submit')}
              <button class="switch" type="button" @click=${this.onSwitch}>
                ${t(this.useRecovery ? 'second-factor:code.useApp' : 'second-factor:code.useRecovery')}
              </button>
            `}
        <div class="links">
          <button class="switch" type="button" @click=${this.onRestart}>${t('second-factor:startOver')}</button>
        </div>
      </section>
    `;
  }
}

customElements.define('hr-second-factor', HrSecondFactor);

declare global {
  interface GlobalEventHandlersEventMap {
    'hr-second-factor-passed': CustomEvent<SessionResponse>;
    'hr-second-factor-restart': CustomEvent<TranslationKey | undefined>;
  }
  interface HTMLElementTagNameMap {
    'hr-second-factor': HrSecondFactor;
  }
}
