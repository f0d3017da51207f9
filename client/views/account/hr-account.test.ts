import { expect } from 'chai';
import en from '../../../locales/en/account.json';
import es from '../../../locales/es/account.json';
import so from '../../../locales/so/account.json';
import enPassword from '../../../locales/en/password.json';
import { initI18n, setLanguage } from '../../app/i18n.ts';
import { signIn } from '../../data/auth.ts';
import { currentMe, forgetSession, isSignedIn, restoreSession } from '../../data/session.ts';
import { createAccount, demoPassword, expectNoAxeViolations, startSignedOut, useFreshAddress } from '../../test/api.ts';
import { mountApp, part, setRoute, signInThroughApp, submitForm, type, viewOf } from '../../test/app.ts';
import { textOf, unmountAll, waitFor } from '../../test/dom.ts';
import { afterEach, before, beforeEach, describe, it } from '../../test/mocha.ts';

describe('hr-account', () => {
  before(async () => {
    localStorage.removeItem('homeroom.lang');
    await initI18n('en');
  });

  beforeEach(async () => {
    await startSignedOut();
    await useFreshAddress();
  });

  afterEach(async () => {
    unmountAll();
    await startSignedOut();
    await setLanguage('en');
    localStorage.removeItem('homeroom.lang');
    setRoute('');
  });

  it('after signing in as demo-guardian, lists her roles and her three children', async () => {
    const app = await mountApp('#/sign-in');
    await signInThroughApp(app, 'demo-guardian', demoPassword);
    const account = await viewOf(app, 'hr-account');
    expect(location.hash).to.equal('#/account');
    expect(document.title).to.equal(en.title);

    const me = currentMe()!;
    expect(textOf(part(account, 'h1'))).to.equal(`Hello, ${me.person.preferredName || me.person.firstName}`);
    expect(textOf(part(account, '.signed-in-as'))).to.equal('You are signed in as demo-guardian.');
    expect([...account.shadowRoot!.querySelectorAll('.roles li')].map(textOf)).to.deep.equal([en.roles.names.guardian]);

    const children = [...account.shadowRoot!.querySelectorAll('.students li')];
    expect(children).to.have.length(3);
    expect(children.map((child) => textOf(child.querySelector('.student-name')))).to.deep.equal(
      me.students.map((student) => `${student.firstName} ${student.lastName}`),
    );
    // Elementary, middle and high school, each with its grade in words.
    const details = children.map((child) => textOf(child.querySelector('.student-detail')));
    expect(new Set(me.students.map((student) => student.schoolId)).size).to.equal(3);
    expect(details).to.deep.equal(me.students.map((student) => `Grade ${student.gradeLevel} · ${student.schoolName}`));
  });

  it('translates roles and grades, and saves the language chosen while signed in', async () => {
    const app = await mountApp('#/sign-in');
    await signInThroughApp(app, 'demo-guardian', demoPassword);
    const account = await viewOf(app, 'hr-account');

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
    const again = await signIn({ username: 'demo-guardian', password: demoPassword });
    expect(again.ok && again.body.me.account.language).to.equal('es');

    select.value = 'en';
    select.dispatchEvent(new Event('change'));
    await waitFor(() => currentMe()?.account.language === 'en');
  });

  it('switches to the language saved with the account after sign-in', async () => {
    const { username } = await createAccount('a long and correct password', 'so');
    const app = await mountApp('#/sign-in');
    expect(document.documentElement.lang).to.equal('en');
    await signInThroughApp(app, username, 'a long and correct password');
    const account = await viewOf(app, 'hr-account');
    await waitFor(() => document.documentElement.lang === 'so');
    await account.updateComplete;
    expect(textOf(part(account, 'h1'))).to.equal(so.greeting.replace('{{name}}', 'Hodan'));
    expect(textOf(part(account, 'section[aria-labelledby="students-title"] p'))).to.equal(so.students.none);
  });

  it('sends visitors who are not signed in to the sign-in screen', async () => {
    const app = await mountApp('#/account');
    await viewOf(app, 'hr-sign-in');
    expect(location.hash).to.equal('#/sign-in');
    expect(app.shadowRoot!.querySelector('hr-account')).to.equal(null);
  });

  it('comes back signed in after a reload, from the refresh cookie', async () => {
    let app = await mountApp('#/sign-in');
    await signInThroughApp(app, 'demo-student', demoPassword);
    await viewOf(app, 'hr-account');

    // A reload: the page forgets everything in memory; the HttpOnly cookie stays.
    unmountAll();
    forgetSession();
    app = await mountApp('#/account');
    const account = await viewOf(app, 'hr-account');
    expect(isSignedIn()).to.equal(true);
    expect(currentMe()?.account.username).to.equal('demo-student');
    expect([...account.shadowRoot!.querySelectorAll('.roles li')].map(textOf)).to.deep.equal([en.roles.names.student]);
    expect(account.shadowRoot!.querySelectorAll('.students li')).to.have.length(1);

    // And the sign-in screen, opened while signed in, leads home.
    location.hash = '#/sign-in';
    await waitFor(() => location.hash === '#/account');
  });

  it('signs out: back to sign-in, nothing of the account left in the page or the session', async () => {
    const app = await mountApp('#/sign-in');
    await signInThroughApp(app, 'demo-guardian', demoPassword);
    const account = await viewOf(app, 'hr-account');
    localStorage.setItem('homeroom.something', 'personal');

    part<HTMLButtonElement>(account, '#sign-out-title ~ .actions button').click();
    const signIn = await viewOf(app, 'hr-sign-in');
    expect(location.hash).to.equal('#/sign-in');
    expect(isSignedIn()).to.equal(false);
    expect(currentMe()).to.equal(undefined);
    expect(account.isConnected).to.equal(false);
    expect(localStorage.getItem('homeroom.something')).to.equal(null);
    // A fresh sign-in screen: the password typed before is not kept.
    expect(part<HTMLInputElement>(signIn, '#password').value).to.equal('');
    expect(await restoreSession()).to.equal(false);
  });

  it('signs out of all devices after asking', async () => {
    const app = await mountApp('#/sign-in');
    await signInThroughApp(app, 'demo-office', demoPassword);
    const account = await viewOf(app, 'hr-account');
    // A second device of the same account (its cookie replaces ours in this browser; no matter).
    const otherDevice = await signIn({ username: 'demo-office', password: demoPassword });

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
    await signInThroughApp(app, username, 'the first password');
    const account = await viewOf(app, 'hr-account');
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
    expect((await signIn({ username, password: 'a brand new password' })).ok).to.equal(true);
    expect((await signIn({ username, password: 'the first password' })).ok).to.equal(false);
  });

  it('has no axe violations, target size included', async () => {
    const app = await mountApp('#/sign-in');
    await signInThroughApp(app, 'demo-teacher', demoPassword);
    const account = await viewOf(app, 'hr-account');
    await waitFor(() => account.shadowRoot!.querySelector('.students li'));
    await expectNoAxeViolations();

    await setLanguage('so');
    const change = part(account, 'hr-change-password');
    await submitForm(change);
    expect(change.shadowRoot!.querySelectorAll('.field-error')).to.have.length(3);
    await expectNoAxeViolations();
  });
});
