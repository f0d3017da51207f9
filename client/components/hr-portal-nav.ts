import { LitElement } from 'lit';
import { I18nController } from '../app/i18n-controller.ts';
import { t, type TranslationKey } from '../app/i18n.ts';
import { baseStyles } from '../app/shared-styles.ts';
import { renderTabBar, tabBarStyles } from './tab-bar.ts';

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

  static override styles = [baseStyles, tabBarStyles];

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
    return renderTabBar(
      t('portal:nav.label'),
      tabs.map((tab) => ({ href: this.available[tab]!, text: t(`portal:nav.${tab}` as TranslationKey), current: tab === this.current })),
    );
  }
}

customElements.define('hr-portal-nav', HrPortalNav);

declare global {
  interface HTMLElementTagNameMap {
    'hr-portal-nav': HrPortalNav;
  }
}
