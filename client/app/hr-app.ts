import { LitElement, adoptStyles, css, html, nothing, supportsAdoptingStyleSheets, type CSSResult } from 'lit';
import '../components/hr-language-picker.ts';
import type { Me } from '../../server/contract/auth.ts';
import type { SessionResponse } from '../data/auth.ts';
import { currentMe, isSignedIn, onSignOutWipe, remembersAccount, restoreSession, startSession, subscribeSession, type SessionEvent } from '../data/session.ts';
import { currentKiosk, sharedSessionLeftBehind, startSharedDevice, subscribeKiosk } from '../data/shared-device.ts';
import { I18nController } from './i18n-controller.ts';
import type { IdleSignOutController } from './signed-in-shell.ts';
import { currentLanguage, initI18n, isLanguage, loadNamespaces, onLanguageChanged, setLanguage, t } from './i18n.ts';
import { baseStyles, buttonStyles } from './shared-styles.ts';
import { homeView, landingViewFor, loadView, redirectFor, signInView, viewFromHash, type ViewDefinition, type ViewName } from './views.ts';

/** How long the first screen waits for the refresh cookie to bring a session back. */
const restoreWaitMs = 2000;

type SignedInShell = typeof import('./signed-in-shell.ts');
let shellLoading: Promise<SignedInShell> | undefined;

/**
 * The signed-in half of the shell with its words (its own chunk and namespace: the sign-in screen
 * does without them), started
 * once: from then on it opens the account's records and remembers the account for offline.
 */
function loadSignedInShell(): Promise<SignedInShell> {
  shellLoading ??= Promise.all([import('./signed-in-shell.ts'), initI18n().then(() => loadNamespaces(['shell']))]).then(([shell]) => {
    shell.startSignedInShell();
    return shell;
  });
  shellLoading.catch(() => (shellLoading = undefined)); // a failed download is tried again
  return shellLoading;
}

/** Whether a session may be open for this browser: an account remembered here, or a shared computer's session. */
function mayHaveSession(): boolean {
  return isSignedIn() || remembersAccount() || sharedSessionLeftBehind();
}

/**
 * A screen for the signed out (sign-in, claim…), asked for by route, on a device that remembers no
 * session: shown at once, and what could change it (a kiosk, a session found after all) is asked
 * once it has painted.
 */
function signedOutScreenAskedFor(name: ViewName): boolean {
  return redirectFor(name, false) === undefined && location.hash.startsWith('#/') && !mayHaveSession();
}

/** Dispatched on `window` once the first screen has painted. */
export const firstScreenShown = 'hr-first-screen-shown';

let firstScreenPainted = false;
/** Resolves once the first screen has painted (at once after that). */
const firstScreenPaint = new Promise<void>((resolve) => window.addEventListener(firstScreenShown, () => resolve(), { once: true }));
function markFirstScreenShown(): void {
  if (firstScreenPainted) return;
  firstScreenPainted = true;
  window.dispatchEvent(new Event(firstScreenShown));
}
/** A first screen that never comes (its code failed to load) does not hold back what waits for it. */
const firstScreenWaitMs = 5000;

/**
 * Resolves once the page has shown content: its first contentful paint, reported when the frame is
 * on screen (a page never shown, in a background tab, waits for firstScreenWaitMs); where paints
 * are not reported (Safari before 14.1), a frame later.
 */
function contentPainted(): Promise<void> {
  return new Promise((resolve) => {
    if (!PerformanceObserver.supportedEntryTypes?.includes('paint')) return requestAnimationFrame(() => resolve());
    if (performance.getEntriesByName('first-contentful-paint').length > 0) return resolve();
    const observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName('first-contentful-paint').length === 0) return;
      observer.disconnect();
      resolve();
    });
    observer.observe({ type: 'paint', buffered: true });
  });
}

/**
 * A sign-out before the signed-in shell was needed (a kiosk's start, a shared session left
 * behind) still deletes any account's records an earlier visit left on the device; once the
 * shell runs, local-data.ts does (`homeroom-` is database.ts's DATABASE_PREFIX).
 */
onSignOutWipe(() =>
  shellLoading
    ? undefined
    : import('../data/indexed-db.ts').then(({ deleteIndexedDbs, RXDB_DEXIE_PREFIX }) => deleteIndexedDbs(`${RXDB_DEXIE_PREFIX}homeroom-`)),
);

/**
 * @summary The app shell: skip link, header with the language picker and who is signed in (with
 * Sign out), and the main landmark showing the view named by the location hash. It owns the route
 * guard: signed-in views send the signed out to sign-in (on a kiosk, to its start screen), and
 * sign-in sends the signed in to their home view. On shared computers it signs out when idle.
 */
export class HrApp extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
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

      /* A printed schedule or report card carries the page's content only (signed-in-frame.ts hides the tabs). */
      @media print {
        :host {
          background: none;
        }
        header {
          display: none !important;
        }
      }
    `,
  ];

  static override properties = {
    view: { state: true },
    online: { state: true },
    shell: { state: true },
  };

  /** The view being shown, once its module and translations have loaded. */
  declare private view: ViewDefinition | undefined;
  declare private online: boolean;
  /** The signed-in half of the shell, once someone has signed in (or this device remembers who did). */
  declare private shell: SignedInShell | undefined;

  private readonly i18n = new I18nController(this);
  private idle: IdleSignOutController | undefined;
  /** One element per view, kept while the same person is signed in (they hold form state). */
  private readonly viewElements = new Map<string, HTMLElement>();
  private requestedView: ViewName | undefined;
  private currentView: ViewName | undefined;
  /** Settles once the first attempt to restore a session has answered (or taken too long). */
  private sessionChecked: Promise<unknown> = Promise.resolve();
  private unsubscribeSession: (() => void) | undefined;
  private unsubscribeKiosk: (() => void) | undefined;
  private unsubscribeStudent: (() => void) | undefined;
  private unsubscribeLanguage: (() => void) | undefined;

  constructor() {
    super();
    this.view = undefined;
    this.online = navigator.onLine;
    this.shell = undefined;
  }

  /** Loads the signed-in half of the shell and wires it to this element (once). */
  private useSignedInShell(): Promise<SignedInShell> {
    return loadSignedInShell().then((shell) => {
      if (!this.shell) {
        this.addStyles(shell.signedInStyles);
        this.shell = shell;
        this.idle = new shell.IdleSignOutController(this);
        this.unsubscribeStudent = shell.subscribeSelectedStudent(() => this.requestUpdate());
      }
      return shell;
    });
  }

  /** Adds the signed-in parts' styles (they come with the shell) to those this element started with. */
  private addStyles(styles: CSSResult): void {
    const root = this.renderRoot as ShadowRoot;
    if (supportsAdoptingStyleSheets && styles.styleSheet) root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles.styleSheet];
    else adoptStyles(root, [styles]); // Safari before 16.4: one more <style>, after the element's own
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.route);
    window.addEventListener('online', this.updateOnline);
    window.addEventListener('offline', this.updateOnline);
    this.unsubscribeLanguage = onLanguageChanged(this.onLanguageChanged);
    this.unsubscribeSession = subscribeSession(this.onSession);
    this.unsubscribeKiosk = subscribeKiosk(() => this.requestUpdate());
    if (this.shell) this.unsubscribeStudent = this.shell.subscribeSelectedStudent(() => this.requestUpdate());
    // The signed-in account's records are opened after sign-in and removed at sign-out, by the
    // signed-in half of the shell, loaded with the first session (onSession).
    if (isSignedIn()) void this.useSignedInShell();
    // Is this a kiosk, and did a shared computer's session stay behind? Settled before any restore.
    setTimeout(markFirstScreenShown, firstScreenWaitMs);
    const askedFirst = signedOutScreenAskedFor(viewFromHash(location.hash)) ? firstScreenPaint : Promise.resolve();
    this.sessionChecked = askedFirst.then(startSharedDevice).then(() => {
      if (isSignedIn()) return undefined;
      // The refresh cookie survives reloads: ask once, silently, before choosing the first screen
      // (with no network, the account this device remembers opens on its own records).
      const restored = remembersAccount() ? this.useSignedInShell().then((shell) => shell.restoreOrResumeOffline()) : restoreSession();
      return Promise.race([restored, new Promise((resolve) => setTimeout(resolve, restoreWaitMs))]);
    });
    void this.route();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.route);
    window.removeEventListener('online', this.updateOnline);
    window.removeEventListener('offline', this.updateOnline);
    this.unsubscribeLanguage?.();
    this.unsubscribeSession?.();
    this.unsubscribeKiosk?.();
    this.unsubscribeStudent?.();
  }

  /** Where the signed out start: a kiosk's start screen, or sign-in. */
  private startView(): ViewName {
    return currentKiosk() ? 'kiosk' : signInView;
  }

  private readonly route = async (): Promise<void> => {
    const name = viewFromHash(location.hash);
    this.requestedView = name;
    const [view] = await Promise.all([
      loadView(name),
      // A screen for the signed out, asked for by name, on a device that remembers no session:
      // shown without waiting for the server to confirm that (a session found after all moves
      // on to the home screen, onSession). Otherwise the answer decides what to show.
      signedOutScreenAskedFor(name)
        ? undefined
        : // Signed in: the tabs and the records come with the screen, not after it.
          this.sessionChecked.then(() => (isSignedIn() ? this.useSignedInShell().catch((error: unknown) => console.error('Homeroom: the signed-in shell could not load', error)) : undefined)),
    ]);
    if (this.requestedView !== name) return; // a later navigation wins
    // Staff land on their own workspace rather than the families' home screen; a kiosk's
    // signed-out visitors on its start screen.
    const guarded = redirectFor(name, isSignedIn());
    const kioskStart = !isSignedIn() && currentKiosk() && !location.hash.startsWith('#/') ? this.startView() : undefined;
    const redirect =
      (guarded === signInView ? this.startView() : guarded) ??
      kioskStart ??
      ((name === 'home' || name === homeView) && landingViewFor(currentMe()) !== homeView ? landingViewFor(currentMe()) : undefined);
    if (redirect) {
      this.go(redirect);
      return;
    }
    const firstView = this.view === undefined;
    this.currentView = name;
    this.view = view;
    if (firstView) {
      // Once it is on screen, what waited for it may start: the kiosk and session checks of a
      // signed-out screen, the service worker, the manifest (main.ts).
      await this.updateComplete;
      await (this.renderRoot.querySelector('main')?.firstElementChild as Partial<LitElement> | null)?.updateComplete;
      await contentPainted();
      requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(markFirstScreenShown)));
    } else {
      // A new screen: start reading (and tabbing) from its top, as a page load would.
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('main')?.focus();
    }
  };

  /** Navigates without a history entry: the screen left behind would only redirect back. */
  private go(name: ViewName): void {
    if (viewFromHash(location.hash) === name && location.hash.startsWith('#/')) void this.route();
    else location.replace(`#/${name}`);
  }

  private readonly updateOnline = (): void => {
    this.online = navigator.onLine;
  };

  private readonly onSession = (me: Me | undefined, event: SessionEvent): void => {
    if (event === 'updated') return;
    // Nothing of the previous person stays in the page: not their screens, not typed passwords.
    this.viewElements.clear();
    if (me) {
      void this.useSignedInShell();
      void this.useAccountLanguage(me);
    }
    const current = this.currentView ?? viewFromHash(location.hash);
    if (event === 'signed-in') this.go(landingViewFor(me));
    else if (event === 'signed-out' && currentKiosk()) this.go('kiosk');
    else if (redirectFor(current, me !== undefined)) this.go(event === 'signed-out' ? this.startView() : homeView);
    else this.requestUpdate();
  };

  /** After sign-in the screens speak the language saved with the account. */
  private async useAccountLanguage(me: Me): Promise<void> {
    if (isLanguage(me.account.language) && me.account.language !== currentLanguage()) await setLanguage(me.account.language);
  }

  /** A language chosen while signed in is saved with the account (e-mails use it too). */
  private readonly onLanguageChanged = (): void => {
    const me = currentMe();
    const language = currentLanguage();
    if (me && me.account.language !== language) void this.saveLanguage(language);
  };

  private async saveLanguage(language: Me['account']['language']): Promise<void> {
    await (await this.useSignedInShell()).saveLanguage(language);
  }

  private viewElement(view: ViewDefinition): HTMLElement {
    let element = this.viewElements.get(view.tag);
    if (!element) {
      element = document.createElement(view.tag);
      this.viewElements.set(view.tag, element);
    }
    return element;
  }

  private onSignedIn(event: CustomEvent<SessionResponse>): void {
    startSession(event.detail);
  }

  /**
   * Claiming is the person's first visit: the language they read the claim screen in wins
   * over the one the school guessed for the letter, and is saved with the account.
   */
  private onAccountClaimed(event: CustomEvent<SessionResponse>): void {
    const language = currentLanguage();
    const { me } = event.detail;
    startSession({ ...event.detail, me: { ...me, account: { ...me.account, language } } });
    if (me.account.language !== language) void this.saveLanguage(language);
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
    const me = currentMe();
    const { shell, currentView: name } = this;
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
        ${me && shell ? shell.renderSessionBar(me) : nothing}
      </header>
      ${me && shell && name && this.view.access === 'signed-in' ? shell.renderTabs(me, name) : nothing}
      <main id="main" tabindex="-1" @hr-signed-in=${this.onSignedIn} @hr-account-claimed=${this.onAccountClaimed}>${this.viewElement(this.view)}</main>
      <div role="alert" aria-live="assertive">${this.idle && shell ? shell.renderIdleWarning(this.idle) : nothing}</div>
    `;
  }
}

customElements.define('hr-app', HrApp);

declare global {
  interface HTMLElementTagNameMap {
    'hr-app': HrApp;
  }
}
