import { setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import en from '../../../locales/en/office.json';
import { authorizedFetch } from '../../data/session.ts';
import { expectNoAxeViolations, useFreshAddress } from '../../test/api.ts';
import { part, signInAs, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { textOf, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import { officeSchools, type FamilyAccount } from './hr-office-accounts.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-office-accounts');

/** A sign-in from another device: no cookie is sent or kept, so this page's session stays demo-office's. */
function signInElsewhere(username: string, password: string): Promise<Response> {
  return fetch('/api/auth/login', { method: 'POST', credentials: 'omit', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
}

/**
 * A family account of demo-office's school that its holder has just claimed with `password`,
 * the way a family does: the office prints the activation letter, the family claims with its key.
 */
async function claimFamilyAccount(schoolId: string, password: string): Promise<FamilyAccount & { username: string }> {
  const { accounts } = (await (await authorizedFetch(`/api/staff/accounts?schoolId=${schoolId}&status=unclaimed`)).json()) as { accounts: FamilyAccount[] };
  const account = accounts.find((candidate) => candidate.kind === 'guardian');
  if (!account) throw new Error('the school has no unclaimed guardian account left');
  const letters = await authorizedFetch('/api/staff/accounts/activation-letters', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountIds: [account.id] }) });
  expect(letters.status).to.equal(200);
  const key = new DOMParser().parseFromString(await letters.text(), 'text/html').querySelector('.key')?.textContent?.trim();
  expect(key).to.be.a('string');
  const username = `unlock-${crypto.randomUUID().slice(0, 8)}`;
  const claimed = await fetch('/api/auth/claim', { method: 'POST', credentials: 'omit', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key, username, password }) });
  expect(claimed.status).to.equal(200);
  return { ...account, username };
}

/**
 * Wrong passwords until the server holds the account as locked (the school's lockout threshold),
 * read from the office's list of disabled accounts; a throttled address is changed. The sign-in
 * itself says nothing of the lock to a wrong password (usernames must not be told apart).
 */
async function lockBySignInFailures(schoolId: string, username: string, accountId: string): Promise<void> {
  const locked = async () => {
    const { accounts } = (await (await authorizedFetch(`/api/staff/accounts?schoolId=${schoolId}&status=disabled`)).json()) as { accounts: FamilyAccount[] };
    return accounts.some((account) => account.id === accountId);
  };
  for (let attempt = 0; attempt < 30; attempt++) {
    const response = await signInElsewhere(username, `not the password ${attempt}`);
    if (response.status === 429) {
      await useFreshAddress();
      continue;
    }
    const { error } = (await response.json()) as { error: { code: string } };
    expect(error.code).to.equal('invalid_credentials');
    if (await locked()) return;
  }
  throw new Error(`${username} was not locked after 30 wrong passwords`);
}

describe('hr-office-accounts', () => {
  useAppAgainstApi();

  it('lists the school’s unclaimed accounts as the server does, prints activation letters and makes a reset link', async function () {
    this.timeout(90_000);
    const app = await signInAs(demo.office);
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

    // Active accounts: a printed letter with a one-time code, never a link the office could open.
    const status = part<HTMLSelectElement>(view, '#status');
    status.value = 'active';
    status.dispatchEvent(new Event('change'));
    const reset = await waitFor(() => view.shadowRoot!.querySelector<HTMLButtonElement>('table.accounts button.reset'), 15_000);
    const resetRow = reset.closest('tr')!;
    const resetName = textOf(resetRow.querySelector('th'));
    const printed: string[] = [];
    window.open = () => ({ document: { open: () => undefined, write: (text: string) => printed.push(text), close: () => undefined }, focus: () => undefined, print: () => undefined, close: () => undefined }) as unknown as Window;
    try {
      reset.click();
      await waitFor(() => printed.length === 1, 10_000);
    } finally {
      window.open = realOpen;
    }
    expect(printed[0]).to.include('#/reset?code');
    expect(printed[0]).to.not.include('token=');
    await waitFor(() => textOf(view.shadowRoot!.querySelector('.accounts-status')).includes(en.accounts.resetLetterPrinted.replace('{{name}}', resetName)), 10_000);
    expect(view.shadowRoot!.querySelector('#reset-url')).to.equal(null);
    await expectNoAxeViolations();
  });

  it('finds a family by a student number or part of a name, and names each student with grade and number', async function () {
    this.timeout(60_000);
    const app = await signInAs(demo.office);
    location.hash = '#/office-accounts';
    const view = await viewOf(app, 'hr-office-accounts', 15_000);
    const [school] = officeSchools();
    const listed = (await (await authorizedFetch(`/api/staff/accounts?schoolId=${school!.id}&status=unclaimed&limit=200`)).json()) as { accounts: FamilyAccount[]; total: number };
    const rows = () => [...view.shadowRoot!.querySelectorAll<HTMLTableRowElement>('table.accounts tbody tr')];
    await waitFor(() => rows().length === Math.min(listed.total, 50), 15_000);
    expect(textOf(part(view, '.shown'))).to.equal(en.accounts.shown.replace('{{shown}}', String(rows().length)).replace('{{total}}', String(listed.total)));
    const search = part<HTMLInputElement>(view, '#search');
    const type = (text: string) => {
      search.value = text;
      search.dispatchEvent(new Event('input'));
    };

    // A student number: that student's accounts only, each naming her with grade and number.
    const target = listed.accounts.find((account) => account.students.length > 0)!;
    const student = target.students[0]!;
    type(student.studentNumber);
    await waitFor(() => rows().length > 0 && rows().every((row) => textOf(row).includes(student.studentNumber)), 10_000);
    expect(rows().map((row) => row.dataset.id)).to.include(target.id);
    const detail = textOf(part(view, `tr[data-id="${target.id}"] .student-detail`));
    expect(detail).to.include(`No. ${student.studentNumber}`);
    expect(detail).to.match(/Kindergarten|Pre-kindergarten|Grade \d+/);

    // Part of a last name, in another case: every row holds it, in the holder's or a student's name.
    const part4 = target.lastName.slice(0, 4);
    type(part4.toLowerCase());
    await waitFor(() => rows().length > 0 && rows().every((row) => textOf(row).toLowerCase().includes(part4.toLowerCase())) && rows().some((row) => row.dataset.id === target.id), 10_000);

    // Nothing found says what was searched.
    type('qqzzxq');
    await waitFor(() => textOf(view.shadowRoot!.querySelector('.none')) === en.accounts.noMatch.replace('{{query}}', 'qqzzxq'), 10_000);
    await expectNoAxeViolations();
  });

  it('shows a family account locked by wrong passwords as locked; demo-office unlocks it and its holder signs in again', async function () {
    this.timeout(120_000);
    const app = await signInAs(demo.office);
    const [school] = officeSchools();
    const password = 'a family password that is long enough';
    const account = await claimFamilyAccount(school!.id, password);
    expect((await signInElsewhere(account.username, password)).status).to.equal(200);
    await lockBySignInFailures(school!.id, account.username, account.id);
    // Locked means locked: the right password does not get in either, and only it hears why.
    await useFreshAddress();
    const refused = await signInElsewhere(account.username, password);
    expect(refused.status).to.equal(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal('account_disabled');

    location.hash = '#/office-accounts';
    const view = await viewOf(app, 'hr-office-accounts', 15_000);
    const status = part<HTMLSelectElement>(view, '#status');
    status.value = 'disabled';
    status.dispatchEvent(new Event('change'));
    const row = await waitFor(() => view.shadowRoot!.querySelector<HTMLTableRowElement>(`table.accounts tr[data-id="${account.id}"]`), 15_000);
    expect(textOf(row.querySelector('th'))).to.equal(`${account.firstName} ${account.lastName}`);
    expect(textOf(row.querySelector('td.state'))).to.equal(en.accounts.states.locked);
    expect(textOf(row)).to.include(account.username);
    await expectNoAxeViolations();

    // On a 320-pixel phone only the table scrolls sideways.
    await setViewport({ width: 320, height: 640 });
    try {
      await view.updateComplete;
      expect(document.documentElement.scrollWidth).to.be.at.most(320);
      expect(part(view, '.table-scroll').getBoundingClientRect().right).to.be.at.most(320);
      await expectNoAxeViolations();
    } finally {
      await setViewport({ width: 800, height: 600 });
    }

    // The unlock button is labelled with the holder's name and reached by keyboard.
    const unlock = row.querySelector<HTMLButtonElement>('button.unlock')!;
    expect(unlock.getAttribute('aria-label')).to.equal(en.accounts.unlockFor.replace('{{name}}', `${account.firstName} ${account.lastName}`));
    unlock.focus();
    expect(view.shadowRoot!.activeElement).to.equal(unlock);
    unlock.click();
    await waitFor(() => textOf(view.shadowRoot!.querySelector('.accounts-status')).includes(en.accounts.unlocked.replace('{{name}}', `${account.firstName} ${account.lastName}`)), 15_000);
    await waitFor(() => view.shadowRoot!.querySelector(`table.accounts tr[data-id="${account.id}"]`) === null, 15_000);
    await waitFor(() => view.shadowRoot!.activeElement?.matches('.accounts-status .status.good'), 5000);

    // The holder signs in again with the password that was refused while locked.
    await useFreshAddress();
    expect((await signInElsewhere(account.username, password)).status).to.equal(200);
    const { accounts: active } = (await (await authorizedFetch(`/api/staff/accounts?schoolId=${school!.id}&status=active`)).json()) as { accounts: FamilyAccount[] };
    expect(active.map((a) => a.id)).to.include(account.id);
  });
});
