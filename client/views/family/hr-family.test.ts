import { expect } from 'chai';
import en from '../../../locales/en/family.json';
import type { ProfileDocument } from '../../../server/contract/sync/profile.ts';
import type { RequestDocument } from '../../../server/contract/sync/requests.ts';
import type { StudentDocument } from '../../../server/contract/sync/students.ts';
import type { HrApp } from '../../app/hr-app.ts';
import type { HrPortalNav } from '../../components/hr-portal-nav.ts';
import { getOutbox } from '../../data/outbox.ts';
import { submitAbsenceNote } from '../../data/portal-queries.ts';
import { currentMe } from '../../data/session.ts';
import { expectNoAxeViolations } from '../../test/api.ts';
import { part, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { textOf, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import { pushesReceived, serverToday, setNetwork, until, untilServerHolds } from '../../test/sync.ts';
import { expectFitsPhone, serverDocuments, signInAndSync } from '../today/today-test-helpers.ts';
import { addressRequest } from './household-change.ts';
import type { HrFamily } from './hr-family.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts), on a school day: its tests need classes today. */
const demo = useOwnDistrict('hr-family', { day: 'school-day' });

const requestBadge = (view: HrFamily, id: string) => textOf(view.shadowRoot!.querySelector(`.requests li[data-id="${id}"] .badge`));
const requestItem = (view: HrFamily, id: string) => view.shadowRoot!.querySelector<HTMLLIElement>(`li.request[data-id="${id}"]`);
/** The element with keyboard focus inside the view. */
const focused = (view: HrFamily) => view.shadowRoot!.activeElement;

/** Waits until a request's badge reads `text`; a timeout says what the request showed instead. */
async function waitForStanding(view: HrFamily, id: string, text: string, timeout: number): Promise<void> {
  try {
    await waitFor(() => textOf(requestItem(view, id)?.querySelector('.badge')) === text, timeout);
  } catch {
    throw new Error(`request ${id} never read "${text}"; it shows: "${textOf(requestItem(view, id)) || '(not listed)'}"`);
  }
}

/** Presses "Withdraw" on a request, then the confirmation's "Yes". */
async function withdrawThroughConfirmation(view: HrFamily, id: string): Promise<void> {
  const button = await waitFor(() => requestItem(view, id)?.querySelector<HTMLButtonElement>('button.withdraw'), 5000);
  button.click();
  const confirm = await waitFor(() => requestItem(view, id)?.querySelector<HTMLButtonElement>('.confirm button.confirm-withdraw'), 5000);
  expect(button.getAttribute('aria-expanded')).to.equal('true');
  await waitFor(() => focused(view) === confirm, 3000);
  confirm.click();
}

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
  useAppAgainstApi(async () => {
    await setNetwork(true);
  });

  it('shows demo-guardian her household: members, e-mails, addresses and phones', async function () {
    this.timeout(30_000);
    const { app, db } = await signInAndSync(demo.guardian, ['profile', 'requests']);
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
    const { app, db, layer } = await signInAndSync(demo.guardian, ['profile', 'requests']);
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
    const onServer = (await serverDocuments<RequestDocument>(demo.guardian, 'requests')).find((r) => r.id === request!.id);
    expect(onServer).to.deep.include({ status: 'pending', householdId: household.id });
    expect(onServer?.submittedAt).to.be.a('string');
    expect((await getOutbox(db, 'requests')).refused).to.deep.equal([]);
  });

  it('changes a contact preference at once, waiting while offline, and the server keeps it', async function () {
    this.timeout(45_000);
    const { app, db, layer } = await signInAndSync(demo.guardian, ['profile']);
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
    const smsOnServer = (households: ProfileDocument[]) => households.find((h) => h.id === household.id)?.contactPreferences.find((c) => c.personId === me.person.id && c.purpose === 'general')?.sms;
    await untilServerHolds<ProfileDocument>(demo.guardian, 'profile', (households) => smsOnServer(households) === !before.sms, 20_000, 'the preference on the server');
    await until(async () => (await getOutbox(db, 'profile')).pending.length === 0, 10_000, 'the preference leaves the outbox');
    await waitFor(() => textOf(view.shadowRoot!.querySelector('.preference-status')) === en.preferences.saved, 5000);
    expect((await db.profile.findOne(household.id).exec())!.syncError).to.equal(null);
    await expectNoAxeViolations();

    // Back as it was, for the next run.
    part<HTMLInputElement>(view, 'input[data-purpose="general"][data-channel="sms"]').click();
    await untilServerHolds<ProfileDocument>(demo.guardian, 'profile', (households) => smsOnServer(households) === before.sms, 20_000, 'the preference back on the server');
  });

  it('gives demo-student no Family tab, and no household administration', async function () {
    this.timeout(30_000);
    const { app } = await signInAndSync(demo.student, ['profile']);
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

  it('withdraws a pending address change only after confirming, offline: waiting to be sent, then withdrawn on the server', async function () {
    this.timeout(60_000);
    const { app, db, layer } = await signInAndSync(demo.guardian, ['profile', 'requests']);
    const view = await openFamily(app);
    const household = (await db.profile.findOne().exec())!.toJSON() as ProfileDocument;

    // Not yet at the office: nothing to withdraw.
    await setNetwork(false);
    const request = addressRequest(household.id, { kind: 'mailing', line1: 'PO Box 4471', line2: '', city: 'Riverbend', region: 'MN', postalCode: '55406' });
    await db.requests.insert(request);
    await waitForStanding(view, request.id, en.requests.status.waiting, 5000);
    expect(requestItem(view, request.id)!.querySelector('button.withdraw')).to.equal(null);
    await setNetwork(true);
    layer.sync.reSync(['requests']);
    await waitForStanding(view, request.id, en.requests.status.pending, 30_000);

    // "Withdraw" asks first; keeping the request changes nothing and gives focus back.
    const button = await waitFor(() => requestItem(view, request.id)?.querySelector<HTMLButtonElement>('button.withdraw'), 5000);
    expect(textOf(button)).to.equal(en.requests.withdraw);
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    button.click();
    const panel = await waitFor(() => requestItem(view, request.id)?.querySelector('.confirm'), 5000);
    expect(textOf(panel.querySelector('p'))).to.equal(en.requests.confirmWithdraw);
    expect(textOf(panel.querySelector('.confirm-withdraw'))).to.equal(en.requests.confirmYes);
    await expectNoAxeViolations();
    panel.querySelector<HTMLButtonElement>('button.keep')!.click();
    await waitFor(() => !requestItem(view, request.id)?.querySelector('.confirm'), 3000);
    await waitFor(() => focused(view) === requestItem(view, request.id)?.querySelector('button.withdraw'), 3000);
    expect((await db.requests.findOne(request.id).exec())!.status).to.equal('pending');

    // Withdrawn offline: kept on the device, waiting to be sent.
    await setNetwork(false);
    await withdrawThroughConfirmation(view, request.id);
    await waitForStanding(view, request.id, en.requests.status.withdrawing, 5000);
    expect((await db.requests.findOne(request.id).exec())!.status).to.equal('withdrawn');
    expect((await getOutbox(db, 'requests')).pending).to.include(request.id);
    expect(requestItem(view, request.id)!.querySelector('button.withdraw, .confirm')).to.equal(null);
    await waitFor(() => focused(view) === requestItem(view, request.id), 3000);
    await expectNoAxeViolations();

    // Back online: the office no longer has it to decide.
    await setNetwork(true);
    layer.sync.reSync(['requests']);
    await waitForStanding(view, request.id, en.requests.status.withdrawn, 30_000);
    const onServer = (await serverDocuments<RequestDocument>(demo.guardian, 'requests')).find((r) => r.id === request.id);
    expect(onServer).to.deep.include({ status: 'withdrawn', householdId: household.id });
    const outbox = await getOutbox(db, 'requests');
    expect(outbox.pending).not.to.include(request.id);
    expect(outbox.refused).to.deep.equal([]);
  });

  it('lists her children\'s absence notes and withdraws a pending one', async function () {
    this.timeout(60_000);
    const { app, db } = await signInAndSync(demo.guardian, ['profile', 'requests', 'students']);
    const view = await openFamily(app);
    const student = (await db.students.find().exec()).map((doc) => doc.toJSON() as StudentDocument).find((s) => s.gradeLevel >= 9)!;
    const pushesBefore = await pushesReceived('requests');
    const id = await submitAbsenceNote(db, student, { date: serverToday(), endDate: null, reason: 'MED', note: 'Dentist at nine.', sectionIds: null });
    // Sent (a push since, and nothing waiting): only then is it the office's to decide, or hers to withdraw.
    await until(async () => (await pushesReceived('requests')) > pushesBefore && !(await getOutbox(db, 'requests')).pending.includes(id), 30_000, 'the note reaches the server');
    await waitForStanding(view, id, en.notes.status.pending, 5000);
    const item = requestItem(view, id)!;
    expect(textOf(item)).to.include(`${student.preferredName || student.firstName} ${student.lastName}`);
    expect(textOf(item)).to.include('Dentist at nine.');
    // The seeded note the office approved stays as it is: nothing to withdraw.
    const approved = [...view.shadowRoot!.querySelectorAll('.absence-notes li.request')].filter((li) => textOf(li.querySelector('.badge')) === en.notes.status.approved);
    expect(approved.length).to.be.greaterThan(0);
    for (const li of approved) expect(li.querySelector('button.withdraw')).to.equal(null);

    await withdrawThroughConfirmation(view, id);
    await waitForStanding(view, id, en.notes.status.withdrawn, 30_000);
    const onServer = (await serverDocuments<RequestDocument>(demo.guardian, 'requests')).find((r) => r.id === id);
    expect(onServer).to.deep.include({ status: 'withdrawn', kind: 'absence_note', studentId: student.id });
    await expectNoAxeViolations();
    await expectFitsPhone(view);
  });
});
