import { LitElement, css, html } from 'lit';
import { I18nController } from '../app/i18n-controller.ts';
import { t, type TranslationKey } from '../app/i18n.ts';
import { baseStyles } from '../app/shared-styles.ts';

/** The portal's tabs, in the order families read them. Views register under these names. */
export const PORTAL_TABS = ['today', 'schedule', 'grades', 'attendance', 'health', 'fees', 'reports', 'family', 'messages', 'account'] as const;
export type PortalTab = (typeof PORTAL_TABS)[number];

/** Tabs a student does not get: household administration is their guardians'. */
const GUARDIAN_ONLY: ReadonlySet<PortalTab> = new Set(['family']);

/**
 * @summary The portal's navigation: one link per tab, the current one marked with
 * `aria-current="page"`. Scrolls sideways on a narrow phone instead of wrapping into a wall
 * of links; every link is a 44-pixel target.
 *
 * @attr current - the tab shown now
 * @attr student - set for a student's own portal (no household tab)
 * @prop available - each tab's link
 */
export class HrPortalNav extends LitElement {
  static override properties = {
    current: { type: String },
    student: { type: Boolean },
    available: { attribute: false },
  };

  declare current: string;
  declare student: boolean;
  /** Where each tab goes; tabs missing here are not shown (a view not built or not allowed). */
  declare available: Partial<Record<PortalTab, string>>;

  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        background: var(--hr-color-surface);
        border-bottom: 1px solid var(--hr-color-border);
      }
      ul {
        display: flex;
        gap: var(--hr-space-1);
        margin: 0 auto;
        padding: 0 var(--hr-space-2);
        max-width: 64rem;
        list-style: none;
        overflow-x: auto;
        scrollbar-width: thin;
      }
      a {
        display: inline-flex;
        align-items: center;
        min-height: 2.75rem;
        padding: 0 var(--hr-space-3);
        white-space: nowrap;
        color: var(--hr-color-ink);
        text-decoration: none;
        border-bottom: 3px solid transparent;
      }
      a:hover {
        color: var(--hr-color-brand);
      }
      a[aria-current='page'] {
        color: var(--hr-color-brand);
        border-bottom-color: var(--hr-color-brand);
        font-weight: 600;
      }
      @media print {
        :host {
          display: none;
        }
      }
    `,
  ];

  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.current = '';
    this.student = false;
    this.available = {};
  }

  override render() {
    void this.i18n;
    const tabs = PORTAL_TABS.filter((tab) => this.available[tab] && !(this.student && GUARDIAN_ONLY.has(tab)));
    return html`
      <nav aria-label=${t('portal:nav.label')}>
        <ul>
          ${tabs.map(
            (tab) => html`<li><a href=${this.available[tab]!} aria-current=${tab === this.current ? 'page' : 'false'}>${t(`portal:nav.${tab}` as TranslationKey)}</a></li>`,
          )}
        </ul>
      </nav>
    `;
  }
}

customElements.define('hr-portal-nav', HrPortalNav);

declare global {
  interface HTMLElementTagNameMap {
    'hr-portal-nav': HrPortalNav;
  }
}
