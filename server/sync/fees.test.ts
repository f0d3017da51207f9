import { randomUUID } from 'node:crypto';
import type { RxJsonSchema } from 'rxdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feeSchema, FEES_SCHEMA_VERSION, type FeeDocument } from '../contract/sync/fees.ts';
import { servedAppFixture, type ServedAppFixture } from '../test/app-fixture.ts';
import { childrenOf, guardianOfAnotherFamily, setPortalAccess, studentsAllowed, useDemoPassword } from '../test/family-accounts.ts';
import { signedInDevice } from '../test/sync-device.ts';

const TODAY = '2026-11-24';
let f: ServedAppFixture;
let otherGuardian: string;

beforeAll(async () => {
  f = await servedAppFixture({ students: 120, today: TODAY });
  otherGuardian = await guardianOfAnotherFamily(f.store);
  await useDemoPassword(f.store, [otherGuardian]);
});
afterAll(() => f.close());

const device = (username: string) => signedInDevice<FeeDocument>(f, username, { name: 'fees', schema: feeSchema as unknown as RxJsonSchema<FeeDocument>, version: FEES_SCHEMA_VERSION, push: false, batchSize: 50 });


/** Ids of the fees (not flagged deleted) of these students. */
async function feesOf(studentIds: string[]): Promise<string[]> {
  const rows = await f.store.query<{ id: string }>(`SELECT id FROM fees WHERE student_id = ANY($1) AND NOT deleted ORDER BY id`, [studentIds]);
  return rows.map((r) => r.id).sort();
}

describe('fees sync with the real RxDB client', () => {
  it('gives each user exactly the fees of the students the policy lets them read fees for: families and the office with the fees right; never teachers, nor a principal or administrator without it', async () => {
    const expectations: Record<string, (n: number) => void> = {
      'demo-guardian': (n) => expect(n).toBe(3),
      'demo-student': (n) => expect(n).toBe(1),
      'demo-teacher': (n) => expect(n).toBe(0),
      'demo-office': (n) => expect(n).toBeGreaterThan(10),
      // Fees are a tool right, for reading too (README, policy.ts): neither holds it.
      'demo-principal': (n) => expect(n).toBe(0),
      'demo-admin': (n) => expect(n).toBe(0),
    };
    for (const [username, count] of Object.entries(expectations)) {
      const phone = await device(username);
      try {
        const students = await studentsAllowed(f.store, username, 'fees', TODAY);
        count(students.length);
        expect(await phone.ids(), username).toEqual(await feesOf(students));
        expect(phone.errors, username).toEqual([]);
      } finally {
        await phone.close();
      }
    }
  });

  it('sends a guardian her children’s fees with payments and balances, and another family none of them', async () => {
    const mine = await device('demo-guardian');
    const theirs = await device(otherGuardian);
    try {
      const myFees = await feesOf(await childrenOf(f.store, 'demo-guardian'));
      expect(myFees.length).toBeGreaterThan(2);
      expect(await mine.ids()).toEqual(myFees);
      const theirFees = await theirs.ids();
      expect(theirFees).toEqual(await feesOf(await childrenOf(f.store, otherGuardian)));
      expect(theirFees.filter((id) => myFees.includes(id))).toEqual([]);
      for (const doc of await mine.collection.find().exec()) {
        const [stored] = await f.store.query<{ amount_cents: number; waived: boolean; paid: number; n: number }>(
          `SELECT f.amount_cents, f.waived, coalesce(sum(p.amount_cents), 0)::int AS paid, count(p.id)::int AS n
             FROM fees f LEFT JOIN payments p ON p.fee_id = f.id AND NOT p.deleted WHERE f.id = $1 GROUP BY f.district_id, f.id`,
          [doc.id],
        );
        expect(doc).toMatchObject({ amountCents: stored!.amount_cents, waived: stored!.waived, paidCents: stored!.paid, balanceCents: stored!.waived ? 0 : stored!.amount_cents - stored!.paid });
        expect(doc.payments).toHaveLength(stored!.n);
        expect(doc.schoolName.length).toBeGreaterThan(0);
      }
    } finally {
      await mine.close();
      await theirs.close();
    }
  });

  it('brings the fee with its new balance in an incremental pull when a payment is recorded, and again when the fee is waived', async () => {
    const phone = await device('demo-guardian');
    try {
      const docs = await phone.collection.find().exec();
      const owing = docs.find((d) => d.balanceCents > 0) ?? docs.find((d) => !d.waived)!;
      const before = owing.toJSON();
      const pullsBefore = phone.traffic.pulls;
      await f.store.query(
        `INSERT INTO payments (district_id, id, fee_id, amount_cents, paid_on, method) SELECT district_id, $2, id, 500, '2026-11-24', 'online' FROM fees WHERE id = $1`,
        [owing.id, randomUUID()],
      );
      await phone.sync();
      const after = (await phone.collection.findOne(owing.id).exec())!;
      expect(after.paidCents).toBe(before.paidCents + 500);
      expect(after.balanceCents).toBe(before.balanceCents - 500);
      expect(after.payments.at(-1)).toEqual({ paidOn: '2026-11-24', amountCents: 500, method: 'online' });
      // One pull brought it: only this fee changed.
      expect(phone.traffic.pulls - pullsBefore).toBe(1);

      await f.store.query(`UPDATE fees SET waived = true WHERE id = $1`, [owing.id]);
      await phone.sync();
      expect((await phone.collection.findOne(owing.id).exec())!.toJSON()).toMatchObject({ waived: true, balanceCents: 0 });
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('forgets a child’s fees when portal access is revoked: schema-valid tombstones with no description, amounts or payments', async () => {
    const phone = await device('demo-guardian');
    try {
      const children = await childrenOf(f.store, 'demo-guardian');
      const child = children[2]!;
      const lost = await feesOf([child]);
      expect(lost.length).toBeGreaterThan(0);
      await setPortalAccess(f.store, 'demo-guardian', child, false);
      await phone.sync();
      // Every document passes the ajv-wrapped storage, tombstones included, or this would hold errors.
      expect(phone.errors).toEqual([]);
      expect(await phone.ids()).toEqual(await feesOf(children.filter((id) => id !== child)));
      for (const id of lost) {
        expect(await phone.stored(id)).toMatchObject({ _deleted: true, description: '', schoolName: '', amountCents: 0, paidCents: 0, balanceCents: 0, payments: [] });
      }
      await setPortalAccess(f.store, 'demo-guardian', child, true);
      await phone.sync();
      expect(await phone.ids()).toEqual(await feesOf(children));
    } finally {
      await phone.close();
    }
  });

  it('logs the fees it sends as reads of each child’s records', async () => {
    const phone = await device('demo-guardian');
    try {
      const [row] = await f.store.query<{ n: number }>(
        `SELECT count(DISTINCT l.student_id)::int AS n FROM access_log l JOIN accounts a ON a.id = l.account_id
          WHERE a.username = 'demo-guardian' AND l.event = 'record.read' AND l.record_type = 'fees'`,
      );
      expect(row!.n).toBe(3);
    } finally {
      await phone.close();
    }
  });
});
