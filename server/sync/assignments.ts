import type { Principal } from '../access/principal.ts';
import { grantedPage } from './pager.ts';
import { grantsReading, viasHolding } from '../access/grants.ts';
import { assignmentSchema, type AssignmentDocument } from '../contract/sync/assignments.ts';
import { documentsFrom, type Pulled, type PulledRow } from './pulled-document.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable } from '../db/store.ts';

/** Rows are documents by the schema's field names; hidden ones become tombstones (pulled-document.ts). */
const toDocument = documentsFrom<AssignmentDocument>(assignmentSchema);

export type PulledAssignment = Pulled<AssignmentDocument>;

/**
 * Assignments changed for this user since the checkpoint, of the sections where an access_grants
 * row lets the user read a student's grades. Families and students see the published work of the
 * sections on their children's current rosters; teachers every assignment of the sections they
 * teach; other staff only as server/access/sync-windows.ts says (today: none, they read
 * coursework online). The order key includes the category, so a
 * new weight or name reaches every device, and the grant rows, so a lost grant sends tombstones.
 */
export async function pullAssignments(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledAssignment[]; checkpoint: SyncCheckpoint | null }> {
  const page = await grantedPage<PulledRow<AssignmentDocument>>(db, principal, today, checkpoint, limit, `WITH grants AS (${grantsReading('grades', viasHolding('assignments'))}),
     -- A teacher's grants name her section; any other reaches the sections on the student's roster today, families' the published work only.
     placed (section_id, seq, active, all_work) AS (
       SELECT g.section_id, g.seq, g.in_force, true FROM grants g WHERE g.via = 'section'
       UNION ALL
       SELECT r.section_id, greatest(g.seq, r.seq), g.in_force AND NOT r.deleted AND r.start_date <= $3 AND (r.end_date IS NULL OR r.end_date >= $3), g.via NOT IN ('guardian', 'self')
         FROM grants g JOIN section_enrollments r ON r.district_id = $1 AND r.student_id = g.student_id
        WHERE g.via <> 'section'
     ),
     scoped AS (
       SELECT section_id, max(seq) AS grant_seq, bool_or(active) AS active, bool_or(active AND all_work) AS all_work
         FROM placed GROUP BY section_id
     ),
     -- The planner guesses hundreds of sections and hashed the district's assignments: there are tens, each probed by its index
     -- (OFFSET 0 and MATERIALIZED keep that from being planned away).
     their_work AS MATERIALIZED (
       SELECT sc.grant_seq, sc.active, sc.all_work, a.*
         FROM scoped sc CROSS JOIN LATERAL (SELECT * FROM assignments a WHERE a.district_id = $1 AND a.section_id = sc.section_id OFFSET 0) a
     ),
     documents AS (
       SELECT a.id, a.active AND (a.all_work OR a.published) AND NOT a.deleted AND NOT k.deleted AS visible,
              greatest(a.grant_seq, a.seq, k.seq) AS eff_seq,
              a.section_id AS "sectionId", a.category_id AS "categoryId", left(k.name, 200) AS "categoryName", k.weight::float8 AS "categoryWeight",
              k.drop_lowest AS "categoryDropLowest", a.grading_period_id AS "gradingPeriodId", a.name, left(a.description, 4000) AS description,
              a.points_possible::float8 AS "pointsPossible", to_char(a.assigned_on, 'YYYY-MM-DD') AS "assignedOn", to_char(a.due_on, 'YYYY-MM-DD') AS "dueOn", a.published
         FROM their_work a
         JOIN assignment_categories k ON k.district_id = a.district_id AND k.id = a.category_id
     )`,
  );
  return { documents: page.rows.map(toDocument).sort(bySectionAndDueDate), checkpoint: page.checkpoint };
}

/**
 * The order of a page's documents: by section, then due date. Neighbours alike compress better
 * (about a fifth of a family's assignments page under brotli); the checkpoint is the page's
 * last row in seq order, taken before.
 */
function bySectionAndDueDate(a: PulledAssignment, b: PulledAssignment): number {
  return compare(a.sectionId, b.sectionId) || compare(a.dueOn, b.dueOn) || compare(a.id, b.id);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
