import { expect } from 'chai';
import en from '../../../locales/en/account.json';
import es from '../../../locales/es/account.json';
import so from '../../../locales/so/account.json';
import enPassword from '../../../locales/en/password.json';
import type { HrApp } from '../../app/hr-app.ts';
import { setLanguage } from '../../app/i18n.ts';
import { saveLanguage } from '../../data/account.ts';
import { currentDataLayer } from '../../data/local-data.ts';
import { authorizedFetch, currentMe, forgetSession, isSignedIn, restoreSession } from '../../data/session.ts';
import { getSyncState } from '../../data/sync-state.ts';
import { formatDate } from '../../lib/format.ts';
import type { HrAccount } from './hr-account.ts';
import { createAccount, demoPassword, expectNoAxeViolations, homeroomIndexedDbs, pretendOutdated, setPreferredName, signInWithCode } from '../../test/api.ts';
import { mountApp, part, signInThroughApp, submitForm, type, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { textOf, unmountAll, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-account');

/** Signs in through the app and, wherever it lands (Today, a teacher's classes), opens the account screen. */
async function signInToAccount(app: HrApp, username: string, password: string): Promise<HrAccount> {
  await signInThroughApp(app, username, password);
  await waitFor(() => !location.hash.startsWith('#/sign-in'), 10_000);
  location.hash = '#/account';
  return viewOf(app, 'hr-account', 10_000);
}

describe('hr-account', () => {
  useAppAgainstApi(() => pretendOutdated([]));

  it('after signing in as demo-guardian, lists her roles and her three children from the device’s copy', async () => {
    const app = await mountApp('#/sign-in');
    const account = await signInToAccount(app, demo.guardian, demoPassword);
    expect(location.hash).to.equal('#/account');
    expect(document.title).to.equal(en.title);

    const me = currentMe()!;
    expect(textOf(part(account, 'h1'))).to.equal(`Hello, ${me.person.preferredName || me.person.firstName}`);
    expect(textOf(part(account, '.signed-in-as'))).to.equal(`You are signed in as ${demo.guardian}.`);
    expect([...account.shadowRoot!.querySelectorAll('.roles li')].map(textOf)).to.deep.equal([en.roles.names.guardian]);

    // The list comes from RxDB (IndexedDB), synced after sign-in; it matches what /api/me says.
    await waitFor(() => account.shadowRoot!.querySelectorAll('.students li').length === 3, 5000);
    expect(await homeroomIndexedDbs()).to.include(`rxdb-dexie-homeroom-${me.account.id}--0--students`);
    const children = [...account.shadowRoot!.querySelectorAll('.students li')];
    expect(children.map((child) => textOf(child.querySelector('.student-name')))).to.deep.equal(
      me.students.map((student) => `${student.firstName} ${student.lastName}`),
    );
    // Elementary, middle and high school, each with its grade in words.
    const details = children.map((child) => textOf(child.querySelector('.student-detail')));
    expect(new Set(me.students.map((student) => student.schoolId)).size).to.equal(3);
    expect(details).to.deep.equal(me.students.map((student) => `Grade ${student.gradeLevel} · ${student.schoolName}`));

    // When the copy was last updated, in the reader's language.
    const layer = (await currentDataLayer())!;
    const { lastSyncedAt } = await getSyncState(layer.db, 'students');
    await waitFor(() => account.shadowRoot!.querySelector('.synced'));
    const when = formatDate(lastSyncedAt!, 'en', { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
    expect(textOf(part(account, '.synced'))).to.equal(en.students.lastSynced.replace('{{when}}', when));
  });

  it('shows a change made at school without a reload (preferred names first), in every open view', async () => {
    const app = await mountApp('#/sign-in');
    const account = await signInToAccount(app, demo.guardian, demoPassword);
    await waitFor(() => account.shadowRoot!.querySelectorAll('.students li').length === 3, 5000);
    const child = currentMe()!.students[0]!;
    try {
      await setPreferredName(child.id, 'Lulu');
      await waitFor(() => textOf(account.shadowRoot!.querySelector('.students li .student-name')) === `Lulu ${child.lastName}`, 5000);
    } finally {
      await setPreferredName(child.id, null);
    }
    await waitFor(() => textOf(account.shadowRoot!.querySelector('.students li .student-name')) === `${child.firstName} ${child.lastName}`, 5000);
  });

  it('says an update is needed when the server no longer syncs with this version', async () => {
    await pretendOutdated(['students']);
    const app = await mountApp('#/sign-in');
    const account = await signInToAccount(app, demo.guardian, demoPassword);
    await waitFor(() => account.shadowRoot!.querySelector('.sync-alert p'), 5000);
    expect(textOf(part(account, '.sync-alert'))).to.equal(en.students.updateRequired);
    expect(part(account, '.sync-alert').getAttribute('role')).to.equal('status');
    // Nothing was ever synced: no students yet, and no "last updated" time to show.
    expect(account.shadowRoot!.querySelectorAll('.students li')).to.have.length(0);
    expect(account.shadowRoot!.querySelector('.synced')).to.equal(null);
    await expectNoAxeViolations();
  });

  it('translates roles and grades, and saves the language chosen while signed in', async () => {
    const app = await mountApp('#/sign-in');
    const account = await signInToAccount(app, demo.guardian, demoPassword);
    await waitFor(() => account.shadowRoot!.querySelectorAll('.students li').length === 3, 5000);

    const select = part(app.shadowRoot!.querySelector('hr-language-picker')!, 'select') as HTMLSelectElement;
    select.value = 'es';
    select.dispatchEvent(new Event('change'));
    await waitFor(() => document.documentElement.lang === 'es');
    await account.updateComplete;
    expect(textOf(part(account, 'h2#roles-title'))).to.equal(es.roles.title);
    expect([...account.shadowRoot!.querySelectorAll('.roles li')].map(textOf)).to.deep.equal([es.roles.names.guardian]);
    const details = [...account.shadowRoot!.querySelectorAll('.students .student-detail')].map(textOf);
    expect(details.every((detail) => detail.startsWith('Grado '))).to.equal(true);

    // Saved with the account: a new sign-in elsewhere gets Spanish.
    await waitFor(() => currentMe()?.account.language === 'es');
    const again = await signInWithCode({ username: demo.guardian, password: demoPassword });
    expect(again.ok && again.body.me.account.language).to.equal('es');

    select.value = 'en';
    select.dispatchEvent(new Event('change'));
    await waitFor(() => currentMe()?.account.language === 'en');
  });

  it('switches to the language saved with the account after sign-in', async () => {
    const { username } = await createAccount('a long and correct password', 'so');
    const app = await mountApp('#/sign-in');
    expect(document.documentElement.lang).to.equal('en');
    const account = await signInToAccount(app, username, 'a long and correct password');
    await waitFor(() => document.documentElement.lang === 'so');
    await account.updateComplete;
    expect(textOf(part(account, 'h1'))).to.equal(so.greeting.replace('{{name}}', 'Hodan'));
    // Until the first sync has answered, the list says it is on its way; then that there is none.
    await waitFor(() => account.shadowRoot!.querySelector('.synced'), 5000);
    expect(textOf(part(account, 'section[aria-labelledby="students-title"] p'))).to.equal(so.students.none);
    expect(textOf(part(account, '.synced')).startsWith(so.students.lastSynced.split('{{when}}')[0]!)).to.equal(true);
  });

  it('sends visitors who are not signed in to the sign-in screen', async () => {
    const app = await mountApp('#/account');
    await viewOf(app, 'hr-sign-in');
    expect(location.hash).to.equal('#/sign-in');
    expect(app.shadowRoot!.querySelector('hr-account')).to.equal(null);
  });

  it('comes back signed in after a reload, from the refresh cookie', async () => {
    let app = await mountApp('#/sign-in');
    await signInToAccount(app, demo.student, demoPassword);

    // A reload: the page forgets everything in memory; the HttpOnly cookie stays.
    unmountAll();
    forgetSession();
    app = await mountApp('#/account');
    const account = await viewOf(app, 'hr-account');
    expect(isSignedIn()).to.equal(true);
    expect(currentMe()?.account.username).to.equal(demo.student);
    expect([...account.shadowRoot!.querySelectorAll('.roles li')].map(textOf)).to.deep.equal([en.roles.names.student]);
    await waitFor(() => account.shadowRoot!.querySelectorAll('.students li').length === 1, 5000);

    // And the sign-in screen, opened while signed in, leads to the landing tab.
    location.hash = '#/sign-in';
    await waitFor(() => location.hash === '#/today');
  });

  it('signs out: back to sign-in, nothing of the account left in the page or the session', async () => {
    const app = await mountApp('#/sign-in');
    const account = await signInToAccount(app, demo.guardian, demoPassword);
    localStorage.setItem('homeroom.something', 'personal');

    part<HTMLButtonElement>(account, '#sign-out-title ~ .actions button').click();
    const signIn = await viewOf(app, 'hr-sign-in');
    expect(location.hash).to.equal('#/sign-in');
    expect(isSignedIn()).to.equal(false);
    expect(currentMe()).to.equal(undefined);
    expect(account.isConnected).to.equal(false);
    expect(localStorage.getItem('homeroom.something')).to.equal(null);
    expect(await homeroomIndexedDbs()).to.deep.equal([]);
    // A fresh sign-in screen: the password typed before is not kept.
    expect(part<HTMLInputElement>(signIn, '#password').value).to.equal('');
    expect(await restoreSession()).to.equal(false);
  });

  it('signs out of all devices after asking', async () => {
    const app = await mountApp('#/sign-in');
    const account = await signInToAccount(app, demo.office, demoPassword);
    // A second device of the same account (its cookie replaces ours in this browser; no matter).
    const otherDevice = await signInWithCode({ username: demo.office, password: demoPassword });

    part<HTMLButtonElement>(account, '#sign-out-everywhere').click();
    await account.updateComplete;
    expect(part(account, '#sign-out-everywhere').getAttribute('aria-expanded')).to.equal('true');
    expect(textOf(part(account, '#confirm-everywhere-question'))).to.equal(en.signOut.confirm);
    expect(account.shadowRoot!.activeElement?.id).to.equal('confirm-everywhere');
    await expectNoAxeViolations();

    part<HTMLButtonElement>(account, '#confirm-everywhere').click();
    await viewOf(app, 'hr-sign-in');
    expect(isSignedIn()).to.equal(false);
    const token = otherDevice.ok ? otherDevice.body.accessToken : '';
    expect((await fetch('/api/me', { headers: { authorization: `Bearer ${token}` } })).status).to.equal(401);
  });

  it('changes the password, with each mistake next to its field', async () => {
    const { username } = await createAccount('the first password');
    const app = await mountApp('#/sign-in');
    const account = await signInToAccount(app, username, 'the first password');
    const change = part(account, 'hr-change-password');
    await (change as unknown as { updateComplete: Promise<unknown> }).updateComplete;

    type(change, '#currentPassword', 'not the password');
    type(change, '#newPassword', 'a brand new password');
    type(change, '#confirmPassword', 'a brand new passwort');
    await submitForm(change);
    expect(textOf(part(change, '#confirmPassword-error'))).to.equal(enPassword.confirm.mismatch);

    type(change, '#confirmPassword', 'a brand new password');
    await submitForm(change);
    expect(textOf(part(change, '#currentPassword-error'))).to.equal(enPassword.change.password_incorrect);
    expect(change.shadowRoot!.activeElement?.id).to.equal('currentPassword');

    type(change, '#currentPassword', 'the first password');
    type(change, '#newPassword', 'password123');
    type(change, '#confirmPassword', 'password123');
    await submitForm(change);
    expect(textOf(part(change, '#newPassword-error'))).to.equal(enPassword.errors.password_common);

    type(change, '#newPassword', 'a brand new password');
    type(change, '#confirmPassword', 'a brand new password');
    await submitForm(change);
    expect(textOf(part(change, '[role="status"]'))).to.equal(enPassword.change.done);
    expect(part<HTMLInputElement>(change, '#currentPassword').value).to.equal('');
    expect(isSignedIn()).to.equal(true);
    expect((await signInWithCode({ username, password: 'a brand new password' })).ok).to.equal(true);
    expect((await signInWithCode({ username, password: 'the first password' })).ok).to.equal(false);
  });

  it('changes the account’s own e-mail at once, with the current password, each mistake next to its field', async () => {
    const { username, email } = await createAccount('the first password');
    const app = await mountApp('#/sign-in');
    const account = await signInToAccount(app, username, 'the first password');
    const change = part(account, 'hr-change-email');
    await (change as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    expect(textOf(part(change, '.current'))).to.equal(en.email.current.replace('{{email}}', email));

    type(change, '#newEmail', 'not an address');
    await submitForm(change);
    expect(textOf(part(change, '#newEmail-error'))).to.equal(en.email.invalid);
    expect(textOf(part(change, '#emailPassword-error'))).to.equal(en.email.passwordRequired);
    expect(change.shadowRoot!.activeElement?.id).to.equal('newEmail');

    const next = `${username}@new-home.example.org`;
    type(change, '#newEmail', next);
    type(change, '#emailPassword', 'not the password');
    await submitForm(change);
    await waitFor(() => part(change, '#emailPassword-error') !== null, 5000);
    expect(textOf(part(change, '#emailPassword-error'))).to.equal(en.email.passwordIncorrect);

    type(change, '#emailPassword', 'the first password');
    await submitForm(change);
    await waitFor(() => textOf(part(change, '[role="status"]')) !== '', 5000);
    expect(textOf(part(change, '[role="status"]'))).to.equal(en.email.done.replace('{{email}}', next));
    expect(textOf(part(change, '.current'))).to.equal(en.email.current.replace('{{email}}', next));
    // The server has it: the next sign-in reads it back.
    const me = (await (await authorizedFetch('/api/me')).json()) as { person: { email: string } };
    expect(me.person.email).to.equal(next);
    await expectNoAxeViolations();
  });

  it('has no axe violations, target size included', async () => {
    const app = await mountApp('#/sign-in');
    const account = await signInToAccount(app, demo.teacher, demoPassword);
    await waitFor(() => account.shadowRoot!.querySelector('.students li'), 5000);
    await waitFor(() => account.shadowRoot!.querySelector('.synced'), 5000);
    await expectNoAxeViolations();

    await setLanguage('so');
    const change = part(account, 'hr-change-password');
    await submitForm(change);
    expect(change.shadowRoot!.querySelectorAll('.field-error')).to.have.length(3);
    await expectNoAxeViolations();
    // The language is kept with the account: give demo-teacher English back for the next tests.
    await setLanguage('en');
    await saveLanguage('en');
  });
});
