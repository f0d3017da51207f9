import { expect } from 'chai';
import en from '../../../locales/en/today.json';
import es from '../../../locales/es/today.json';
import { setLanguage } from '../../app/i18n.ts';
import type { AssignmentDocument } from '../../../server/contract/sync/assignments.ts';
import type { FeeDocument } from '../../../server/contract/sync/fees.ts';
import type { HealthDocument } from '../../../server/contract/sync/health.ts';
import type { MessageDocument } from '../../../server/contract/sync/messages.ts';
import type { ScoreDocument } from '../../../server/contract/sync/scores.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { selectStudent } from '../../data/selected-student.ts';
import { currentMe } from '../../data/session.ts';
import { formatMoney } from '../../lib/format.ts';
import { expectNoAxeViolations, testEndpoint } from '../../test/api.ts';
import { mountApp, part, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { textOf, unmountAll, waitFor } from '../../test/dom.ts';
import { currentDataLayer } from '../../data/local-data.ts';
import { describe, it } from '../../test/mocha.ts';
import { addressRequest } from '../family/household-change.ts';
import type { HrToday } from './hr-today.ts';
import { announcementsFor, inLanguage, localIsoDate, missingImmunizationsFor, recentlyGradedFor, unpaidCentsFor } from './today-items.ts';
import { expectFitsPhone, signInAndSync } from './today-test-helpers.ts';
import { pretendNetwork, until } from '../../test/sync.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-today');

const texts = (view: HrToday, selector: string) => [...view.shadowRoot!.querySelectorAll(selector)].map(textOf);

describe('hr-today', () => {
  useAppAgainstApi(async () => {
    delete (navigator as { onLine?: boolean }).onLine;
  });

  it('shows demo-guardian the announcements that apply today and what needs her attention, per child', async function () {
    this.timeout(30_000);
    const { app, db } = await signInAndSync(demo.guardian, ['students', 'sections', 'messages', 'fees', 'health', 'requests', 'profile']);
    location.hash = '#/today';
    const today = await viewOf(app, 'hr-today');
    expect(document.title).to.equal(en.title);
    const me = currentMe()!;
    const [first] = me.students;
    selectStudent(first!.id);

    // Announcements: the running ones, in English.
    const sections = (await db.sections.find().exec()).map((doc) => doc.toJSON() as SectionDocument);
    const mine = new Set(sections.filter((s) => s.studentIds.includes(first!.id)).map((s) => s.id));
    const messages = (await db.messages.find().exec()).map((doc) => doc.toJSON() as MessageDocument);
    const expected = announcementsFor(messages, first!, mine, localIsoDate()).map((m) => m.title.en);
    expect(expected.length, 'the demo district runs announcements today').to.be.greaterThan(0);
    await waitFor(() => texts(today, '.announcement h3').length === expected.length, 5000);
    expect(texts(today, '.announcement h3')).to.deep.equal(expected);

    // Needs attention: a household change she just asked for, and the fees and immunizations on record.
    const household = await db.profile.findOne().exec();
    await db.requests.insert(addressRequest(household!.id, { kind: 'mailing', line1: '12 Elm Street', line2: '', city: 'Riverbend', region: 'MN', postalCode: '55406' }));
    await waitFor(() => today.shadowRoot!.querySelector('.attention .requests'), 5000);
    // Other tests of this run may have left requests of hers pending too: at least this one waits.
    expect(textOf(part(today, '.attention .requests'))).to.match(/^(1 request is|\d+ requests are) waiting for the school office/);
    const fees = (await db.fees.find().exec()).map((doc) => doc.toJSON() as FeeDocument);
    const health = (await db.health.find().exec()).map((doc) => doc.toJSON() as HealthDocument);
    for (const student of me.students) {
      selectStudent(student.id);
      await today.updateComplete;
      const unpaid = unpaidCentsFor(fees, student.id);
      const feeItem = today.shadowRoot!.querySelector('.attention .fees');
      if (unpaid > 0) expect(textOf(feeItem)).to.include(en.attention.fees.replace('{{amount}}', formatMoney(unpaid, 'USD', 'en')));
      else expect(feeItem).to.equal(null);
      const missing = missingImmunizationsFor(health, student.id);
      const shotItem = today.shadowRoot!.querySelector('.attention .immunizations');
      if (missing.length > 0) expect(textOf(shotItem)).to.include(missing[0]!.vaccine);
      else expect(shotItem).to.equal(null);
      expect(today.shadowRoot!.querySelector('.attention .requests'), 'household requests concern every child').to.not.equal(null);
    }
    expect(textOf(part(today, '.synced'))).to.match(/^Last updated|^Not updated yet/);
    await expectNoAxeViolations();
    await expectFitsPhone(today);
  });

  it('tells what changed: the messages of the last 14 days that concern each child, newest first, unread marked; a note about one child shows for her only', async function () {
    this.timeout(30_000);
    const { app, db } = await signInAndSync(demo.guardian, ['students', 'sections', 'messages']);
    location.hash = '#/today';
    const today = await viewOf(app, 'hr-today');
    const me = currentMe()!;
    const inbox = (await db.messages.find({ selector: { kind: 'message', folder: 'inbox' } }).exec()).map((doc) => doc.toJSON() as MessageDocument);
    const essay = inbox.find((message) => message.title.en === 'Great essay this week');
    expect(essay, 'the teacher’s note about one child').to.not.equal(undefined);
    const since = new Date(Date.parse(`${localIsoDate()}T12:00:00Z`) - 14 * 86_400_000).toISOString().slice(0, 10);
    for (const student of me.students) {
      selectStudent(student.id);
      await today.updateComplete;
      await waitFor(() => today.shadowRoot!.querySelector('section.messages'), 5000);
      const shown = [...today.shadowRoot!.querySelectorAll('section.messages li.message')];
      const titles = shown.map((item) => textOf(item.querySelector('a')));
      // Each is a message to her family from the last 14 days, about her or about no one child.
      for (const title of titles) {
        const message = inbox.find((candidate) => candidate.title.en === title)!;
        expect(message, title).to.not.equal(undefined);
        expect(message.sentAt!.slice(0, 10) >= since, title).to.equal(true);
        expect(message.aboutStudentId === null || message.aboutStudentId === student.id, title).to.equal(true);
      }
      const sent = titles.map((title) => inbox.find((candidate) => candidate.title.en === title)!.sentAt!);
      expect(sent).to.deep.equal([...sent].sort().reverse());
      expect(titles.includes(essay!.title.en), student.firstName).to.equal(essay!.aboutStudentId === student.id);
      for (const item of shown) {
        const message = inbox.find((candidate) => candidate.title.en === textOf(item.querySelector('a')))!;
        expect(item.classList.contains('unread'), message.title.en).to.equal(message.readAt === null);
      }
    }
    await expectNoAxeViolations();
  });

  it('tells what was graded: each child’s work graded in the last 14 days, newest first, with its class, score and date; work graded 20 days ago is not listed', async function () {
    this.timeout(40_000);
    const { app, db } = await signInAndSync(demo.guardian, ['students', 'sections', 'assignments', 'scores']);
    location.hash = '#/today';
    const today = await viewOf(app, 'hr-today');
    const me = currentMe()!;
    const day = localIsoDate();
    const scores = async () => (await db.scores.find().exec()).map((doc) => doc.toJSON() as ScoreDocument);
    const assignments = (await db.assignments.find().exec()).map((doc) => doc.toJSON() as AssignmentDocument);
    const sections = (await db.sections.find().exec()).map((doc) => doc.toJSON() as SectionDocument);
    // The demo district's teachers graded work lately: her busiest child shows several.
    const held = await scores();
    const counts = me.students.map((student) => recentlyGradedFor(held, assignments, student.id, day).length);
    expect(Math.max(...counts), 'work graded in the last 14 days').to.be.at.least(3);
    const child = me.students[counts.indexOf(Math.max(...counts))]!;
    // Her newest graded work is said to be graded 20 days ago, and an older one 3 days ago.
    const shownBefore = recentlyGradedFor(held, assignments, child.id, day);
    const old = shownBefore[0]!.score;
    const named = new Set(assignments.map((a) => a.id));
    const recent = held.find((s) => s.studentId === child.id && s.gradedAt !== null && named.has(s.assignmentId) && !shownBefore.some((w) => w.score.id === s.id))!;
    expect(recent, 'work graded before the last 14 days').to.not.equal(undefined);
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const moved = { [recent.id]: daysAgo(3), [old.id]: daysAgo(20) };
    for (const [scoreId, gradedAt] of Object.entries(moved)) await testEndpoint('score-graded-at', { scoreId, gradedAt });
    await until(async () => (await scores()).every((s) => !(s.id in moved) || s.gradedAt === moved[s.id]), 15_000, 'the new grading times reach the device');

    selectStudent(child.id);
    await today.updateComplete;
    const expected = recentlyGradedFor(await scores(), assignments, child.id, day);
    await waitFor(() => today.shadowRoot!.querySelectorAll('section.graded li.graded-work').length === expected.length, 5000);
    const items = [...today.shadowRoot!.querySelectorAll<HTMLElement>('section.graded li.graded-work')];
    expect(items.map((item) => item.dataset.score)).to.deep.equal(expected.map((work) => work.score.id));
    expect(items.map((item) => item.dataset.score)).to.include(recent.id);
    expect(items.map((item) => item.dataset.score)).to.not.include(old.id);
    const times = expected.map((work) => work.score.gradedAt);
    expect(times, 'newest first').to.deep.equal([...times].sort().reverse());
    // Each names the assignment and its class, the score as the Grades tab reads it, and the day.
    const item = items.find((candidate) => candidate.dataset.score === recent.id)!;
    const assignment = assignments.find((a) => a.id === recent.assignmentId)!;
    expect(textOf(item.querySelector('.assignment'))).to.equal(assignment.name);
    expect(textOf(item.querySelector('.course'))).to.equal(sections.find((s) => s.id === recent.sectionId)!.courseName);
    const value = textOf(item.querySelector('.score-value'));
    if (recent.points !== null) expect(value).to.include(`${recent.points} of ${assignment.pointsPossible}`);
    if (recent.missing) expect(value).to.include('Missing');
    if (recent.exempt) expect(value).to.include('Exempt');
    expect(textOf(item.querySelector('.detail'))).to.equal(`Graded ${new Intl.DateTimeFormat('en', { weekday: 'short', month: 'short', day: 'numeric' }).format(new Date(moved[recent.id]!))}`);
    await expectNoAxeViolations();
    await expectFitsPhone(today);
  });

  it('shows each child only the announcements of her own school, her classes and the district, each once, naming the school', async function () {
    this.timeout(30_000);
    const { app, db } = await signInAndSync(demo.guardian, ['students', 'sections', 'messages']);
    location.hash = '#/today';
    const today = await viewOf(app, 'hr-today');
    const me = currentMe()!;
    expect(new Set(me.students.map((student) => student.schoolName)).size, 'her children go to different schools').to.be.greaterThan(1);
    const running = (await db.messages.find({ selector: { kind: 'announcement' } }).exec()).map((doc) => doc.toJSON() as MessageDocument);
    let schoolPosts = 0;
    for (const student of me.students) {
      selectStudent(student.id);
      await today.updateComplete;
      await waitFor(() => texts(today, '.announcement h3').length > 0, 5000);
      const items = [...today.shadowRoot!.querySelectorAll('.announcement')];
      const titles = items.map((item) => textOf(item.querySelector('h3')));
      expect(new Set(titles).size, `${student.schoolName}: no post twice`).to.equal(titles.length);
      for (const item of items) {
        const school = item.querySelector('.school');
        if (!school) continue;
        schoolPosts += 1;
        expect(textOf(school), textOf(item.querySelector('h3'))).to.equal(student.schoolName);
      }
      // A post of another school only (never of hers, nor the district's) is not shown to her.
      const elsewhere = running.filter((m) => m.schoolId !== null && m.schoolId !== student.schoolId && m.sectionId === null)
        .filter((m) => !running.some((other) => other.title.en === m.title.en && (other.schoolId === null || other.schoolId === student.schoolId)));
      for (const post of elsewhere) expect(titles, student.schoolName).to.not.include(post.title.en);
    }
    expect(schoolPosts, 'some posts are a school’s').to.be.greaterThan(0);
  });

  it('shows a post meant for some grades only under the child in one of them: the family receives it once', async function () {
    this.timeout(30_000);
    const { app, db } = await signInAndSync(demo.guardian, ['students', 'sections', 'messages']);
    location.hash = '#/today';
    const today = await viewOf(app, 'hr-today');
    const [first, ...others] = currentMe()!.students;
    const otherGrades = others.filter((student) => student.gradeLevel !== first!.gradeLevel);
    expect(otherGrades.length, 'her children are in different grades').to.be.greaterThan(0);
    const title = `Field day for grade ${first!.gradeLevel}, ${Date.now()}`;
    const { id } = await testEndpoint<{ id: string }>('grade-announcement', { grades: [first!.gradeLevel], title, day: localIsoDate() });
    await until(async () => (await db.messages.findOne(id).exec()) !== null, 20_000, 'the grade’s post reaches the family');
    expect((await db.messages.findOne(id).exec())!.grades).to.deep.equal([first!.gradeLevel]);
    selectStudent(first!.id);
    await waitFor(() => texts(today, '.announcement h3').includes(title), 5000);
    expect(texts(today, '.announcement h3').filter((shown) => shown === title)).to.have.length(1);
    for (const other of otherGrades) {
      selectStudent(other.id);
      await today.updateComplete;
      await waitFor(() => texts(today, '.announcement h3').length > 0, 5000);
      expect(texts(today, '.announcement h3'), `grade ${other.gradeLevel}`).to.not.include(title);
    }
    selectStudent(first!.id);
    await waitFor(() => texts(today, '.announcement h3').includes(title), 5000);
  });

  it('speaks the reader’s language: announcements in Spanish, headings and the offline notice', async function () {
    this.timeout(30_000);
    const { app, db } = await signInAndSync(demo.guardian, ['students', 'messages']);
    location.hash = '#/today';
    const today = await viewOf(app, 'hr-today');
    await waitFor(() => texts(today, '.announcement h3').length > 0, 5000);
    await setLanguage('es');
    await today.updateComplete;
    expect(textOf(part(today, '#announcements-title'))).to.equal(es.announcements.title);
    const messages = (await db.messages.find({ selector: { kind: 'announcement' } }).exec()).map((doc) => doc.toJSON() as MessageDocument);
    const spanish = new Set(messages.map((m) => inLanguage(m.title, 'es')));
    expect(texts(today, '.announcement h3').every((title) => spanish.has(title))).to.equal(true);
    pretendNetwork(false);
    await today.updateComplete;
    expect(textOf(part(today, '.offline-notice'))).to.equal(es.offline);
    await expectNoAxeViolations();
    pretendNetwork(true);
    await setLanguage('en');
    await waitFor(() => currentMe()?.account.language === 'en');
  });

  it('draws a reopened day at once: nothing shown moves when the rest arrives (Lighthouse counted layout shifts of 0.1-0.56)', async function () {
    this.timeout(60_000);
    const all = ['students', 'sections', 'messages', 'grades', 'attendance', 'scores', 'assignments', 'fees', 'health', 'requests'] as const;
    await signInAndSync(demo.guardian, all);
    // Every state Today renders, read right after each render (before the browser paints): which
    // parts of the page it shows, in order.
    const parts = (view: Element) => [...view.shadowRoot!.querySelectorAll('.page > *')].map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
    const seen: string[][] = [];
    const prototype = customElements.get('hr-today')!.prototype as { render(): unknown };
    const render = prototype.render;
    prototype.render = function (this: HTMLElement) {
      const result = render.call(this);
      queueMicrotask(() => seen.push(parts(this)));
      return result;
    };
    let view: HrToday;
    try {
      // The app opened again on this device: the records are there, and each query reads them
      // from storage anew (RxDB's cache of this page's queries is emptied), one after another.
      const layer = (await currentDataLayer())!;
      unmountAll();
      for (const collection of Object.values(layer.db.collections)) (collection as unknown as { _queryCache: { _map: Map<string, unknown> } })._queryCache._map.clear();
      view = await viewOf(await mountApp('#/today'), 'hr-today');
      await waitFor(() => parts(view).includes('div.account'), 15_000);
      // Every query has answered from storage well within this (the day is synced: no pull brings more).
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await view.updateComplete;
    } finally {
      prototype.render = render;
    }
    const final = parts(view);
    expect(final).to.include('div.account');
    // Until the whole day is there, the page shows no part that the day's would push down.
    const early = seen.filter((shown) => shown.includes('div.account') && shown.join() !== final.join());
    expect(early, 'a state showing the account link above which more of the day was still to come').to.deep.equal([]);
  });

  it('gives a student their own day, with no choice of student', async function () {
    this.timeout(30_000);
    const { app } = await signInAndSync(demo.student, ['students', 'sections']);
    location.hash = '#/today';
    const today = await viewOf(app, 'hr-today');
    const switcher = part(today, 'hr-student-switcher');
    await waitFor(() => switcher.shadowRoot!.querySelector('.only'), 5000);
    expect(switcher.shadowRoot!.querySelector('select')).to.equal(null);
    await waitFor(() => today.shadowRoot!.querySelector('.attention'), 5000);
    await expectNoAxeViolations();
  });
});
