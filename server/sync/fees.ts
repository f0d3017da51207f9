import type { Principal } from '../access/principal.ts';
import { GRANTED_PAGE, grantedPullParams, nextCheckpoint, pageAfter, pullBase } from './pager.ts';
import { feeSchema, type FeeDocument, type FeePayment } from '../contract/sync/fees.ts';
import { tombstones } from './tombstone.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable } from '../db/store.ts';
import { grantsReading } from '../access/grants.ts';

/** Tombstones keep ids only (server/sync/tombstone.ts). */
const tombstone = tombstones<FeeDocument>(feeSchema);

export type PulledFee = FeeDocument & { _deleted: boolean };

interface Row {
  id: string;
  visible: boolean;
  eff_seq: number;
  student_id: string;
  school_id: string;
  school_name: string;
  category: FeeDocument['category'];
  description: string;
  amount_cents: number;
  assessed_on: string;
  due_on: string;
  waived: boolean;
  paid_cents: number;
  payments: FeePayment[];
}

/** What is still owed on a fee: nothing once waived; negative when overpaid. */
export function feeBalance(amountCents: number, paidCents: number, waived: boolean): number {
  return waived ? 0 : amountCents - paidCents;
}

/**
 * Fees changed for this user since the checkpoint, one document per fee. The order key covers
 * the grants, the fee, its school (the name) and every payment row of the fee, so a payment
 * recorded or corrected reaches devices with the new balance.
 */
export async function pullFees(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledFee[]; checkpoint: SyncCheckpoint | null }> {
  const base = await pullBase(db, principal, checkpoint);
  const rows = await db.query<Row>(
    `WITH grants AS (${grantsReading('fees')}),
     scoped AS (SELECT student_id, bool_or(in_force) AS visible, max(seq) AS grant_seq FROM grants GROUP BY student_id),
     documents AS (
       SELECT f.id, sc.visible AND NOT s.deleted AND NOT f.deleted AS visible,
              greatest(sc.grant_seq, s.seq, f.seq, k.seq, (SELECT coalesce(max(p.seq), 0) FROM payments p WHERE p.district_id = $1 AND p.fee_id = f.id)) AS eff_seq
         FROM scoped sc
         JOIN students s ON s.district_id = $1 AND s.id = sc.student_id
         JOIN fees f ON f.district_id = $1 AND f.student_id = sc.student_id
         JOIN schools k ON k.district_id = $1 AND k.id = f.school_id
     ),
     page AS (
       SELECT * FROM documents WHERE ${pageAfter('eff_seq', 'id', 'visible', GRANTED_PAGE)} ORDER BY eff_seq, id LIMIT $6
     )
     SELECT p.id, p.visible, p.eff_seq, f.student_id, f.school_id, k.name AS school_name, f.category, left(f.description, 500) AS description,
            f.amount_cents, to_char(f.assessed_on, 'YYYY-MM-DD') AS assessed_on, to_char(f.due_on, 'YYYY-MM-DD') AS due_on, f.waived,
            (SELECT coalesce(sum(x.amount_cents), 0)::int FROM payments x WHERE x.district_id = $1 AND x.fee_id = f.id AND NOT x.deleted) AS paid_cents,
            (SELECT coalesce(json_agg(json_build_object('paidOn', to_char(x.paid_on, 'YYYY-MM-DD'), 'amountCents', x.amount_cents, 'method', x.method) ORDER BY x.paid_on, x.id), '[]'::json)
               FROM (SELECT * FROM payments y WHERE y.district_id = $1 AND y.fee_id = f.id AND NOT y.deleted ORDER BY y.paid_on DESC, y.id LIMIT 500) x) AS payments
       FROM page p
       JOIN fees f ON f.district_id = $1 AND f.id = p.id
       JOIN schools k ON k.district_id = $1 AND k.id = f.school_id
      ORDER BY p.eff_seq, p.id`,
    grantedPullParams(principal, today, checkpoint, limit, base),
  );
  const documents = rows.map((row): PulledFee =>
    row.visible
      ? {
          id: row.id, studentId: row.student_id, schoolId: row.school_id, schoolName: row.school_name, category: row.category, description: row.description,
          amountCents: row.amount_cents, assessedOn: row.assessed_on, dueOn: row.due_on, waived: row.waived, paidCents: row.paid_cents,
          balanceCents: feeBalance(row.amount_cents, row.paid_cents, row.waived), payments: row.payments, _deleted: false,
        }
      : tombstone(row.id),
  );
  return { documents, checkpoint: nextCheckpoint(rows, checkpoint, base) };
}
