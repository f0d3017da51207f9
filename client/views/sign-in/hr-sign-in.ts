import { LitElement, css, html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { I18nController } from '../../app/i18n-controller.ts';
import { t, type TranslationKey } from '../../app/i18n.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { signIn, type SignInResponse } from '../../data/auth.ts';

type Field = 'username' | 'password';

/** Server error codes with a message of their own; any other code gets the generic one. */
const errorMessages = new Map<string, TranslationKey>([
  ['invalid_credentials', 'signin:errors.invalid_credentials'],
  ['account_disabled', 'signin:errors.account_disabled'],
  ['rate_limited', 'signin:errors.rate_limited'],
  ['validation_failed', 'signin:errors.validation_failed'],
  ['offline', 'signin:errors.offline'],
]);

const requiredMessages: Record<Field, TranslationKey> = {
  username: 'signin:username.required',
  password: 'signin:password.required',
};

const alertIcon = html`<svg class="icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
  <path
    fill="currentColor"
    d="M10 1.5a8.5 8.5 0 1 1 0 17 8.5 8.5 0 0 1 0-17zm0 11.75a1.1 1.1 0 1 0 0 2.2 1.1 1.1 0 0 0 0-2.2zM10 4.9c-.7 0-1.2.6-1.15 1.3l.4 5.1a.75.75 0 0 0 1.5 0l.4-5.1c.05-.7-.45-1.3-1.15-1.3z"
  />
</svg>`;

/**
 * @summary The sign-in screen: username and password, links to claim an account or
 * reset a password, and a reminder for shared computers.
 * @event hr-signed-in - The server accepted the credentials; `detail` is its response body.
 */
export class HrSignIn extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    css`
      :host {
        display: block;
        padding: var(--hr-space-6) var(--hr-space-3) var(--hr-space-7);
      }

      .card {
        max-width: 28rem;
        margin: 0 auto;
        padding: var(--hr-space-6) var(--hr-space-5);
        background: var(--hr-color-surface);
        border: 1px solid var(--hr-color-border);
        border-radius: var(--hr-radius-large);
        box-shadow: var(--hr-shadow-card);
      }
      @media (min-width: 30rem) {
        .card {
          padding: var(--hr-space-6) var(--hr-space-6);
        }
      }

      h1 {
        margin: 0 0 var(--hr-space-2);
        font-size: var(--hr-font-size-title);
        line-height: 1.25;
        letter-spacing: -0.01em;
        color: var(--hr-color-ink);
      }
      .intro {
        margin: 0 0 var(--hr-space-5);
        color: var(--hr-color-ink-muted);
      }

      .alert:not(:empty) {
        display: flex;
        align-items: flex-start;
        margin-bottom: var(--hr-space-4);
        padding: var(--hr-space-3) var(--hr-space-4);
        border: 1px solid var(--hr-color-danger-border);
        border-left-width: 4px;
        border-left-color: var(--hr-color-danger);
        border-radius: var(--hr-radius);
        background: var(--hr-color-danger-soft);
        color: var(--hr-color-ink);
      }
      .alert .icon {
        color: var(--hr-color-danger);
        margin-top: 0.15em;
      }
      .alert p {
        margin: 0;
      }

      .icon {
        flex: none;
        width: 1.125rem;
        height: 1.125rem;
        margin-inline-end: var(--hr-space-2);
      }

      form {
        display: grid;
        grid-gap: var(--hr-space-4);
      }
      .field {
        display: grid;
        grid-gap: var(--hr-space-1);
      }
      label {
        font-weight: 600;
      }
      input[type='text'],
      input[type='password'] {
        width: 100%;
        min-height: var(--hr-target-size);
        padding: var(--hr-space-2) var(--hr-space-3);
        border: 1px solid var(--hr-color-field-border);
        border-radius: var(--hr-radius);
        background: var(--hr-color-surface);
        color: var(--hr-color-ink);
        font: inherit;
      }
      input[aria-invalid='true'] {
        border: 2px solid var(--hr-color-danger);
      }
      .field-error {
        display: flex;
        align-items: flex-start;
        margin: 0;
        color: var(--hr-color-danger);
        font-size: var(--hr-font-size-small);
        font-weight: 600;
      }
      .field-error .icon {
        margin-top: 0.1em;
      }

      .show-password {
        display: flex;
        align-items: center;
        min-height: var(--hr-target-size);
        margin-top: calc(-1 * var(--hr-space-2));
      }
      .show-password input {
        flex: none;
        width: 1.5rem;
        height: 1.5rem;
        margin: 0 var(--hr-space-2) 0 0;
        accent-color: var(--hr-color-brand);
      }
      .show-password label {
        font-weight: 400;
        cursor: pointer;
      }

      .submit {
        width: 100%;
      }

      .links {
        display: grid;
        margin: var(--hr-space-5) 0 0;
        padding: var(--hr-space-3) 0 0;
        border-top: 1px solid var(--hr-color-border);
        list-style: none;
      }
      .links a {
        display: inline-flex;
        align-items: center;
        min-height: var(--hr-target-size);
        padding: var(--hr-space-1) 0;
      }

      .shared-computer {
        display: flex;
        align-items: flex-start;
        max-width: 28rem;
        margin: var(--hr-space-5) auto 0;
        padding: var(--hr-space-3) var(--hr-space-4);
        border-radius: var(--hr-radius);
        background: var(--hr-color-info-soft);
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
      }
      .shared-computer .icon {
        color: var(--hr-color-brand);
        margin-top: 0.1em;
      }
      .shared-computer p {
        margin: 0;
      }
    `,
  ];

  static override properties = {
    busy: { state: true },
    showPassword: { state: true },
    fieldErrors: { state: true },
    failure: { state: true },
  };

  /** A sign-in request is on its way; further submits are ignored. */
  declare private busy: boolean;
  declare private showPassword: boolean;
  /** Empty required fields from the last submit attempt. */
  declare private fieldErrors: Field[];
  /** The message for the last failed request, kept as a key so it follows language changes. */
  declare private failure: TranslationKey | undefined;

  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.busy = false;
    this.showPassword = false;
    this.fieldErrors = [];
    this.failure = undefined;
  }

  private field(name: Field): HTMLInputElement {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${name}`)!;
  }

  private onShowPasswordChange(event: Event): void {
    this.showPassword = (event.target as HTMLInputElement).checked;
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const username = this.field('username').value.trim();
    const password = this.field('password').value;
    this.failure = undefined;
    this.fieldErrors = [username ? undefined : 'username', password ? undefined : 'password'].filter(
      (field): field is Field => field !== undefined,
    );
    const [firstInvalid] = this.fieldErrors;
    if (firstInvalid) {
      await this.updateComplete;
      // Focus reads the field's error aloud: it is the field's description.
      this.field(firstInvalid).focus();
      return;
    }

    this.busy = true;
    this.showPassword = false;
    const result = await signIn({ username, password });
    this.busy = false;
    if (result.ok) {
      this.dispatchEvent(
        new CustomEvent('hr-signed-in', { detail: result.body, bubbles: true, composed: true }),
      );
      return;
    }
    this.failure = errorMessages.get(result.code) ?? 'signin:errors.generic';
    if (result.code === 'invalid_credentials') {
      this.field('password').value = '';
      await this.updateComplete;
      this.field('password').focus();
    }
  }

  private renderField(name: Field, label: string, type: string, autocomplete: string) {
    const invalid = this.fieldErrors.includes(name);
    return html`
      <div class="field">
        <label for=${name}>${label}</label>
        <input
          id=${name}
          name=${name}
          type=${type}
          autocomplete=${autocomplete}
          autocapitalize="none"
          spellcheck="false"
          required
          aria-invalid=${invalid ? 'true' : 'false'}
          aria-describedby=${ifDefined(invalid ? `${name}-error` : undefined)}
        />
        ${invalid
          ? html`<p id="${name}-error" class="field-error">${alertIcon}<span>${t(requiredMessages[name])}</span></p>`
          : nothing}
      </div>
    `;
  }

  override render() {
    return html`
      <section class="card" aria-labelledby="title">
        <h1 id="title">${t('signin:title')}</h1>
        <p class="intro">${t('signin:intro')}</p>

        <div class="alert" role="alert">${this.failure ? html`${alertIcon}<p>${t(this.failure)}</p>` : nothing}</div>

        <form novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.onSubmit}>
          ${this.renderField('username', t('signin:username.label'), 'text', 'username')}
          ${this.renderField(
            'password',
            t('signin:password.label'),
            this.showPassword ? 'text' : 'password',
            'current-password',
          )}
          <div class="show-password">
            <input
              id="show-password"
              type="checkbox"
              aria-controls="password"
              .checked=${this.showPassword}
              @change=${this.onShowPasswordChange}
            />
            <label for="show-password">${t('signin:password.show')}</label>
          </div>
          <button class="button submit" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>
            ${this.busy ? t('signin:submitting') : t('signin:submit')}
          </button>
        </form>

        <ul class="links">
          <li><a href="#/forgot">${t('signin:forgot')}</a></li>
          <li><a href="#/claim">${t('signin:claim')}</a></li>
        </ul>
      </section>

      <div class="shared-computer">
        <svg class="icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M3 3.5A1.5 1.5 0 0 1 4.5 2h11A1.5 1.5 0 0 1 17 3.5v8a1.5 1.5 0 0 1-1.5 1.5H12l.5 2h1.25a.75.75 0 0 1 0 1.5h-7.5a.75.75 0 0 1 0-1.5H7.5l.5-2H4.5A1.5 1.5 0 0 1 3 11.5v-8zm1.5 0v8h11v-8h-11z"
          />
        </svg>
        <p>${t('signin:sharedComputer')}</p>
      </div>
    `;
  }
}

customElements.define('hr-sign-in', HrSignIn);

declare global {
  interface GlobalEventHandlersEventMap {
    'hr-signed-in': CustomEvent<SignInResponse>;
  }
  interface HTMLElementTagNameMap {
    'hr-sign-in': HrSignIn;
  }
}
