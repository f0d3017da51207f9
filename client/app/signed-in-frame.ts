/**
 * The parts of `<hr-app>`'s page shown only while someone is signed in: who is signed in (and,
 * for a family, which child the tabs show) with Sign out, the families' or staff's tabs, and the
 * idle warning of a shared computer. Rendered by `<hr-app>` into its own shadow root, with these
 * styles added to it when the signed-in shell (this module's chunk) arrives: the sign-in screen
 * carries neither the templates nor their styles.
 */
import { css, html, nothing } from 'lit';
import '../components/hr-portal-nav.ts';
import '../components/hr-staff-nav.ts';
import { PORTAL_TABS, type PortalTab } from '../components/hr-portal-nav.ts';
import type { Me } from '../../server/contract/auth.ts';
import { selectedStudentId } from '../data/selected-student.ts';
import { signOut } from '../data/session.ts';
import { t } from './i18n.ts';
import type { IdleSignOutController } from './idle-sign-out.ts';
import { homeView, isViewName, type ViewName } from './views.ts';

export const signedInStyles = css`
  .session {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: flex-end;
    gap: var(--hr-space-2) var(--hr-space-3);
    max-width: var(--hr-content-width);
    margin: 0 auto;
    padding: 0 var(--hr-space-4) var(--hr-space-2);
    font-size: var(--hr-font-size-small);
  }
  .session .who {
    flex: 1 1 12rem;
    min-width: 0;
    margin: 0;
    color: var(--hr-color-ink-muted);
    overflow-wrap: anywhere;
  }
  .session .who strong {
    color: var(--hr-color-ink);
  }
  .session .sign-out {
    min-height: 2.75rem;
    padding: var(--hr-space-2) var(--hr-space-4);
  }

  .idle-warning {
    position: fixed;
    inset: auto var(--hr-space-3) var(--hr-space-3);
    z-index: 20;
    max-width: 32rem;
    margin: 0 auto;
    padding: var(--hr-space-4);
    border: 2px solid var(--hr-color-brand);
    border-radius: var(--hr-radius);
    background: var(--hr-color-surface);
    box-shadow: 0 0.5rem 2rem rgb(0 0 0 / 25%);
  }
  .idle-warning p {
    margin: 0 0 var(--hr-space-3);
  }
  .idle-warning .countdown {
    font-size: var(--hr-font-size-large);
    font-weight: 700;
  }

  /* A printed schedule or report card carries the page's content only. */
  @media print {
    hr-portal-nav,
    hr-staff-nav,
    .idle-warning {
      display: none !important;
    }
  }
`;

const onSignOut = (): void => {
  void signOut();
};

/** Who is signed in (and, for a family, which child the tabs show), with Sign out one tap away. */
export function renderSessionBar(me: Me) {
  const name = `${me.person.preferredName || me.person.firstName} ${me.person.lastName}`;
  const childId = me.roles.includes('guardian') ? selectedStudentId(me.students.map((student) => student.id)) : undefined;
  const child = me.students.find((student) => student.id === childId);
  return html`
    <div class="session">
      <p class="who">
        <span>${t('shell:session.signedIn')}</span> <strong class="name">${name}</strong>${child
          ? html`<span aria-hidden="true"> · </span><span>${t('shell:session.student')}</span> <strong class="child">${child.firstName} ${child.lastName}</strong>`
          : nothing}
      </p>
      <button type="button" class="button secondary sign-out" @click=${onSignOut}>${t('shell:session.signOut')}</button>
    </div>
  `;
}

/** Families' and students' tabs on their signed-in screens; staff get their own workspace's. */
export function renderTabs(me: Me, view: ViewName) {
  const guardian = me.roles.includes('guardian');
  if (!guardian && !me.roles.includes('student')) return html`<hr-staff-nav .roles=${me.roles} current=${view === 'access-log' ? 'account' : view}></hr-staff-nav>`;
  const available: Partial<Record<PortalTab, string>> = {};
  for (const tab of PORTAL_TABS) if (isViewName(tab)) available[tab] = `#/${tab}`;
  const current = view === homeView ? 'today' : view === 'access-log' ? 'account' : view;
  return html`<hr-portal-nav .available=${available} current=${current} ?student=${!guardian}></hr-portal-nav>`;
}

/** Shown (and announced) before a shared computer signs out for want of use. */
export function renderIdleWarning(idle: IdleSignOutController) {
  const seconds = idle.secondsLeft;
  if (seconds === null) return nothing;
  return html`
    <div class="idle-warning">
      <p>${t('shell:idle.warning')}</p>
      <p class="countdown" aria-hidden="true">${t('shell:idle.countdown', { count: seconds })}</p>
      <button type="button" class="button stay" @click=${idle.stayed}>${t('shell:idle.stay')}</button>
    </div>
  `;
}
