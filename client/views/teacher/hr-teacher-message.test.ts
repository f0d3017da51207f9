import { sendKeys } from '@web/test-runner-commands';
import { expect } from 'chai';
import en from '../../../locales/en/teacher.json';
import type { MessageDocument } from '../../../server/contract/sync/messages.ts';
import { SECTIONS_SCHEMA_VERSION, type SectionDocument } from '../../../server/contract/sync/sections.ts';
import type { StudentDocument } from '../../../server/contract/sync/students.ts';
import type { HrApp } from '../../app/hr-app.ts';
import { hashParams } from '../../app/views.ts';
import { currentDataLayer } from '../../data/local-data.ts';
import { demoPassword, expectNoAxeViolations, startSignedOut } from '../../test/api.ts';
import { mountApp, part, signInThroughApp, type, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { textOf, unmountAll, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import { setNetwork } from '../../test/sync.ts';
import { expectFitsPhone, serverDocuments } from '../today/today-test-helpers.ts';
import type { HrTeacher } from './hr-teacher.ts';
import type { HrTeacherMessage } from './hr-teacher-message.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts), on a school day: its tests need classes today. */
const demo = useOwnDistrict('hr-teacher-message', { day: 'school-day' });

async function openWorkspace(): Promise<{ app: HrApp; view: HrTeacher }> {
  const app = await mountApp('#/sign-in');
  await signInThroughApp(app, demo.teacher, demoPassword);
  const view = await viewOf(app, 'hr-teacher', 15_000);
  await waitFor(() => view.shadowRoot!.querySelector('table.roster tbody tr td.message a'), 15_000);
  return { app, view };
}

const sectionCards = (view: HrTeacher) => [...view.shadowRoot!.querySelectorAll<HTMLElement>('section.card')];

/** The screen once it shows its form (or its refusal) for the route in the address. */
async function composeView(app: HrApp): Promise<HrTeacherMessage> {
  const view = await viewOf(app, 'hr-teacher-message', 10_000);
  await waitFor(() => view.shadowRoot!.querySelector('form, .not-yours'), 10_000);
  return view;
}

const text = (view: HrTeacherMessage, selector: string) => textOf(view.shadowRoot!.querySelector(selector));
const fill = (view: HrTeacherMessage, subject: string, body: string) => {
  type(view, '#subject', subject);
  type(view, '#body', body);
};
const fieldValue = (view: HrTeacherMessage, selector: string) => part<HTMLInputElement>(view, selector).value;

function sentText(count: number): string {
  return (count === 1 ? en.compose.sent_one : en.compose.sent_other).replace('{{count}}', String(count));
}

/** The number of guardians the success notice names, once it shows. */
async function sentCount(view: HrTeacherMessage): Promise<number> {
  const notice = await waitFor(() => view.shadowRoot!.querySelector('.sent-status .sent'), 15_000);
  const count = Number(/\d+/.exec(textOf(notice))?.[0]);
  expect(textOf(notice)).to.equal(sentText(count));
  return count;
}

describe('hr-teacher-message', () => {
  useAppAgainstApi(async () => {
    await setNetwork(true);
  });

  it('writes to the guardians of a class, and of one student, and the server delivers each to the right families', async function () {
    this.timeout(120_000);
    // demo-student is demo-guardian's child and in one of demo-teacher's classes.
    const child = (await serverDocuments<StudentDocument>(demo.student, 'students')).find((student) => student.relation === 'self');
    expect(child, 'demo-student’s own record').to.not.equal(undefined);
    await startSignedOut(); // that sign-in's cookie would otherwise open the app as demo-student

    const { app, view } = await openWorkspace();
    await expectNoAxeViolations();
    const card = sectionCards(view).find((candidate) => candidate.querySelector(`td.message a[href*="student=${child!.id}"]`));
    expect(card, 'a class of demo-student among demo-teacher’s classes today').to.not.equal(undefined);
    const course = textOf(card!.querySelector('h2'));
    const rows = [...card!.querySelectorAll<HTMLTableRowElement>('table.roster tbody tr')];
    const classLink = card!.querySelector<HTMLAnchorElement>('a.message-families')!;
    expect(textOf(classLink)).to.equal(en.compose.link.section);
    const sectionId = hashParams(classLink.getAttribute('href')!).get('section')!;

    classLink.click();
    const compose = await composeView(app);
    expect(location.hash).to.equal(`#/message?section=${sectionId}`);
    expect(document.title).to.equal(en.compose.title);
    expect(text(compose, 'h1')).to.equal(en.compose.heading);
    expect(text(compose, '.recipients .to')).to.equal(
      (rows.length === 1 ? en.compose.recipients.section_one : en.compose.recipients.section_other).replace('{{count}}', String(rows.length)).replace('{{course}}', course),
    );
    expect(text(compose, '.language-note')).to.equal(en.compose.languageNote);
    expect(text(compose, 'label[for="subject"]')).to.equal(en.compose.subject);
    expect(text(compose, 'label[for="body"]')).to.equal(en.compose.body);
    expect(part<HTMLInputElement>(compose, '#subject').maxLength).to.equal(200);
    expect(part<HTMLTextAreaElement>(compose, '#body').maxLength).to.equal(20_000);
    await expectNoAxeViolations();

    // Sent empty: each field says what it needs, and nothing leaves the device.
    part<HTMLButtonElement>(compose, 'button[type="submit"]').click();
    await waitFor(() => part(compose, '#subject').getAttribute('aria-invalid') === 'true', 5000);
    expect(text(compose, '#subject-error')).to.equal(en.compose.errors.subjectRequired);
    expect(text(compose, '#body-error')).to.equal(en.compose.errors.bodyRequired);
    expect(compose.shadowRoot!.activeElement).to.equal(part(compose, '#subject'));
    expect(compose.shadowRoot!.querySelector('.sent-status .sent')).to.equal(null);
    await expectNoAxeViolations();

    // Written and sent with the keyboard alone.
    const stamp = Date.now();
    const subject = `Field trip on Friday ${stamp}`;
    const body = `Please sign the permission slip by Thursday. (${stamp})`;
    await sendKeys({ type: subject });
    await sendKeys({ press: 'Tab' });
    expect(compose.shadowRoot!.activeElement).to.equal(part(compose, '#body'));
    await sendKeys({ type: body });
    await sendKeys({ press: 'Tab' });
    expect(compose.shadowRoot!.activeElement).to.equal(part(compose, 'button[type="submit"]'));
    await sendKeys({ press: 'Enter' });
    const classCount = await sentCount(compose);
    expect(classCount).to.be.greaterThan(0);
    expect(fieldValue(compose, '#subject')).to.equal('');
    expect(fieldValue(compose, '#body')).to.equal('');
    await expectFitsPhone(compose);

    // One student of the same class (not demo-guardian's child), from the roster's row link.
    location.hash = '#/teacher';
    const again = await viewOf(app, 'hr-teacher');
    const otherRow = await waitFor(() =>
      [...again.shadowRoot!.querySelectorAll<HTMLAnchorElement>(`td.message a[href^="#/message?section=${sectionId}&student="]`)].find(
        (link) => !link.getAttribute('href')!.endsWith(child!.id),
      ),
    );
    const otherId = hashParams(otherRow.getAttribute('href')!).get('student')!;
    const otherName = textOf(otherRow.closest('tr')!.querySelector('th'));
    expect(textOf(otherRow)).to.equal(`${en.compose.link.student} ${otherName}`);
    otherRow.click();
    const single = await composeView(app);
    await waitFor(() => text(single, '.recipients .to') === en.compose.recipients.student.replace('{{student}}', otherName), 5000);
    const aboutOne = `Reading log ${stamp}`;
    fill(single, aboutOne, `Your child's reading log is missing this week. (${stamp})`);
    part<HTMLButtonElement>(single, 'button[type="submit"]').click();
    const studentCount = await sentCount(single);
    expect(studentCount).to.be.greaterThan(0);
    expect(studentCount).to.be.at.most(classCount);

    // What the families pull: demo-guardian has the class message, not the other student's.
    unmountAll();
    await startSignedOut();
    const inbox = (await serverDocuments<MessageDocument>(demo.guardian, 'messages')).filter((message) => message.folder === 'inbox');
    const delivered = inbox.find((message) => message.title.en === subject);
    expect(delivered, 'the class message in demo-guardian’s inbox').to.not.equal(undefined);
    expect(delivered).to.deep.include({ kind: 'message', sectionId, aboutStudentId: null, readAt: null });
    expect(delivered!.body.en).to.equal(body);
    expect(inbox.some((message) => message.title.en === aboutOne)).to.equal(false);
    const sent = (await serverDocuments<MessageDocument>(demo.teacher, 'messages')).filter((message) => message.folder === 'sent');
    expect(sent.find((message) => message.title.en === aboutOne)).to.deep.include({ sectionId: null, aboutStudentId: otherId });
  });

  it('keeps the draft when the network is gone, sends it once back, and refuses a class that is not hers', async function () {
    this.timeout(120_000);
    // A class of demo-teacher's school that she does not teach: the office sees every one.
    const schoolSections = await serverDocuments<SectionDocument>(demo.office, 'sections', SECTIONS_SCHEMA_VERSION);
    await startSignedOut(); // that sign-in's cookie would otherwise open the app as demo-office
    const { app, view } = await openWorkspace();
    const layer = (await currentDataLayer())!;
    const mine = new Set((await layer.db.sections.find().exec()).map((section) => section.id));
    const foreign = schoolSections.find((section) => !mine.has(section.id) && !(section as { _deleted?: boolean })._deleted);
    expect(foreign, 'a class demo-teacher does not teach').to.not.equal(undefined);

    const rowLink = sectionCards(view)[0]!.querySelector<HTMLAnchorElement>('td.message a')!;
    const name = textOf(rowLink.closest('tr')!.querySelector('th'));
    const sectionId = hashParams(rowLink.getAttribute('href')!).get('section')!;
    rowLink.click();
    const compose = await composeView(app);
    expect(text(compose, '.recipients .to')).to.equal(en.compose.recipients.student.replace('{{student}}', name));
    const subject = `Parent conference ${Date.now()}`;
    const body = 'Could we meet next week to talk about the science project?';
    fill(compose, subject, body);

    await setNetwork(false);
    part<HTMLButtonElement>(compose, 'button[type="submit"]').click();
    await waitFor(() => text(compose, '.failure') === en.compose.errors.offline, 15_000);
    expect(fieldValue(compose, '#subject')).to.equal(subject);
    expect(fieldValue(compose, '#body')).to.equal(body);
    expect(compose.shadowRoot!.querySelector('.sent-status .sent')).to.equal(null);
    await expectNoAxeViolations();

    await setNetwork(true);
    part<HTMLButtonElement>(compose, 'button[type="submit"]').click();
    expect(await sentCount(compose)).to.be.greaterThan(0);
    expect(text(compose, '.failure')).to.equal('');
    expect(fieldValue(compose, '#subject')).to.equal('');

    // Not her class: said plainly, with no form to send.
    location.hash = `#/message?section=${foreign!.id}`;
    await waitFor(() => text(compose, '.not-yours') === en.compose.notYours, 5000);
    expect(compose.shadowRoot!.querySelector('form')).to.equal(null);
    await expectNoAxeViolations();

    // Her class, but a student who is not on its roster.
    location.hash = `#/message?section=${sectionId}&student=${crypto.randomUUID()}`;
    await waitFor(() => text(compose, '.not-yours') === en.compose.notInClass, 5000);
    expect(compose.shadowRoot!.querySelector('form')).to.equal(null);
  });

  it('is reached from the gradebook’s selected student', async function () {
    this.timeout(90_000);
    const { app, view } = await openWorkspace();
    const sectionIds = sectionCards(view).map((card) => hashParams(card.querySelector<HTMLAnchorElement>('a.message-families')!.getAttribute('href')!).get('section')!);
    let link: HTMLAnchorElement | undefined;
    // The first class with coursework, where the gradebook selects a score and its student.
    for (const sectionId of sectionIds) {
      location.hash = `#/gradebook?section=${sectionId}`;
      const book = await viewOf(app, 'hr-teacher-gradebook');
      try {
        link = await waitFor(() => book.shadowRoot!.querySelector<HTMLAnchorElement>('a.message-guardians'), 8000);
        break;
      } catch {
        location.hash = '#/teacher';
        await viewOf(app, 'hr-teacher');
      }
    }
    expect(link, 'a class with a gradebook').to.not.equal(undefined);
    const studentId = hashParams(link!.getAttribute('href')!).get('student')!;
    const [before, after] = en.compose.link.studentNamed.split('{{student}}') as [string, string];
    expect(textOf(link).startsWith(before) && textOf(link).endsWith(after), textOf(link)).to.equal(true);
    const name = textOf(link).slice(before.length, textOf(link).length - after.length);
    link!.click();
    const compose = await composeView(app);
    expect(hashParams(location.hash).get('student')).to.equal(studentId);
    expect(text(compose, '.recipients .to')).to.equal(en.compose.recipients.student.replace('{{student}}', name));
  });
});
