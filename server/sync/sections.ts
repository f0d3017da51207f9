import type { Principal } from '../access/principal.ts';
import { grantedPage } from './pager.ts';
import { grantsReading } from '../access/grants.ts';
import { sectionSchema, type SectionDocument } from '../contract/sync/sections.ts';
import { documentsFrom, type Pulled, type PulledRow } from './pulled-document.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable } from '../db/store.ts';

/** Rows are documents by the schema's field names; hidden ones become tombstones (pulled-document.ts). */
const toDocument = documentsFrom<SectionDocument>(sectionSchema);

export type PulledSection = Pulled<SectionDocument>;

/**
 * Sections on the user's schedule, from the access_grants rows that let her read a student's
 * schedule: a family's through their students' rosters today (`studentIds`: the family's own
 * children in it), a teacher's own (`studentIds`: today's roster), and every section of a school
 * for its office, principal and counselors (no `studentIds`). The order key takes the
 * greatest seq of the section, its course, term, period, room, teachers and the grant rows,
 * so a renamed course or a new teacher reaches every device that shows the section.
 */
export async function pullSections(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledSection[]; checkpoint: SyncCheckpoint | null }> {
  const page = await grantedPage<PulledRow<SectionDocument>>(db, principal, today, checkpoint, limit, `WITH grants AS (${grantsReading('schedule', ['guardian', 'self', 'section', 'counselor', 'office', 'principal', 'district_admin'])}),
     placed (section_id, student_id, seq, active) AS (
       -- A family: the sections on her child's roster, today's and coming ones.
       SELECT r.section_id, g.student_id, greatest(g.seq, r.seq), g.in_force AND NOT r.deleted AND (r.end_date IS NULL OR r.end_date >= $3)
         FROM grants g JOIN section_enrollments r ON r.district_id = $1 AND r.student_id = g.student_id
        WHERE g.via IN ('guardian', 'self')
       UNION ALL
       -- A teacher: one grant per roster entry of her section, so an added or dropped student changes it;
       -- a section she will teach shows before its students do.
       SELECT g.section_id, CASE WHEN g.in_force THEN g.student_id END, g.seq, g.in_force OR g.upcoming FROM grants g WHERE g.via = 'section'
       UNION ALL
       -- A school role: every section of a school where she reaches students (district administrators: every school).
       -- While in force its key is the earliest grant in force, so a new enrollment does not send every section again.
       SELECT x.id, NULL::uuid, w.seq, w.active
         FROM (SELECT g.school_id, bool_or(g.in_force) AS active, coalesce(min(g.seq) FILTER (WHERE g.in_force), max(g.seq)) AS seq
                 FROM grants g WHERE g.via NOT IN ('guardian', 'self', 'section') GROUP BY g.school_id) w
         JOIN sections x ON x.district_id = $1 AND (w.school_id IS NULL OR x.school_id = w.school_id)
     ),
     scoped AS (
       SELECT section_id, bool_or(active) AS visible, max(seq) AS grant_seq,
              -- Sorted as uuids, which is their text's order byte by byte, whatever the database's collation.
              coalesce(array_agg(DISTINCT student_id ORDER BY student_id) FILTER (WHERE student_id IS NOT NULL AND active), '{}')::text[] AS student_ids
         FROM placed GROUP BY section_id
     ),
     teaching AS MATERIALIZED (
       SELECT ss.section_id, max(greatest(ss.seq, p.seq)) AS seq,
              jsonb_agg(jsonb_build_object('name', p.first_name || ' ' || p.last_name, 'email', p.email, 'role', ss.role) ORDER BY ss.role, p.last_name)
                FILTER (WHERE NOT ss.deleted) AS teachers
         FROM scoped sc
         -- Each section's staff by its index and each one's name by key (OFFSET 0 keeps them probes):
         -- joined flat, every person in the district was read and hashed for a family's 34 sections.
         CROSS JOIN LATERAL (SELECT * FROM section_staff ss WHERE ss.district_id = $1 AND ss.section_id = sc.section_id OFFSET 0) ss
         CROSS JOIN LATERAL (SELECT p.* FROM staff t JOIN people p ON p.district_id = t.district_id AND p.id = t.person_id
                              WHERE t.district_id = $1 AND t.id = ss.staff_id OFFSET 0) p
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
     )`,
  );
  return { documents: page.rows.map(toDocument), checkpoint: page.checkpoint };
}
