/**
 * Staff with a tool right and no second factor set up an authenticator at their first sign-in
 * (the code computed here from the key shown on the screen, as an app would), keep their
 * recovery codes, and sign in with codes after; in each language, axe clean.
 */
import { expect } from 'chai';
import { Secret, TOTP } from 'otpauth';
import en from '../../../locales/en/second-factor.json';
import es from '../../../locales/es/second-factor.json';
import so from '../../../locales/so/second-factor.json';
import vi from '../../../locales/vi/second-factor.json';
import { setLanguage, type Language } from '../../app/i18n.ts';
import { isSignedIn } from '../../data/session.ts';
import { expectNoAxeViolations, startSignedOut, staffWithoutSecondFactor } from '../../test/api.ts';
import { mountApp, part, submitForm, type, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { textOf, unmountAll, waitFor } from '../../test/dom.ts';
import { useOwnDistrict } from '../../test/district.ts';
import { describe, it } from '../../test/mocha.ts';
import type { HrSignIn } from './hr-sign-in.ts';
import type { HrSecondFactor } from './hr-second-factor.ts';

useOwnDistrict('hr-second-factor');

const strings: Record<Language, typeof en> = { en, es, so, vi };

/** What an authenticator app holding `key` (as typed from the screen) shows, `offsetMs` from now on this page's clock (the API's). */
function appCode(key: string, offsetMs = 0): string {
  return new TOTP({ secret: Secret.fromBase32(key), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + offsetMs });
}

/** Opens the app on the sign-in screen and sends the password; answers the second step's element. */
async function typePassword(username: string, password: string): Promise<{ signIn: HrSignIn; second: HrSecondFactor }> {
  unmountAll();
  const app = await mountApp('#/sign-in');
  const signIn = await viewOf(app, 'hr-sign-in', 30_000);
  type(signIn, '#username', username);
  type(signIn, '#password', password);
  part<HTMLInputElement>(signIn, '#device-own').click();
  await submitForm(signIn);
  const second = await waitFor(() => signIn.shadowRoot?.querySelector('hr-second-factor'), 10_000);
  await second.updateComplete;
  return { signIn, second };
}

async function sendCode(second: HrSecondFactor, code: string): Promise<void> {
  type(second, '#code', code);
  await submitForm(second);
}

function alertOf(second: HrSecondFactor): string {
  return textOf(part(second, '[role="alert"]'));
}

/**
 * The sign-in view, for axe: the app shell's skip link is left out, because on a page this tall
 * axe looks for its target (#main, inside the shell's shadow root) in the document and says there
 * is none. The shell's own tests cover it.
 */
function view(): Element {
  return document.querySelector('hr-app')!.shadowRoot!.querySelector('main')!;
}

async function untilSignedIn(): Promise<void> {
  await waitFor(() => isSignedIn() && !location.hash.startsWith('#/sign-in'), 15_000);
}

describe('hr-second-factor', () => {
  useAppAgainstApi();

  for (const language of ['en', 'es', 'so', 'vi'] as const) {
    it(`sets up an authenticator at a staff member's first sign-in, then signs in with its codes or a recovery code, in ${language}`, async function () {
      this.timeout(120_000);
      const t = strings[language];
      const password = 'the nurse’s long passphrase';
      const { username } = await staffWithoutSecondFactor(password, language);
      await setLanguage(language);

      // First sign-in: the password alone opens nothing; the enrolment screen shows the QR code and the key.
      const first = await typePassword(username, password);
      expect(isSignedIn()).to.equal(false);
      expect(textOf(part(first.second, 'h1'))).to.equal(t.enrol.title);
      expect(textOf(part(first.second, '.intro'))).to.equal(t.enrol.intro);
      const qr = part(first.second, 'hr-qr-code');
      const picture = qr.shadowRoot!.querySelector('svg[role="img"]')!;
      expect(picture.getAttribute('aria-label')).to.equal(t.enrol.qrLabel);
      expect(picture.querySelector('path')!.getAttribute('d')!.length).to.be.greaterThan(1000);
      const key = textOf(part(first.second, '#secret')).replace(/\s/g, '');
      expect(key).to.match(/^[A-Z2-7]{32}$/);
      expect(textOf(part(first.second, 'label[for="code"]'))).to.equal(t.code.label);
      if (language !== 'en') expect(t.enrol.title).not.to.equal(en.enrol.title);
      await expectNoAxeViolations(view());

      // A wrong first code is refused, in the reader's language; the code from the key is taken.
      await sendCode(first.second, '000000');
      expect(alertOf(first.second)).to.equal(t.errors.second_factor_incorrect);
      expect(isSignedIn()).to.equal(false);
      const enrolCode = appCode(key);
      await sendCode(first.second, enrolCode);

      // Ten recovery codes, shown once, before the session starts.
      await waitFor(() => textOf(part(first.second, 'h1')) === t.recovery.title, 10_000);
      const recoveryCodes = [...first.second.shadowRoot!.querySelectorAll('ol.recovery-codes code')].map((code) => textOf(code));
      expect(recoveryCodes).to.have.length(10);
      for (const code of recoveryCodes) expect(code).to.match(/^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
      expect(isSignedIn()).to.equal(false);
      await expectNoAxeViolations(view());
      part<HTMLButtonElement>(first.second, '#continue').click();
      await untilSignedIn();
      await startSignedOut();

      // Next sign-in: a code is asked. The code just used is refused as used; the app's next one
      // (a phone a little ahead still counts) signs in.
      const second = await typePassword(username, password);
      expect(textOf(part(second.second, 'h1'))).to.equal(t.code.title);
      expect(part(second.second, '#code').getAttribute('autocomplete')).to.equal('one-time-code');
      expect(part(second.second, '#code').getAttribute('inputmode')).to.equal('numeric');
      await expectNoAxeViolations(view());
      await sendCode(second.second, enrolCode);
      expect(alertOf(second.second)).to.equal(t.errors.second_factor_reused);
      await sendCode(second.second, appCode(key, 30_000));
      await untilSignedIn();
      await startSignedOut();

      // Phone lost: a recovery code, once.
      const third = await typePassword(username, password);
      part<HTMLButtonElement>(third.second, 'button.switch').click();
      await third.second.updateComplete;
      expect(textOf(part(third.second, 'label[for="code"]'))).to.equal(t.code.recoveryLabel);
      await expectNoAxeViolations(view());
      await sendCode(third.second, recoveryCodes[0]!);
      await untilSignedIn();
    });
  }
});
