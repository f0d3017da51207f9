import { LitElement, html } from 'lit';
import { I18nController } from '../app/i18n-controller.ts';
import { loadNamespaces, t, type Namespace, type TranslationKey } from '../app/i18n.ts';
import { baseStyles } from '../app/shared-styles.ts';
import { renderTabBar, tabBarStyles } from './tab-bar.ts';
import type { StaffRole, Tool } from '../../server/contract/roles.ts';
import { currentMe } from '../data/session.ts';

export interface StaffTab {
  /** The view the tab opens (a name in client/app/views.ts). */
  view: string;
  /** The tab's words; its namespace is loaded by the nav itself. */
  label: TranslationKey;
  /** A tool right the tab also needs (at any school), when the role alone is not enough. */
  tool?: Tool;
}

/**
 * Each staff role's tabs, in reading order. A person with several roles gets each tab once,
 * in the order of this map. Areas add their own entries (the office its approvals, …).
 */
export const STAFF_TABS: Partial<Record<StaffRole, StaffTab[]>> = {
  teacher: [
    { view: 'teacher', label: 'teacher:nav.teacher' },
    { view: 'gradebook', label: 'teacher:nav.gradebook' },
  ],
  office: [
    { view: 'office', label: 'office:title' },
    { view: 'student-records', label: 'office:nav.records' },
    { view: 'office-accounts', label: 'office:nav.accounts' },
    { view: 'office-grades', label: 'office:nav.grades', tool: 'grades_admin' },
    { view: 'office-announcements', label: 'office:nav.announcements' },
    { view: 'office-kiosks', label: 'kiosk:staff.title', tool: 'kiosks' },
  ],
  principal: [
    { view: 'office', label: 'office:title' },
    { view: 'student-records', label: 'office:nav.records' },
    { view: 'office-accounts', label: 'office:nav.accounts' },
    { view: 'office-grades', label: 'office:nav.grades', tool: 'grades_admin' },
    { view: 'office-announcements', label: 'office:nav.announcements' },
    { view: 'office-kiosks', label: 'kiosk:staff.title', tool: 'kiosks' },
    { view: 'admin', label: 'office:nav.admin' },
  ],
  district_admin: [
    { view: 'admin', label: 'office:nav.admin' },
    { view: 'district-words', label: 'admin:words.nav', tool: 'announcements' },
  ],
};

/** Every staff member reaches their account. */
const ACCOUNT_TAB: StaffTab = { view: 'account', label: 'teacher:nav.account' };

/** The tabs of someone holding `roles` and the tool rights `tools`, each once. */
export function staffTabsFor(roles: readonly string[], tools: readonly string[] = []): StaffTab[] {
  const tabs = new Map<string, StaffTab>();
  for (const [role, roleTabs] of Object.entries(STAFF_TABS)) {
    if (!roles.includes(role)) continue;
    for (const tab of roleTabs ?? []) if (!tabs.has(tab.view) && (!tab.tool || tools.includes(tab.tool))) tabs.set(tab.view, tab);
  }
  tabs.set(ACCOUNT_TAB.view, ACCOUNT_TAB);
  return [...tabs.values()];
}

/**
 * @summary Staff navigation: one link per tab of the person's roles, the current one marked
 * with `aria-current="page"`; scrolls sideways on a narrow phone, 44-pixel targets.
 *
 * @attr current - the view shown now
 * @prop roles - the signed-in person's roles
 */
export class HrStaffNav extends LitElement {
  static override properties = {
    current: { type: String },
    roles: { attribute: false },
    ready: { state: true },
  };

  declare current: string;
  /** The signed-in person's roles; their tabs are shown. */
  declare roles: readonly string[];
  declare private ready: boolean;

  static override styles = [baseStyles, tabBarStyles];

  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.current = '';
    this.roles = [];
    this.ready = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const namespaces = new Set<Namespace>();
    for (const tabs of Object.values(STAFF_TABS)) for (const tab of tabs ?? []) namespaces.add(tab.label.split(':')[0] as Namespace);
    namespaces.add(ACCOUNT_TAB.label.split(':')[0] as Namespace);
    void loadNamespaces([...namespaces]).then(() => {
      this.ready = true;
    });
  }

  override render() {
    void this.i18n;
    if (!this.ready) return html``;
    const tools = (currentMe()?.toolRights ?? []).map((right) => right.tool);
    return renderTabBar(
      t('teacher:nav.label'),
      staffTabsFor(this.roles, tools).map((tab) => ({ href: `#/${tab.view}`, text: t(tab.label), current: tab.view === this.current })),
    );
  }
}

customElements.define('hr-staff-nav', HrStaffNav);

declare global {
  interface HTMLElementTagNameMap {
    'hr-staff-nav': HrStaffNav;
  }
}
