import type { Principal } from '../access/principal.ts';
import { nextCheckpoint, pageAfter, pullBase, pullParams } from './pager.ts';
import { sectionSchema, type SectionDocument } from '../contract/sync/sections.ts';
import { documentsFrom, type Pulled, type PulledRow } from './pulled-document.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable } from '../db/store.ts';

/** Rows are documents by the schema's field names; hidden ones become tombstones (pulled-document.ts). */
const toDocument = documentsFrom<SectionDocument>(sectionSchema);

export type PulledSection = Pulled<SectionDocument>;

/**
 * Sections on the user's schedule: a family's through their students' rosters (`studentIds`:
 * the family's own children in it), a teacher's own (`studentIds`: today's roster), and every
 * section of a school for its office and principal (no `studentIds`). The order key takes the
 * greatest seq of the section, its course, term, period, room, teachers and the grant rows,
 * so a renamed course or a new teacher reaches every device that shows the section.
 */
export async function pullSections(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledSection[]; checkpoint: SyncCheckpoint | null }> {
  const base = await pullBase(db, principal, checkpoint);
  const rows = await db.query<PulledRow<SectionDocument>>(
    `WITH family AS (
       SELECT g.student_id, g.seq, (g.portal_access AND NOT g.deleted) AS active FROM guardianships g WHERE g.district_id = $1 AND g.guardian_person_id = $2
       UNION ALL
       SELECT s.id, s.seq, NOT s.deleted FROM students s WHERE s.district_id = $1 AND s.person_id = $2
     ),
     grants AS (
       SELECT r.section_id, f.student_id, greatest(f.seq, r.seq) AS seq, f.active AND NOT r.deleted AND (r.end_date IS NULL OR r.end_date >= $4) AS active
         FROM family f JOIN section_enrollments r ON r.district_id = $1 AND r.student_id = f.student_id
       UNION ALL
       SELECT ss.section_id, NULL::uuid, ss.seq, NOT ss.deleted AND (ss.end_date IS NULL OR ss.end_date >= $4)
         FROM section_staff ss WHERE ss.district_id = $1 AND ss.staff_id = $3
       UNION ALL
       -- A teacher's roster: the students enrolled in her section today. Their rows' seq is in
       -- the order key, so a student added or dropped (or whose dates open or close, see the
       -- daily job) changes the section on her device.
       SELECT r.section_id, CASE WHEN NOT r.deleted AND r.start_date <= $4 AND (r.end_date IS NULL OR r.end_date >= $4) THEN r.student_id END,
              greatest(ss.seq, r.seq), NOT ss.deleted AND (ss.end_date IS NULL OR ss.end_date >= $4)
         FROM section_staff ss JOIN section_enrollments r ON r.district_id = ss.district_id AND r.section_id = ss.section_id
        WHERE ss.district_id = $1 AND ss.staff_id = $3
       UNION ALL
       SELECT x.id, NULL::uuid, l.seq, NOT l.deleted AND l.start_date <= $4 AND (l.end_date IS NULL OR l.end_date >= $4)
         FROM staff_locations l JOIN sections x ON x.district_id = l.district_id AND x.school_id = l.school_id
        WHERE l.district_id = $1 AND l.staff_id = $3 AND l.role IN ('office', 'principal', 'counselor')
       UNION ALL
       -- District administrators: the district's directory (policy.ts: schedules of every school).
       SELECT x.id, NULL::uuid, l.seq, NOT l.deleted AND l.start_date <= $4 AND (l.end_date IS NULL OR l.end_date >= $4)
         FROM staff_locations l JOIN sections x ON x.district_id = l.district_id
        WHERE l.district_id = $1 AND l.staff_id = $3 AND l.role = 'district_admin'
     ),
     scoped AS (
       SELECT section_id, bool_or(active) AS visible, max(seq) AS grant_seq,
              -- Sorted as uuids, which is their text's order byte by byte, whatever the database's collation.
              coalesce(array_agg(DISTINCT student_id ORDER BY student_id) FILTER (WHERE student_id IS NOT NULL AND active), '{}')::text[] AS student_ids
         FROM grants GROUP BY section_id
     ),
     teaching AS MATERIALIZED (
       SELECT ss.section_id, max(greatest(ss.seq, p.seq)) AS seq,
              jsonb_agg(jsonb_build_object('name', p.first_name || ' ' || p.last_name, 'email', p.email, 'role', ss.role) ORDER BY ss.role, p.last_name)
                FILTER (WHERE NOT ss.deleted) AS teachers
         FROM section_staff ss JOIN staff t ON t.district_id = ss.district_id AND t.id = ss.staff_id
         JOIN people p ON p.district_id = t.district_id AND p.id = t.person_id
        WHERE ss.district_id = $1 AND ss.section_id IN (SELECT section_id FROM scoped)
        GROUP BY ss.section_id
     ),
     documents AS (
       SELECT x.id, sc.visible AND NOT x.deleted AS visible, sc.student_ids AS "studentIds",
              greatest(sc.grant_seq, x.seq, c.seq, t.seq, coalesce(pe.seq, 0), coalesce(rm.seq, 0), coalesce(te.seq, 0), coalesce(gp.seq, 0)) AS eff_seq,
              x.school_id AS "schoolId", x.term_id AS "termId", t.name AS "termName", to_char(t.start_date, 'YYYY-MM-DD') AS "termStart",
              to_char(t.end_date, 'YYYY-MM-DD') AS "termEnd", c.code AS "courseCode", c.name AS "courseName", c.subject, x.section_number AS "sectionNumber",
              pe.name AS "periodName", pe.sequence AS "periodSequence", to_char(pe.start_time, 'HH24:MI') AS "startTime", to_char(pe.end_time, 'HH24:MI') AS "endTime",
              rm.name AS "roomName", x.grading_method AS "gradingMethod", coalesce(te.teachers, '[]'::jsonb) AS teachers,
              coalesce(gp.grading_periods, '[]'::jsonb) AS "gradingPeriods"
         FROM scoped sc
         JOIN sections x ON x.district_id = $1 AND x.id = sc.section_id
         JOIN courses c ON c.district_id = x.district_id AND c.id = x.course_id
         JOIN terms t ON t.district_id = x.district_id AND t.id = x.term_id
         LEFT JOIN periods pe ON pe.district_id = x.district_id AND pe.id = x.period_id
         LEFT JOIN rooms rm ON rm.district_id = x.district_id AND rm.id = x.room_id
         LEFT JOIN teaching te ON te.section_id = x.id
         LEFT JOIN LATERAL (
           SELECT max(g.seq) AS seq,
                  jsonb_agg(jsonb_build_object('id', g.id, 'name', g.name, 'sequence', g.sequence, 'start', to_char(g.start_date, 'YYYY-MM-DD'), 'end', to_char(g.end_date, 'YYYY-MM-DD'))
                    ORDER BY g.sequence) FILTER (WHERE NOT g.deleted) AS grading_periods
             FROM grading_periods g WHERE g.district_id = x.district_id AND g.term_id = x.term_id
         ) gp ON true
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
