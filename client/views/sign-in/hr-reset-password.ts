import { LitElement, html, nothing } from 'lit';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../server/contract/auth.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { t, type TranslationKey } from '../../app/i18n.ts';
import { cardStyles, formStyles } from '../../app/form-styles.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { hashParams } from '../../app/views.ts';
import { alertIcon, renderField, successIcon } from '../../components/form-field.ts';
import { renderNewPassword } from '../../components/new-password-field.ts';
import { resetPassword } from '../../data/auth.ts';
import { checkConfirmation, checkNewPassword } from '../../lib/password-rules.ts';

type Field = 'username' | 'code' | 'password' | 'confirm';
/** What the screen shows: the form, the new password saved, or a link that cannot be used. */
type Stage = 'form' | 'done' | 'invalid_token' | 'token_expired';
/** An e-mailed link (`#/reset?token=…`), or a code printed by the school typed with the username (`#/reset?code`). */
type Proof = 'link' | 'code';

const limits = { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH };

const failureMessages: Record<string, TranslationKey> = {
  rate_limited: 'common:errors.rate_limited',
  offline: 'common:errors.offline',
};

/**
 * @summary The page the e-mailed link opens (`#/reset?token=…`): a new password typed twice.
 * Says so plainly when the link was used already or has expired, with a way to get a new one.
 * With a letter from the school office (`#/reset?code`), the username and the printed code first.
 */
export class HrResetPassword extends LitElement {
  static override styles = [baseStyles, buttonStyles, cardStyles, formStyles];

  static override properties = {
    stage: { state: true },
    proof: { state: true },
    showPasswords: { state: true },
    errors: { state: true },
    failure: { state: true },
    busy: { state: true },
  };

  declare private stage: Stage;
  declare private proof: Proof;
  declare private showPasswords: boolean;
  declare private errors: Partial<Record<Field, TranslationKey>>;
  declare private failure: TranslationKey | undefined;
  declare private busy: boolean;

  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.stage = 'form';
    this.proof = 'link';
    this.showPasswords = false;
    this.errors = {};
    this.failure = undefined;
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Each visit may come from a different link.
    this.proof = hashParams(location.hash).has('code') ? 'code' : 'link';
    this.stage = this.token() || this.proof === 'code' ? 'form' : 'invalid_token';
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
    const username = this.value('username').trim();
    const code = this.value('code').trim();
    if (this.proof === 'code') {
      if (!username) errors.username = 'password:reset.code.username.required';
      if (!code) errors.code = 'password:reset.code.code.required';
    }
    const passwordProblem = checkNewPassword(password);
    if (passwordProblem === 'required') errors.password = 'password:new.required';
    else if (passwordProblem) errors.password = `password:errors.${passwordProblem}`;
    const confirmProblem = checkConfirmation(password, this.value('confirm'));
    if (confirmProblem === 'required') errors.confirm = 'password:confirm.required';
    else if (confirmProblem) errors.confirm = 'password:confirm.mismatch';
    this.errors = errors;
    const first = (['username', 'code', 'password', 'confirm'] as const).find((field) => errors[field]);
    if (first) {
      await this.focusOn(`#${first}`);
      return;
    }

    this.busy = true;
    this.showPasswords = false;
    const result = await resetPassword(this.proof === 'code' ? { username, code, password } : { token: this.token(), password });
    this.busy = false;
    if (result.ok) {
      this.stage = 'done';
      await this.focusOn('h1');
      return;
    }
    if (result.code === 'invalid_code' || result.code === 'code_expired') {
      this.errors = { code: `password:reset.code.${result.code}` };
      await this.focusOn('#code');
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
    const byCode = this.proof === 'code';
    return html`
      <h1 id="title" tabindex="-1">${byCode ? t('password:reset.code.title') : t('password:reset.title')}</h1>
      <p class="intro">${byCode ? t('password:reset.code.intro') : t('password:reset.intro')}</p>
      <div class="alert" role="alert">${this.failure ? html`${alertIcon}<p>${t(this.failure)}</p>` : nothing}</div>
      <form novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.onSubmit}>
        ${byCode
          ? html`${renderField({ id: 'username', label: t('password:reset.code.username.label'), autocomplete: 'username', error: error('username') })}
            ${renderField({ id: 'code', label: t('password:reset.code.code.label'), autocomplete: 'one-time-code', maxlength: 20, error: error('code') })}`
          : nothing}
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

  /** The same view stays on screen when only the hash's query changes: switch to the code form here. */
  private readonly onHaveCode = async (): Promise<void> => {
    this.proof = 'code';
    this.stage = 'form';
    this.errors = {};
    this.failure = undefined;
    await this.focusOn('h1');
  };

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
        <li><a href="#/reset?code" @click=${this.onHaveCode}>${t('password:reset.haveCode')}</a></li>
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
