import type { Queryable } from '../db/store.ts';
import { nextCheckpoint, pageAfter, pullBase, pullParams } from './pager.ts';
import type { Principal } from '../access/principal.ts';
import { studentSchema, type StudentDocument, type SyncCheckpoint } from '../contract/sync/students.ts';
import { documentsFrom, type Pulled, type PulledRow } from './pulled-document.ts';

/** Rows are documents by the schema's field names; hidden ones become tombstones (pulled-document.ts). */
const toDocument = documentsFrom<StudentDocument>(studentSchema);

export type PulledStudent = Pulled<StudentDocument>;

/**
 * Students whose documents changed for this user after the checkpoint. A document's order key
 * is the greatest seq of its own rows and of the grant rows that put it in the user's scope, so
 * a new grant brings the whole record and a lost one sends a tombstone. Scope is applied in SQL
 * before LIMIT. Ties on the order key are broken by id (the checkpoint is { seq, id }).
 */
export async function pullStudents(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledStudent[]; checkpoint: SyncCheckpoint | null }> {
  const base = await pullBase(db, principal, checkpoint);
  const rows = await db.query<PulledRow<StudentDocument>>(
    `WITH grants AS (
       SELECT g.student_id, 'guardian'::text AS relation, g.seq, (g.portal_access AND NOT g.deleted) AS active
         FROM guardianships g WHERE g.district_id = $1 AND g.guardian_person_id = $2
       UNION ALL
       SELECT s.id, 'self', s.seq, NOT s.deleted FROM students s WHERE s.district_id = $1 AND s.person_id = $2
       UNION ALL
       SELECT r.student_id, 'teacher', greatest(ss.seq, r.seq),
              NOT ss.deleted AND NOT r.deleted AND ss.start_date <= $4 AND (ss.end_date IS NULL OR ss.end_date >= $4)
              AND r.start_date <= $4 AND (r.end_date IS NULL OR r.end_date >= $4)
         FROM section_staff ss
         JOIN section_enrollments r ON r.district_id = ss.district_id AND r.section_id = ss.section_id
        WHERE ss.district_id = $1 AND ss.staff_id = $3
       UNION ALL
       SELECT c.student_id, 'counselor', c.seq, NOT c.deleted FROM counselor_caseloads c WHERE c.district_id = $1 AND c.staff_id = $3
       UNION ALL
       SELECT e.student_id, 'school', greatest(l.seq, e.seq),
              NOT l.deleted AND l.start_date <= $4 AND (l.end_date IS NULL OR l.end_date >= $4) AND NOT e.deleted AND e.end_date IS NULL
         FROM staff_locations l JOIN enrollments e ON e.district_id = l.district_id AND e.school_id = l.school_id
        WHERE l.district_id = $1 AND l.staff_id = $3 AND l.role IN ('office', 'principal', 'nurse', 'counselor')
       UNION ALL
       -- District administrators: every student of the district (policy.ts), the directory.
       SELECT s.id, 'school', l.seq, NOT l.deleted AND l.start_date <= $4 AND (l.end_date IS NULL OR l.end_date >= $4)
         FROM staff_locations l JOIN students s ON s.district_id = l.district_id
        WHERE l.district_id = $1 AND l.staff_id = $3 AND l.role = 'district_admin'
     ),
     scoped AS (
       SELECT student_id, bool_or(active) AS visible, max(seq) AS grant_seq,
              (array_agg(relation ORDER BY active DESC, array_position(ARRAY['self', 'guardian', 'teacher', 'counselor', 'school'], relation)))[1] AS relation
         FROM grants GROUP BY student_id
     ),
     documents AS (
       SELECT sc.student_id AS id, sc.visible, sc.relation,
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
     )
     SELECT * FROM documents
      WHERE ${pageAfter('eff_seq', 'id', 'visible')}
      ORDER BY eff_seq, id
      LIMIT $7`,
    pullParams(principal, today, checkpoint, limit, base),
  );
  const documents = rows.map(toDocument);
  return { documents, checkpoint: nextCheckpoint(rows, checkpoint, base) };
}
