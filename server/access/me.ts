import type { Queryable } from '../db/store.ts';
import type { Me } from '../contract/auth.ts';
import type { Principal } from './principal.ts';
import { RECENT_SCHOOL_DAYS, windowOf } from './sync-windows.ts';

/** The signed-in person as `GET /api/me` describes them: roles, places, rights and students. */
export async function describeMe(db: Queryable, principal: Principal, today: string): Promise<Me> {
  const { districtId } = principal;
  const studentIds = [...new Set([...principal.guardianOf, ...(principal.selfStudentId ? [principal.selfStudentId] : []), ...principal.sectionStudentIds, ...principal.caseloadStudentIds])];
  const schoolIds = [...new Set(principal.locations.map((l) => l.schoolId).filter((id): id is string => id !== null))];
  const [[person], students, schools] = await Promise.all([
    db.query<{ first_name: string; last_name: string; preferred_name: string | null; email: string | null }>(
      'SELECT first_name, last_name, preferred_name, email FROM people WHERE district_id = $1 AND id = $2',
      [districtId, principal.personId],
    ),
    db.query<{ id: string; first_name: string; last_name: string; grade_level: number; school_id: string; school_name: string }>(
      `SELECT s.id, p.first_name, p.last_name, s.grade_level, k.id AS school_id, k.name AS school_name
         FROM students s
         JOIN people p ON p.district_id = s.district_id AND p.id = s.person_id
         JOIN enrollments e ON e.district_id = s.district_id AND e.student_id = s.id AND e.kind = 'primary' AND NOT e.deleted AND e.end_date IS NULL
         JOIN schools k ON k.district_id = e.district_id AND k.id = e.school_id
        WHERE s.district_id = $1 AND s.id = ANY($2::uuid[]) AND NOT s.deleted
        ORDER BY s.grade_level, p.last_name, p.first_name`,
      [districtId, studentIds],
    ),
    // Where a role holds recent attendance only (sync-windows.ts), the first day its devices hold.
    db.query<{ id: string; name: string; since: string }>(
      `SELECT id, name, to_char(recent_school_days_start($1, id, $3::date, ${RECENT_SCHOOL_DAYS}), 'YYYY-MM-DD') AS since FROM schools WHERE district_id = $1 AND id = ANY($2::uuid[])`,
      [districtId, schoolIds, today],
    ),
  ]);
  const schoolName = new Map(schools.map((s) => [s.id, s.name]));
  const since = new Map(schools.map((s) => [s.id, s.since]));
  return {
    account: { id: principal.accountId, username: principal.username, language: principal.language },
    person: { id: principal.personId, firstName: person?.first_name ?? '', lastName: person?.last_name ?? '', preferredName: person?.preferred_name ?? null, email: person?.email ?? null },
    districtId,
    roles: [...principal.roles],
    locations: principal.locations.map((l) => ({
      role: l.role, schoolId: l.schoolId, schoolName: l.schoolId ? schoolName.get(l.schoolId) ?? null : null,
      attendanceSince: l.schoolId && l.role !== 'teacher' && windowOf(l.role, 'attendance') === 'recent' ? since.get(l.schoolId) ?? null : null,
    })),
    toolRights: principal.toolRights,
    students: students.map((s) => ({ id: s.id, firstName: s.first_name, lastName: s.last_name, gradeLevel: s.grade_level, schoolId: s.school_id, schoolName: s.school_name })),
  };
}
