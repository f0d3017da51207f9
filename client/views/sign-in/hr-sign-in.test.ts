import axe from 'axe-core';
import { expect } from 'chai';
import en from '../../../locales/en/signin.json';
import es from '../../../locales/es/signin.json';
import so from '../../../locales/so/signin.json';
import vi from '../../../locales/vi/signin.json';
import '../../app/hr-app.ts';
import { initI18n, setLanguage, type Language } from '../../app/i18n.ts';
import { mount, textOf, unmountAll, waitFor } from '../../test/dom.ts';
import { afterEach, before, describe, it } from '../../test/mocha.ts';
import type { HrSignIn } from './hr-sign-in.ts';
import './hr-sign-in.ts';

const signinStrings: Record<Language, typeof en> = { en, es, so, vi };

function part<T extends Element = HTMLElement>(signIn: HrSignIn, selector: string): T {
  const found = signIn.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`No ${selector} in hr-sign-in`);
  return found;
}

function labelText(signIn: HrSignIn, id: string): string {
  return textOf(part(signIn, `label[for="${id}"]`));
}

function alertText(signIn: HrSignIn): string {
  return textOf(part(signIn, '[role="alert"]'));
}

async function submit(signIn: HrSignIn, username: string, password: string): Promise<void> {
  part<HTMLInputElement>(signIn, '#username').value = username;
  part<HTMLInputElement>(signIn, '#password').value = password;
  part<HTMLButtonElement>(signIn, 'button[type="submit"]').click();
  await signIn.updateComplete;
}

/** Submits and waits until the request has been answered and the screen updated. */
async function submitAndSettle(signIn: HrSignIn, username: string, password: string): Promise<void> {
  await submit(signIn, username, password);
  await waitFor(() => part(signIn, 'form').getAttribute('aria-busy') === 'false');
  await signIn.updateComplete;
}

async function expectNoAxeViolations(context: Element): Promise<void> {
  const results = await axe.run(context, {
    rules: { 'target-size': { enabled: true } },
    resultTypes: ['violations'],
  });
  const summary = results.violations.map(
    (violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
  );
  expect(summary).to.deep.equal([]);
}

describe('hr-sign-in', () => {
  before(async () => {
    localStorage.removeItem('homeroom.lang');
    await initI18n('en');
  });

  afterEach(async () => {
    unmountAll();
    await setLanguage('en');
    localStorage.removeItem('homeroom.lang');
  });

  for (const language of ['en', 'es', 'so', 'vi'] as const) {
    it(`renders the sign-in screen in ${language}`, async () => {
      await setLanguage(language);
      const signIn = await mount('hr-sign-in');
      const strings = signinStrings[language];

      expect(textOf(part(signIn, 'h1'))).to.equal(strings.title);
      expect(textOf(part(signIn, '.intro'))).to.equal(strings.intro);
      expect(labelText(signIn, 'username')).to.equal(strings.username.label);
      expect(labelText(signIn, 'password')).to.equal(strings.password.label);
      expect(labelText(signIn, 'show-password')).to.equal(strings.password.show);
      expect(textOf(part(signIn, 'button[type="submit"]'))).to.equal(strings.submit);
      expect(textOf(part(signIn, 'a[href="#/claim"]'))).to.equal(strings.claim);
      expect(textOf(part(signIn, 'a[href="#/forgot"]'))).to.equal(strings.forgot);
      expect(textOf(part(signIn, '.shared-computer'))).to.equal(strings.sharedComputer);
      if (language !== 'en') expect(strings.title).not.to.equal(en.title);
    });
  }

  it('offers the browser and password managers the right fields', async () => {
    const signIn = await mount('hr-sign-in');
    expect(part(signIn, '#username').getAttribute('autocomplete')).to.equal('username');
    expect(part(signIn, '#password').getAttribute('autocomplete')).to.equal('current-password');
    expect(part<HTMLInputElement>(signIn, '#password').type).to.equal('password');

    part<HTMLInputElement>(signIn, '#show-password').click();
    await signIn.updateComplete;
    expect(part<HTMLInputElement>(signIn, '#password').type).to.equal('text');
  });

  it('switches language from the picker: re-renders, sets <html lang> and remembers', async () => {
    const app = await mount('hr-app');
    const signIn = await waitFor(() => app.shadowRoot!.querySelector('hr-sign-in'));
    await signIn.updateComplete;
    expect(textOf(part(signIn, 'h1'))).to.equal(en.title);
    expect(document.documentElement.lang).to.equal('en');

    const picker = app.shadowRoot!.querySelector('hr-language-picker')!;
    const select = picker.shadowRoot!.querySelector('select')!;
    expect([...select.options].map((option) => textOf(option))).to.deep.equal([
      'English',
      'Español',
      'Soomaali',
      'Tiếng Việt',
    ]);
    select.value = 'so';
    select.dispatchEvent(new Event('change'));

    await waitFor(() => document.documentElement.lang === 'so');
    await signIn.updateComplete;
    expect(textOf(part(signIn, 'h1'))).to.equal(so.title);
    expect(labelText(signIn, 'username')).to.equal(so.username.label);
    expect(localStorage.getItem('homeroom.lang')).to.equal('so');
    expect(document.title).to.equal(so.title);
  });

  it('shows translated required-field messages when submitted empty', async () => {
    await setLanguage('es');
    const signIn = await mount('hr-sign-in');
    await submit(signIn, '', '');

    expect(textOf(part(signIn, '#username-error'))).to.equal(es.username.required);
    expect(textOf(part(signIn, '#password-error'))).to.equal(es.password.required);
    expect(part(signIn, '#username').getAttribute('aria-invalid')).to.equal('true');
    expect(part(signIn, '#username').getAttribute('aria-describedby')).to.equal('username-error');
    expect(signIn.shadowRoot!.activeElement?.id).to.equal('username');

    await submit(signIn, 'maria.lopez', '');
    expect(signIn.shadowRoot!.querySelector('#username-error')).to.equal(null);
    expect(textOf(part(signIn, '#password-error'))).to.equal(es.password.required);
    expect(signIn.shadowRoot!.activeElement?.id).to.equal('password');
  });

  it('shows the translated message for each error code the server sends', async () => {
    await setLanguage('vi');
    const signIn = await mount('hr-sign-in');

    await submitAndSettle(signIn, 'maria.lopez', 'wrong password');
    expect(alertText(signIn)).to.equal(vi.errors.invalid_credentials);
    expect(part<HTMLInputElement>(signIn, '#password').value).to.equal('');

    await submitAndSettle(signIn, 'disabled.guardian', 'secret');
    expect(alertText(signIn)).to.equal(vi.errors.account_disabled);

    await submitAndSettle(signIn, 'too.many.tries', 'secret');
    expect(alertText(signIn)).to.equal(vi.errors.rate_limited);

    await submitAndSettle(signIn, 'new.error.code', 'secret');
    expect(alertText(signIn)).to.equal(vi.errors.generic);

    // The message is kept as a key, so it follows a language change.
    await setLanguage('es');
    await signIn.updateComplete;
    expect(alertText(signIn)).to.equal(es.errors.generic);
  });

  it('says so when the network is down', async () => {
    const signIn = await mount('hr-sign-in');
    await submitAndSettle(signIn, 'network.down', 'secret');
    expect(alertText(signIn)).to.equal(en.errors.offline);
  });

  it('announces success with hr-signed-in and the response body', async () => {
    const signIn = await mount('hr-sign-in');
    const signedIn = new Promise<CustomEvent>((resolve) => {
      document.addEventListener('hr-signed-in', resolve, { once: true });
    });
    await submit(signIn, 'maria.lopez', 'correct horse battery staple');
    const event = await signedIn;
    expect(event.detail).to.deep.include({ accessToken: 'stand-in-token' });
    expect(alertText(signIn)).to.equal('');
  });

  it('has no axe violations, target size included', async () => {
    const app = await mount('hr-app');
    const signIn = await waitFor(() => app.shadowRoot!.querySelector('hr-sign-in'));
    await signIn.updateComplete;
    await expectNoAxeViolations(document.documentElement);

    // And with every error showing, in Somali.
    await setLanguage('so');
    await submit(signIn, '', '');
    await expectNoAxeViolations(document.documentElement);
    await submitAndSettle(signIn, 'disabled.guardian', 'secret');
    await expectNoAxeViolations(document.documentElement);
  });
});
