/**
 * Families turn two-step sign-in on from their account page (the code computed here from the key
 * on the screen) and off with a current code; staff who must have it see why and cannot turn it off.
 */
import { expect } from 'chai';
import { Secret, TOTP } from 'otpauth';
import en from '../../../locales/en/account.json';
import secondFactor from '../../../locales/en/second-factor.json';
import { isSecondFactorChallenge, signIn } from '../../data/auth.ts';
import { demoPassword, expectNoAxeViolations } from '../../test/api.ts';
import { openRoute, part, signInAs, submitForm, type, useAppAgainstApi } from '../../test/app.ts';
import { textOf, waitFor } from '../../test/dom.ts';
import { useOwnDistrict } from '../../test/district.ts';
import { describe, it } from '../../test/mocha.ts';
import type { HrSecondFactorSettings } from './hr-second-factor-settings.ts';

const demo = useOwnDistrict('hr-mfa-settings');

function appCode(key: string, offsetMs = 0): string {
  return new TOTP({ secret: Secret.fromBase32(key), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + offsetMs });
}

async function settingsOf(username: string): Promise<HrSecondFactorSettings> {
  const account = await openRoute(await signInAs(username), '#/account', 'hr-account');
  const settings = part<HrSecondFactorSettings>(account, 'hr-second-factor-settings');
  await waitFor(() => settings.shadowRoot!.querySelector('#mfa-state'), 10_000);
  return settings;
}

/** The account page, without the app shell's skip link (see hr-second-factor.test.ts). */
function view(): Element {
  return document.querySelector('hr-app')!.shadowRoot!.querySelector('main')!;
}

describe('hr-second-factor-settings', () => {
  useAppAgainstApi();

  it('a family turns two-step sign-in on (password, key, first code, recovery codes), then needs it to sign in, and turns it off with a current code', async function () {
    this.timeout(90_000);
    const settings = await settingsOf(demo.guardian);
    expect(textOf(part(settings, '#mfa-state'))).to.equal(en.secondFactor.off);
    await expectNoAxeViolations(view());

    // The current password first: a wrong one is refused.
    type(settings, '#mfaPassword', 'not my password');
    await submitForm(settings);
    expect(textOf(part(settings, '#mfaPassword-error'))).to.equal(en.secondFactor.passwordIncorrect);
    type(settings, '#mfaPassword', demoPassword);
    await submitForm(settings);
    await waitFor(() => settings.shadowRoot!.querySelector('#secret'), 5000);
    const key = textOf(part(settings, '#secret')).replace(/\s/g, '');
    expect(part(settings, 'hr-qr-code')).to.exist;
    await expectNoAxeViolations(view());

    // Until the first code is typed, nothing changed.
    const before = await signIn({ username: demo.guardian, password: demoPassword });
    expect(before.ok && !isSecondFactorChallenge(before.body)).to.equal(true);
    type(settings, '#mfaCode', appCode(key));
    await submitForm(settings);
    await waitFor(() => settings.shadowRoot!.querySelector('#mfa-codes-title'), 5000);
    expect(settings.shadowRoot!.querySelectorAll('ol.recovery-codes code')).to.have.length(10);
    await expectNoAxeViolations(view());
    part<HTMLButtonElement>(settings, '#mfa-codes-saved').click();
    await waitFor(() => textOf(settings.shadowRoot!.querySelector('#mfa-state')) === en.secondFactor.on, 5000);
    expect(textOf(part(settings, '[role="status"]'))).to.equal(en.secondFactor.turnedOn);
    expect(textOf(part(settings, '#mfa-state + .muted'))).to.equal(en.secondFactor.recoveryLeft_other.replace('{{count}}', '10'));

    // Now the password alone does not sign this family in.
    const after = await signIn({ username: demo.guardian, password: demoPassword });
    expect(after.ok && isSecondFactorChallenge(after.body) && after.body.secondFactor).to.equal('code');

    // Off: a wrong code is refused; the app's next code turns it off.
    type(settings, '#mfaOffCode', '000000');
    await submitForm(settings);
    expect(textOf(part(settings, '[role="alert"]'))).to.equal(secondFactor.errors.second_factor_incorrect);
    type(settings, '#mfaOffCode', appCode(key, 30_000));
    await submitForm(settings);
    await waitFor(() => textOf(settings.shadowRoot!.querySelector('#mfa-state')) === en.secondFactor.off, 5000);
    expect(textOf(part(settings, '[role="status"]'))).to.equal(en.secondFactor.turnedOff);
    await expectNoAxeViolations(view());
    const again = await signIn({ username: demo.guardian, password: demoPassword });
    expect(again.ok && !isSecondFactorChallenge(again.body)).to.equal(true);
  });

  it('staff holding a tool right see that it is required, and no way to turn it off', async function () {
    this.timeout(60_000);
    const settings = await settingsOf(demo.office);
    expect(textOf(part(settings, '#mfa-state'))).to.equal(en.secondFactor.on);
    expect(textOf(settings.shadowRoot!.querySelector('#mfa-state + .muted'))).to.equal(en.secondFactor.required);
    expect(settings.shadowRoot!.querySelector('#mfaOffCode')).to.equal(null);
    await expectNoAxeViolations(view());
  });
});
