import { expect } from 'chai';
import en from '../../../locales/en/office.json';
import { authorizedFetch } from '../../data/session.ts';
import { expectNoAxeViolations } from '../../test/api.ts';
import { part, signInAs, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { textOf, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import type { Announcement, HrOfficeAnnouncements } from './hr-office-announcements.ts';
import { localToday } from './office-queries.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-office-announcements');

async function serverAnnouncements(): Promise<Announcement[]> {
  return ((await (await authorizedFetch('/api/staff/announcements')).json()) as { announcements: Announcement[] }).announcements;
}

function fill(view: HrOfficeAnnouncements, selector: string, value: string): void {
  const field = part<HTMLInputElement>(view, selector);
  field.value = value;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

describe('hr-office-announcements', () => {
  useAppAgainstApi();

  it('lets demo-office publish a school announcement in two languages, edit it and withdraw it', async function () {
    this.timeout(90_000);
    const app = await signInAs(demo.office);
    location.hash = '#/office-announcements';
    const view = await viewOf(app, 'hr-office-announcements', 15_000);
    expect(document.title).to.equal(en.announcements.title);
    await waitFor(() => view.shadowRoot!.querySelector('.list') || textOf(view.shadowRoot!.querySelector('#list-title + p')) === en.announcements.none, 15_000);
    // The view itself (axe's skip-link rule trips on the shell's link while this long form is shown; the shell's own tests cover it).
    await expectNoAxeViolations(view);

    const title = `Picture day ${crypto.randomUUID().slice(0, 8)}`;
    fill(view, '#title-en', title);
    fill(view, '#body-en', 'Bring a smile on Friday.');
    fill(view, '#title-es', 'Día de fotos');
    fill(view, '#body-es', 'Traigan una sonrisa el viernes.');
    fill(view, '#starts-on', localToday());
    const end = new Date(`${localToday()}T12:00:00Z`);
    end.setUTCDate(end.getUTCDate() + 7);
    fill(view, '#ends-on', end.toISOString().slice(0, 10));
    part<HTMLFormElement>(view, 'form.announcement-form').requestSubmit();
    await waitFor(() => textOf(part(view, '.announcements-status')) === en.announcements.created, 15_000);
    const created = (await serverAnnouncements()).find((a) => a.title.en === title)!;
    expect(created).to.include({ scope: 'school', startsOn: localToday() });
    expect(created.title.es).to.equal('Día de fotos');
    const item = await waitFor(() => view.shadowRoot!.querySelector(`.list li[data-id="${created.id}"]`), 10_000);
    expect(textOf(item.querySelector('h3'))).to.equal(title);

    // Edit: the form holds the announcement, focus on its English title.
    item.querySelector<HTMLButtonElement>('button.edit')!.click();
    await waitFor(() => view.shadowRoot!.activeElement?.id === 'title-en', 5000);
    expect(part<HTMLInputElement>(view, '#title-es').value).to.equal('Día de fotos');
    fill(view, '#title-en', `${title} (moved)`);
    part<HTMLFormElement>(view, 'form.announcement-form').requestSubmit();
    await waitFor(() => textOf(part(view, '.announcements-status')) === en.announcements.updated, 15_000);
    expect((await serverAnnouncements()).find((a) => a.id === created.id)!.title.en).to.equal(`${title} (moved)`);
    await expectNoAxeViolations(view);

    // Withdraw: gone from the list and from the server's.
    const moved = await waitFor(() => view.shadowRoot!.querySelector(`.list li[data-id="${created.id}"]`), 10_000);
    moved.querySelector<HTMLButtonElement>('button.withdraw')!.click();
    await waitFor(() => textOf(part(view, '.announcements-status')) === en.announcements.withdrawn, 15_000);
    await waitFor(() => view.shadowRoot!.querySelector(`.list li[data-id="${created.id}"]`) === null, 10_000);
    expect((await serverAnnouncements()).some((a) => a.id === created.id)).to.equal(false);
  });

  it('lets demo-office choose the grades a post is meant for (a fieldset of checkboxes), lists them, and says which grades her school does not teach', async function () {
    this.timeout(90_000);
    const app = await signInAs(demo.office);
    location.hash = '#/office-announcements';
    const view = await viewOf(app, 'hr-office-announcements', 15_000);
    await waitFor(() => view.shadowRoot!.querySelector('.list') || textOf(view.shadowRoot!.querySelector('#list-title + p')) === en.announcements.none, 15_000);
    const grades = part<HTMLFieldSetElement>(view, 'fieldset.grades');
    expect(textOf(grades.querySelector('legend'))).to.equal(en.announcements.fields.grades);
    const box = (label: string) => [...grades.querySelectorAll('label')].find((candidate) => textOf(candidate) === label)!.querySelector('input')!;
    expect(box('Kindergarten').type).to.equal('checkbox');

    const title = `Grade 9 and 10 assembly ${crypto.randomUUID().slice(0, 8)}`;
    fill(view, '#title-en', title);
    fill(view, '#body-en', 'In the gym after lunch.');
    box('Grade 10').click();
    box('Grade 9').click();
    part<HTMLFormElement>(view, 'form.announcement-form').requestSubmit();
    await waitFor(() => textOf(part(view, '.announcements-status')) === en.announcements.created, 15_000);
    const created = (await serverAnnouncements()).find((a) => a.title.en === title)!;
    expect(created.grades).to.deep.equal([9, 10]);
    const item = await waitFor(() => view.shadowRoot!.querySelector(`.list li[data-id="${created.id}"]`), 10_000);
    expect(textOf(item.querySelector('.grades'))).to.equal('Grade 9, Grade 10');
    await expectNoAxeViolations(view);

    // Editing keeps the grades checked; a grade the high school does not teach is refused, and said so.
    item.querySelector<HTMLButtonElement>('button.edit')!.click();
    await waitFor(() => view.shadowRoot!.activeElement?.id === 'title-en', 5000);
    const editing = part<HTMLFieldSetElement>(view, 'fieldset.grades');
    const checked = [...editing.querySelectorAll<HTMLInputElement>('input:checked')].map((input) => input.value);
    expect(checked).to.deep.equal(['9', '10']);
    [...editing.querySelectorAll('label')].find((candidate) => textOf(candidate) === 'Grade 3')!.querySelector('input')!.click();
    part<HTMLFormElement>(view, 'form.announcement-form').requestSubmit();
    await waitFor(() => textOf(part(view, '.announcements-status')) === en.announcements.gradeNotTaught.replace('{{grades}}', 'Grade 3'), 15_000);
    expect((await serverAnnouncements()).find((a) => a.id === created.id)!.grades).to.deep.equal([9, 10]);
    await expectNoAxeViolations(view);
  });
});

