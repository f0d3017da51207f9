import { expect } from 'chai';
import en from '../../../locales/en/attendance.json';
import sync from '../../../locales/en/sync.json';
import type { AttendanceDocument } from '../../../server/contract/sync/attendance.ts';
import type { RequestDocument } from '../../../server/contract/sync/requests.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { currentDataLayer } from '../../data/local-data.ts';
import { selectStudent } from '../../data/selected-student.ts';
import { currentMe } from '../../data/session.ts';
import { expectNoAxeViolations, startSignedOut } from '../../test/api.ts';
import { expectFitsPhone, part, signInAndOpen, useAppAgainstApi } from '../../test/app.ts';
import { textOf, unmountAll, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import { cutApi, pretendNetwork, pullAll } from '../../test/sync.ts';
import { termOfMark, termsOf } from './attendance-terms.ts';
import { noteDefaultDay } from './note-day.ts';
import { setLanguage } from '../../app/i18n.ts';
import es from '../../../locales/es/attendance.json';
import esSync from '../../../locales/es/sync.json';
import type { HrAttendance } from './hr-attendance.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts), on a school day: its notes are sent for today. */
const demo = useOwnDistrict('hr-attendance', { day: 'school-day' });

const rows = (view: HrAttendance) => [...view.shadowRoot!.querySelectorAll<HTMLTableRowElement>('table.marks tbody tr')];
const noteState = (view: HrAttendance, id: string) => textOf(view.shadowRoot!.querySelector(`.notes li[data-id="${id}"] .note-state`));

async function openAttendance(username: string): Promise<HrAttendance> {
  const view = await signInAndOpen(username, '#/attendance', 'hr-attendance');
  await waitFor(() => view.shadowRoot!.querySelector('table.totals'), 8000);
  return view;
}


describe('hr-attendance', () => {
  let restoreFetch: (() => void) | undefined;

  useAppAgainstApi(async () => {
    restoreFetch?.();
    restoreFetch = undefined;
    delete (navigator as { onLine?: boolean }).onLine;
  });

  it('lists each child’s marks that are not “present”, matching the server’s count for a term', async function () {
    this.timeout(30_000);
    const view = await openAttendance(demo.guardian);
    const me = currentMe()!;
    const [marks, sections] = await Promise.all([pullAll<AttendanceDocument>('attendance'), pullAll<SectionDocument>('sections')]);
    // The child with the most absences, tardies and early releases on the server.
    const notPresent = marks.filter((mark) => mark.status !== 'present');
    const child = [...me.students].sort((a, b) => notPresent.filter((m) => m.studentId === b.id).length - notPresent.filter((m) => m.studentId === a.id).length)[0]!;
    selectStudent(child.id);
    const childSections = sections.filter((section) => section.studentIds.includes(child.id));
    const terms = termsOf(childSections);
    const sectionTerms = new Map(childSections.map((section) => [section.id, section]));
    const childMarks = notPresent.filter((mark) => mark.studentId === child.id);
    expect(childMarks.length).to.be.greaterThan(0);
    const term = terms.find((candidate) => childMarks.some((mark) => termOfMark(mark, sectionTerms, terms)?.termId === candidate.termId))!;
    const inTerm = childMarks.filter((mark) => termOfMark(mark, sectionTerms, terms)?.termId === term.termId);

    await waitFor(() => rows(view).length === childMarks.length, 8000);
    const shownInTerm = rows(view).filter((row) => row.dataset.date! >= term.termStart && row.dataset.date! <= term.termEnd);
    expect(shownInTerm.length).to.equal(inTerm.length);
    // Newest first.
    const dates = rows(view).map((row) => row.dataset.date!);
    expect([...dates].sort().reverse()).to.deep.equal(dates);
    // Codes and excuses in words, never the stored codes.
    const codes = new Set(Object.values(en.status));
    expect(rows(view).every((row) => codes.has(textOf(row.cells[2]).split(' · ')[0]!))).to.equal(true);
    expect(rows(view).every((row) => Object.values(en.excuse).includes(textOf(row.cells[3])))).to.equal(true);

    // The term's totals add up to its marks: tardies and early releases counted one by one.
    const totals = await waitFor(() => view.shadowRoot!.querySelector(`table.totals tr[data-term="${term.termId}"]`), 8000);
    const cells = [...totals.querySelectorAll('td')].map((cell) => Number(textOf(cell)));
    expect(cells[3]).to.equal(inTerm.filter((mark) => mark.status === 'tardy').length);
    expect(cells[4]).to.equal(inTerm.filter((mark) => mark.status === 'early_release').length);
    expect(cells[0]! + cells[1]! + cells[2]!).to.equal(new Set(inTerm.filter((mark) => mark.status === 'absent').map((mark) => mark.date)).size);
    await expectNoAxeViolations();
    await expectFitsPhone(view);
  });

  it('keeps an absence note written offline waiting, then pending approval once sent', async function () {
    this.timeout(30_000);
    const view = await openAttendance(demo.guardian);
    const form = part<HTMLFormElement>(view, 'form');
    part<HTMLSelectElement>(view, '#note-reason').value = 'MED';
    part<HTMLTextAreaElement>(view, '#note-text').value = 'Dentist in the morning.';

    // From the top of the tab to the form, which names the child.
    const child = currentMe()!.students[0]!;
    selectStudent(child.id);
    await view.updateComplete;
    part<HTMLButtonElement>(view, 'button.write-note').click();
    expect(view.shadowRoot!.activeElement?.id).to.equal('note-date');
    expect(textOf(part(view, '#note-form-title'))).to.contain(child.lastName);

    restoreFetch = cutApi();
    pretendNetwork(false);
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    // Offline, the form says the note waits for the network.
    await waitFor(() => textOf(view.shadowRoot!.querySelector('.saved')) === en.note.saved, 5000);
    const layer = (await currentDataLayer())!;
    const [note] = await layer.db.requests.find({ selector: { kind: 'absence_note', submittedAt: null } }).exec();
    expect(note).to.not.equal(undefined);
    expect(note!.payload).to.deep.include({ reason: 'MED', note: 'Dentist in the morning.', endDate: null, sectionIds: null });
    await waitFor(() => noteState(view, note!.id) === en.note.state.waiting, 5000);
    await expectNoAxeViolations();

    restoreFetch();
    restoreFetch = undefined;
    pretendNetwork(true);
    layer.sync.reSync(['requests']);
    try {
      await waitFor(() => noteState(view, note!.id) === en.note.state.pending, 15_000);
    } catch (error) {
      const doc = await layer.db.requests.findOne(note!.id).exec();
      throw new Error(`${noteState(view, note!.id)} ${JSON.stringify(doc?.toJSON())} ${JSON.stringify((await layer.db.getLocal('outbox-requests'))?.toJSON())}`);
    }
    // The server has it, stamped with when it arrived, as the office will see it.
    const onServer = (await pullAll<RequestDocument>('requests')).find((request) => request.id === note!.id);
    expect(onServer?.status).to.equal('pending');
    expect(onServer?.submittedAt).to.be.a('string');
    expect(onServer?.payload).to.deep.include({ reason: 'MED', note: 'Dentist in the morning.' });
    expect(noteState(view, note!.id)).to.equal(en.note.state.pending);
    // Once the school has it, the form says so.
    expect(textOf(part(view, '.saved'))).to.equal(en.note.sent);
  });

  it('never tells a guardian who is online that her note waits for the network: it is on its way, then at the school', async function () {
    this.timeout(30_000);
    const view = await openAttendance(demo.guardian);
    part<HTMLTextAreaElement>(view, '#note-text').value = 'Family trip.';
    const said: string[] = [];
    const watch = new MutationObserver(() => said.push(textOf(view.shadowRoot!.querySelector('.saved'))));
    watch.observe(view.shadowRoot!, { subtree: true, childList: true, characterData: true });
    part<HTMLFormElement>(view, 'form').querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    try {
      await waitFor(() => textOf(view.shadowRoot!.querySelector('.saved')) === en.note.sent, 15_000);
    } finally {
      watch.disconnect();
    }
    expect(said.filter((text) => text !== '' && text !== en.note.sending && text !== en.note.sent)).to.deep.equal([]);
  });

  it('shows a note the server refuses with the reason, translated', async function () {
    this.timeout(30_000);
    const view = await openAttendance(demo.guardian);
    const layer = (await currentDataLayer())!;
    const child = currentMe()!.students[0]!;
    // Written by an older copy of the app, or with a wrong clock: outside the window the server allows.
    const id = crypto.randomUUID();
    await layer.db.requests.insert({
      id, kind: 'absence_note', householdId: null, studentId: child.id, schoolId: child.schoolId, status: 'pending',
      payload: { date: '2020-01-06', endDate: null, reason: 'ILL', note: '', sectionIds: null },
      submittedAt: null, decidedAt: null, decisionNote: '', requestedByName: '', syncError: null,
    });
    selectStudent(child.id);
    const refused = `Not sent: ${sync.refused.outside_note_window}`;
    await waitFor(() => noteState(view, id) === refused, 15_000);
    await expectNoAxeViolations();
    // The server never stored it: once read, it can be dismissed.
    const dismiss = part<HTMLButtonElement>(view, `.notes li[data-id="${id}"] button.dismiss`);
    expect(textOf(dismiss)).to.equal(sync.status.dismiss);
    dismiss.click();
    await waitFor(() => !view.shadowRoot!.querySelector(`.notes li[data-id="${id}"]`), 5000);
  });

  it('shows a note for a day without school refused in the family’s language, and starts the form on a weekday', async function () {
    this.timeout(30_000);
    const view = await openAttendance(demo.guardian);
    const layer = (await currentDataLayer())!;
    const child = currentMe()!.students[0]!;
    // The Sunday before the district's school day: within the note window, but no school.
    const today = new Date(`${demo.today}T00:00:00Z`);
    const sunday = new Date(today.getTime() - today.getUTCDay() * 86_400_000).toISOString().slice(0, 10);
    const id = crypto.randomUUID();
    await layer.db.requests.insert({
      id, kind: 'absence_note', householdId: null, studentId: child.id, schoolId: child.schoolId, status: 'pending',
      payload: { date: sunday, endDate: null, reason: 'FAM', note: '', sectionIds: null },
      submittedAt: null, decidedAt: null, decisionNote: '', requestedByName: '', syncError: null,
    });
    selectStudent(child.id);
    await setLanguage('es');
    try {
      const refused = es.note.state.refused.replace('{{reason}}', esSync.refused.not_school_day);
      await waitFor(() => noteState(view, id) === refused, 15_000);
      await expectNoAxeViolations();
    } finally {
      // The demo account keeps English for the next test.
      await setLanguage('en');
      await waitFor(() => currentMe()?.account.language === 'en');
    }
    // The form starts on today on a school day; on a weekend, on the Monday after.
    expect(part<HTMLInputElement>(view, '#note-date').value).to.equal(demo.today);
    expect([noteDefaultDay('2026-12-05'), noteDefaultDay('2026-12-06'), noteDefaultDay('2026-12-07'), noteDefaultDay('2026-11-26')]).to.deep.equal(['2026-12-07', '2026-12-07', '2026-12-07', '2026-11-26']);
  });

  it('refuses a note outside the window on the device, and hides the form from a student', async function () {
    this.timeout(30_000);
    let view = await openAttendance(demo.guardian);
    const date = part<HTMLInputElement>(view, '#note-date');
    date.value = '2000-01-03';
    part<HTMLFormElement>(view, 'form').querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitFor(() => view.shadowRoot!.querySelector('.field-error'), 3000);
    expect(date.getAttribute('aria-invalid')).to.equal('true');
    expect(textOf(part(view, '.field-error'))).to.equal(en.note.errors.outsideWindow.replace('{{back}}', '30').replace('{{ahead}}', '14'));

    unmountAll();
    await startSignedOut();
    view = await openAttendance(demo.student);
    expect(view.shadowRoot!.querySelector('form')).to.equal(null);
    expect(textOf(part(view, '.absence-notes .muted'))).to.equal(en.note.studentsCannot);
    await expectNoAxeViolations();
  });
});
