import { LitElement, css, html, nothing } from 'lit';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../server/contract/auth.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { t, type TranslationKey } from '../../app/i18n.ts';
import { formStyles } from '../../app/form-styles.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { alertIcon, renderField, successIcon } from '../../components/form-field.ts';
import { renderNewPassword } from '../../components/new-password-field.ts';
import { changePassword } from '../../data/account.ts';
import { checkConfirmation, checkNewPassword } from '../../lib/password-rules.ts';

type Field = 'currentPassword' | 'newPassword' | 'confirmPassword';

const limits = { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH };
const fieldOrder: Field[] = ['currentPassword', 'newPassword', 'confirmPassword'];

const failureMessages: Record<string, TranslationKey> = {
  rate_limited: 'common:errors.rate_limited',
  offline: 'common:errors.offline',
};

/**
 * @summary "Change password" for the signed-in person: the current password, then the new
 * one twice. Other devices are signed out by the server; this one stays signed in.
 */
export class HrChangePassword extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    formStyles,
    css`
      :host {
        display: block;
      }
      h3 {
        margin: 0 0 var(--hr-space-3);
        font-size: var(--hr-font-size-large);
      }
    `,
  ];

  static override properties = {
    showPasswords: { state: true },
    errors: { state: true },
    failure: { state: true },
    changed: { state: true },
    busy: { state: true },
  };

  declare private showPasswords: boolean;
  declare private errors: Partial<Record<Field, TranslationKey>>;
  declare private failure: TranslationKey | undefined;
  /** The last submit changed the password. */
  declare private changed: boolean;
  declare private busy: boolean;

  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.showPasswords = false;
    this.errors = {};
    this.failure = undefined;
    this.changed = false;
    this.busy = false;
  }

  private input(name: Field): HTMLInputElement {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${name}`)!;
  }

  private async focusFirstError(): Promise<void> {
    await this.updateComplete;
    const first = fieldOrder.find((field) => this.errors[field]);
    if (first) this.input(first).focus();
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    this.failure = undefined;
    this.changed = false;
    const currentPassword = this.input('currentPassword').value;
    const newPassword = this.input('newPassword').value;
    const errors: Partial<Record<Field, TranslationKey>> = {};
    if (!currentPassword) errors.currentPassword = 'password:change.current.required';
    const problem = checkNewPassword(newPassword);
    if (problem === 'required') errors.newPassword = 'password:new.required';
    else if (problem) errors.newPassword = `password:errors.${problem}`;
    const confirmProblem = checkConfirmation(newPassword, this.input('confirmPassword').value);
    if (confirmProblem === 'required') errors.confirmPassword = 'password:confirm.required';
    else if (confirmProblem) errors.confirmPassword = 'password:confirm.mismatch';
    this.errors = errors;
    if (Object.keys(errors).length > 0) {
      await this.focusFirstError();
      return;
    }

    this.busy = true;
    this.showPasswords = false;
    const result = await changePassword({ currentPassword, newPassword });
    this.busy = false;
    if (result.ok) {
      for (const field of fieldOrder) this.input(field).value = '';
      this.changed = true;
      return;
    }
    if (result.code === 'password_incorrect') this.errors = { currentPassword: 'password:change.password_incorrect' };
    else if (result.code.startsWith('password_')) {
      this.errors = { newPassword: `password:errors.${result.code as 'password_too_short' | 'password_too_long' | 'password_common'}` };
    } else this.failure = failureMessages[result.code] ?? 'common:errors.generic';
    await this.focusFirstError();
  }

  override render() {
    const error = (field: Field) => (this.errors[field] ? t(this.errors[field], limits) : undefined);
    return html`
      <h3 id="change-password-title">${t('password:change.title')}</h3>
      <div class="alert" role="alert">${this.failure ? html`${alertIcon}<p>${t(this.failure)}</p>` : nothing}</div>
      <div role="status">
        ${this.changed ? html`<div class="notice">${successIcon}<p>${t('password:change.done')}</p></div>` : nothing}
      </div>
      <form
        novalidate
        aria-labelledby="change-password-title"
        aria-busy=${this.busy ? 'true' : 'false'}
        @submit=${this.onSubmit}
      >
        ${renderField({
          id: 'currentPassword',
          label: t('password:change.current.label'),
          type: this.showPasswords ? 'text' : 'password',
          autocomplete: 'current-password',
          error: error('currentPassword'),
        })}
        ${renderNewPassword({
          ids: { password: 'newPassword', confirm: 'confirmPassword' },
          labels: { password: t('password:new.label'), confirm: t('password:confirm.label') },
          errors: { password: error('newPassword'), confirm: error('confirmPassword') },
          shown: this.showPasswords,
          onShownChange: (event) => {
            this.showPasswords = (event.target as HTMLInputElement).checked;
          },
        })}
        <button class="button" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>
          ${this.busy ? t('password:change.submitting') : t('password:change.submit')}
        </button>
      </form>
    `;
  }
}

customElements.define('hr-change-password', HrChangePassword);

declare global {
  interface HTMLElementTagNameMap {
    'hr-change-password': HrChangePassword;
  }
}
