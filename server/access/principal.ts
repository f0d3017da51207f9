import type { Queryable } from '../db/store.ts';
import type { Role, StaffRole, Tool } from '../contract/roles.ts';

/** Who is asking, with every scope they hold today; loaded fresh for each request. */
export interface Principal {
  accountId: string;
  personId: string;
  districtId: string;
  username: string;
  language: 'en' | 'es' | 'so' | 'vi';
  roles: Set<Role>;
  /** Students whose guardianship gives this person portal access. */
  guardianOf: Set<string>;
  /** The person's own student record, if they are a student. */
  selfStudentId: string | null;
  staffId: string | null;
  /** Staff role × school location (schoolId null = district-wide). */
  locations: Array<{ role: StaffRole; schoolId: string | null }>;
  /** Sections this person teaches now, and their students. */
  sectionIds: Set<string>;
  sectionStudentIds: Set<string>;
  caseloadStudentIds: Set<string>;
  /** Tool rights in force: approved, not lapsed, and their training current. */
  toolRights: Array<{ tool: Tool; schoolId: string | null; expiresOn: string }>;
}

export async function loadPrincipal(db: Queryable, districtId: string, accountId: string, today: string): Promise<Principal | null> {
  const [account] = await db.query<{ id: string; person_id: string; username: string; preferred_language: Principal['language']; status: string }>(
    `SELECT id, person_id, username, preferred_language, status FROM accounts WHERE district_id = $1 AND id = $2 AND NOT deleted`,
    [districtId, accountId],
  );
  if (!account || account.status !== 'active') return null;
  const personId = account.person_id;
  const [guardianships, students, staff] = await Promise.all([
    db.query<{ student_id: string }>(
      `SELECT g.student_id FROM guardianships g JOIN students s ON s.district_id = g.district_id AND s.id = g.student_id
        WHERE g.district_id = $1 AND g.guardian_person_id = $2 AND g.portal_access AND NOT g.deleted AND NOT s.deleted`,
      [districtId, personId],
    ),
    db.query<{ id: string }>(`SELECT id FROM students WHERE district_id = $1 AND person_id = $2 AND NOT deleted`, [districtId, personId]),
    db.query<{ id: string }>(`SELECT id FROM staff WHERE district_id = $1 AND person_id = $2 AND active AND NOT deleted`, [districtId, personId]),
  ]);
  const staffId = staff[0]?.id ?? null;
  const principal: Principal = {
    accountId,
    personId,
    districtId,
    username: account.username,
    language: account.preferred_language,
    roles: new Set(),
    guardianOf: new Set(guardianships.map((g) => g.student_id)),
    selfStudentId: students[0]?.id ?? null,
    staffId,
    locations: [],
    sectionIds: new Set(),
    sectionStudentIds: new Set(),
    caseloadStudentIds: new Set(),
    toolRights: [],
  };
  if (principal.guardianOf.size > 0) principal.roles.add('guardian');
  if (principal.selfStudentId) principal.roles.add('student');
  if (staffId) {
    const [locations, sections, caseload, rights] = await Promise.all([
      db.query<{ role: StaffRole; school_id: string | null }>(
        `SELECT role, school_id FROM staff_locations WHERE district_id = $1 AND staff_id = $2 AND NOT deleted
            AND start_date <= $3 AND (end_date IS NULL OR end_date >= $3)`,
        [districtId, staffId, today],
      ),
      // A teacher teaches a section while her assignment to it is in force: the assignment's own
      // dates (a district sets them to the term's, as the seed does), the rule the pulls follow too.
      db.query<{ section_id: string; student_id: string | null }>(
        `SELECT ss.section_id, r.student_id FROM section_staff ss
           JOIN sections x ON x.district_id = ss.district_id AND x.id = ss.section_id AND NOT x.deleted
           LEFT JOIN section_enrollments r ON r.district_id = ss.district_id AND r.section_id = ss.section_id AND NOT r.deleted
                AND r.start_date <= $3 AND (r.end_date IS NULL OR r.end_date >= $3)
          WHERE ss.district_id = $1 AND ss.staff_id = $2 AND NOT ss.deleted
            AND ss.start_date <= $3 AND (ss.end_date IS NULL OR ss.end_date >= $3)`,
        [districtId, staffId, today],
      ),
      db.query<{ student_id: string }>(
        `SELECT student_id FROM counselor_caseloads WHERE district_id = $1 AND staff_id = $2 AND NOT deleted`,
        [districtId, staffId],
      ),
      db.query<{ tool: Tool; school_id: string | null; expires_on: string }>(
        `SELECT r.tool, r.school_id, to_char(r.expires_on, 'YYYY-MM-DD') AS expires_on FROM tool_rights r
          WHERE r.district_id = $1 AND r.staff_id = $2 AND NOT r.deleted AND r.approved_on <= $3 AND r.expires_on >= $3
            AND (r.required_training_id IS NULL OR EXISTS (
              SELECT 1 FROM staff_trainings st WHERE st.district_id = r.district_id AND st.staff_id = r.staff_id
                 AND st.training_id = r.required_training_id AND NOT st.deleted AND st.completed_on <= $3 AND st.expires_on >= $3))`,
        [districtId, staffId, today],
      ),
    ]);
    principal.locations = locations.map((l) => ({ role: l.role, schoolId: l.school_id }));
    for (const location of principal.locations) principal.roles.add(location.role);
    for (const row of sections) {
      principal.sectionIds.add(row.section_id);
      if (row.student_id) principal.sectionStudentIds.add(row.student_id);
    }
    if (principal.roles.has('counselor')) for (const row of caseload) principal.caseloadStudentIds.add(row.student_id);
    // A right only counts where the person also holds a role.
    principal.toolRights = rights
      .filter((r) => principal.locations.some((l) => l.role === 'district_admin' || r.school_id === null || l.schoolId === r.school_id))
      .map((r) => ({ tool: r.tool, schoolId: r.school_id, expiresOn: r.expires_on }));
  }
  return principal;
}
