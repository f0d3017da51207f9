import { LitElement, html, nothing } from 'lit';
import { I18nController } from '../../app/i18n-controller.ts';
import { t, type TranslationKey } from '../../app/i18n.ts';
import { cardStyles, formStyles } from '../../app/form-styles.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { alertIcon, renderField, successIcon } from '../../components/form-field.ts';
import { requestPasswordReset } from '../../data/auth.ts';

const failureMessages: Record<string, TranslationKey> = {
  rate_limited: 'common:errors.rate_limited',
  offline: 'common:errors.offline',
};

/**
 * @summary "Forgot your password?": asks for the username, then says a link was sent if the
 * account exists, in words that never tell whether it does.
 */
export class HrForgotPassword extends LitElement {
  static override styles = [baseStyles, buttonStyles, cardStyles, formStyles];

  static override properties = {
    sent: { state: true },
    missingUsername: { state: true },
    failure: { state: true },
    busy: { state: true },
  };

  /** The server took the request: show the confirmation instead of the form. */
  declare private sent: boolean;
  declare private missingUsername: boolean;
  declare private failure: TranslationKey | undefined;
  declare private busy: boolean;

  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.sent = false;
    this.missingUsername = false;
    this.failure = undefined;
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Coming back to this screen starts over.
    this.sent = false;
    this.failure = undefined;
  }

  private get usernameInput(): HTMLInputElement {
    return this.renderRoot.querySelector<HTMLInputElement>('#username')!;
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const username = this.usernameInput.value.trim();
    this.failure = undefined;
    this.missingUsername = username === '';
    if (this.missingUsername) {
      await this.updateComplete;
      this.usernameInput.focus();
      return;
    }
    this.busy = true;
    const result = await requestPasswordReset({ username });
    this.busy = false;
    if (!result.ok) {
      this.failure = failureMessages[result.code] ?? 'common:errors.generic';
      return;
    }
    this.sent = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }

  private renderSent() {
    return html`
      <h1 id="title" tabindex="-1">${t('password:forgot.sentTitle')}</h1>
      <div class="notice" role="status">
        ${successIcon}
        <div>
          <p>${t('password:forgot.sent')}</p>
          <p>${t('password:forgot.noEmail')}</p>
        </div>
      </div>
    `;
  }

  private renderForm() {
    return html`
      <h1 id="title" tabindex="-1">${t('password:forgot.title')}</h1>
      <p class="intro">${t('password:forgot.intro')}</p>
      <div class="alert" role="alert">${this.failure ? html`${alertIcon}<p>${t(this.failure)}</p>` : nothing}</div>
      <form novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.onSubmit}>
        ${renderField({
          id: 'username',
          label: t('password:forgot.username.label'),
          autocomplete: 'username',
          error: this.missingUsername ? t('password:forgot.username.required') : undefined,
        })}
        <button class="button submit" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>
          ${this.busy ? t('password:forgot.submitting') : t('password:forgot.submit')}
        </button>
      </form>
    `;
  }

  override render() {
    return html`
      <section class="card" aria-labelledby="title">
        ${this.sent ? this.renderSent() : this.renderForm()}
        <ul class="links">
          <li><a href="#/sign-in">${t('common:backToSignIn')}</a></li>
        </ul>
      </section>
    `;
  }
}

customElements.define('hr-forgot-password', HrForgotPassword);

declare global {
  interface HTMLElementTagNameMap {
    'hr-forgot-password': HrForgotPassword;
  }
}
