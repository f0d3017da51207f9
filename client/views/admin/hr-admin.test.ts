import { expect } from 'chai';
import en from '../../../locales/en/admin.json';
import { TOOLS } from '../../../server/contract/roles.ts';
import type { HrApp } from '../../app/hr-app.ts';
import { initI18n, setLanguage } from '../../app/i18n.ts';
import { authorizedFetch, currentMe, isSignedIn } from '../../data/session.ts';
import { demoPassword, expectNoAxeViolations, preloadDataLayer, startSignedOut, useFreshAddress } from '../../test/api.ts';
import { mountApp, part, setRoute, signInThroughApp, viewOf } from '../../test/app.ts';
import { textOf, unmountAll, waitFor } from '../../test/dom.ts';
import { afterEach, before, beforeEach, describe, it } from '../../test/mocha.ts';
import { localToday } from '../office/office-queries.ts';
import type { SchoolSettings, StaffMember, ToolRight } from './admin-api.ts';
import { adminSchools, type HrAdmin } from './hr-admin.ts';

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

async function signInAs(username: string): Promise<HrApp> {
  const app = await mountApp('#/sign-in');
  await viewOf(app, 'hr-sign-in', 30_000);
  await signInThroughApp(app, username, demoPassword);
  await waitFor(() => isSignedIn() && !location.hash.includes('sign-in'), 15_000);
  return app;
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
    unmountAll();
    await startSignedOut();
    await setLanguage('en');
    setRoute('');
  });

  it('shows demo-principal the rights expiring in 30 days and renews one on the server', async function () {
    this.timeout(90_000);
    const app = await signInAs('demo-principal');
    const [school] = adminSchools(currentMe());
    expect(school).to.not.equal(undefined);
    const right = await grantShortRight(school!.id);

    location.hash = '#/admin';
    const view = await viewOf(app, 'hr-admin', 15_000);
    expect(document.title).to.equal(en.title);
    const row = await waitFor(() => view.shadowRoot!.querySelector(`table.expiring tr[data-id="${right.id}"]`), 15_000);
    expect(textOf(row.querySelector('th'))).to.equal(right.staffName);
    expect(textOf(row)).to.include(en.tool[right.tool]);
    // The server's list for the school, in the same order.
    const expiring = ((await (await authorizedFetch(`/api/admin/tool-rights/expiring?schoolId=${school!.id}`)).json()) as { rights: ToolRight[] }).rights;
    expect([...view.shadowRoot!.querySelectorAll('table.expiring tbody tr')].map((tr) => tr.getAttribute('data-id'))).to.deep.equal(expiring.map((r) => r.id));
    // The school's staff are listed with their roles.
    await waitFor(() => view.shadowRoot!.querySelectorAll('table.staff tbody tr').length > 0, 15_000);
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
  });

  it('says plainly that it needs a connection when the server cannot be reached', async function () {
    this.timeout(60_000);
    const app = await signInAs('demo-principal');
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
    const app = await signInAs('demo-admin');
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

