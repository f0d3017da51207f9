import { LitElement, html, nothing } from 'lit';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from '../../../server/contract/auth.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { t, type TranslationKey } from '../../app/i18n.ts';
import { cardStyles, formStyles } from '../../app/form-styles.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { alertIcon, renderField } from '../../components/form-field.ts';
import { renderNewPassword } from '../../components/new-password-field.ts';
import { claimAccount, type SessionResponse } from '../../data/auth.ts';
import { formatActivationKey, formattedCaret, normalizeActivationKey } from '../../lib/activation-key.ts';
import { checkConfirmation, checkNewPassword } from '../../lib/password-rules.ts';

type Field = 'key' | 'studentNumber' | 'birthDate' | 'username' | 'password' | 'confirm';
type FieldErrors = Partial<Record<Field, TranslationKey>>;

const fieldOrder: Field[] = ['key', 'studentNumber', 'birthDate', 'username', 'password', 'confirm'];
// Non-breaking hyphens (U+2011): the example never splits across lines.
const keyExample = 'XXXX\u2011XXXX\u2011XXXX';
/** Numbers the password messages mention. */
const limits = { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH };

/** Server codes that belong to one field; the rest are shown above the form. */
const fieldOfCode: Record<string, Field> = {
  invalid_key: 'key',
  key_expired: 'key',
  username_taken: 'username',
  username_invalid: 'username',
  password_too_short: 'password',
  password_too_long: 'password',
  password_common: 'password',
};

const formMessages: Record<string, TranslationKey> = {
  rate_limited: 'common:errors.rate_limited',
  validation_failed: 'common:errors.validation_failed',
  offline: 'common:errors.offline',
};

/**
 * @summary "Claim your account": the activation key from the printed letter (and, for
 * students, their student number and birth date), then a username and a password.
 * @event hr-account-claimed - The account was claimed and signed in; `detail` is the `SessionResponse`.
 */
export class HrClaimAccount extends LitElement {
  static override styles = [baseStyles, buttonStyles, cardStyles, formStyles];

  static override properties = {
    activationKey: { state: true },
    student: { state: true },
    showPasswords: { state: true },
    errors: { state: true },
    failure: { state: true },
    busy: { state: true },
  };

  /** The activation key as shown: upper case, grouped like the letter. */
  declare private activationKey: string;
  /** "I am a student" is ticked: the student number and birth date are asked too. */
  declare private student: boolean;
  declare private showPasswords: boolean;
  declare private errors: FieldErrors;
  /** A message about the whole form (offline, too many tries), kept as a key to follow the language. */
  declare private failure: TranslationKey | undefined;
  declare private busy: boolean;

  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.activationKey = '';
    this.student = false;
    this.showPasswords = false;
    this.errors = {};
    this.failure = undefined;
    this.busy = false;
  }

  private input(name: Field): HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${name}`);
  }

  private value(name: Field): string {
    return this.input(name)?.value ?? '';
  }

  private onKeyInput(event: InputEvent): void {
    const input = event.target as HTMLInputElement;
    const typed = input.value;
    const formatted = formatActivationKey(typed);
    if (formatted !== typed) {
      const caret = formattedCaret(typed, input.selectionStart ?? typed.length);
      input.value = formatted;
      input.setSelectionRange(caret, caret);
    }
    this.activationKey = formatted;
  }

  private onStudentChange(event: Event): void {
    this.student = (event.target as HTMLInputElement).checked;
    const { studentNumber, birthDate, ...rest } = this.errors;
    this.errors = rest;
  }

  private onShowPasswordsChange(event: Event): void {
    this.showPasswords = (event.target as HTMLInputElement).checked;
  }

  /** Everything that can be checked before asking the server. */
  private check(): FieldErrors {
    const errors: FieldErrors = {};
    if (!normalizeActivationKey(this.activationKey)) errors.key = 'claim:key.required';
    if (this.student) {
      if (!this.value('studentNumber').trim()) errors.studentNumber = 'claim:student.number.required';
      if (!this.value('birthDate')) errors.birthDate = 'claim:student.birthDate.required';
    }
    const username = this.value('username').trim();
    if (!username) errors.username = 'claim:username.required';
    else if (!USERNAME_PATTERN.test(username.normalize('NFKC'))) errors.username = 'claim:errors.username_invalid';
    const password = this.value('password');
    const passwordProblem = checkNewPassword(password);
    if (passwordProblem === 'required') errors.password = 'claim:password.required';
    else if (passwordProblem) errors.password = `password:errors.${passwordProblem}`;
    const confirmProblem = checkConfirmation(password, this.value('confirm'));
    if (confirmProblem === 'required') errors.confirm = 'claim:confirm.required';
    else if (confirmProblem) errors.confirm = 'password:confirm.mismatch';
    return errors;
  }

  private async focusFirstError(): Promise<void> {
    await this.updateComplete;
    const first = fieldOrder.find((field) => this.errors[field]);
    // Focus reads the field's error aloud: it is part of the field's description.
    if (first) this.input(first)?.focus();
  }

  private messageFor(code: string): { field: Field; key: TranslationKey } | { field: undefined; key: TranslationKey } {
    const field = fieldOfCode[code];
    if (code === 'invalid_key') return { field: 'key', key: this.student ? 'claim:errors.invalid_key_student' : 'claim:errors.invalid_key' };
    if (field === 'key' || field === 'username') return { field, key: `claim:errors.${code as 'key_expired' | 'username_taken' | 'username_invalid'}` };
    if (field === 'password') return { field, key: `password:errors.${code as 'password_too_short' | 'password_too_long' | 'password_common'}` };
    return { field: undefined, key: formMessages[code] ?? 'common:errors.generic' };
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    this.failure = undefined;
    this.errors = this.check();
    if (Object.keys(this.errors).length > 0) {
      await this.focusFirstError();
      return;
    }

    this.busy = true;
    this.showPasswords = false;
    const result = await claimAccount({
      key: this.activationKey,
      username: this.value('username').trim(),
      password: this.value('password'),
      ...(this.student ? { studentNumber: this.value('studentNumber').trim(), birthDate: this.value('birthDate') } : {}),
    });
    this.busy = false;
    if (result.ok) {
      this.dispatchEvent(new CustomEvent('hr-account-claimed', { detail: result.body, bubbles: true, composed: true }));
      return;
    }
    const message = this.messageFor(result.code);
    if (message.field) {
      this.errors = { [message.field]: message.key };
      await this.focusFirstError();
    } else {
      this.failure = message.key;
    }
  }

  private error(field: Field): string | undefined {
    const key = this.errors[field];
    return key ? t(key, limits) : undefined;
  }

  private renderStudentFields() {
    return html`
      <fieldset>
        <legend>${t('claim:student.legend')}</legend>
        ${renderField({
          id: 'studentNumber',
          label: t('claim:student.number.label'),
          autocomplete: 'off',
          inputmode: 'numeric',
          maxlength: 20,
          hint: t('claim:student.number.hint'),
          error: this.error('studentNumber'),
        })}
        ${renderField({
          id: 'birthDate',
          label: t('claim:student.birthDate.label'),
          type: 'date',
          autocomplete: 'bday',
          error: this.error('birthDate'),
        })}
      </fieldset>
    `;
  }

  override render() {
    return html`
      <section class="card" aria-labelledby="title">
        <h1 id="title">${t('claim:title')}</h1>
        <p class="intro">${t('claim:intro')}</p>

        <div class="alert" role="alert">${this.failure ? html`${alertIcon}<p>${t(this.failure)}</p>` : nothing}</div>

        <form novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.onSubmit}>
          ${renderField({
            id: 'key',
            label: t('claim:key.label'),
            autocomplete: 'off',
            hint: t('claim:key.hint', { example: keyExample }),
            error: this.error('key'),
            value: this.activationKey,
            maxlength: 64,
            onInput: (event) => this.onKeyInput(event),
          })}
          <div class="check">
            <input id="student" type="checkbox" .checked=${this.student} @change=${this.onStudentChange} />
            <label for="student">${t('claim:student.toggle')}</label>
          </div>
          ${this.student ? this.renderStudentFields() : nothing}

          <fieldset>
            <legend>${t('claim:signInDetails')}</legend>
            ${renderField({
              id: 'username',
              label: t('claim:username.label'),
              autocomplete: 'username',
              maxlength: 64,
              hint: t('claim:username.hint'),
              error: this.error('username'),
            })}
            ${renderNewPassword({
              ids: { password: 'password', confirm: 'confirm' },
              labels: { password: t('claim:password.label'), confirm: t('claim:confirm.label') },
              errors: { password: this.error('password'), confirm: this.error('confirm') },
              shown: this.showPasswords,
              onShownChange: (event) => this.onShowPasswordsChange(event),
            })}
          </fieldset>

          <button class="button submit" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>
            ${this.busy ? t('claim:submitting') : t('claim:submit')}
          </button>
        </form>

        <ul class="links">
          <li><a href="#/sign-in">${t('claim:haveAccount')}</a></li>
        </ul>
      </section>
    `;
  }
}

customElements.define('hr-claim-account', HrClaimAccount);

declare global {
  interface GlobalEventHandlersEventMap {
    'hr-account-claimed': CustomEvent<SessionResponse>;
  }
  interface HTMLElementTagNameMap {
    'hr-claim-account': HrClaimAccount;
  }
}
