import { LitElement, css, html, nothing } from 'lit';
import { I18nController } from '../../app/i18n-controller.ts';
import { currentLanguage, languageNames, languages, setLanguage, t, type Language, type TranslationKey } from '../../app/i18n.ts';
import { cardStyles, formStyles } from '../../app/form-styles.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { alertIcon, renderField } from '../../components/form-field.ts';
import { enrolWithCode, KioskController } from '../../data/shared-device.ts';

const enrolErrors = new Map<string, TranslationKey>([
  ['invalid_kiosk_code', 'kiosk:enrol.errors.invalid_kiosk_code'],
  ['rate_limited', 'kiosk:enrol.errors.rate_limited'],
  ['offline', 'kiosk:enrol.errors.offline'],
]);

/**
 * @summary A shared computer's start screen: the language first (four large buttons), then sign in
 * or set up an account, and what the computer keeps (nothing). On a browser that is not a kiosk,
 * the form where school staff type the one-time code that makes it one.
 */
export class HrKiosk extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    cardStyles,
    formStyles,
    css`
      .start {
        max-width: 40rem;
        margin: 0 auto;
        padding: var(--hr-space-5) var(--hr-space-4);
      }
      h1 {
        margin: 0;
        font-size: 2rem;
      }
      .at {
        margin: var(--hr-space-2) 0 var(--hr-space-5);
        color: var(--hr-color-ink-muted);
      }
      h2 {
        margin: var(--hr-space-5) 0 var(--hr-space-3);
        font-size: var(--hr-font-size-large);
      }
      .languages,
      .actions {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 13rem), 1fr));
        gap: var(--hr-space-3);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .languages button,
      .actions a {
        display: flex;
        align-items: center;
        justify-content: center;
        width: 100%;
        min-height: 4rem;
        font-size: 1.25rem;
        text-align: center;
      }
      .languages button[aria-pressed='true'] {
        outline: 3px solid var(--hr-color-brand);
        outline-offset: 2px;
      }
      .actions .hint {
        margin: var(--hr-space-2) 0 0;
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
      }
      .keeps-nothing {
        margin-top: var(--hr-space-5);
        padding: var(--hr-space-4);
        border-radius: var(--hr-radius);
        background: var(--hr-color-info-soft);
      }
      .keeps-nothing p {
        margin: 0;
      }
    `,
  ];

  static override properties = {
    busy: { state: true },
    failure: { state: true },
    codeMissing: { state: true },
  };

  declare private busy: boolean;
  /** Why the last code was refused, as a key (it follows a language change). */
  declare private failure: TranslationKey | undefined;
  declare private codeMissing: boolean;

  private readonly i18n = new I18nController(this);
  /** The screen can show before the server has said whether this browser is a kiosk (hr-app). */
  private readonly kiosk = new KioskController(this);

  constructor() {
    super();
    this.busy = false;
    this.failure = undefined;
    this.codeMissing = false;
  }

  private async chooseLanguage(language: Language): Promise<void> {
    await setLanguage(language);
  }

  private async onEnrol(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const input = this.renderRoot.querySelector<HTMLInputElement>('#code')!;
    const code = input.value.trim();
    this.failure = undefined;
    this.codeMissing = code === '';
    if (this.codeMissing) {
      await this.updateComplete;
      input.focus();
      return;
    }
    this.busy = true;
    const result = await enrolWithCode(code);
    this.busy = false;
    if (result.ok) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
      return;
    }
    this.failure = enrolErrors.get(result.code) ?? 'kiosk:enrol.errors.generic';
    await this.updateComplete;
    input.focus();
  }

  private renderStart(school: string, idleMinutes: number) {
    const language = currentLanguage();
    return html`
      <section class="start" aria-labelledby="kiosk-title">
        <h1 id="kiosk-title" tabindex="-1">${t('kiosk:start.heading')}</h1>
        <p class="at">${t('kiosk:start.at', { school })}</p>

        <h2 id="language-title">${t('kiosk:start.languageHeading')}</h2>
        <ul class="languages" aria-labelledby="language-title">
          ${languages.map(
            (code) => html`<li>
              <button type="button" class="button secondary" lang=${code} aria-pressed=${code === language ? 'true' : 'false'} @click=${() => this.chooseLanguage(code)}>
                ${languageNames[code]}
              </button>
            </li>`,
          )}
        </ul>

        <h2 id="actions-title">${t('kiosk:start.actionsHeading')}</h2>
        <ul class="actions" aria-labelledby="actions-title">
          <li><a class="button sign-in" href="#/sign-in">${t('kiosk:start.signIn')}</a></li>
          <li>
            <a class="button secondary claim" href="#/claim" aria-describedby="claim-hint">${t('kiosk:start.claim')}</a>
            <p class="hint" id="claim-hint">${t('kiosk:start.claimHint')}</p>
          </li>
        </ul>

        <div class="keeps-nothing">
          <p>${t('kiosk:start.keepsNothing', { count: idleMinutes })}</p>
        </div>
      </section>
    `;
  }

  private renderEnrol() {
    return html`
      <section class="card" aria-labelledby="kiosk-title">
        <h1 id="kiosk-title" tabindex="-1">${t('kiosk:enrol.heading')}</h1>
        <p class="intro">${t('kiosk:enrol.intro')}</p>
        <div class="alert" role="alert">${this.failure ? html`${alertIcon}<p>${t(this.failure)}</p>` : nothing}</div>
        <form novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.onEnrol}>
          ${renderField({
            id: 'code',
            label: t('kiosk:enrol.code'),
            hint: t('kiosk:enrol.codeHint'),
            autocomplete: 'off',
            maxlength: 20,
            error: this.codeMissing ? t('kiosk:enrol.required') : undefined,
          })}
          <button class="button submit" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>
            ${this.busy ? t('kiosk:enrol.submitting') : t('kiosk:enrol.submit')}
          </button>
        </form>
        <ul class="links">
          <li><a href="#/sign-in">${t('common:backToSignIn')}</a></li>
        </ul>
      </section>
    `;
  }

  override render() {
    const kiosk = this.kiosk.value;
    return kiosk ? this.renderStart(kiosk.schoolName, kiosk.idleMinutes) : this.renderEnrol();
  }
}

customElements.define('hr-kiosk', HrKiosk);

declare global {
  interface HTMLElementTagNameMap {
    'hr-kiosk': HrKiosk;
  }
}
