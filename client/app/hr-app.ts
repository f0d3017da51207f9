import { LitElement, css, html, nothing } from 'lit';
import '../components/hr-language-picker.ts';
import type { SignInResponse } from '../data/auth.ts';
import { I18nController } from './i18n-controller.ts';
import { t } from './i18n.ts';
import { baseStyles } from './shared-styles.ts';
import { loadView, viewFromHash, type ViewDefinition, type ViewName } from './views.ts';

/**
 * @summary The app shell: skip link, header with the language picker, and the main
 * landmark showing the view named by the location hash.
 */
export class HrApp extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 100vh;
        background: linear-gradient(180deg, var(--hr-color-brand-soft) 0, var(--hr-color-canvas) 24rem);
      }

      .skip-link {
        position: absolute;
        top: var(--hr-space-2);
        left: var(--hr-space-2);
        z-index: 10;
        padding: var(--hr-space-2) var(--hr-space-4);
        border-radius: var(--hr-radius);
        background: var(--hr-color-surface);
        font-weight: 600;
        transform: translateY(-200%);
      }
      .skip-link:focus {
        transform: none;
      }

      header {
        background: var(--hr-color-surface);
        border-bottom: 1px solid var(--hr-color-border);
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        max-width: var(--hr-content-width);
        min-height: 4rem;
        margin: 0 auto;
        padding: var(--hr-space-2) var(--hr-space-4);
      }
      .brand {
        display: flex;
        align-items: center;
        margin-inline-end: var(--hr-space-4);
        color: var(--hr-color-ink);
        font-size: var(--hr-font-size-large);
        font-weight: 700;
        letter-spacing: -0.01em;
      }
      .brand svg {
        flex: none;
        width: 2.25rem;
        height: 2.25rem;
        margin-inline-end: var(--hr-space-3);
      }
      .tools {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
      }
      .offline {
        display: inline-flex;
        align-items: center;
        margin-inline-end: var(--hr-space-3);
        padding: var(--hr-space-1) var(--hr-space-3);
        border-radius: 999px;
        background: var(--hr-color-canvas);
        border: 1px solid var(--hr-color-field-border);
        color: var(--hr-color-ink);
        font-size: var(--hr-font-size-small);
        font-weight: 600;
      }
      .offline::before {
        content: '';
        width: 0.5rem;
        height: 0.5rem;
        margin-inline-end: var(--hr-space-2);
        border-radius: 50%;
        background: var(--hr-color-danger);
      }

      main {
        flex: 1;
        width: 100%;
        max-width: var(--hr-content-width);
        margin: 0 auto;
      }
      main:focus {
        outline: none;
      }
    `,
  ];

  static override properties = {
    view: { state: true },
    online: { state: true },
  };

  /** The view being shown, once its module and translations have loaded. */
  declare private view: ViewDefinition | undefined;
  declare private online: boolean;

  private readonly i18n = new I18nController(this);
  private readonly viewElements = new Map<string, HTMLElement>();
  private requestedView: ViewName | undefined;
  /** What the server answered at sign-in; the session module takes it over in a later step. */
  private session: SignInResponse | undefined;

  constructor() {
    super();
    this.view = undefined;
    this.online = navigator.onLine;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.route);
    window.addEventListener('online', this.updateOnline);
    window.addEventListener('offline', this.updateOnline);
    void this.route();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.route);
    window.removeEventListener('online', this.updateOnline);
    window.removeEventListener('offline', this.updateOnline);
  }

  private readonly route = async (): Promise<void> => {
    const name = viewFromHash(location.hash);
    this.requestedView = name;
    const view = await loadView(name);
    if (this.requestedView === name) this.view = view; // a later navigation wins
  };

  private readonly updateOnline = (): void => {
    this.online = navigator.onLine;
  };

  private viewElement(view: ViewDefinition): HTMLElement {
    let element = this.viewElements.get(view.tag);
    if (!element) {
      element = document.createElement(view.tag);
      this.viewElements.set(view.tag, element);
    }
    return element;
  }

  private onSignedIn(event: CustomEvent<SignInResponse>): void {
    this.session = event.detail;
  }

  private onSkipLink(event: Event): void {
    // The hash is the router's: move focus instead of following `#main`.
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  override updated(): void {
    if (this.view) document.title = t(this.view.title);
  }

  override render() {
    if (!this.view) return nothing;
    return html`
      <header>
        <a class="skip-link" href="#main" @click=${this.onSkipLink}>${t('common:skipToContent')}</a>
        <div class="bar">
          <div class="brand">
            <svg viewBox="0 0 512 512" aria-hidden="true" focusable="false">
              <rect width="512" height="512" rx="112" fill="#1d4e89" />
              <path d="M256 112 404 222V392H108V222Z" fill="#fff" stroke="#fff" stroke-width="28" stroke-linejoin="round" />
              <circle cx="256" cy="232" r="34" fill="#f4b740" />
              <path d="M214 406V330a42 42 0 0 1 84 0v76Z" fill="#1d4e89" />
            </svg>
            <span>${t('common:appName')}</span>
          </div>
          <div class="tools">
            <span role="status">
              ${this.online
                ? nothing
                : html`<span class="offline">
                    ${t('common:network.offline')}
                    <span class="visually-hidden">${t('common:network.offlineDetail')}</span>
                  </span>`}
            </span>
            <hr-language-picker compact></hr-language-picker>
          </div>
        </div>
      </header>
      <main id="main" tabindex="-1" @hr-signed-in=${this.onSignedIn}>${this.viewElement(this.view)}</main>
    `;
  }
}

customElements.define('hr-app', HrApp);

declare global {
  interface HTMLElementTagNameMap {
    'hr-app': HrApp;
  }
}
