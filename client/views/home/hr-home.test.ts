import { expect } from 'chai';
import en from '../../../locales/en/home.json';
import vi from '../../../locales/vi/home.json';
import { setLanguage } from '../../app/i18n.ts';
import { OFFLINE_ACCOUNT_KEY, readRememberedMe } from '../../app/offline-session.ts';
import { currentDataLayer } from '../../data/local-data.ts';
import { currentMe, forgetSession, isSignedIn } from '../../data/session.ts';
import { getSyncState } from '../../data/sync-state.ts';
import { formatDate } from '../../lib/format.ts';
import { demoPassword, expectNoAxeViolations, homeroomIndexedDbs, signInWithCode } from '../../test/api.ts';
import { mountApp, openRoute, part, signInAndOpen, signInAs, signInThroughApp, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { textOf, unmountAll, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import type { HrHome } from './hr-home.ts';
import { cutApi, pretendNetwork } from '../../test/sync.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-home');

const names = (home: HrHome) => [...home.shadowRoot!.querySelectorAll('.students .student-name')].map(textOf);
const details = (home: HrHome) => [...home.shadowRoot!.querySelectorAll('.students .student-detail')].map(textOf);

describe('hr-home', () => {
  let restoreFetch: (() => void) | undefined;

  useAppAgainstApi(async () => {
    restoreFetch?.();
    restoreFetch = undefined;
    // The real property, from Navigator.prototype, again.
    delete (navigator as { onLine?: boolean }).onLine;
  });

  it('lists demo-guardian’s three children from the device’s copy, and when it was updated', async () => {
    const app = await mountApp('#/sign-in');
    await signInThroughApp(app, demo.guardian, demoPassword);
    // Families land on Today; the home screen stays one step away.
    await viewOf(app, 'hr-today');
    expect(location.hash).to.equal('#/today');
    location.hash = '#/home';
    const home = await viewOf(app, 'hr-home');
    expect(document.title).to.equal(en.title);
    const me = currentMe()!;
    expect(textOf(part(home, 'h1'))).to.equal(`Hello, ${me.person.preferredName || me.person.firstName}`);

    await waitFor(() => names(home).length === 3, 5000);
    expect(await homeroomIndexedDbs()).to.include(`rxdb-dexie-homeroom-${me.account.id}--0--students`);
    expect(names(home)).to.deep.equal(me.students.map((student) => `${student.firstName} ${student.lastName}`));
    // Elementary, middle and high school, each with its grade in words.
    expect(details(home)).to.deep.equal(me.students.map((student) => `Grade ${student.gradeLevel} · ${student.schoolName}`));
    expect(new Set(me.students.map((student) => student.schoolId)).size).to.equal(3);

    const layer = (await currentDataLayer())!;
    await waitFor(() => home.shadowRoot!.querySelector('.synced'), 5000);
    const { lastSyncedAt } = await getSyncState(layer.db, 'students');
    const when = formatDate(lastSyncedAt!, 'en', { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
    expect(textOf(part(home, '.synced'))).to.equal(en.students.lastSynced.replace('{{when}}', when));
    // Online: no offline notice.
    expect(textOf(part(home, '.offline-notice'))).to.equal('');
    await expectNoAxeViolations();
  });

  it('leads to the account screen by keyboard', async () => {
    const app = await signInAs(demo.student);
    const home = await openRoute(app, '#/home', 'hr-home');
    const link = part<HTMLAnchorElement>(home, 'a[href="#/account"]');
    expect(textOf(link)).to.equal(en.account.link);
    expect(textOf(home.shadowRoot!.getElementById(link.getAttribute('aria-describedby')!))).to.equal(en.account.hint);
    link.focus();
    expect(home.shadowRoot!.activeElement).to.equal(link);
    link.click();
    await viewOf(app, 'hr-account');
    expect(location.hash).to.equal('#/account');
  });

  it('says when the device is offline, and that what it shows was saved earlier', async () => {
    const home = await signInAndOpen(demo.guardian, '#/home', 'hr-home');
    await waitFor(() => names(home).length === 3, 5000);

    pretendNetwork(false);
    await home.updateComplete;
    expect(textOf(part(home, '.offline-notice'))).to.equal(en.offline);
    expect(part(home, '.offline-notice').getAttribute('role')).to.equal('status');
    expect(names(home)).to.have.length(3);
    await expectNoAxeViolations();

    pretendNetwork(true);
    await home.updateComplete;
    expect(textOf(part(home, '.offline-notice'))).to.equal('');
  });

  it('speaks the reader’s language: grades, the update time and the link', async () => {
    const home = await signInAndOpen(demo.guardian, '#/home', 'hr-home');
    await waitFor(() => home.shadowRoot!.querySelector('.synced'), 5000);
    await setLanguage('vi');
    await home.updateComplete;
    expect(textOf(part(home, 'h2'))).to.equal(vi.students.title);
    expect(details(home).every((detail) => detail.startsWith('Lớp '))).to.equal(true);
    expect(textOf(part(home, '.synced')).startsWith(vi.students.lastSynced.split('{{when}}')[0]!)).to.equal(true);
    expect(textOf(part(home, 'a[href="#/account"]'))).to.equal(vi.account.link);
    expect(document.title).to.equal(vi.title);
    await expectNoAxeViolations();
    // The demo account keeps English for the next test.
    await setLanguage('en');
    await waitFor(() => currentMe()?.account.language === 'en');
  });

  it('opens on the device’s records after a reload with no network', async () => {
    let app = await signInAs(demo.guardian);
    let home = await openRoute(app, '#/home', 'hr-home');
    await waitFor(() => names(home).length === 3, 5000);
    const shown = names(home);
    const accountId = currentMe()!.account.id;
    expect(readRememberedMe()?.account.id).to.equal(accountId);
    expect(JSON.stringify(readRememberedMe())).to.not.include('accessToken');

    // A reload with no network: the page forgets the session, and the refresh cannot be sent.
    unmountAll();
    forgetSession();
    restoreFetch = cutApi();
    pretendNetwork(false);
    // The resumed session opens on the screen the page was on (it used to open the landing tab).
    app = await mountApp('#/home');
    home = await viewOf(app, 'hr-home');
    expect(isSignedIn()).to.equal(true);
    expect(currentMe()?.account.id).to.equal(accountId);
    await waitFor(() => names(home).length === 3, 5000);
    expect(names(home)).to.deep.equal(shown);
    expect(textOf(part(home, '.offline-notice'))).to.equal(en.offline);
  });

  it('wipes the device when the server has ended the remembered session', async () => {
    let app = await signInAs(demo.guardian);
    const home = await openRoute(app, '#/home', 'hr-home');
    await waitFor(() => names(home).length === 3, 5000);
    // "Sign out of all devices" from another phone, while this page was closed.
    const otherDevice = await signInWithCode({ username: demo.guardian, password: demoPassword });
    const token = otherDevice.ok ? otherDevice.body.accessToken : '';
    const loggedOut = await fetch('/api/auth/logout-all', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(loggedOut.ok).to.equal(true);
    unmountAll();
    forgetSession();
    expect(readRememberedMe()).to.not.equal(undefined);
    expect(await homeroomIndexedDbs()).to.not.deep.equal([]);

    // The next start asks the server, which refuses: nothing of the account stays.
    app = await mountApp('#/home');
    await viewOf(app, 'hr-sign-in');
    expect(isSignedIn()).to.equal(false);
    expect(localStorage.getItem(OFFLINE_ACCOUNT_KEY)).to.equal(null);
    let left = await homeroomIndexedDbs();
    for (let tries = 0; left.length > 0 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = await homeroomIndexedDbs();
    }
    expect(left).to.deep.equal([]);
  });

  it('ignores a remembered account that is not one (edited storage)', async () => {
    localStorage.setItem(OFFLINE_ACCOUNT_KEY, JSON.stringify({ account: { id: 'x' } }));
    expect(readRememberedMe()).to.equal(undefined);
    localStorage.setItem(OFFLINE_ACCOUNT_KEY, '{not json');
    expect(readRememberedMe()).to.equal(undefined);
    restoreFetch = cutApi();
    const app = await mountApp('#/home');
    await viewOf(app, 'hr-sign-in');
    expect(isSignedIn()).to.equal(false);
    localStorage.removeItem(OFFLINE_ACCOUNT_KEY);
  });
});
