import { expect } from 'chai';
import en from '../../../locales/en/office.json';
import type { HrApp } from '../../app/hr-app.ts';
import { initI18n, setLanguage } from '../../app/i18n.ts';
import { authorizedFetch, isSignedIn } from '../../data/session.ts';
import { demoPassword, expectNoAxeViolations, preloadDataLayer, startSignedOut, useFreshAddress } from '../../test/api.ts';
import { mountApp, part, setRoute, signInThroughApp, viewOf } from '../../test/app.ts';
import { textOf, unmountAll, waitFor } from '../../test/dom.ts';
import { afterEach, before, beforeEach, describe, it } from '../../test/mocha.ts';
import { officeSchools, type FamilyAccount, type HrOfficeAccounts } from './hr-office-accounts.ts';

async function signInAs(username: string): Promise<HrApp> {
  const app = await mountApp('#/sign-in');
  await viewOf(app, 'hr-sign-in', 30_000);
  await signInThroughApp(app, username, demoPassword);
  await waitFor(() => isSignedIn() && !location.hash.includes('sign-in'), 15_000);
  return app;
}

describe('hr-office-accounts', () => {
  before(async function () {
    this.timeout(30_000);
    localStorage.removeItem('homeroom.lang');
    await initI18n('en');
    await preloadDataLayer();
  });

  beforeEach(async () => {
    await startSignedOut();
    await useFreshAddress();
  });

  afterEach(async () => {
    unmountAll();
    await startSignedOut();
    await setLanguage('en');
    setRoute('');
  });

  it('lists the school’s unclaimed accounts as the server does, prints activation letters and makes a reset link', async function () {
    this.timeout(90_000);
    const app = await signInAs('demo-office');
    location.hash = '#/office-accounts';
    const view = await viewOf(app, 'hr-office-accounts', 15_000);
    expect(document.title).to.equal(en.accounts.title);
    const [school] = officeSchools();
    const { accounts } = (await (await authorizedFetch(`/api/staff/accounts?schoolId=${school!.id}&status=unclaimed`)).json()) as { accounts: FamilyAccount[] };
    expect(accounts.length).to.be.greaterThan(0);
    await waitFor(() => view.shadowRoot!.querySelectorAll('table.accounts tbody tr').length === accounts.length, 15_000);
    expect([...view.shadowRoot!.querySelectorAll('table.accounts tbody th')].map(textOf)).to.deep.equal(accounts.map((a) => `${a.firstName} ${a.lastName}`));
    await expectNoAxeViolations();

    // Letters open in a new window, printed there.
    const written: string[] = [];
    const realOpen = window.open;
    window.open = () => ({ document: { open: () => undefined, write: (text: string) => written.push(text), close: () => undefined }, focus: () => undefined, print: () => undefined, close: () => undefined }) as unknown as Window;
    try {
      const box = part(view, `tr[data-id="${accounts[0]!.id}"] input[type="checkbox"]`) as HTMLInputElement;
      box.click();
      await view.updateComplete;
      expect(textOf(part(view, 'button.print-letters'))).to.equal(en.accounts.printLetters_one.replace('{{count}}', '1'));
      part<HTMLButtonElement>(view, 'button.print-letters').click();
      await waitFor(() => written.length === 1, 10_000);
    } finally {
      window.open = realOpen;
    }
    expect(written[0]).to.include(accounts[0]!.firstName);
    expect(textOf(part(view, '.accounts-status'))).to.include(en.accounts.lettersIssued_one.replace('{{count}}', '1').split('.')[0]!);

    // Active accounts: a one-time reset link.
    const status = part<HTMLSelectElement>(view, '#status');
    status.value = 'active';
    status.dispatchEvent(new Event('change'));
    const reset = await waitFor(() => view.shadowRoot!.querySelector<HTMLButtonElement>('table.accounts button.reset'), 15_000);
    reset.click();
    const link = await waitFor(() => view.shadowRoot!.querySelector<HTMLInputElement>('#reset-url'), 10_000);
    expect(link.value).to.match(/#\/reset\?token=/);
    await expectNoAxeViolations();
  });
});
