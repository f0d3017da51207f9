import { LitElement, css, html, nothing } from 'lit';
import { EMAIL_MAX_LENGTH, isEmailAddress } from '../../../server/contract/auth.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { t, type TranslationKey } from '../../app/i18n.ts';
import { formStyles } from '../../app/form-styles.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { alertIcon, renderField, successIcon } from '../../components/form-field.ts';
import { changeEmail } from '../../data/account.ts';
import { currentMe } from '../../data/session.ts';

type Field = 'newEmail' | 'emailPassword';

const fieldOrder: Field[] = ['newEmail', 'emailPassword'];

const failureMessages: Record<string, TranslationKey> = {
  rate_limited: 'common:errors.rate_limited',
  offline: 'common:errors.offline',
};

/**
 * @summary The signed-in person's own e-mail address, changed at once (not an office request:
 * it is theirs, not the household's). Asks for the current password, since password reset
 * links go there; the server tells the previous address.
 */
export class HrChangeEmail extends LitElement {
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
      .current {
        overflow-wrap: anywhere;
      }
    `,
  ];

  static override properties = {
    errors: { state: true },
    failure: { state: true },
    done: { state: true },
    busy: { state: true },
  };

  declare private errors: Partial<Record<Field, TranslationKey>>;
  declare private failure: TranslationKey | undefined;
  /** What the last submit changed: the new address, and whether there was one before. */
  declare private done: { email: string; hadOne: boolean } | undefined;
  declare private busy: boolean;

  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.errors = {};
    this.failure = undefined;
    this.done = undefined;
    this.busy = false;
  }

  private input(name: Field): HTMLInputElement {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${name}`)!;
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    this.failure = undefined;
    this.done = undefined;
    const email = this.input('newEmail').value.trim();
    const currentPassword = this.input('emailPassword').value;
    const errors: Partial<Record<Field, TranslationKey>> = {};
    if (!email) errors.newEmail = 'account:email.required';
    else if (!isEmailAddress(email)) errors.newEmail = 'account:email.invalid';
    if (!currentPassword) errors.emailPassword = 'account:email.passwordRequired';
    this.errors = errors;
    if (Object.keys(errors).length === 0) {
      const hadOne = Boolean(currentMe()?.person.email);
      this.busy = true;
      const result = await changeEmail({ email, currentPassword });
      this.busy = false;
      if (result.ok) {
        for (const field of fieldOrder) this.input(field).value = '';
        this.done = { email, hadOne };
        return;
      }
      if (result.code === 'password_incorrect') this.errors = { emailPassword: 'account:email.passwordIncorrect' };
      else if (result.code === 'validation_failed') this.errors = { newEmail: 'account:email.invalid' };
      else this.failure = failureMessages[result.code] ?? 'common:errors.generic';
    }
    await this.updateComplete;
    const first = fieldOrder.find((field) => this.errors[field]);
    if (first) this.input(first).focus();
  }

  override render() {
    void this.i18n;
    const email = currentMe()?.person.email;
    const error = (field: Field) => (this.errors[field] ? t(this.errors[field]) : undefined);
    return html`
      <h3 id="change-email-title">${t('account:email.title')}</h3>
      <p class="current">${email ? t('account:email.current', { email }) : t('account:email.none')}</p>
      <div class="alert" role="alert">${this.failure ? html`${alertIcon}<p>${t(this.failure)}</p>` : nothing}</div>
      <div role="status">
        ${this.done
          ? html`<div class="notice">${successIcon}<p>${t(this.done.hadOne ? 'account:email.done' : 'account:email.doneFirst', { email: this.done.email })}</p></div>`
          : nothing}
      </div>
      <form novalidate aria-labelledby="change-email-title" aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.onSubmit}>
        ${renderField({
          id: 'newEmail',
          label: t('account:email.label'),
          type: 'email',
          autocomplete: 'email',
          inputmode: 'email',
          maxlength: EMAIL_MAX_LENGTH,
          hint: t('account:email.hint'),
          error: error('newEmail'),
        })}
        ${renderField({
          id: 'emailPassword',
          label: t('account:email.password'),
          type: 'password',
          autocomplete: 'current-password',
          error: error('emailPassword'),
        })}
        <button class="button" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>
          ${this.busy ? t('account:email.submitting') : t('account:email.submit')}
        </button>
      </form>
    `;
  }
}

customElements.define('hr-change-email', HrChangeEmail);
