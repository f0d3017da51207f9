import type { Principal } from '../access/principal.ts';
import { nextCheckpoint, pageAfter, pullBase, pullParams } from './pager.ts';
import { schoolRolesSyncing, windowOf } from '../access/sync-windows.ts';
import { assignmentSchema, type AssignmentDocument } from '../contract/sync/assignments.ts';
import { documentsFrom, type Pulled, type PulledRow } from './pulled-document.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable } from '../db/store.ts';

/** Rows are documents by the schema's field names; hidden ones become tombstones (pulled-document.ts). */
const toDocument = documentsFrom<AssignmentDocument>(assignmentSchema);

export type PulledAssignment = Pulled<AssignmentDocument>;

/**
 * Assignments changed for this user since the checkpoint. Families and students see the
 * published work of the sections on their children's current rosters; teachers every
 * assignment of the sections they teach; other staff only as server/access/sync-windows.ts
 * says (today: none, they read coursework online). The order key includes the category, so a
 * new weight or name reaches every device, and the grant rows, so a lost grant sends tombstones.
 */
const SCHOOL_ROLES = schoolRolesSyncing('assignments', 'all');

export async function pullAssignments(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledAssignment[]; checkpoint: SyncCheckpoint | null }> {
  const base = await pullBase(db, principal, checkpoint);
  const rows = await db.query<PulledRow<AssignmentDocument>>(
    `WITH family AS (
       ${[
         `SELECT g.student_id, g.seq, (g.portal_access AND NOT g.deleted) AS active, false AS all_work
            FROM guardianships g WHERE g.district_id = $1 AND g.guardian_person_id = $2`,
         `SELECT s.id, s.seq, NOT s.deleted, false FROM students s WHERE s.district_id = $1 AND s.person_id = $2`,
         ...(windowOf('caseload', 'assignments') === 'all' ? [`SELECT c.student_id, c.seq, NOT c.deleted, true FROM counselor_caseloads c WHERE c.district_id = $1 AND c.staff_id = $3`] : []),
       ].join('\n       UNION ALL\n       ')}
     ),
     grants AS (
       ${[
         `SELECT r.section_id, greatest(f.seq, r.seq) AS seq,
                 f.active AND NOT r.deleted AND r.start_date <= $4 AND (r.end_date IS NULL OR r.end_date >= $4) AS active, f.all_work
            FROM family f JOIN section_enrollments r ON r.district_id = $1 AND r.student_id = f.student_id`,
         ...(windowOf('section', 'assignments') === 'all' ? [
           `SELECT ss.section_id, ss.seq, NOT ss.deleted AND ss.start_date <= $4 AND (ss.end_date IS NULL OR ss.end_date >= $4), true
              FROM section_staff ss WHERE ss.district_id = $1 AND ss.staff_id = $3`] : []),
         ...(SCHOOL_ROLES ? [
           `SELECT x.id, l.seq, NOT l.deleted AND l.start_date <= $4 AND (l.end_date IS NULL OR l.end_date >= $4), true
              FROM staff_locations l JOIN sections x ON x.district_id = l.district_id AND x.school_id = l.school_id
             WHERE l.district_id = $1 AND l.staff_id = $3 AND l.role IN (${SCHOOL_ROLES})`] : []),
       ].join('\n       UNION ALL\n       ')}
     ),
     scoped AS (
       SELECT section_id, max(seq) AS grant_seq, bool_or(active) AS active, bool_or(active AND all_work) AS all_work
         FROM grants GROUP BY section_id
     ),
     documents AS (
       SELECT a.id, sc.active AND (sc.all_work OR a.published) AND NOT a.deleted AND NOT k.deleted AS visible,
              greatest(sc.grant_seq, a.seq, k.seq) AS eff_seq,
              a.section_id AS "sectionId", a.category_id AS "categoryId", left(k.name, 200) AS "categoryName", k.weight::float8 AS "categoryWeight",
              k.drop_lowest AS "categoryDropLowest", a.grading_period_id AS "gradingPeriodId", a.name, left(a.description, 4000) AS description,
              a.points_possible::float8 AS "pointsPossible", to_char(a.assigned_on, 'YYYY-MM-DD') AS "assignedOn", to_char(a.due_on, 'YYYY-MM-DD') AS "dueOn", a.published
         FROM scoped sc
         JOIN assignments a ON a.district_id = $1 AND a.section_id = sc.section_id
         JOIN assignment_categories k ON k.district_id = a.district_id AND k.id = a.category_id
     )
     SELECT * FROM documents
      WHERE ${pageAfter('eff_seq', 'id', 'visible')}
      ORDER BY eff_seq, id
      LIMIT $7`,
    pullParams(principal, today, checkpoint, limit, base),
  );
  return { documents: rows.map(toDocument), checkpoint: nextCheckpoint(rows, checkpoint, base) };
}
