import { expect } from 'chai';
import en from '../../../locales/en/signin.json';
import es from '../../../locales/es/signin.json';
import so from '../../../locales/so/signin.json';
import vi from '../../../locales/vi/signin.json';
import '../../app/hr-app.ts';
import { setLanguage, type Language } from '../../app/i18n.ts';
import { createAccount, demoPassword, expectNoAxeViolations } from '../../test/api.ts';
import { mount, textOf, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import type { HrSignIn } from './hr-sign-in.ts';
import './hr-sign-in.ts';
import { useAppAgainstApi } from '../../test/app.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-sign-in');

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

/** Fills the form (on the person's own device unless said otherwise) and submits it. */
async function submit(signIn: HrSignIn, username: string, password: string, device: 'own' | 'shared' | null = 'own'): Promise<void> {
  part<HTMLInputElement>(signIn, '#username').value = username;
  part<HTMLInputElement>(signIn, '#password').value = password;
  if (device) part<HTMLInputElement>(signIn, `#device-${device}`).click();
  part<HTMLButtonElement>(signIn, 'button[type="submit"]').click();
  await signIn.updateComplete;
}

/** Submits and waits until the request has been answered and the screen updated. */
async function submitAndSettle(signIn: HrSignIn, username: string, password: string): Promise<void> {
  await submit(signIn, username, password);
  await waitFor(() => part(signIn, 'form').getAttribute('aria-busy') === 'false');
  await signIn.updateComplete;
}

/** Replaces `fetch` for one answer the real server cannot be made to give on demand. */
function withFetch(answer: () => Promise<Response>): () => void {
  const original = window.fetch;
  window.fetch = (input, init) => (String(input).includes('/api/auth/login') ? answer() : original(input, init));
  return () => {
    window.fetch = original;
  };
}

describe('hr-sign-in', () => {
  useAppAgainstApi();

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

    await submit(signIn, demo.guardian, '');
    expect(signIn.shadowRoot!.querySelector('#username-error')).to.equal(null);
    expect(textOf(part(signIn, '#password-error'))).to.equal(es.password.required);
    expect(signIn.shadowRoot!.activeElement?.id).to.equal('password');
  });

  it('shows the translated message for each error code the server sends', async () => {
    await setLanguage('vi');
    const signIn = await mount('hr-sign-in');

    await submitAndSettle(signIn, 'nobody-by-this-name', 'wrong password');
    expect(alertText(signIn)).to.equal(vi.errors.invalid_credentials);
    expect(part<HTMLInputElement>(signIn, '#password').value).to.equal('');
    expect(signIn.shadowRoot!.activeElement?.id).to.equal('password');

    // The message is kept as a key, so it follows a language change.
    await setLanguage('es');
    await signIn.updateComplete;
    expect(alertText(signIn)).to.equal(es.errors.invalid_credentials);
  });

  it('says the account is locked after three wrong passwords in a row', async () => {
    const { username } = await createAccount('a long and correct password');
    const signIn = await mount('hr-sign-in');
    await submitAndSettle(signIn, username, 'wrong password 1');
    expect(alertText(signIn)).to.equal(en.errors.invalid_credentials);
    await submitAndSettle(signIn, username, 'wrong password 2');
    expect(alertText(signIn)).to.equal(en.errors.invalid_credentials);
    // A wrong password does not tell a locked account from any other (usernames stay secret)…
    await submitAndSettle(signIn, username, 'wrong password 3');
    expect(alertText(signIn)).to.equal(en.errors.invalid_credentials);
    // …the right one says it is locked, and does not get in.
    await submitAndSettle(signIn, username, 'a long and correct password');
    expect(alertText(signIn)).to.equal(en.errors.locked);
  });

  it('asks to wait when one address has failed too often for one username', async () => {
    const { username } = await createAccount('a long and correct password');
    for (let attempt = 0; attempt < 10; attempt++) {
      await fetch('/api/auth/login', {
        method: 'POST',
        credentials: 'omit',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: `wrong password ${attempt}` }),
      });
    }
    await setLanguage('so');
    const signIn = await mount('hr-sign-in');
    await submitAndSettle(signIn, username, 'a long and correct password');
    expect(alertText(signIn)).to.equal(so.errors.rate_limited);
  });

  it('asks to wait a few seconds when the server has too many password checks waiting (503 server_busy)', async () => {
    const restore = withFetch(async () =>
      Response.json({ error: { code: 'server_busy', message: 'Busy.' } }, { status: 503, headers: { 'retry-after': '2' } }),
    );
    try {
      await setLanguage('vi');
      const signIn = await mount('hr-sign-in');
      await submitAndSettle(signIn, demo.guardian, 'whatever');
      expect(alertText(signIn)).to.equal(vi.errors.server_busy);
      expect(vi.errors.server_busy).not.to.equal(en.errors.server_busy);
    } finally {
      restore();
    }
  });

  it('shows a generic message for a code it does not know', async () => {
    const restore = withFetch(async () =>
      Response.json({ error: { code: 'something_new', message: 'New.' } }, { status: 409 }),
    );
    try {
      const signIn = await mount('hr-sign-in');
      await submitAndSettle(signIn, demo.guardian, 'whatever');
      expect(alertText(signIn)).to.equal(en.errors.generic);
    } finally {
      restore();
    }
  });

  it('says so when the network is down', async () => {
    const restore = withFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    try {
      const signIn = await mount('hr-sign-in');
      await submitAndSettle(signIn, demo.guardian, 'whatever');
      expect(alertText(signIn)).to.equal(en.errors.offline);
    } finally {
      restore();
    }
  });

  it('announces success with hr-signed-in and the session', async () => {
    const signIn = await mount('hr-sign-in');
    const signedIn = new Promise<CustomEvent>((resolve) => {
      document.addEventListener('hr-signed-in', resolve, { once: true });
    });
    await submit(signIn, demo.guardian, demoPassword);
    const event = await signedIn;
    expect(event.detail.accessToken).to.be.a('string');
    expect(event.detail.me.account.username).to.equal(demo.guardian);
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
    await submitAndSettle(signIn, 'nobody-by-this-name', 'secret');
    await expectNoAxeViolations(document.documentElement);
  });
});
