import { expect } from 'chai';
import { collections } from '../../data/database.ts';
import en from '../../../locales/en/health.json';
import so from '../../../locales/so/health.json';
import type { HealthDocument } from '../../../server/contract/sync/health.ts';
import { setLanguage } from '../../app/i18n.ts';
import { selectStudent } from '../../data/selected-student.ts';
import { authorizedFetch, currentMe } from '../../data/session.ts';
import { claimAccount } from '../../data/auth.ts';
import { expectNoAxeViolations, plantActivationKey, startSignedOut, useFreshAddress } from '../../test/api.ts';
import { expectFitsPhone, part, signInAndOpen, useAppAgainstApi } from '../../test/app.ts';
import { textOf, unmountAll, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import { missingDoses, type HrHealth } from './hr-health.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-health');

async function serverHealth(): Promise<HealthDocument[]> {
  const response = await authorizedFetch(`/api/sync/health/pull?v=${collections.health.schema.version}&limit=1000`);
  const body = (await response.json()) as { documents: Array<HealthDocument & { _deleted: boolean }> };
  return body.documents.filter((document) => !document._deleted);
}

/**
 * A family whose child the seed left short of a dose (about one student in twelve): demo
 * families are checked first, then unclaimed guardian accounts are claimed until one has one.
 */
async function nonCompliantFamily(): Promise<{ username: string; password: string; studentId: string }> {
  const password = 'a-long-health-test-passphrase';
  for (let attempt = 0; attempt < 80; attempt++) {
    if (attempt % 5 === 0) await useFreshAddress();
    const { key } = await plantActivationKey();
    const username = `health${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const claimed = await claimAccount({ key, username, password });
    if (!claimed.ok) continue;
    const response = await fetch(`/api/sync/health/pull?v=${collections.health.schema.version}&limit=1000`, { headers: { authorization: `Bearer ${claimed.body.accessToken}` } });
    const body = (await response.json()) as { documents: Array<HealthDocument & { _deleted: boolean }> };
    const lacking = body.documents.find((document) => !document._deleted && !document.compliant);
    if (lacking) return { username, password, studentId: lacking.studentId };
  }
  throw new Error('no non-compliant family found');
}

const openHealth = (username: string, password?: string): Promise<HrHealth> => signInAndOpen(username, '#/health', 'hr-health', password);


describe('hr-health', () => {
  useAppAgainstApi();

  it('says “up to date” for demo-guardian’s compliant children, and names the missing doses of a child the seed left short', async function () {
    this.timeout(90_000);
    let view = await openHealth(demo.guardian);
    const children = currentMe()!.students.map((student) => student.id);
    const complete = (await serverHealth()).find((record) => children.includes(record.studentId) && record.compliant);
    if (complete) {
      selectStudent(complete.studentId);
      await waitFor(() => view.shadowRoot!.querySelector('.compliance.good'), 8000);
      expect(textOf(part(view, '.compliance'))).to.equal(en.status.upToDate);
      expect(view.shadowRoot!.querySelectorAll('table.doses tbody tr').length).to.equal(complete.doses.length);
      await expectNoAxeViolations();
    }
    unmountAll();
    await startSignedOut();

    const family = await nonCompliantFamily();
    await startSignedOut();
    view = await openHealth(family.username, family.password);
    const lacking = (await serverHealth()).find((record) => record.studentId === family.studentId)!;
    selectStudent(lacking.studentId);
    await waitFor(() => view.shadowRoot!.querySelector('.compliance.bad'), 8000);
    const missing = missingDoses(lacking.requirements);
    expect(missing.length).to.be.greaterThan(0);
    const expected = new Intl.ListFormat('en', { style: 'long', type: 'conjunction' }).format(missing.map(({ vaccine, dose }) => `${vaccine} dose ${dose}`));
    expect(textOf(part(view, '.compliance'))).to.equal(`Missing: ${expected}`);
    for (const { vaccine } of missing) expect(textOf(part(view, `table.requirements tr[data-vaccine="${vaccine}"] td:last-child`))).to.equal(en.requirements.missing);
    expect(view.shadowRoot!.querySelectorAll('table.doses tbody tr').length).to.equal(lacking.doses.length);
    await expectNoAxeViolations();

    await setLanguage('so');
    await view.updateComplete;
    expect(textOf(part(view, 'h1'))).to.equal(so.title);
    expect(textOf(part(view, '.compliance')).startsWith('Waxaa ka maqan:')).to.equal(true);
    await expectNoAxeViolations();
  });

  it('shows a student their own record', async function () {
    this.timeout(30_000);
    const view = await openHealth(demo.student);
    await waitFor(() => view.shadowRoot!.querySelector('.compliance'), 8000);
    expect(view.shadowRoot!.querySelectorAll('table.requirements tbody tr').length).to.be.greaterThan(0);
    await expectNoAxeViolations();
    await expectFitsPhone(view);
  });
});
