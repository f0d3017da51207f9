import { expect } from 'chai';
import en from '../../../locales/en/claim.json';
import es from '../../../locales/es/claim.json';
import enPassword from '../../../locales/en/password.json';
import esPassword from '../../../locales/es/password.json';
import { setLanguage } from '../../app/i18n.ts';
import { currentMe } from '../../data/session.ts';
import { expectNoAxeViolations, plantActivationKey, signInWithCode, startSignedOut } from '../../test/api.ts';
import { mountApp, part, submitForm, type, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { textOf, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import type { HrClaimAccount } from './hr-claim-account.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-claim-account');

const password = 'three words together';

function uniqueUsername(): string {
  return `claimed.${Math.random().toString(36).slice(2, 10)}`;
}

function errorOf(claim: HrClaimAccount, field: string): string {
  return textOf(claim.shadowRoot!.querySelector(`#${field}-error`));
}

async function openClaim() {
  const app = await mountApp('#/claim');
  return { app, claim: await viewOf(app, 'hr-claim-account') };
}

async function fill(claim: HrClaimAccount, values: { key: string; username: string; password: string; confirm?: string }) {
  type(claim, '#key', values.key);
  type(claim, '#username', values.username);
  type(claim, '#password', values.password);
  type(claim, '#confirm', values.confirm ?? values.password);
}

async function tickStudent(claim: HrClaimAccount, number: string, birthDate: string): Promise<void> {
  const checkbox = part<HTMLInputElement>(claim, '#student');
  if (!checkbox.checked) checkbox.click();
  await claim.updateComplete;
  type(claim, '#studentNumber', number);
  type(claim, '#birthDate', birthDate);
}

describe('hr-claim-account', () => {
  useAppAgainstApi();

  it('shows the key grouped as on the letter, whatever the case and dashes typed', async () => {
    const { claim } = await openClaim();
    expect(textOf(part(claim, 'h1'))).to.equal(en.title);
    expect(textOf(part(claim, '#key-hint'))).to.equal(en.key.hint.replace('{{example}}', 'XXXX\u2011XXXX\u2011XXXX'));
    type(claim, '#key', 'abcd efgh-jk');
    expect(part<HTMLInputElement>(claim, '#key').value).to.equal('ABCD-EFGH-JK');
    type(claim, '#key', 'ABCDEFGHJKLM');
    expect(part<HTMLInputElement>(claim, '#key').value).to.equal('ABCD-EFGH-JKLM');
    // The rules, in plain words, are read with the password field.
    expect(part(claim, '#password').getAttribute('aria-describedby')).to.equal('password-hint');
    expect(textOf(part(claim, '#password-hint'))).to.include(enPassword.rules.length.replace('{{min}}', '8'));
  });

  it('checks the form before sending, and says what is missing next to each field', async () => {
    const { claim } = await openClaim();
    await submitForm(claim);
    expect(errorOf(claim, 'key')).to.equal(en.key.required);
    expect(errorOf(claim, 'username')).to.equal(en.username.required);
    expect(errorOf(claim, 'password')).to.equal(en.password.required);
    expect(errorOf(claim, 'confirm')).to.equal(en.confirm.required);
    expect(claim.shadowRoot!.activeElement?.id).to.equal('key');
    expect(part(claim, '#key').getAttribute('aria-invalid')).to.equal('true');

    await tickStudent(claim, '', '');
    await fill(claim, { key: 'ABCD-EFGH-JKLM', username: 'no spaces allowed', password: 'short', confirm: 'other' });
    await submitForm(claim);
    expect(errorOf(claim, 'key')).to.equal('');
    expect(errorOf(claim, 'studentNumber')).to.equal(en.student.number.required);
    expect(errorOf(claim, 'birthDate')).to.equal(en.student.birthDate.required);
    expect(errorOf(claim, 'username')).to.equal(en.errors.username_invalid);
    expect(errorOf(claim, 'password')).to.equal(enPassword.errors.password_too_short.replace('{{min}}', '8'));
    expect(errorOf(claim, 'confirm')).to.equal(enPassword.confirm.mismatch);
    expect(claim.shadowRoot!.activeElement?.id).to.equal('studentNumber');
  });

  it('claims the account with a key from a letter, signs in and opens the home screen', async () => {
    const planted = await plantActivationKey();
    const { app, claim } = await openClaim();
    const username = uniqueUsername();
    await fill(claim, { key: planted.key.toLowerCase().replace(/-/g, ' '), username, password });
    await submitForm(claim);
    await viewOf(app, 'hr-today');
    expect(location.hash).to.equal('#/today');
    expect(currentMe()?.account.username).to.equal(username);
    location.hash = '#/home';
    const home = await viewOf(app, 'hr-home');
    expect(textOf(part(home, 'h1'))).to.equal(`Hello, ${planted.firstName}`);
  });

  it('puts each refusal from the server next to the field it concerns', async () => {
    await setLanguage('es');
    const planted = await plantActivationKey();
    const { claim } = await openClaim();

    // A common password, and a username someone has, with a good key: nothing is used up.
    await fill(claim, { key: planted.key, username: uniqueUsername(), password: 'password123' });
    await submitForm(claim);
    expect(errorOf(claim, 'password')).to.equal(esPassword.errors.password_common);
    expect(claim.shadowRoot!.activeElement?.id).to.equal('password');

    await fill(claim, { key: planted.key, username: demo.guardian, password });
    await submitForm(claim);
    expect(errorOf(claim, 'username')).to.equal(es.errors.username_taken);

    await fill(claim, { key: 'ZZZZ-ZZZZ-ZZZZ', username: uniqueUsername(), password });
    await submitForm(claim);
    expect(errorOf(claim, 'key')).to.equal(es.errors.invalid_key);
    expect(claim.shadowRoot!.activeElement?.id).to.equal('key');

    const expired = await plantActivationKey({ expired: true });
    await fill(claim, { key: expired.key, username: uniqueUsername(), password });
    await submitForm(claim);
    expect(errorOf(claim, 'key')).to.equal(es.errors.key_expired);

    // The good key still works after all that, and only once.
    const username = uniqueUsername();
    await fill(claim, { key: planted.key, username, password });
    await submitForm(claim);
    expect(currentMe()?.account.username).to.equal(username);
    // The language the claim screen was read in stays, and is saved with the account.
    expect(document.documentElement.lang).to.equal('es');
    const signedInAgain = await signInWithCode({ username, password });
    expect(signedInAgain.ok && signedInAgain.body.me.account.language).to.equal('es');
    await startSignedOut();
    const { claim: again } = await openClaim();
    await fill(again, { key: planted.key, username: uniqueUsername(), password });
    await submitForm(again);
    expect(errorOf(again, 'key')).to.equal(es.errors.invalid_key);
  });

  it('lets a student claim with their student number and birth date', async () => {
    const planted = await plantActivationKey({ student: true });
    const { app, claim } = await openClaim();
    const username = uniqueUsername();
    await fill(claim, { key: planted.key, username, password });
    await tickStudent(claim, planted.studentNumber!, '2001-01-01');
    await submitForm(claim);
    expect(errorOf(claim, 'key')).to.equal(en.errors.invalid_key_student);

    type(claim, '#birthDate', planted.birthDate!);
    await submitForm(claim);
    const today = await viewOf(app, 'hr-today');
    expect(currentMe()?.roles).to.deep.equal(['student']);
    // Their own day, once the device has synced their record.
    await waitFor(() => today.shadowRoot!.querySelector('.attention'), 5000);
  });

  it('has no axe violations, target size included', async () => {
    const { claim } = await openClaim();
    await expectNoAxeViolations();
    await setLanguage('vi');
    await tickStudent(claim, '', '');
    await submitForm(claim);
    await expectNoAxeViolations();
  });
});
