import type { Principal } from '../access/principal.ts';
import { nextCheckpoint, pageAfter, pullBase, pullParams } from './pager.ts';
import { schoolRolesSyncing, windowOf } from '../access/sync-windows.ts';
import { gradeSchema, type GradeDocument } from '../contract/sync/grades.ts';
import { documentsFrom, type Pulled, type PulledRow } from './pulled-document.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable } from '../db/store.ts';

/** Rows are documents by the schema's field names; hidden ones become tombstones (pulled-document.ts). */
const toDocument = documentsFrom<GradeDocument>(gradeSchema);

export type PulledGrade = Pulled<GradeDocument>;

/**
 * Term grades and standards marks changed for this user since the checkpoint, in progress and
 * posted. Families and the student see every grade of their children (their report cards);
 * teachers the grades of their sections' current rosters; counselors their caseload's and,
 * with principals, every section of their school (the office reads grades online:
 * server/access/sync-windows.ts). The order key includes the grading
 * task and the standard, so a renamed task or reworded standard reaches every device.
 */
const SCHOOL_ROLES = schoolRolesSyncing('grades', 'all');

export async function pullGrades(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledGrade[]; checkpoint: SyncCheckpoint | null }> {
  const base = await pullBase(db, principal, checkpoint);
  const rows = await db.query<PulledRow<GradeDocument>>(
    `WITH student_grants AS (
       SELECT g.student_id, g.seq, (g.portal_access AND NOT g.deleted) AS active FROM guardianships g WHERE g.district_id = $1 AND g.guardian_person_id = $2
       UNION ALL
       SELECT s.id, s.seq, NOT s.deleted FROM students s WHERE s.district_id = $1 AND s.person_id = $2
       ${windowOf('caseload', 'grades') === 'all' ? 'UNION ALL SELECT c.student_id, c.seq, NOT c.deleted FROM counselor_caseloads c WHERE c.district_id = $1 AND c.staff_id = $3' : ''}
     ),
     section_grants AS (
       SELECT r.student_id, ss.section_id, greatest(ss.seq, r.seq) AS seq,
              NOT ss.deleted AND ss.start_date <= $4 AND (ss.end_date IS NULL OR ss.end_date >= $4)
              AND NOT r.deleted AND r.start_date <= $4 AND (r.end_date IS NULL OR r.end_date >= $4) AS active
         FROM section_staff ss JOIN section_enrollments r ON r.district_id = ss.district_id AND r.section_id = ss.section_id
        WHERE ss.district_id = $1 AND ss.staff_id = $3
       ${SCHOOL_ROLES ? `UNION ALL
       SELECT NULL::uuid, x.id, l.seq, NOT l.deleted AND l.start_date <= $4 AND (l.end_date IS NULL OR l.end_date >= $4)
         FROM staff_locations l JOIN sections x ON x.district_id = l.district_id AND x.school_id = l.school_id
        WHERE l.district_id = $1 AND l.staff_id = $3 AND l.role IN (${SCHOOL_ROLES})` : ''}
     ),
     term_reached AS (
       SELECT tg.id, gr.active, greatest(gr.seq, tg.seq) AS seq
         FROM student_grants gr JOIN term_grades tg ON tg.district_id = $1 AND tg.student_id = gr.student_id
       UNION ALL
       SELECT tg.id, gr.active, greatest(gr.seq, tg.seq)
         FROM section_grants gr JOIN term_grades tg ON tg.district_id = $1 AND tg.section_id = gr.section_id AND (gr.student_id IS NULL OR tg.student_id = gr.student_id)
     ),
     standard_reached AS (
       SELECT sm.id, gr.active, greatest(gr.seq, sm.seq) AS seq
         FROM student_grants gr JOIN standard_marks sm ON sm.district_id = $1 AND sm.student_id = gr.student_id
       UNION ALL
       SELECT sm.id, gr.active, greatest(gr.seq, sm.seq)
         FROM section_grants gr JOIN standard_marks sm ON sm.district_id = $1 AND sm.section_id = gr.section_id AND (gr.student_id IS NULL OR sm.student_id = gr.student_id)
     ),
     documents AS (
       SELECT tg.id, 'term' AS kind, r.visible AND NOT tg.deleted AND NOT t.deleted AS visible, greatest(r.seq, t.seq) AS eff_seq,
              tg.section_id AS "sectionId", tg.student_id AS "studentId", tg.grading_period_id AS "gradingPeriodId", tg.grading_task_id AS "gradingTaskId",
              left(t.name, 200) AS "gradingTaskName", NULL::uuid AS "standardId", NULL::text AS "standardCode", NULL::text AS "standardDescription",
              tg.percent::float8 AS percent, left(tg.mark, 8) AS mark, NULL::smallint AS proficiency, tg.status,
              to_char(tg.posted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "postedAt", left(tg.comment, 2000) AS comment
         FROM (SELECT id, bool_or(active) AS visible, max(seq) AS seq FROM term_reached GROUP BY id) r
         JOIN term_grades tg ON tg.district_id = $1 AND tg.id = r.id
         JOIN grading_tasks t ON t.district_id = tg.district_id AND t.id = tg.grading_task_id
       UNION ALL
       SELECT sm.id, 'standard', r.visible AND NOT sm.deleted AND NOT st.deleted, greatest(r.seq, st.seq),
              sm.section_id, sm.student_id, sm.grading_period_id, NULL::uuid, NULL::text,
              sm.standard_id, left(st.code, 40), left(st.description, 1000),
              NULL::float8, NULL::text, sm.proficiency, sm.status, NULL::text, left(sm.comment, 2000)
         FROM (SELECT id, bool_or(active) AS visible, max(seq) AS seq FROM standard_reached GROUP BY id) r
         JOIN standard_marks sm ON sm.district_id = $1 AND sm.id = r.id
         JOIN standards st ON st.district_id = sm.district_id AND st.id = sm.standard_id
     )
     SELECT * FROM documents
      WHERE ${pageAfter('eff_seq', 'id', 'visible')}
      ORDER BY eff_seq, id
      LIMIT $7`,
    pullParams(principal, today, checkpoint, limit, base),
  );
  return { documents: rows.map(toDocument), checkpoint: nextCheckpoint(rows, checkpoint, base) };
}
