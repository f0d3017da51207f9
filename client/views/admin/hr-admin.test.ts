import { setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import en from '../../../locales/en/admin.json';
import { TOOLS } from '../../../server/contract/roles.ts';
import type { HrApp } from '../../app/hr-app.ts';
import { authorizedFetch, currentMe } from '../../data/session.ts';
import { Secret, TOTP } from 'otpauth';
import { enrolSecondFactor, isSecondFactorChallenge, signIn } from '../../data/auth.ts';
import { expectNoAxeViolations, startSignedOut, staffWithoutSecondFactor } from '../../test/api.ts';
import { part, signInAs, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { formatDate } from '../../lib/format.ts';
import { textOf, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import { localToday } from '../office/office-queries.ts';
import type { SchoolSettings, StaffMember, ToolRight, Training } from './admin-api.ts';
import { adminSchools, type HrAdmin } from './hr-admin.ts';
import { addMonths, type HrStaffMember } from './hr-staff-member.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-admin');

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** An English message with its {{placeholders}} filled in. */
function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
}

function shortDay(day: string): string {
  return formatDate(`${day}T12:00:00Z`, 'en', { year: 'numeric', month: 'short', day: 'numeric' });
}

async function staffOf(schoolId: string): Promise<StaffMember[]> {
  return ((await (await authorizedFetch(`/api/admin/staff?schoolId=${schoolId}`)).json()) as { staff: StaffMember[] }).staff;
}

/** Opens the admin screen and one staff member's panel from the table's "Manage" button. */
async function openPanel(app: HrApp, member: StaffMember): Promise<{ view: HrAdmin; panel: HrStaffMember }> {
  location.hash = '#/admin';
  const view = await viewOf(app, 'hr-admin', 15_000);
  const manage = await waitFor(() => view.shadowRoot!.querySelector<HTMLButtonElement>(`table.staff tr[data-id="${member.id}"] button.manage`), 20_000);
  manage.click();
  const panel = await waitFor(() => view.shadowRoot!.querySelector('hr-staff-member'), 10_000);
  await waitFor(() => panel.shadowRoot?.querySelector('h3'), 10_000);
  expect(manage.getAttribute('aria-expanded')).to.equal('true');
  expect(textOf(part(panel, 'h3'))).to.include(`${member.firstName} ${member.lastName}`);
  // Focus moves to the panel, so a keyboard or screen-reader user lands on the forms.
  await waitFor(() => panel.shadowRoot!.activeElement === part(panel, 'h3'), 10_000);
  return { view, panel };
}

/** The panel's success notice, once it reads `text`. */
async function expectNotice(panel: HrStaffMember, text: string): Promise<void> {
  await waitFor(() => textOf(panel.shadowRoot!.querySelector('.member-status')) === text, 15_000).catch(() => {
    throw new Error(`notice was "${textOf(panel.shadowRoot!.querySelector('.member-status'))}", error "${textOf(panel.shadowRoot!.querySelector('.form-error'))}", expected "${text}"`);
  });
}

async function expectFormError(panel: HrStaffMember, formSelector: string, text: string): Promise<void> {
  await waitFor(() => textOf(panel.shadowRoot!.querySelector(`${formSelector} .form-error`)) === text, 15_000).catch(() => {
    throw new Error(`error was "${textOf(panel.shadowRoot!.querySelector('.form-error'))}", expected "${text}"`);
  });
}

/**
 * The principal grants a colleague a right that lapses in ten days (the demo school keeps every
 * right current for months, so nothing expires soon there until this).
 */
async function grantShortRight(schoolId: string): Promise<ToolRight> {
  const today = localToday();
  const { staff } = (await (await authorizedFetch(`/api/admin/staff?schoolId=${schoolId}`)).json()) as { staff: StaffMember[] };
  const me = currentMe()!;
  for (const member of staff) {
    const trained = member.trainings.some((training) => training.code === 'FERPA' && training.expiresOn >= today);
    if (!trained || member.locations.some((location) => location.role === 'principal') || member.email === me.person.email) continue;
    const tool = TOOLS.find((candidate) => !member.rights.some((right) => right.tool === candidate && right.schoolId === schoolId));
    if (!tool) continue;
    const response = await authorizedFetch('/api/admin/tool-rights', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ staffId: member.id, tool, schoolId, expiresOn: addDays(today, 10) }),
    });
    if (response.status === 201) return ((await response.json()) as { right: ToolRight }).right;
  }
  throw new Error('no colleague could be granted a right');
}

describe('hr-admin', () => {
  useAppAgainstApi();

  it('shows demo-principal the rights expiring in 30 days and renews one on the server', async function () {
    this.timeout(90_000);
    const app = await signInAs(demo.principal);
    const [school] = adminSchools(currentMe());
    expect(school).to.not.equal(undefined);
    const right = await grantShortRight(school!.id);

    location.hash = '#/admin';
    const view = await viewOf(app, 'hr-admin', 15_000);
    expect(document.title).to.equal(en.title);
    const row = await waitFor(() => view.shadowRoot!.querySelector(`table.expiring tr[data-id="${right.id}"]`), 15_000);
    expect(textOf(row.querySelector('th'))).to.equal(right.staffName);
    expect(textOf(row)).to.include(en.tool[right.tool]);
    // Trainings by their names, never their codes.
    expect(right.training?.name, 'the right names its training').to.be.a('string').and.not.equal(right.training?.code);
    expect(textOf(row)).to.include(right.training!.name);
    expect(textOf(row)).to.not.include(`${right.training!.code} `);
    // The server's list for the school, in the same order.
    const expiring = ((await (await authorizedFetch(`/api/admin/tool-rights/expiring?schoolId=${school!.id}`)).json()) as { rights: ToolRight[] }).rights;
    expect([...view.shadowRoot!.querySelectorAll('table.expiring tbody tr')].map((tr) => tr.getAttribute('data-id'))).to.deep.equal(expiring.map((r) => r.id));
    // The school's staff are listed with their roles and their trainings by name.
    await waitFor(() => view.shadowRoot!.querySelectorAll('table.staff tbody tr').length > 0, 15_000);
    const staffText = textOf(part(view, 'table.staff tbody'));
    expect(staffText).to.include(right.training!.name);
    expect(staffText).to.not.match(/\bFERPA until\b/);
    await waitFor(() => view.shadowRoot!.querySelector('form.settings'), 15_000);
    await expectNoAxeViolations();

    const until = addDays(localToday(), 200);
    const input = row.querySelector<HTMLInputElement>('input[type="date"]')!;
    expect(textOf(view.shadowRoot!.querySelector(`label[for="${input.id}"]`))).to.include(right.staffName);
    input.value = until;
    const button = row.querySelector<HTMLButtonElement>('button.renew-button')!;
    button.focus();
    button.click();
    await waitFor(() => textOf(part(view, '.renew-status')).startsWith(en.expiring.renewed.split('{{date}}')[0]!), 15_000);
    // Renewed beyond 30 days: off the list, and the server has the new date with the principal as approver.
    await waitFor(() => view.shadowRoot!.querySelector(`table.expiring tr[data-id="${right.id}"]`) === null, 15_000);
    const { staff } = (await (await authorizedFetch(`/api/admin/staff?schoolId=${school!.id}`)).json()) as { staff: StaffMember[] };
    const renewed = staff.flatMap((member) => member.rights).find((r) => r.id === right.id)!;
    expect(renewed.expiresOn).to.equal(until);
    expect(renewed.approvedOn).to.equal(localToday());

    // School settings: a stricter lockout threshold is saved on the server.
    const before = (await (await authorizedFetch(`/api/admin/schools/${school!.id}/settings`)).json()) as { settings: SchoolSettings };
    const lockout = part<HTMLInputElement>(view, '#lockout');
    lockout.value = '3';
    part<HTMLFormElement>(view, 'form.settings').requestSubmit();
    await waitFor(() => textOf(part(view, '.settings-notice')) === en.settings.saved, 15_000);
    const saved = (await (await authorizedFetch(`/api/admin/schools/${school!.id}/settings`)).json()) as { settings: SchoolSettings };
    expect(saved.settings.lockoutThreshold).to.equal(3);
    // Other tests sign in at this school: its threshold goes back.
    const restored = await authorizedFetch(`/api/admin/schools/${school!.id}/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...before.settings, lockoutThreshold: before.settings.lockoutThreshold }),
    });
    expect(restored.ok).to.equal(true);
    // And the colleague's right goes, as it was before this test.
    expect((await authorizedFetch(`/api/admin/tool-rights/${right.id}`, { method: 'DELETE' })).status).to.equal(204);
  });

  it('says plainly that it needs a connection when the server cannot be reached', async function () {
    this.timeout(60_000);
    const app = await signInAs(demo.principal);
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (new URL(url, location.href).pathname.startsWith('/api/admin/')) return Promise.reject(new TypeError('Failed to fetch'));
      return realFetch(input, init);
    };
    try {
      location.hash = '#/admin';
      const view = await viewOf(app, 'hr-admin', 15_000);
      await waitFor(() => view.shadowRoot!.querySelector('.failure'), 10_000);
      expect(textOf(part(view, '.failure span'))).to.equal(en.offline);
      await expectNoAxeViolations();
    } finally {
      window.fetch = realFetch;
    }
  });

  it('gives demo-admin, a district administrator without a school of her own, every school of the district to choose from', async function () {
    this.timeout(60_000);
    const app = await signInAs(demo.admin);
    expect(adminSchools(currentMe())).to.deep.equal([]);
    location.hash = '#/admin';
    const view = await viewOf(app, 'hr-admin', 15_000);
    const { schools } = (await (await authorizedFetch('/api/admin/schools')).json()) as { schools: Array<{ id: string; name: string }> };
    expect(schools.length).to.be.greaterThan(1);
    const select = await waitFor(() => view.shadowRoot!.querySelector<HTMLSelectElement>('select#school'), 15_000);
    expect([...select.options].map((option) => option.textContent?.trim())).to.deep.equal(schools.map((school) => school.name));
    expect(view.shadowRoot!.textContent).to.not.include(en.noSchool);
    // Choosing another school shows its staff, as the server lists them.
    const other = schools[1]!;
    select.value = other.id;
    select.dispatchEvent(new Event('change'));
    const { staff } = (await (await authorizedFetch(`/api/admin/staff?schoolId=${other.id}`)).json()) as { staff: StaffMember[] };
    await waitFor(() => view.shadowRoot!.querySelectorAll('table.staff tbody tr').length === staff.length && staff.length > 0, 15_000);
    await expectNoAxeViolations();
  });
});


describe('hr-admin staff forms', () => {
  useAppAgainstApi(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  it('records a training for a teacher, then grants her a right that shows its approver and renewal date, and withdraws it after a confirmation', async function () {
    this.timeout(120_000);
    const app = await signInAs(demo.principal);
    const [school] = adminSchools(currentMe());
    const me = currentMe()!;
    const today = localToday();
    const { trainings, requiredForRights } = (await (await authorizedFetch('/api/admin/trainings')).json()) as { trainings: Training[]; requiredForRights: string };
    const required = trainings.find((training) => training.code === requiredForRights)!;
    // A teacher with no training and no right: the seed gives teachers neither.
    const member = (await staffOf(school!.id)).reverse().find((m) => m.locations.every((l) => l.role === 'teacher') && m.trainings.length === 0 && m.rights.length === 0)!;
    expect(member, 'an untrained teacher').to.not.equal(undefined);
    const name = `${member.firstName} ${member.lastName}`;
    const { view: admin, panel } = await openPanel(app, member);

    // Without the training the server refuses, and the form says which training is needed.
    expect(textOf(part(panel, '.training-need'))).to.equal(fill(en.member.grant.trainingMissing, { training: required.name }));
    part<HTMLSelectElement>(panel, '#grant-tool').value = 'announcements';
    part<HTMLFormElement>(panel, 'form.grant').requestSubmit();
    await expectFormError(panel, 'form.grant', fill(en.member.errors.training_required, { training: required.name }));

    // A completion date the server refuses (a day ahead) is highlighted with its label.
    const completed = part<HTMLInputElement>(panel, '#training-completed');
    completed.removeAttribute('max');
    completed.value = addDays(today, 1);
    part<HTMLFormElement>(panel, 'form.record-training').requestSubmit();
    await expectFormError(panel, 'form.record-training', fill(en.member.errors.validation_failed, { fields: en.member.training.completedOn }));
    expect(completed.getAttribute('aria-invalid')).to.equal('true');
    expect(textOf(panel.shadowRoot!.getElementById(completed.getAttribute('aria-describedby')!))).to.include(en.member.training.completedOn);

    // Recorded ten days ago: valid for the training's months, as the form says before saving.
    const completedOn = addDays(today, -10);
    expect(part<HTMLSelectElement>(panel, '#training-code').value).to.equal(requiredForRights);
    completed.value = completedOn;
    completed.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    const expiresOn = addMonths(completedOn, required.validMonths);
    await waitFor(() => textOf(part(panel, '.training-expiry')) === fill(en.member.training.expiresOn_other, { date: shortDay(expiresOn), count: required.validMonths }), 5000);
    part<HTMLFormElement>(panel, 'form.record-training').requestSubmit();
    await expectNotice(panel, fill(en.member.training.done, { training: required.name, name }));
    await waitFor(() => textOf(panel.shadowRoot!.querySelector('ul.trainings')).includes(required.name), 15_000);
    expect(completed.getAttribute('aria-invalid')).to.equal('false');
    const trained = (await staffOf(school!.id)).find((m) => m.id === member.id)!;
    expect(trained.trainings.map((t) => [t.code, t.completedOn, t.expiresOn])).to.deep.equal([[requiredForRights, completedOn, expiresOn]]);
    await waitFor(() => textOf(part(panel, '.training-need')) === fill(en.member.grant.trainingCurrent, { training: required.name, date: shortDay(expiresOn) }), 15_000);

    // Granted until a chosen renewal date, approved by the principal.
    const renewal = addDays(today, 200);
    expect(part<HTMLInputElement>(panel, '#grant-expires').value).to.equal(addDays(today, 365));
    part<HTMLSelectElement>(panel, '#grant-tool').value = 'announcements';
    part<HTMLInputElement>(panel, '#grant-expires').value = renewal;
    part<HTMLFormElement>(panel, 'form.grant').requestSubmit();
    await expectNotice(panel, fill(en.member.grant.done, { tool: en.tool.announcements, name }));
    const granted = (await staffOf(school!.id)).find((m) => m.id === member.id)!.rights;
    expect(granted.map((r) => [r.tool, r.schoolId, r.expiresOn, r.approvedOn, r.approvedBy.name])).to.deep.equal([
      ['announcements', school!.id, renewal, today, `${me.person.firstName} ${me.person.lastName}`],
    ]);
    const item = await waitFor(() => panel.shadowRoot!.querySelector(`ul.rights li[data-right="${granted[0]!.id}"]`), 15_000);
    expect(textOf(item)).to.include(en.tool.announcements);
    expect(textOf(item.querySelector('.approval'))).to.equal(
      fill(en.member.approval, { name: `${me.person.firstName} ${me.person.lastName}`, approvedOn: shortDay(today), expiresOn: shortDay(renewal) }),
    );
    // The table lists it too, refreshed from the server.
    await waitFor(() => textOf(admin.shadowRoot!.querySelector(`table.staff tr[data-id="${member.id}"]`)).includes(en.tool.announcements), 15_000);
    await expectNoAxeViolations();

    // Withdraw asks first; "Keep" keeps it.
    item.querySelector<HTMLButtonElement>('button.withdraw')!.click();
    const question = await waitFor(() => item.querySelector('.confirm p'), 5000);
    expect(textOf(question)).to.equal(fill(en.member.withdraw.question, { tool: en.tool.announcements, name }));
    await waitFor(() => panel.shadowRoot!.activeElement === item.querySelector('.confirm-withdraw'), 5000);
    await expectNoAxeViolations();
    item.querySelector<HTMLButtonElement>('button.keep')!.click();
    await waitFor(() => item.querySelector('button.withdraw'), 5000);
    expect((await staffOf(school!.id)).find((m) => m.id === member.id)!.rights.length).to.equal(1);
    item.querySelector<HTMLButtonElement>('button.withdraw')!.click();
    (await waitFor(() => item.querySelector<HTMLButtonElement>('.confirm-withdraw'), 5000)).click();
    await expectNotice(panel, fill(en.member.withdraw.done, { tool: en.tool.announcements, name }));
    await waitFor(() => panel.shadowRoot!.querySelector('ul.rights') === null && panel.shadowRoot!.querySelector('.no-rights'), 15_000);
    expect((await staffOf(school!.id)).find((m) => m.id === member.id)!.rights).to.deep.equal([]);
  });

  it('shows the self-approval refusal when the principal grants herself a right, and says a connection is needed offline', async function () {
    this.timeout(90_000);
    const app = await signInAs(demo.principal);
    const [school] = adminSchools(currentMe());
    const me = currentMe()!;
    const staff = await staffOf(school!.id);
    const herself = staff.find((m) => m.email === me.person.email && m.locations.some((l) => l.role === 'principal'))!;
    expect(herself, 'the principal among the staff').to.not.equal(undefined);
    const { panel } = await openPanel(app, herself);
    // She administers one school: no district-wide rights to give.
    expect(panel.shadowRoot!.querySelector('#grant-scope')).to.equal(null);
    const tool = (['fees', 'health', 'attendance_admin'] as const).find((candidate) => !herself.rights.some((r) => r.tool === candidate))!;
    part<HTMLSelectElement>(panel, '#grant-tool').value = tool;
    part<HTMLFormElement>(panel, 'form.grant').requestSubmit();
    await expectFormError(panel, 'form.grant', en.member.errors.self_approval);
    expect(textOf(part(panel, '.member-status'))).to.equal('');
    expect((await staffOf(school!.id)).find((m) => m.id === herself.id)!.rights).to.deep.equal(herself.rights);
    await expectNoAxeViolations();

    // Offline: the form says a connection is needed, and nothing changes.
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (new URL(url, location.href).pathname.startsWith('/api/admin/')) return Promise.reject(new TypeError('Failed to fetch'));
      return realFetch(input, init);
    };
    try {
      part<HTMLFormElement>(panel, 'form.add-role').requestSubmit();
      await expectFormError(panel, 'form.add-role', en.member.errors.offline);
    } finally {
      window.fetch = realFetch;
    }
  });

  it('offers demo-admin district-wide rights, and says a school teacher has no district-wide role for one', async function () {
    this.timeout(90_000);
    const app = await signInAs(demo.admin);
    const { schools } = (await (await authorizedFetch('/api/admin/schools')).json()) as { schools: Array<{ id: string; name: string }> };
    const member = (await staffOf(schools[0]!.id)).find((m) => m.locations.every((l) => l.role === 'teacher'))!;
    const { panel } = await openPanel(app, member);
    const scope = part<HTMLSelectElement>(panel, '#grant-scope');
    expect([...scope.options].map((option) => textOf(option))).to.deep.equal([fill(en.member.grant.school, { school: schools[0]!.name }), en.member.grant.district]);
    scope.value = 'district';
    part<HTMLSelectElement>(panel, '#grant-tool').value = 'fees';
    part<HTMLFormElement>(panel, 'form.grant').requestSubmit();
    await expectFormError(panel, 'form.grant', en.member.errors.no_location);
    expect((await staffOf(schools[0]!.id)).find((m) => m.id === member.id)!.rights).to.deep.equal(member.rights);
    await expectNoAxeViolations();
  });

  it('lets demo-admin reset a colleague’s two-step sign-in after a confirmation: she sets it up again at her next sign-in', async function () {
    this.timeout(120_000);
    // A colleague with a tool right sets up her authenticator (the code from the key she was given).
    const password = 'a colleague’s long password';
    const colleague = await staffWithoutSecondFactor(password);
    const first = await signIn({ username: colleague.username, password });
    if (!first.ok || !isSecondFactorChallenge(first.body) || !first.body.enrolment) throw new Error('the colleague was not asked to enrol');
    const code = new TOTP({ secret: Secret.fromBase32(first.body.enrolment.secret) }).generate({ timestamp: Date.now() });
    expect((await enrolSecondFactor({ challenge: first.body.challenge, code })).ok).to.equal(true);
    await startSignedOut();

    const app = await signInAs(demo.admin);
    location.hash = '#/admin';
    const view = await viewOf(app, 'hr-admin', 15_000);
    const select = await waitFor(() => view.shadowRoot!.querySelector<HTMLSelectElement>('select#school'), 15_000);
    select.value = colleague.schoolId;
    select.dispatchEvent(new Event('change'));
    const member = (await staffOf(colleague.schoolId)).find((candidate) => candidate.id === colleague.staffId)!;
    expect(member.account?.secondFactor).to.equal(true);
    const { panel } = await openPanel(app, member);
    const name = `${member.firstName} ${member.lastName}`;
    expect(textOf(part(panel, '.second-factor-state'))).to.equal(en.member.secondFactor.on);
    part<HTMLButtonElement>(panel, 'button.reset-second-factor').click();
    await waitFor(() => panel.shadowRoot!.querySelector('button.confirm-reset'), 5000);
    expect(textOf(part(panel, '#reset-question'))).to.equal(fill(en.member.secondFactor.question, { name }));
    await expectNoAxeViolations(view);
    part<HTMLButtonElement>(panel, 'button.confirm-reset').click();
    await expectNotice(panel, fill(en.member.secondFactor.done, { name }));
    await waitFor(() => textOf(panel.shadowRoot!.querySelector('.second-factor-state')) === en.member.secondFactor.off, 15_000);
    // Her next sign-in sets it up again.
    const next = await signIn({ username: colleague.username, password });
    expect(next.ok && isSecondFactorChallenge(next.body) && next.body.secondFactor).to.equal('enrol');
  });

  it('adds a role at the school from tomorrow and ends it, both on the server; the same role twice is refused; fits a 320-pixel phone', async function () {
    this.timeout(120_000);
    const app = await signInAs(demo.principal);
    const [school] = adminSchools(currentMe());
    const tomorrow = addDays(localToday(), 1);
    const member = (await staffOf(school!.id)).reverse().find((m) => m.locations.length === 1 && m.locations[0]!.role === 'teacher')!;
    const name = `${member.firstName} ${member.lastName}`;
    const { view: admin, panel } = await openPanel(app, member);

    // Starting tomorrow, so the role is never in force while other tests run.
    part<HTMLSelectElement>(panel, '#role-role').value = 'nurse';
    part<HTMLInputElement>(panel, '#role-start').value = tomorrow;
    part<HTMLFormElement>(panel, 'form.add-role').requestSubmit();
    await expectNotice(panel, fill(en.member.addRole.done, { role: en.role.nurse, name, date: shortDay(tomorrow) }));
    const added = (await staffOf(school!.id)).find((m) => m.id === member.id)!.locations.find((l) => l.role === 'nurse')!;
    expect([added.startDate, added.endDate]).to.deep.equal([tomorrow, null]);
    const item = await waitFor(() => panel.shadowRoot!.querySelector(`ul.roles li[data-location="${added.id}"]`), 15_000);
    expect(textOf(item.querySelector('.period'))).to.equal(fill(en.member.since, { start: shortDay(tomorrow) }));

    // The same role again: refused with the server's reason.
    part<HTMLSelectElement>(panel, '#role-role').value = 'nurse';
    part<HTMLInputElement>(panel, '#role-start').value = tomorrow;
    part<HTMLFormElement>(panel, 'form.add-role').requestSubmit();
    await expectFormError(panel, 'form.add-role', en.member.errors.role_exists);

    // The panel and the table fit a phone's width.
    await setViewport({ width: 320, height: 640 });
    await admin.updateComplete;
    expect(document.documentElement.scrollWidth).to.be.at.most(320);
    expect(panel.getBoundingClientRect().right).to.be.at.most(320);
    for (const region of admin.shadowRoot!.querySelectorAll<HTMLElement>('.table-scroll')) expect(region.getBoundingClientRect().right).to.be.at.most(320);
    for (const control of panel.shadowRoot!.querySelectorAll<HTMLElement>('input, select, button')) expect(control.getBoundingClientRect().right).to.be.at.most(320);
    await expectNoAxeViolations();
    await setViewport({ width: 800, height: 600 });

    // Ended on its first day: the last day is saved and shown.
    const endDate = item.querySelector<HTMLInputElement>(`#end-${added.id}`)!;
    expect(endDate.value).to.equal(tomorrow);
    expect(textOf(panel.shadowRoot!.querySelector(`label[for="end-${added.id}"]`))).to.equal(fill(en.member.endRole.endDateOf, { role: en.role.nurse }));
    item.querySelector<HTMLFormElement>('form.end-role')!.requestSubmit();
    await expectNotice(panel, fill(en.member.endRole.done, { role: en.role.nurse, name, date: shortDay(tomorrow) }));
    const ended = (await staffOf(school!.id)).find((m) => m.id === member.id)!.locations.find((l) => l.id === added.id)!;
    expect(ended.endDate).to.equal(tomorrow);
    await waitFor(() => textOf(panel.shadowRoot!.querySelector(`li[data-location="${added.id}"] .period`)) === fill(en.member.period, { start: shortDay(tomorrow), end: shortDay(tomorrow) }), 15_000);
    expect(panel.shadowRoot!.querySelector(`li[data-location="${added.id}"] form.end-role`)).to.equal(null);
  });
});
