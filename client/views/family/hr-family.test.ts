import { expect } from 'chai';
import en from '../../../locales/en/family.json';
import type { ProfileDocument } from '../../../server/contract/sync/profile.ts';
import type { RequestDocument } from '../../../server/contract/sync/requests.ts';
import type { HrApp } from '../../app/hr-app.ts';
import { initI18n, setLanguage } from '../../app/i18n.ts';
import type { HrPortalNav } from '../../components/hr-portal-nav.ts';
import { getOutbox } from '../../data/outbox.ts';
import { currentMe } from '../../data/session.ts';
import { expectNoAxeViolations, preloadDataLayer, startSignedOut, useFreshAddress } from '../../test/api.ts';
import { part, setRoute, viewOf } from '../../test/app.ts';
import { textOf, unmountAll, waitFor } from '../../test/dom.ts';
import { afterEach, before, beforeEach, describe, it } from '../../test/mocha.ts';
import { setNetwork, until } from '../../test/sync.ts';
import { expectFitsPhone, serverDocuments, signInAndSync } from '../today/today-test-helpers.ts';
import type { HrFamily } from './hr-family.ts';

const requestBadge = (view: HrFamily, id: string) => textOf(view.shadowRoot!.querySelector(`.requests li[data-id="${id}"] .badge`));

/** Types into a field of the open form as a person would. */
function fill(view: HrFamily, selector: string, value: string): void {
  const input = part<HTMLInputElement>(view, selector);
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

async function openFamily(app: HrApp): Promise<HrFamily> {
  location.hash = '#/family';
  const view = await viewOf(app, 'hr-family');
  await waitFor(() => view.shadowRoot!.querySelector('.household'), 8000);
  return view;
}

describe('hr-family', () => {
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
    await setNetwork(true);
    unmountAll();
    await startSignedOut();
    await setLanguage('en');
    localStorage.removeItem('homeroom.lang');
    setRoute('');
  });

  it('shows demo-guardian her household: members, e-mails, addresses and phones', async function () {
    this.timeout(30_000);
    const { app, db } = await signInAndSync('demo-guardian', ['profile', 'requests']);
    const view = await openFamily(app);
    expect(document.title).to.equal(en.title);
    const [household] = (await db.profile.find().exec()).map((doc) => doc.toJSON() as ProfileDocument);
    const names = [...view.shadowRoot!.querySelectorAll('.members li strong')].map(textOf);
    expect(names).to.deep.equal(household!.members.map((m) => `${m.preferredName || m.firstName} ${m.lastName}`));
    const emails = household!.members.map((m) => m.email).filter(Boolean);
    expect(emails.length).to.be.greaterThan(0);
    expect([...view.shadowRoot!.querySelectorAll('.members a[href^="mailto:"]')].map(textOf)).to.deep.equal(emails);
    expect(view.shadowRoot!.querySelectorAll('.addresses li').length).to.equal(household!.addresses.length);
    expect(view.shadowRoot!.querySelectorAll('.phones li').length).to.equal(household!.phones.length);
    expect(view.shadowRoot!.querySelectorAll('table.preferences tbody tr').length).to.equal(4);
    await expectNoAxeViolations();
    part<HTMLButtonElement>(view, '.change-address').click();
    await waitFor(() => view.shadowRoot!.querySelector('form.address-form'));
    await expectFitsPhone(view);
  });

  it('keeps an address change made with the API cut waiting to be sent, then pending approval', async function () {
    this.timeout(45_000);
    const { app, db, layer } = await signInAndSync('demo-guardian', ['profile', 'requests']);
    const view = await openFamily(app);
    const household = (await db.profile.findOne().exec())!.toJSON() as ProfileDocument;

    await setNetwork(false);
    part<HTMLButtonElement>(view, '.change-address').click();
    await view.updateComplete;
    const form = await waitFor(() => view.shadowRoot!.querySelector<HTMLFormElement>('form.address-form'));
    // A slip first: the ZIP code is checked on the device, and focus goes to it.
    fill(view, '#address-line1', '4410 Cedar Avenue');
    fill(view, '#address-line2', '');
    fill(view, '#address-city', 'Riverbend');
    fill(view, '#address-region', 'mn');
    fill(view, '#address-postal', '554');
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitFor(() => view.shadowRoot!.querySelector('#address-postal-error'));
    expect(textOf(part(view, '#address-postal-error'))).to.equal(en.form.errors.postalCode);
    expect(view.shadowRoot!.activeElement?.id).to.equal('address-postal');
    fill(view, '#address-postal', '55407');
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitFor(() => view.shadowRoot!.querySelector('.notice-sent'), 5000);
    expect(textOf(part(view, '.notice-sent'))).to.equal(en.form.sent);

    const [request] = (await db.requests.find({ selector: { kind: 'household_change', submittedAt: null } }).exec()).map((doc) => doc.toJSON() as RequestDocument);
    expect(request?.householdId).to.equal(household.id);
    expect(request?.payload).to.deep.equal({
      change: 'address',
      kind: 'home',
      address: { line1: '4410 Cedar Avenue', line2: null, city: 'Riverbend', region: 'MN', postalCode: '55407' },
      old: null,
    });
    await waitFor(() => requestBadge(view, request!.id) === en.requests.status.waiting, 5000);
    expect(textOf(view.shadowRoot!.querySelector(`.requests li[data-id="${request!.id}"]`))).to.include('4410 Cedar Avenue, Riverbend, MN 55407');
    await expectNoAxeViolations();

    // Back online: sent, taken, and shown pending until the office decides.
    await setNetwork(true);
    layer.sync.reSync(['requests']);
    await waitFor(() => requestBadge(view, request!.id) === en.requests.status.pending, 30_000);
    const onServer = (await serverDocuments<RequestDocument>('demo-guardian', 'requests')).find((r) => r.id === request!.id);
    expect(onServer).to.deep.include({ status: 'pending', householdId: household.id });
    expect(onServer?.submittedAt).to.be.a('string');
    expect((await getOutbox(db, 'requests')).refused).to.deep.equal([]);
  });

  it('changes a contact preference at once, waiting while offline, and the server keeps it', async function () {
    this.timeout(45_000);
    const { app, db, layer } = await signInAndSync('demo-guardian', ['profile']);
    const view = await openFamily(app);
    const me = currentMe()!;
    const household = (await db.profile.findOne().exec())!.toJSON() as ProfileDocument;
    const before = household.contactPreferences.find((c) => c.personId === me.person.id && c.purpose === 'general')!;
    const box = part<HTMLInputElement>(view, 'input[data-purpose="general"][data-channel="sms"]');
    expect(box.checked).to.equal(before.sms);
    expect(box.getAttribute('aria-label')).to.equal(`${en.preferences.channel.sms} for ${en.preferences.purpose.general}`);

    // Offline, the change is kept on the device and waits; back online, it is sent.
    await setNetwork(false);
    box.click();
    await until(async () => (await db.profile.findOne(household.id).exec())!.contactPreferences.find((c) => c.personId === me.person.id && c.purpose === 'general')!.sms === !before.sms, 5000, 'changed on the device');
    await waitFor(() => textOf(view.shadowRoot!.querySelector('.preference-status')) === en.preferences.waiting, 5000);
    await setNetwork(true);
    layer.sync.reSync(['profile']);
    await until(async () => (await getOutbox(db, 'profile')).pending.length === 0, 20_000, 'the preference is sent');
    await waitFor(() => textOf(view.shadowRoot!.querySelector('.preference-status')) === en.preferences.saved, 5000);
    const onServer = (await serverDocuments<ProfileDocument>('demo-guardian', 'profile')).find((h) => h.id === household.id)!;
    expect(onServer.contactPreferences.find((c) => c.personId === me.person.id && c.purpose === 'general')!.sms).to.equal(!before.sms);
    expect((await db.profile.findOne(household.id).exec())!.syncError).to.equal(null);
    await expectNoAxeViolations();

    // Back as it was, for the next run.
    part<HTMLInputElement>(view, 'input[data-purpose="general"][data-channel="sms"]').click();
    await until(async () => (await getOutbox(db, 'profile')).pending.length === 0, 10_000, 'the preference is sent back');
  });

  it('gives demo-student no Family tab, and no household administration', async function () {
    this.timeout(30_000);
    const { app } = await signInAndSync('demo-student', ['profile']);
    const nav = await waitFor(() => app.shadowRoot!.querySelector<HrPortalNav>('hr-portal-nav'), 5000);
    await nav.updateComplete;
    const links = [...nav.shadowRoot!.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).to.include('#/messages');
    expect(links).not.to.include('#/family');
    location.hash = '#/family';
    const view = await viewOf(app, 'hr-family');
    await waitFor(() => textOf(view.shadowRoot!.querySelector('.page .muted')) === en.guardiansOnly, 5000);
    expect(view.shadowRoot!.querySelector('form, .change-address, table.preferences')).to.equal(null);
    await expectNoAxeViolations();
  });
});
