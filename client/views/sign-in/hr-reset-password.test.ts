import { expect } from 'chai';
import en from '../../../locales/en/password.json';
import so from '../../../locales/so/password.json';
import { setLanguage } from '../../app/i18n.ts';
import { signIn } from '../../data/auth.ts';
import { createAccount, expectNoAxeViolations, readResetToken, startSignedOut } from '../../test/api.ts';
import { mountApp, part, submitForm, type, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { textOf, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-reset-password');

const oldPassword = 'the password i forgot';
const newPassword = 'a new one i will remember';

describe('hr-forgot-password and hr-reset-password', () => {
  useAppAgainstApi();

  it('answers the same whether or not the account exists', async () => {
    const app = await mountApp('#/sign-in');
    const signInView = await viewOf(app, 'hr-sign-in');
    part<HTMLAnchorElement>(signInView, 'a[href="#/forgot"]').click();
    const forgot = await viewOf(app, 'hr-forgot-password');
    expect(textOf(part(forgot, 'h1'))).to.equal(en.forgot.title);

    await submitForm(forgot);
    expect(textOf(part(forgot, '#username-error'))).to.equal(en.forgot.username.required);

    type(forgot, '#username', 'nobody-by-this-name');
    await submitForm(forgot);
    await waitFor(() => textOf(forgot.shadowRoot!.querySelector('h1')) === en.forgot.sentTitle);
    expect(textOf(part(forgot, '[role="status"]'))).to.equal(`${en.forgot.sent} ${en.forgot.noEmail}`);
    expect(forgot.shadowRoot!.activeElement?.localName).to.equal('h1');
  });

  it('resets the password with the e-mailed link, once', async () => {
    const { username, email } = await createAccount(oldPassword);
    const app = await mountApp('#/forgot');
    const forgot = await viewOf(app, 'hr-forgot-password');
    type(forgot, '#username', username);
    await submitForm(forgot);
    await waitFor(() => textOf(forgot.shadowRoot!.querySelector('h1')) === en.forgot.sentTitle);

    const token = await readResetToken(email);
    expect(token).to.be.a('string');
    location.hash = `#/reset?token=${token}`;
    const reset = await viewOf(app, 'hr-reset-password');
    expect(textOf(part(reset, 'h1'))).to.equal(en.reset.title);

    type(reset, '#password', newPassword);
    type(reset, '#confirm', 'something else');
    await submitForm(reset);
    expect(textOf(part(reset, '#confirm-error'))).to.equal(en.confirm.mismatch);

    type(reset, '#password', 'password123');
    type(reset, '#confirm', 'password123');
    await submitForm(reset);
    expect(textOf(part(reset, '#password-error'))).to.equal(en.errors.password_common);

    type(reset, '#password', newPassword);
    type(reset, '#confirm', newPassword);
    await submitForm(reset);
    expect(textOf(part(reset, 'h1'))).to.equal(en.reset.doneTitle);
    expect(textOf(part(reset, '[role="status"]'))).to.equal(en.reset.done);
    expect(textOf(part(reset, 'a[href="#/sign-in"]'))).to.equal(en.reset.signIn);

    expect((await signIn({ username, password: newPassword })).ok).to.equal(true);
    expect((await signIn({ username, password: oldPassword })).ok).to.equal(false);
    await startSignedOut();

    // The same link a second time.
    location.hash = '#/sign-in';
    await viewOf(app, 'hr-sign-in');
    location.hash = `#/reset?token=${token}`;
    const again = await viewOf(app, 'hr-reset-password');
    await waitFor(() => again.shadowRoot!.querySelector('#password'));
    type(again, '#password', 'yet another new password');
    type(again, '#confirm', 'yet another new password');
    await submitForm(again);
    expect(textOf(part(again, 'h1'))).to.equal(en.reset.invalidTitle);
    expect(textOf(part(again, '[role="alert"]'))).to.equal(en.reset.invalid_token);
    expect(textOf(part(again, 'a[href="#/forgot"]'))).to.equal(en.reset.requestNew);
  });

  it('says at once when the link has no token', async () => {
    await setLanguage('so');
    const app = await mountApp('#/reset');
    const reset = await viewOf(app, 'hr-reset-password');
    expect(textOf(part(reset, 'h1'))).to.equal(so.reset.invalidTitle);
    expect(textOf(part(reset, '[role="alert"]'))).to.equal(so.reset.invalid_token);
  });

  it('have no axe violations, target size included', async () => {
    const app = await mountApp('#/forgot');
    const forgot = await viewOf(app, 'hr-forgot-password');
    await expectNoAxeViolations();
    await submitForm(forgot);
    await expectNoAxeViolations();
    type(forgot, '#username', 'nobody-by-this-name');
    await submitForm(forgot);
    await waitFor(() => textOf(forgot.shadowRoot!.querySelector('h1')) === en.forgot.sentTitle);
    await expectNoAxeViolations();

    await setLanguage('so');
    location.hash = '#/reset?token=not-a-real-token';
    const reset = await viewOf(app, 'hr-reset-password');
    await expectNoAxeViolations();
    await submitForm(reset);
    await expectNoAxeViolations();
    type(reset, '#password', newPassword);
    type(reset, '#confirm', newPassword);
    await submitForm(reset);
    expect(textOf(part(reset, 'h1'))).to.equal(so.reset.invalidTitle);
    await expectNoAxeViolations();
  });
});
