import { expect } from 'chai';
import en from '../../locales/en/portal.json';
import { subscribeSelectedStudent } from '../data/selected-student.ts';
import { currentMe } from '../data/session.ts';
import { demoPassword, expectNoAxeViolations } from '../test/api.ts';
import { mountApp, signInThroughApp, useAppAgainstApi, viewOf } from '../test/app.ts';
import { textOf, waitFor } from '../test/dom.ts';
import { describe, it } from '../test/mocha.ts';
import type { HrApp } from '../app/hr-app.ts';
import type { HrPortalNav } from './hr-portal-nav.ts';
import type { HrStudentSwitcher } from './hr-student-switcher.ts';
import './hr-student-switcher.ts';
import { useOwnDistrict } from '../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-portal-nav');

const navOf = (app: HrApp) => app.shadowRoot!.querySelector<HrPortalNav>('hr-portal-nav');
const linksOf = (nav: HrPortalNav) => [...nav.shadowRoot!.querySelectorAll('a')];

describe('portal navigation and the student switcher', () => {
  useAppAgainstApi();

  it('gives a guardian every family tab, marks the current one, and translates them', async () => {
    const app = await mountApp('#/sign-in');
    expect(navOf(app), 'no tabs before signing in').to.equal(null);
    await signInThroughApp(app, demo.guardian, demoPassword);
    await viewOf(app, 'hr-today');
    await waitFor(() => navOf(app));
    const nav = navOf(app)!;
    await nav.updateComplete;
    const links = linksOf(nav);
    expect(links.map(textOf)).to.include.members([en.nav.today, en.nav.account]);
    expect(links.find((a) => a.getAttribute('aria-current') === 'page')!.textContent!.trim()).to.equal(en.nav.today);
    expect(nav.shadowRoot!.querySelector('nav')!.getAttribute('aria-label')).to.equal(en.nav.label);
    await expectNoAxeViolations();
  });

  it('marks Account current on the account screens', async () => {
    const app = await mountApp('#/sign-in');
    await signInThroughApp(app, demo.guardian, demoPassword);
    location.hash = '#/account';
    await viewOf(app, 'hr-account');
    const nav = navOf(app)!;
    await nav.updateComplete;
    expect(linksOf(nav).find((a) => a.getAttribute('aria-current') === 'page')!.textContent!.trim()).to.equal(en.nav.account);
  });

  it('lets a guardian choose among her children, by keyboard, and remembers the choice', async () => {
    const app = await mountApp('#/sign-in');
    await signInThroughApp(app, demo.guardian, demoPassword);
    await viewOf(app, 'hr-today');
    const switcher = document.createElement('hr-student-switcher') as HrStudentSwitcher;
    document.body.append(switcher);
    await waitFor(() => switcher.shadowRoot!.querySelectorAll('option').length === 3, 5000);
    const select = switcher.shadowRoot!.querySelector('select')!;
    expect(textOf(switcher.shadowRoot!.querySelector('label')!)).to.equal(en.switcher.label);
    const me = currentMe()!;
    // Each child with grade and school, so two children with one name are told apart.
    expect([...select.options].map((o) => o.textContent!.trim())).to.deep.equal(me.students.map((s) => `${s.firstName} ${s.lastName} · Grade ${s.gradeLevel} · ${s.schoolName}`));
    let chosen: string | undefined;
    const stop = subscribeSelectedStudent((id) => (chosen = id));
    select.value = me.students[2]!.id;
    select.dispatchEvent(new Event('change'));
    expect(chosen).to.equal(me.students[2]!.id);
    expect(localStorage.getItem('homeroom.student')).to.equal(me.students[2]!.id);
    stop();
    switcher.remove();
  });

  it('gives a student no household tab and names them instead of offering a choice', async () => {
    const app = await mountApp('#/sign-in');
    await signInThroughApp(app, demo.student, demoPassword);
    await viewOf(app, 'hr-today');
    await waitFor(() => navOf(app));
    const nav = navOf(app)!;
    await nav.updateComplete;
    expect(linksOf(nav).map((a) => a.getAttribute('href'))).not.to.include('#/family');
    const switcher = document.createElement('hr-student-switcher') as HrStudentSwitcher;
    document.body.append(switcher);
    await waitFor(() => switcher.shadowRoot!.querySelector('.only'), 5000);
    expect(switcher.shadowRoot!.querySelector('select')).to.equal(null);
    switcher.remove();
  });
});
