import { expect } from 'chai';
import { collections } from '../../data/database.ts';
import attendanceEn from '../../../locales/en/attendance.json';
import en from '../../../locales/en/office.json';
import portalEn from '../../../locales/en/portal.json';
import type { AttendanceDocument } from '../../../server/contract/sync/attendance.ts';
import type { ProfileDocument } from '../../../server/contract/sync/profile.ts';
import type { RequestDocument } from '../../../server/contract/sync/requests.ts';
import type { HrApp } from '../../app/hr-app.ts';
import { getOutbox } from '../../data/outbox.ts';
import { demoPassword, expectNoAxeViolations, signInWithCode, startSignedOut } from '../../test/api.ts';
import { part, signInAndSync, signInAs, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { textOf, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import { holdPulls, pullAll, serverMark, setNetwork, until, untilFirstSync, untilServerMark } from '../../test/sync.ts';
import type { HrOffice } from './hr-office.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts), on a school day: its tests need classes today. */
const demo = useOwnDistrict('hr-office', { day: 'school-day' });

async function tokenOf(username: string): Promise<string> {
  const session = await signInWithCode({ username, password: demoPassword });
  if (!session.ok) throw new Error(`sign-in failed: ${session.code}`);
  return session.body.accessToken;
}

/** demo-guardian asks, from her own phone, for a new home address: a pending household change. */
async function requestAddressChange(): Promise<string> {
  const token = await tokenOf(demo.guardian);
  const [household] = await pullAll<ProfileDocument>('profile', await tokenOf(demo.guardian));
  const id = crypto.randomUUID();
  const request: RequestDocument = {
    id,
    kind: 'household_change',
    householdId: household!.id,
    studentId: null,
    schoolId: null,
    payload: { change: 'address', kind: 'home', address: { line1: '2718 Linden Street', line2: null, city: 'Riverbend', region: 'MN', postalCode: '55408' }, old: null },
    status: 'pending',
    submittedAt: null,
    decidedAt: null,
    decisionNote: '',
    requestedByName: '',
    syncError: null,
  };
  const response = await fetch(`/api/sync/requests/push?v=${collections.requests.schema.version}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify([{ newDocumentState: { ...request, _deleted: false }, assumedMasterState: null }]),
  });
  expect(response.ok).to.equal(true);
  expect(await response.json()).to.deep.equal([]);
  return id;
}

async function openOffice(app: HrApp): Promise<HrOffice> {
  location.hash = '#/office';
  return viewOf(app, 'hr-office');
}

describe('hr-office', () => {
  useAppAgainstApi(async () => {
    await setNetwork(true);
  });

  it('says the day is loading until attendance has synced once, never “no absences” before, then when it last synced; no link to a screen the office may not use', async function () {
    this.timeout(60_000);
    // The device's first attendance pull is held: every other collection syncs.
    const release = holdPulls('attendance');
    let view: HrOffice;
    try {
      const app = await signInAs(demo.office);
      view = await openOffice(app);
      await untilFirstSync(['students', 'sections', 'requests']);
      await view.updateComplete;
      const day = view.shadowRoot!.querySelector('section[aria-labelledby="day-title"]')!;
      expect(day.querySelector('.loading'), 'the day says it is loading').to.not.equal(null);
      expect(day.querySelector('.none'), 'no "no absences" before the marks are here').to.equal(null);
      expect(textOf(part(view, '.synced'))).to.equal(portalEn.status.never);
      // demo-office holds no staff administration right: no link to it.
      expect(view.shadowRoot!.querySelector('a[href="#/admin"]')).to.equal(null);
      await expectNoAxeViolations();
    } finally {
      release();
    }
    await waitFor(() => view.shadowRoot!.querySelector('section[aria-labelledby="day-title"] .loading') === null, 30_000);
    await waitFor(() => /^Last updated/.test(textOf(view.shadowRoot!.querySelector('.synced'))), 10_000);
  });

  it('shows demo-office a school day’s absences and excuses one, which the server then holds as excused', async function () {
    this.timeout(150_000);
    const { app, db } = await signInAndSync(demo.office, ['attendance', 'students', 'requests']);
    // Office staff land on the office's day.
    await waitFor(() => location.hash === '#/office', 10_000);
    const view = await openOffice(app);
    expect(document.title).to.equal(en.title);

    // The newest school day with an absence not yet excused (today, on a school day).
    const open = (await db.attendance.find({ selector: { status: 'absent', excuse: { $ne: 'excused' } } }).exec()).map((doc) => doc.toJSON() as AttendanceDocument);
    expect(open.length).to.be.greaterThan(0);
    const day = open.map((mark) => mark.date).sort().at(-1)!;
    const dayMarks = (await db.attendance.find({ selector: { date: day, status: { $ne: 'present' } } }).exec()).length;
    const input = part<HTMLInputElement>(view, '#day');
    input.value = day;
    input.dispatchEvent(new Event('change'));
    await waitFor(() => view.shadowRoot!.querySelectorAll('table.marks tbody tr').length === dayMarks, 5000);

    const mark = open.find((candidate) => candidate.date === day)!;
    const row = () => part(view, `table.marks tr[data-id="${mark.id}"]`);
    const student = (await db.students.findOne(mark.studentId).exec())!;
    expect(textOf(row().querySelector('th'))).to.include(student.lastName);
    expect(textOf(row().querySelector('td.excuse'))).to.include(attendanceEn.excuse[mark.excuse]);
    await expectNoAxeViolations();

    // Keyboard-reachable button, then a form with the district's reason codes.
    const button = row().querySelector<HTMLButtonElement>('button.excuse-button')!;
    button.focus();
    button.click();
    const form = await waitFor(() => row().querySelector<HTMLFormElement>('form.excuse-form'));
    form.querySelector<HTMLSelectElement>('select')!.value = 'MED';
    form.querySelector<HTMLTextAreaElement>('textarea')!.value = 'Clinic note brought to the office.';
    await expectNoAxeViolations();
    form.requestSubmit();

    await waitFor(() => textOf(row().querySelector('td.excuse')).includes(attendanceEn.reason.MED), 5000);
    expect(textOf(row().querySelector('td.excuse'))).to.include(attendanceEn.excuse.excused);
    // Never read as saved before the school has it: waiting to be sent, or already on the server.
    const waiting = (await getOutbox(db, 'attendance')).pending.includes(mark.id);
    expect(waiting || (await serverMark(mark.id))?.excuse === 'excused', 'waiting, or on the server').to.equal(true);
    // Sent: the server has the office's decision, and then nothing waits in the outbox.
    await untilServerMark(mark.id, (stored) => stored.excuse === 'excused', 30_000, 'the excuse on the server');
    await until(async () => !(await getOutbox(db, 'attendance')).pending.includes(mark.id), 15_000, 'the excuse leaves the outbox');
    const onServer = (await pullAll<AttendanceDocument>('attendance', await tokenOf(demo.office))).find((candidate) => candidate.id === mark.id)!;
    expect(onServer).to.include({ excuse: 'excused', reasonCode: 'MED', comment: 'Clinic note brought to the office.', syncError: null });
    expect(row().querySelector('.mark-state')).to.equal(null);
  });

  it('keeps an excuse made with the network down waiting to be sent, then sends it', async function () {
    this.timeout(150_000);
    const { app, db } = await signInAndSync(demo.office, ['attendance', 'students']);
    const view = await openOffice(app);
    const open = (await db.attendance.find({ selector: { status: { $ne: 'present' }, excuse: { $ne: 'excused' } } }).exec()).map((doc) => doc.toJSON() as AttendanceDocument);
    const mark = open.sort((a, b) => b.date.localeCompare(a.date))[0]!;
    const input = part<HTMLInputElement>(view, '#day');
    input.value = mark.date;
    input.dispatchEvent(new Event('change'));
    const row = () => part(view, `table.marks tr[data-id="${mark.id}"]`);
    await waitFor(() => view.shadowRoot!.querySelector(`table.marks tr[data-id="${mark.id}"]`), 5000);

    await setNetwork(false);
    row().querySelector<HTMLButtonElement>('button.excuse-button')!.click();
    const form = await waitFor(() => row().querySelector<HTMLFormElement>('form.excuse-form'));
    form.querySelector<HTMLSelectElement>('select')!.value = 'FAM';
    form.requestSubmit();
    await waitFor(() => textOf(row().querySelector('.mark-state')) === en.day.state.waiting, 10_000);
    await expectNoAxeViolations();

    await setNetwork(true);
    await untilServerMark(mark.id, (stored) => stored.excuse === 'excused', 60_000, 'the excuse on the server');
    await until(async () => !(await getOutbox(db, 'attendance')).pending.includes(mark.id), 15_000, 'the excuse leaves the outbox');
    await waitFor(() => row().querySelector('.mark-state') === null, 5000);
    const onServer = (await pullAll<AttendanceDocument>('attendance', await tokenOf(demo.office))).find((candidate) => candidate.id === mark.id)!;
    expect(onServer).to.include({ excuse: 'excused', reasonCode: 'FAM' });
  });

  it('approves a household change with old and new values side by side, and the server applies it', async function () {
    this.timeout(150_000);
    const requestId = await requestAddressChange();
    // The guardian's sign-in left her refresh cookie: this page starts signed out again.
    await startSignedOut();
    const { app, db } = await signInAndSync(demo.office, ['requests']);
    const view = await openOffice(app);
    const item = await waitFor(() => view.shadowRoot!.querySelector(`.household li[data-id="${requestId}"]`), 15_000);
    expect(textOf(item.querySelector('caption'))).to.equal(en.household.change.address.replace('{{kind}}', en.household.kind.home));
    expect(textOf(item.querySelector('td.new'))).to.include('2718 Linden Street');
    // The server filled in what is on record now.
    const stored = (await db.requests.findOne(requestId).exec())!.toJSON() as RequestDocument;
    const old = (stored.payload as { old: { line1: string } | null }).old;
    expect(textOf(item.querySelector('td.old'))).to.include(old ? old.line1 : en.household.notOnRecord);
    await expectNoAxeViolations();

    item.querySelector<HTMLTextAreaElement>('textarea')!.value = 'Checked with a utility bill.';
    item.querySelector<HTMLButtonElement>('button.approve')!.click();
    // The server holds the decision and when it was made; then nothing waits in the outbox.
    const officeToken = await tokenOf(demo.office);
    let decided: RequestDocument | undefined;
    await until(
      async () => (decided = (await pullAll<RequestDocument>('requests', officeToken)).find((request) => request.id === requestId))?.status === 'approved',
      30_000,
      'the decision on the server',
    );
    await until(async () => !(await getOutbox(db, 'requests')).pending.includes(requestId), 15_000, 'the decision leaves the outbox');
    expect(decided!).to.include({ status: 'approved', decisionNote: 'Checked with a utility bill.' });
    expect(decided!.decidedAt).to.not.equal(null);
    // No longer waiting for a decision.
    await waitFor(() => view.shadowRoot!.querySelector(`.household li[data-id="${requestId}"]`) === null, 5000);
    // The family sees the new address in the household.
    const [household] = await pullAll<ProfileDocument>('profile', await tokenOf(demo.guardian));
    expect(JSON.stringify(household!.addresses)).to.include('2718 Linden Street');
  });
});
