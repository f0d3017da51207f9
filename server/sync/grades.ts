import type { Principal } from '../access/principal.ts';
import { grantedPage } from './pager.ts';
import { grantsReading, viasHolding } from '../access/grants.ts';
import { gradeSchema, type GradeDocument } from '../contract/sync/grades.ts';
import { documentsFrom, type Pulled, type PulledRow } from './pulled-document.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable } from '../db/store.ts';

/** Rows are documents by the schema's field names; hidden ones become tombstones (pulled-document.ts). */
const toDocument = documentsFrom<GradeDocument>(gradeSchema);

export type PulledGrade = Pulled<GradeDocument>;

/**
 * Term grades and standards marks changed for this user since the checkpoint, in progress and
 * posted, of the students whose grades an access_grants row lets the user read. Families and the
 * student hold every grade of their children (their report cards); teachers the grades of their
 * sections' current rosters in those sections; counselors their caseload's and, with principals,
 * every grade of their school's students (the office reads grades online:
 * server/access/sync-windows.ts). The order key includes the grading
 * task and the standard, so a renamed task or reworded standard reaches every device.
 */
export async function pullGrades(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledGrade[]; checkpoint: SyncCheckpoint | null }> {
  const page = await grantedPage<PulledRow<GradeDocument>>(db, principal, today, checkpoint, limit, `WITH grants AS (${grantsReading('grades', viasHolding('grades'))}),
     -- A teacher's device holds the grades of her sections; a family's and other staff's every grade of the student.
     term_reached AS (
       SELECT tg.id, g.in_force AS active, greatest(g.seq, tg.seq) AS seq
         FROM grants g JOIN term_grades tg ON tg.district_id = $1 AND tg.student_id = g.student_id AND (g.via <> 'section' OR tg.section_id = g.section_id)
     ),
     standard_reached AS (
       SELECT sm.id, g.in_force AS active, greatest(g.seq, sm.seq) AS seq
         FROM grants g JOIN standard_marks sm ON sm.district_id = $1 AND sm.student_id = g.student_id AND (g.via <> 'section' OR sm.section_id = g.section_id)
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
     )`,
  );
  return { documents: page.rows.map(toDocument), checkpoint: page.checkpoint };
}
