import { expect } from 'chai';
import { collections } from '../../data/database.ts';
import en from '../../../locales/en/fees.json';
import type { FeeDocument } from '../../../server/contract/sync/fees.ts';
import { setLanguage } from '../../app/i18n.ts';
import { selectStudent } from '../../data/selected-student.ts';
import { authorizedFetch, currentMe } from '../../data/session.ts';
import { formatMoney } from '../../lib/format.ts';
import { expectNoAxeViolations } from '../../test/api.ts';
import { expectFitsPhone, part, signInAndOpen, useAppAgainstApi } from '../../test/app.ts';
import { textOf, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import type { HrFees } from './hr-fees.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-fees');

/** As `textOf` reads it: Intl's no-break spaces collapse to plain ones. */
const usd = (cents: number, locale = 'en') => formatMoney(cents, 'USD', locale).replace(/\s+/g, ' ');
const cents = (row: Element, cell: string) => textOf(row.querySelector(`td.${cell}`));

async function serverFees(): Promise<FeeDocument[]> {
  const response = await authorizedFetch(`/api/sync/fees/pull?v=${collections.fees.schema.version}&limit=1000`);
  const body = (await response.json()) as { documents: Array<FeeDocument & { _deleted: boolean }> };
  return body.documents.filter((document) => !document._deleted);
}

const openFees = (username: string): Promise<HrFees> => signInAndOpen(username, '#/fees', 'hr-fees');


describe('hr-fees', () => {
  useAppAgainstApi();

  it('lists each child’s fees, and the totals add up per child and for the family', async function () {
    this.timeout(30_000);
    const view = await openFees(demo.guardian);
    const fees = await serverFees();
    const students = currentMe()!.students;
    const child = [...students].sort((a, b) => fees.filter((f) => f.studentId === b.id).length - fees.filter((f) => f.studentId === a.id).length)[0]!;
    const childFees = fees.filter((fee) => fee.studentId === child.id);
    expect(childFees.length).to.be.greaterThan(0);
    selectStudent(child.id);
    await waitFor(() => view.shadowRoot!.querySelectorAll('table.fees tbody tr').length === childFees.length, 8000);

    // Each fee as the office recorded it, in dollars.
    for (const fee of childFees) {
      const row = part<HTMLTableRowElement>(view, `table.fees tr[data-id="${fee.id}"]`);
      expect(cents(row, 'amount')).to.equal(usd(fee.amountCents));
      expect(cents(row, 'paid')).to.equal(usd(fee.paidCents));
      expect(cents(row, 'balance')).to.equal(usd(fee.balanceCents));
      expect(row.querySelectorAll('.payments li').length).to.equal(fee.payments.length);
      expect(textOf(row.cells[0])).to.include(fee.description);
    }
    // The student's total is the sum of the rows (waived fees owe nothing).
    const total = part<HTMLTableRowElement>(view, 'table.fees tfoot tr');
    const owed = (list: FeeDocument[]) => list.reduce((sum, fee) => sum + fee.balanceCents, 0);
    const paid = (list: FeeDocument[]) => list.reduce((sum, fee) => sum + fee.paidCents, 0);
    const assessed = (list: FeeDocument[]) => list.reduce((sum, fee) => sum + (fee.waived ? 0 : fee.amountCents), 0);
    expect(cents(total, 'balance')).to.equal(usd(owed(childFees)));
    expect(cents(total, 'paid')).to.equal(usd(paid(childFees)));
    expect(cents(total, 'assessed')).to.equal(usd(assessed(childFees)));

    // Each child's line and all together.
    const family = part(view, 'table.family');
    for (const student of students) {
      const line = family.querySelector(`tr[data-student="${student.id}"]`)!;
      expect(cents(line, 'balance')).to.equal(usd(owed(fees.filter((fee) => fee.studentId === student.id))));
    }
    const all = family.querySelector('tfoot tr')!;
    expect(cents(all, 'balance')).to.equal(usd(owed(fees)));
    expect(cents(all, 'paid')).to.equal(usd(paid(fees)));
    expect(cents(all, 'assessed')).to.equal(usd(assessed(fees)));
    expect(textOf(all.querySelector('th'))).to.equal(en.family.total);
    await expectNoAxeViolations();
    await expectFitsPhone(view);

    // Money in the reader's language.
    await setLanguage('es');
    await view.updateComplete;
    expect(cents(part(view, 'table.family tfoot tr'), 'balance')).to.equal(usd(owed(fees), 'es'));
    await expectNoAxeViolations();
    // The demo account keeps English for the next test.
    await setLanguage('en');
    await waitFor(() => currentMe()?.account.language === 'en');
  });

  it('shows a student their own fees without the family totals', async function () {
    this.timeout(30_000);
    const view = await openFees(demo.student);
    await waitFor(() => view.shadowRoot!.querySelector('table.fees, section p.muted'), 8000);
    expect(view.shadowRoot!.querySelector('table.family')).to.equal(null);
    await expectNoAxeViolations();
  });
});
