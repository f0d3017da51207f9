import { LitElement, css, html, nothing } from 'lit';
import { I18nController } from '../../app/i18n-controller.ts';
import { loadNamespaces, t, type TranslationKey } from '../../app/i18n.ts';
import { cardStyles, formStyles } from '../../app/form-styles.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { alertIcon, renderField } from '../../components/form-field.ts';
import { isSecondFactorChallenge, signIn, type SecondFactorChallenge, type SessionResponse } from '../../data/auth.ts';
import { isInstalledApp, isOwnDeviceOf, KioskController, rememberOwnDevice } from '../../data/shared-device.ts';

type Field = 'username' | 'password';

/** Server error codes with a message of their own; any other code gets the generic one. */
const errorMessages = new Map<string, TranslationKey>([
  ['invalid_credentials', 'signin:errors.invalid_credentials'],
  ['account_disabled', 'signin:errors.account_disabled'],
  ['rate_limited', 'signin:errors.rate_limited'],
  ['server_busy', 'signin:errors.server_busy'],
  ['validation_failed', 'signin:errors.validation_failed'],
  ['offline', 'signin:errors.offline'],
]);

const requiredMessages: Record<Field, TranslationKey> = {
  username: 'signin:username.required',
  password: 'signin:password.required',
};

/** The answer to "Is this your own device?": undefined until given (or known). */
type DeviceAnswer = 'own' | 'shared' | undefined;

/**
 * @summary The sign-in screen: username and password, "Is this your own device?" (a shared
 * computer signs out when left and keeps nothing; an enrolled kiosk does not ask), and links to
 * claim an account or reset a password.
 * @event hr-signed-in - The server accepted the credentials; `detail` is its `SessionResponse`.
 */
export class HrSignIn extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    cardStyles,
    formStyles,
    css`
      .show-password {
        margin-top: calc(-1 * var(--hr-space-2));
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

      fieldset.device {
        margin: 0 0 var(--hr-space-4);
        padding: 0;
        border: 0;
      }
      fieldset.device legend {
        margin-bottom: var(--hr-space-2);
        padding: 0;
        font-weight: 600;
      }
      fieldset.device .check {
        margin-bottom: var(--hr-space-2);
      }
      fieldset.device .hint {
        margin: 0 0 var(--hr-space-2) 2.25rem;
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
      }
    `,
  ];

  static override properties = {
    busy: { state: true },
    showPassword: { state: true },
    fieldErrors: { state: true },
    failure: { state: true },
    device: { state: true },
    deviceMissing: { state: true },
    secondStep: { state: true },
  };

  /** A sign-in request is on its way; further submits are ignored. */
  declare private busy: boolean;
  declare private showPassword: boolean;
  /** Empty required fields from the last submit attempt. */
  declare private fieldErrors: Field[];
  /** The message for the last failed request, kept as a key so it follows language changes. */
  declare private failure: TranslationKey | undefined;
  /** Whose device this is, as the person said (an installed app is theirs; nobody is asked on a kiosk). */
  declare private device: DeviceAnswer;
  declare private deviceMissing: boolean;
  /** The password was right and a second factor must follow (hr-second-factor shows it). */
  declare private secondStep: { challenge: SecondFactorChallenge; username: string; shared: boolean; kiosk: boolean } | undefined;

  private readonly i18n = new I18nController(this);
  /** The screen can show before the server has said whether this browser is a kiosk (hr-app). */
  private readonly kiosk = new KioskController(this);

  constructor() {
    super();
    this.busy = false;
    this.showPassword = false;
    this.fieldErrors = [];
    this.failure = undefined;
    this.device = isInstalledApp() ? 'own' : undefined;
    this.deviceMissing = false;
    this.secondStep = undefined;
  }

  /** Someone who called this browser their own before finds the answer given. */
  private readonly onUsernameChange = async (): Promise<void> => {
    if (this.device !== undefined) return;
    if (await isOwnDeviceOf(this.field('username').value)) this.device = this.device ?? 'own';
  };

  private onDeviceChange(event: Event): void {
    this.device = (event.target as HTMLInputElement).value === 'shared' ? 'shared' : 'own';
    this.deviceMissing = false;
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
    const kiosk = this.kiosk.value !== null;
    this.deviceMissing = !kiosk && this.device === undefined;
    const [firstInvalid] = this.fieldErrors;
    if (firstInvalid || this.deviceMissing) {
      await this.updateComplete;
      // Focus reads the field's error aloud: it is the field's description.
      if (firstInvalid) this.field(firstInvalid).focus();
      else this.renderRoot.querySelector<HTMLInputElement>('#device-own')?.focus();
      return;
    }

    this.busy = true;
    this.showPassword = false;
    const shared = kiosk || this.device === 'shared';
    const result = await signIn({ username, password, sharedDevice: shared });
    if (result.ok) {
      const answer = result.body;
      if (isSecondFactorChallenge(answer)) {
        // The second step: its element and its words are loaded only by those who need it (staff, mostly).
        await Promise.all([import('./hr-second-factor.ts'), loadNamespaces(['second-factor'])]);
        this.busy = false;
        this.secondStep = { challenge: answer, username, shared, kiosk };
        return;
      }
      this.busy = false;
      await this.signedIn(answer, username, shared, kiosk);
      return;
    }
    this.busy = false;
    this.failure =
      result.code === 'account_disabled' && result.details?.reason === 'lockout'
        ? 'signin:errors.locked'
        : (errorMessages.get(result.code) ?? 'signin:errors.generic');
    if (result.code === 'invalid_credentials') {
      this.field('password').value = '';
      await this.updateComplete;
      this.field('password').focus();
    }
  }

  private async signedIn(session: SessionResponse, username: string, shared: boolean, kiosk: boolean): Promise<void> {
    if (!kiosk) await rememberOwnDevice(username, !shared);
    this.dispatchEvent(new CustomEvent('hr-signed-in', { detail: session, bubbles: true, composed: true }));
  }

  private async onSecondFactorPassed(event: CustomEvent<SessionResponse>): Promise<void> {
    event.stopPropagation();
    const step = this.secondStep;
    if (step) await this.signedIn(event.detail, step.username, step.shared, step.kiosk);
  }

  /** Back to the password (the challenge ran out, or the person chose to start again). */
  private async onSecondFactorRestart(event: CustomEvent<TranslationKey | undefined>): Promise<void> {
    event.stopPropagation();
    const username = this.secondStep?.username ?? '';
    this.secondStep = undefined;
    this.failure = event.detail;
    await this.updateComplete;
    this.field('username').value = username;
    this.field('password').focus();
  }

  private renderField(name: Field, label: string, type: 'text' | 'password', autocomplete: string) {
    return renderField({
      id: name,
      label,
      type,
      autocomplete,
      error: this.fieldErrors.includes(name) ? t(requiredMessages[name]) : undefined,
      ...(name === 'username' ? { onInput: () => void this.onUsernameChange() } : {}),
    });
  }

  /** "Is this your own device?" — not asked on an enrolled kiosk, which is shared whatever anyone says. */
  private renderDeviceQuestion() {
    if (this.kiosk.value) return nothing;
    const error = this.deviceMissing ? html`<p id="device-error" class="field-error">${alertIcon}<span>${t('signin:device.required')}</span></p>` : nothing;
    return html`
      <fieldset class="device" aria-describedby=${this.deviceMissing ? 'device-error' : nothing}>
        <legend>${t('signin:device.legend')}</legend>
        ${error}
        <div class="check">
          <input id="device-own" type="radio" name="device" value="own" .checked=${this.device === 'own'} @change=${this.onDeviceChange} />
          <label for="device-own">${t('signin:device.yes')}</label>
        </div>
        <div class="check">
          <input id="device-shared" type="radio" name="device" value="shared" aria-describedby="device-shared-hint" .checked=${this.device === 'shared'} @change=${this.onDeviceChange} />
          <label for="device-shared">${t('signin:device.no')}</label>
        </div>
        <p class="hint" id="device-shared-hint">${t('signin:device.noHint')}</p>
      </fieldset>
    `;
  }

  override render() {
    const kiosk = this.kiosk.value;
    if (this.secondStep) {
      return html`<hr-second-factor
        .challenge=${this.secondStep.challenge}
        .sharedDevice=${this.secondStep.shared}
        @hr-second-factor-passed=${this.onSecondFactorPassed}
        @hr-second-factor-restart=${this.onSecondFactorRestart}
      ></hr-second-factor>`;
    }
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
          <div class="check show-password">
            <input
              id="show-password"
              type="checkbox"
              aria-controls="password"
              .checked=${this.showPassword}
              @change=${this.onShowPasswordChange}
            />
            <label for="show-password">${t('signin:password.show')}</label>
          </div>
          ${this.renderDeviceQuestion()}
          <button class="button submit" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>
            ${this.busy ? t('signin:submitting') : t('signin:submit')}
          </button>
        </form>

        <ul class="links">
          <li><a href="#/forgot">${t('signin:forgot')}</a></li>
          <li><a href="#/claim">${t('signin:claim')}</a></li>
          ${kiosk ? html`<li><a href="#/kiosk">${t('signin:backToStart')}</a></li>` : nothing}
        </ul>
      </section>

      <div class="shared-computer">
        <svg class="icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M3 3.5A1.5 1.5 0 0 1 4.5 2h11A1.5 1.5 0 0 1 17 3.5v8a1.5 1.5 0 0 1-1.5 1.5H12l.5 2h1.25a.75.75 0 0 1 0 1.5h-7.5a.75.75 0 0 1 0-1.5H7.5l.5-2H4.5A1.5 1.5 0 0 1 3 11.5v-8zm1.5 0v8h11v-8h-11z"
          />
        </svg>
        <p>${kiosk ? t('signin:kioskNote') : t('signin:sharedComputer')}</p>
      </div>
    `;
  }
}

customElements.define('hr-sign-in', HrSignIn);

declare global {
  interface GlobalEventHandlersEventMap {
    'hr-signed-in': CustomEvent<SessionResponse>;
  }
  interface HTMLElementTagNameMap {
    'hr-sign-in': HrSignIn;
  }
}
