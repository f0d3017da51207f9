import type { Queryable } from '../db/store.ts';
import type { Tool } from '../contract/roles.ts';
import { ApiError } from '../errors.ts';
import { canUseTool } from './policy.ts';
import type { Principal } from './principal.ts';

/** The schools an account belongs to: a student's, a guardian's children's, a staff member's. */
async function schoolsOfAccount(db: Queryable, districtId: string, personId: string): Promise<string[]> {
  const rows = await db.query<{ school_id: string }>(
    `SELECT e.school_id FROM students s JOIN enrollments e ON e.district_id = s.district_id AND e.student_id = s.id AND e.end_date IS NULL AND NOT e.deleted
      WHERE s.district_id = $1 AND s.person_id = $2
     UNION
     SELECT e.school_id FROM guardianships g JOIN enrollments e ON e.district_id = g.district_id AND e.student_id = g.student_id AND e.end_date IS NULL AND NOT e.deleted
      WHERE g.district_id = $1 AND g.guardian_person_id = $2 AND NOT g.deleted
     UNION
     SELECT l.school_id FROM staff t JOIN staff_locations l ON l.district_id = t.district_id AND l.staff_id = t.id AND NOT l.deleted
      WHERE t.district_id = $1 AND t.person_id = $2 AND l.school_id IS NOT NULL`,
    [districtId, personId],
  );
  return rows.map((r) => r.school_id);
}

/**
 * The asker holds the "accounts" right for the district or for one of the account's schools. A
 * staff member's account also needs the "staff_admin" right there: an unlock or a reset hands
 * over that person's staff rights, which the office could not grant itself.
 */
export async function requireAccountRight(db: Queryable, principal: Principal, personId: string): Promise<void> {
  const schools = await schoolsOfAccount(db, principal.districtId, personId);
  const staff = await db.query(`SELECT 1 FROM staff WHERE district_id = $1 AND person_id = $2 AND NOT deleted`, [principal.districtId, personId]);
  const holds = (tool: Tool) => canUseTool(principal, tool, null) || schools.some((schoolId) => canUseTool(principal, tool, schoolId));
  if (!holds('accounts') || (staff.length > 0 && !holds('staff_admin'))) throw new ApiError(403, 'forbidden');
}

/**
 * The school in whose name a staff member may reset this person's password: one of her own
 * schools (where she works and holds the accounts right) that a student tied to the person
 * attends, the person or a child in their care. Null when there is none: a colleague, or a family
 * of other schools only, is not hers to reset.
 */
export async function resetSchool(db: Queryable, principal: Principal, personId: string): Promise<{ id: string; name: string } | null> {
  const schools = await db.query<{ id: string; name: string }>(
    `SELECT DISTINCT k.id, k.name FROM enrollments e JOIN schools k ON k.district_id = e.district_id AND k.id = e.school_id
      WHERE e.district_id = $1 AND e.end_date IS NULL AND NOT e.deleted AND e.student_id IN (
        SELECT s.id FROM students s WHERE s.district_id = $1 AND s.person_id = $2 AND NOT s.deleted
        UNION
        SELECT g.student_id FROM guardianships g WHERE g.district_id = $1 AND g.guardian_person_id = $2 AND NOT g.deleted)
      ORDER BY k.name`,
    [principal.districtId, personId],
  );
  const works = (schoolId: string) => principal.locations.some((l) => l.schoolId === schoolId || (l.schoolId === null && l.role === 'district_admin'));
  return schools.find((school) => works(school.id) && canUseTool(principal, 'accounts', school.id)) ?? null;
}

/**
 * Resetting a second factor hands the account to whoever next types its password, so only a
 * district administrator may do it: one holding the district-wide "accounts" right, and for a
 * staff member's account the district-wide "staff_admin" right as well. Never her own.
 */
export async function requireSecondFactorResetRight(db: Queryable, principal: Principal, account: { id: string; personId: string }): Promise<void> {
  const districtAdmin = principal.locations.some((l) => l.role === 'district_admin' && l.schoolId === null);
  const staff = await db.query(`SELECT 1 FROM staff WHERE district_id = $1 AND person_id = $2 AND NOT deleted`, [principal.districtId, account.personId]);
  if (!districtAdmin || !canUseTool(principal, 'accounts', null) || (staff.length > 0 && !canUseTool(principal, 'staff_admin', null))) throw new ApiError(403, 'forbidden');
  if (account.id === principal.accountId) throw new ApiError(403, 'self_approval');
}
