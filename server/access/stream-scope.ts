import type { Queryable } from '../db/store.ts';
import type { Principal } from './principal.ts';

/**
 * The students whose record changes a device's change stream passes on: every student the
 * person reaches today by guardianship, as the student, through a section she teaches, a
 * caseload, or a school she works at. Null means the whole district (a district administrator).
 *
 * A coarse filter for "pull now" events only, never for what a pull returns (the pullers and
 * policy.ts decide that): it may let through an event about a student whose records of that
 * kind she may not read, and the pull then brings nothing; it never holds back one she may.
 */
export async function streamStudents(db: Queryable, principal: Principal, today: string): Promise<Set<string> | null> {
  if (principal.locations.some((l) => l.role === 'district_admin')) return null;
  const students = new Set<string>([...principal.guardianOf, ...principal.sectionStudentIds, ...principal.caseloadStudentIds]);
  if (principal.selfStudentId) students.add(principal.selfStudentId);
  const schools = [...new Set(principal.locations.filter((l) => l.role !== 'teacher' && l.schoolId !== null).map((l) => l.schoolId!))];
  if (schools.length > 0) {
    const enrolled = await db.query<{ student_id: string }>(
      `SELECT DISTINCT student_id FROM enrollments
        WHERE district_id = $1 AND school_id = ANY($2::uuid[]) AND NOT deleted AND (end_date IS NULL OR end_date >= $3)`,
      [principal.districtId, schools, today],
    );
    for (const row of enrolled) students.add(row.student_id);
  }
  return students;
}

/** Tables whose changes can widen or narrow whom a person reaches: their events always pass, and the scope is read again. */
export const SCOPE_TABLES: ReadonlySet<string> = new Set(['guardianships', 'enrollments', 'section_enrollments', 'section_staff', 'counselor_caseloads', 'staff_locations']);
