import { expect } from 'chai';
import en from '../../../locales/en/access-log.json';
import vi from '../../../locales/vi/access-log.json';
import { setLanguage } from '../../app/i18n.ts';
import { formatDate } from '../../lib/format.ts';
import { createAccount, expectNoAxeViolations, useFreshAddress } from '../../test/api.ts';
import { mountApp, part, signInThroughApp, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { textOf, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import type { HrAccessLog } from './hr-access-log.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-access-log');

const password = 'a long and correct password';

function rows(log: HrAccessLog): HTMLTableRowElement[] {
  return [...log.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tbody tr')];
}

function cell(row: HTMLTableRowElement, name: 'when' | 'what' | 'where' | 'device'): string {
  // The label shown on phones is hidden from everyone else; read the value after it.
  return textOf(row.querySelector(`td.${name} > :not(.cell-label)`));
}

/** Signs in as a new account and opens "View access log" from the account screen (Today → account). */
async function openAccessLog(username: string): Promise<HrAccessLog> {
  const app = await mountApp('#/sign-in');
  await signInThroughApp(app, username, password);
  part<HTMLAnchorElement>(await viewOf(app, 'hr-today'), 'a[href="#/account"]').click();
  const account = await viewOf(app, 'hr-account');
  part<HTMLAnchorElement>(account, 'a[href="#/access-log"]').click();
  const log = await viewOf(app, 'hr-access-log');
  await waitFor(() => rows(log).length > 0);
  return log;
}

describe('hr-access-log', () => {
  useAppAgainstApi();

  it('lists the sign-in: when, what, from where and on which device', async () => {
    const { username } = await createAccount(password);
    const { address } = await useFreshAddress();
    const started = Date.now();
    const log = await openAccessLog(username);
    expect(location.hash).to.equal('#/access-log');
    expect(textOf(part(log, 'h1'))).to.equal(en.title);

    const [newest] = rows(log);
    expect(cell(newest!, 'what')).to.equal(en.events.login.success);
    expect(cell(newest!, 'where')).to.equal(address);
    expect(cell(newest!, 'device')).to.equal('Chrome on Linux');
    const at = newest!.querySelector('time')!.dateTime;
    expect(Date.parse(at)).to.be.within(started - 60_000, Date.now() + 60_000);
    expect(cell(newest!, 'when')).to.equal(formatDate(at, 'en', { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }));
    expect(textOf(part(log, '.footer'))).to.equal(en.end);

    // Events and dates follow the reader's language.
    await setLanguage('vi');
    await log.updateComplete;
    expect(cell(rows(log)[0]!, 'what')).to.equal(vi.events.login.success);
    expect(cell(rows(log)[0]!, 'when')).to.equal(formatDate(at, 'vi', { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }));
    expect(cell(rows(log)[0]!, 'device')).to.equal('Chrome trên Linux');
  });

  it('loads older entries 50 at a time', async () => {
    const { username } = await createAccount(password);
    // 55 reset requests, from a few addresses (each may ask 10 times in 15 minutes).
    for (let request = 0; request < 55; request++) {
      if (request % 9 === 0) await useFreshAddress();
      await fetch('/api/auth/forgot', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username }),
      });
    }
    await useFreshAddress();
    const log = await openAccessLog(username);
    expect(rows(log)).to.have.length(50);
    expect(cell(rows(log)[0]!, 'what')).to.equal(en.events.login.success);
    expect(cell(rows(log)[1]!, 'what')).to.equal(en.events.password.reset_requested);

    const older = part<HTMLButtonElement>(log, '.footer button');
    expect(textOf(older)).to.equal(en.loadOlder);
    older.click();
    await waitFor(() => rows(log).length > 50);
    expect(rows(log)).to.have.length(56);
    await log.updateComplete;
    expect(textOf(part(log, '[role="status"]'))).to.equal(en.loaded);
    expect(textOf(part(log, '.footer'))).to.equal(en.end);
    // The button went away with the last page; keyboard focus did not fall to the page's start.
    await waitFor(() => log.shadowRoot!.activeElement === log.shadowRoot!.querySelector('.footer p'));
    // Newest first, no entry twice.
    const times = rows(log).map((row) => Date.parse(row.querySelector('time')!.dateTime));
    expect(times).to.deep.equal([...times].sort((a, b) => b - a));
  });

  it('has no axe violations, target size included', async () => {
    const { username } = await createAccount(password);
    const log = await openAccessLog(username);
    await expectNoAxeViolations();
    await setLanguage('so');
    await log.updateComplete;
    await expectNoAxeViolations();
  });
});
