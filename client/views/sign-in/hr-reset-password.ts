import { LitElement, html, nothing } from 'lit';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../server/contract/auth.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { t, type TranslationKey } from '../../app/i18n.ts';
import { cardStyles, formStyles } from '../../app/form-styles.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { hashParams } from '../../app/views.ts';
import { alertIcon, renderNewPassword, successIcon } from '../../components/form-field.ts';
import { resetPassword } from '../../data/auth.ts';
import { checkConfirmation, checkNewPassword } from '../../lib/password-rules.ts';

type Field = 'password' | 'confirm';
/** What the screen shows: the form, the new password saved, or a link that cannot be used. */
type Stage = 'form' | 'done' | 'invalid_token' | 'token_expired';

const limits = { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH };

const failureMessages: Record<string, TranslationKey> = {
  rate_limited: 'common:errors.rate_limited',
  offline: 'common:errors.offline',
};

/**
 * @summary The page the e-mailed link opens (`#/reset?token=…`): a new password typed twice.
 * Says so plainly when the link was used already or has expired, with a way to get a new one.
 */
export class HrResetPassword extends LitElement {
  static override styles = [baseStyles, buttonStyles, cardStyles, formStyles];

  static override properties = {
    stage: { state: true },
    showPasswords: { state: true },
    errors: { state: true },
    failure: { state: true },
    busy: { state: true },
  };

  declare private stage: Stage;
  declare private showPasswords: boolean;
  declare private errors: Partial<Record<Field, TranslationKey>>;
  declare private failure: TranslationKey | undefined;
  declare private busy: boolean;

  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.stage = 'form';
    this.showPasswords = false;
    this.errors = {};
    this.failure = undefined;
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Each visit may come from a different link.
    this.stage = this.token() ? 'form' : 'invalid_token';
    this.errors = {};
    this.failure = undefined;
  }

  private token(): string {
    return hashParams(location.hash).get('token') ?? '';
  }

  private value(name: Field): string {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${name}`)?.value ?? '';
  }

  private async focusOn(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    this.failure = undefined;
    const password = this.value('password');
    const errors: Partial<Record<Field, TranslationKey>> = {};
    const passwordProblem = checkNewPassword(password);
    if (passwordProblem === 'required') errors.password = 'password:new.required';
    else if (passwordProblem) errors.password = `password:errors.${passwordProblem}`;
    const confirmProblem = checkConfirmation(password, this.value('confirm'));
    if (confirmProblem === 'required') errors.confirm = 'password:confirm.required';
    else if (confirmProblem) errors.confirm = 'password:confirm.mismatch';
    this.errors = errors;
    if (errors.password || errors.confirm) {
      await this.focusOn(errors.password ? '#password' : '#confirm');
      return;
    }

    this.busy = true;
    this.showPasswords = false;
    const result = await resetPassword({ token: this.token(), password });
    this.busy = false;
    if (result.ok) {
      this.stage = 'done';
      await this.focusOn('h1');
      return;
    }
    if (result.code === 'invalid_token' || result.code === 'token_expired' || result.code === 'validation_failed') {
      this.stage = result.code === 'token_expired' ? 'token_expired' : 'invalid_token';
      await this.focusOn('h1');
      return;
    }
    if (result.code.startsWith('password_')) {
      this.errors = { password: `password:errors.${result.code as 'password_too_short' | 'password_too_long' | 'password_common'}` };
      await this.focusOn('#password');
      return;
    }
    this.failure = failureMessages[result.code] ?? 'common:errors.generic';
  }

  private renderForm() {
    const error = (field: Field) => (this.errors[field] ? t(this.errors[field], limits) : undefined);
    return html`
      <h1 id="title" tabindex="-1">${t('password:reset.title')}</h1>
      <p class="intro">${t('password:reset.intro')}</p>
      <div class="alert" role="alert">${this.failure ? html`${alertIcon}<p>${t(this.failure)}</p>` : nothing}</div>
      <form novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.onSubmit}>
        ${renderNewPassword({
          ids: { password: 'password', confirm: 'confirm' },
          labels: { password: t('password:new.label'), confirm: t('password:confirm.label') },
          errors: { password: error('password'), confirm: error('confirm') },
          shown: this.showPasswords,
          onShownChange: (event) => {
            this.showPasswords = (event.target as HTMLInputElement).checked;
          },
        })}
        <button class="button submit" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>
          ${this.busy ? t('password:reset.submitting') : t('password:reset.submit')}
        </button>
      </form>
      <ul class="links">
        <li><a href="#/sign-in">${t('common:backToSignIn')}</a></li>
      </ul>
    `;
  }

  private renderDone() {
    return html`
      <h1 id="title" tabindex="-1">${t('password:reset.doneTitle')}</h1>
      <div class="notice" role="status">
        ${successIcon}
        <div><p>${t('password:reset.done')}</p></div>
      </div>
      <a class="button submit" href="#/sign-in">${t('password:reset.signIn')}</a>
    `;
  }

  private renderInvalid(reason: 'invalid_token' | 'token_expired') {
    return html`
      <h1 id="title" tabindex="-1">${t('password:reset.invalidTitle')}</h1>
      <div class="alert" role="alert">${alertIcon}<p>${t(`password:reset.${reason}`)}</p></div>
      <a class="button submit" href="#/forgot">${t('password:reset.requestNew')}</a>
      <ul class="links">
        <li><a href="#/sign-in">${t('common:backToSignIn')}</a></li>
      </ul>
    `;
  }

  override render() {
    const stage = this.stage;
    return html`
      <section class="card" aria-labelledby="title">
        ${stage === 'form' ? this.renderForm() : stage === 'done' ? this.renderDone() : this.renderInvalid(stage)}
      </section>
    `;
  }
}

customElements.define('hr-reset-password', HrResetPassword);

declare global {
  interface HTMLElementTagNameMap {
    'hr-reset-password': HrResetPassword;
  }
}
