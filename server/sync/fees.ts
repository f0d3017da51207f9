import type { Principal } from '../access/principal.ts';
import { GRANTED_PAGE, grantedPullParams, nextCheckpoint, pageAfter, pullBase } from './pager.ts';
import { feeSchema, type FeeDocument } from '../contract/sync/fees.ts';
import { documentsFrom, type Pulled, type PulledRow } from './pulled-document.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable } from '../db/store.ts';
import { grantsReading } from '../access/grants.ts';

/** Rows are documents by the schema's field names; hidden and deleted ones become tombstones (pulled-document.ts). */
const toDocument = documentsFrom<FeeDocument>(feeSchema);

export type PulledFee = Pulled<FeeDocument>;

/**
 * Fees changed for this user since the checkpoint, one document per fee. The order key covers
 * the grants, the fee, its school (the name) and every payment row of the fee, so a payment
 * recorded or corrected reaches devices with the new balance.
 */
export async function pullFees(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledFee[]; checkpoint: SyncCheckpoint | null }> {
  const base = await pullBase(db, principal, checkpoint);
  const rows = await db.query<PulledRow<FeeDocument>>(
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
     SELECT p.id, p.visible, p.eff_seq, f.student_id AS "studentId", f.school_id AS "schoolId", k.name AS "schoolName", f.category,
            left(f.description, 500) AS description, f.amount_cents AS "amountCents", to_char(f.assessed_on, 'YYYY-MM-DD') AS "assessedOn",
            to_char(f.due_on, 'YYYY-MM-DD') AS "dueOn", f.waived, paid.cents AS "paidCents",
            -- Still owed: nothing once waived; negative when overpaid.
            CASE WHEN f.waived THEN 0 ELSE f.amount_cents - paid.cents END AS "balanceCents",
            (SELECT coalesce(json_agg(json_build_object('paidOn', to_char(x.paid_on, 'YYYY-MM-DD'), 'amountCents', x.amount_cents, 'method', x.method) ORDER BY x.paid_on, x.id), '[]'::json)
               FROM (SELECT * FROM payments y WHERE y.district_id = $1 AND y.fee_id = f.id AND NOT y.deleted ORDER BY y.paid_on DESC, y.id LIMIT 500) x) AS payments
       FROM page p
       JOIN fees f ON f.district_id = $1 AND f.id = p.id
       JOIN schools k ON k.district_id = $1 AND k.id = f.school_id
       CROSS JOIN LATERAL (SELECT coalesce(sum(x.amount_cents), 0)::int AS cents FROM payments x WHERE x.district_id = $1 AND x.fee_id = f.id AND NOT x.deleted) paid
      ORDER BY p.eff_seq, p.id`,
    grantedPullParams(principal, today, checkpoint, limit, base),
  );
  return { documents: rows.map(toDocument), checkpoint: nextCheckpoint(rows, checkpoint, base) };
}
