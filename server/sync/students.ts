import type { Queryable } from '../db/store.ts';
import { grantedPage } from './pager.ts';
import { grantsReading } from '../access/grants.ts';
import type { Principal } from '../access/principal.ts';
import { studentSchema, type StudentDocument, type SyncCheckpoint } from '../contract/sync/students.ts';
import { documentsFrom, type Pulled, type PulledRow } from './pulled-document.ts';

/** Rows are documents by the schema's field names; hidden ones become tombstones (pulled-document.ts). */
const toDocument = documentsFrom<StudentDocument>(studentSchema);

export type PulledStudent = Pulled<StudentDocument>;

/**
 * Students whose documents changed for this user after the checkpoint: those an access_grants
 * row lets the user read the profile of. A document's order key is the greatest seq of its own
 * rows and of those grants, so a new grant brings the whole record and a lost one sends a
 * tombstone. Scope is applied in SQL before LIMIT. Ties on the order key are broken by id (the checkpoint is { seq, id }).
 */
export async function pullStudents(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledStudent[]; checkpoint: SyncCheckpoint | null }> {
  const page = await grantedPage<PulledRow<StudentDocument>>(db, principal, today, checkpoint, limit, `WITH grants AS (${grantsReading('profile')}),
     scoped AS (
       SELECT student_id, bool_or(in_force) AS visible, max(seq) AS grant_seq,
              (array_agg(via ORDER BY in_force DESC, array_position(ARRAY['self', 'guardian', 'section', 'caseload'], via)))[1] AS via
         FROM grants GROUP BY student_id
     ),
     documents AS (
       SELECT sc.student_id AS id, sc.visible,
              CASE sc.via WHEN 'self' THEN 'self' WHEN 'guardian' THEN 'guardian' WHEN 'section' THEN 'teacher' WHEN 'caseload' THEN 'counselor' ELSE 'school' END AS relation,
              greatest(sc.grant_seq, s.seq, p.seq, coalesce(e.seq, 0), coalesce(k.seq, 0)) AS eff_seq,
              p.first_name AS "firstName", p.last_name AS "lastName", p.preferred_name AS "preferredName", s.student_number AS "studentNumber",
              to_char(p.birth_date, 'YYYY-MM-DD') AS "birthDate", s.grade_level AS "gradeLevel", s.home_language AS "homeLanguage",
              e.school_id AS "schoolId", coalesce(k.name, '') AS "schoolName"
         FROM scoped sc
         JOIN students s ON s.district_id = $1 AND s.id = sc.student_id
         JOIN people p ON p.district_id = s.district_id AND p.id = s.person_id
         LEFT JOIN LATERAL (
           SELECT en.school_id, en.seq FROM enrollments en
            WHERE en.district_id = s.district_id AND en.student_id = s.id AND en.kind = 'primary' AND NOT en.deleted
            ORDER BY en.end_date IS NULL DESC, en.start_date DESC LIMIT 1) e ON true
         LEFT JOIN schools k ON k.district_id = s.district_id AND k.id = e.school_id
     )`,
  );
  return { documents: page.rows.map(toDocument), checkpoint: page.checkpoint };
}
