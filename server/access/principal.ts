import type { Queryable } from '../db/store.ts';
import type { Role, StaffRole, Tool } from '../contract/roles.ts';
import type { RecordKind } from './policy.ts';
import { addDays } from '../domain/dates.ts';
import type { Mark } from '../sync/feed-memory.ts';
import { PRINCIPAL_TABLES, type Asking, type PrincipalMemory, type SessionPrincipal } from './principal-memory.ts';
import { mustUseSecondFactor } from './second-factor.ts';

/** How an access_grants row reaches a student (migration 0017): a family relation, a taught section, a caseload, or a staff role over its school. */
export type GrantVia = 'guardian' | 'self' | 'section' | 'caseload' | Exclude<StaffRole, 'teacher'>;

/** The record kinds one of the person's grants in force today reads and writes. */
export interface StudentGrant {
  via: GrantVia;
  reads: readonly RecordKind[];
  writes: readonly RecordKind[];
}

/** Who is asking, with every scope they hold today; loaded fresh for each request. */
export interface Principal {
  accountId: string;
  personId: string;
  districtId: string;
  username: string;
  language: 'en' | 'es' | 'so' | 'vi';
  roles: Set<Role>;
  /** The person's access_grants in force today, by student: what policy.ts decides from. */
  grants: ReadonlyMap<string, readonly StudentGrant[]>;
  /** Students whose guardianship gives this person portal access. */
  guardianOf: Set<string>;
  /** The person's own student record, if they are a student. */
  selfStudentId: string | null;
  staffId: string | null;
  /** Staff role × school location (schoolId null = district-wide). */
  locations: Array<{ role: StaffRole; schoolId: string | null }>;
  /** Sections this person teaches now (section_staff in force, with or without a roster). */
  sectionIds: Set<string>;
  /** Students on today's roster of a section she teaches. */
  sectionStudentIds: Set<string>;
  caseloadStudentIds: Set<string>;
  /** Tool rights in force: approved, not lapsed, and their training current. */
  toolRights: Array<{ tool: Tool; schoolId: string | null; expiresOn: string }>;
}

interface PrincipalRow {
  person_id: string;
  username: string;
  preferred_language: Principal['language'];
  status: string;
  grants: Array<[GrantVia, RecordKind[], RecordKind[], string[]]>;
  staff_id: string | null;
  locations: Array<{ role: StaffRole; school_id: string | null }>;
  sections: string[];
  rights: Array<{ tool: Tool; school_id: string | null; expires_on: string }>;
}

/**
 * Everything a principal holds today, in one round trip (every request pays for it): the
 * account, its access_grants in force today (one entry per relation and kinds, with its
 * students), and for staff their role × school locations, the sections they teach and their
 * tool rights in force; with a session, that it is live (and whether it was opened with a second
 * factor), in the same query.
 */
function principalSql(withSession: boolean): string {
  return `
  WITH ${withSession ? `sess AS (SELECT expires_at, second_factor FROM sessions
                  WHERE district_id = $1 AND id = $4 AND account_id = $2 AND revoked_at IS NULL AND expires_at > $5),` : ''}
       a AS (SELECT person_id, username, preferred_language, status FROM accounts
              WHERE district_id = $1 AND id = $2 AND NOT deleted ${withSession ? 'AND EXISTS (SELECT 1 FROM sess)' : ''}),
       st AS (SELECT t.id FROM staff t JOIN a ON t.person_id = a.person_id WHERE t.district_id = $1 AND t.active AND NOT t.deleted ORDER BY t.id LIMIT 1)
  SELECT a.person_id, a.username, a.preferred_language, a.status,
         (SELECT coalesce(json_agg(json_build_array(k.via, k.reads, k.writes, k.students)), '[]') FROM (
            SELECT g.via, g.reads, g.writes, array_agg(g.student_id ORDER BY g.student_id) AS students FROM access_grants g
             WHERE g.district_id = $1 AND g.person_id = a.person_id AND g.active
               AND (g.start_date IS NULL OR g.start_date <= $3::date) AND (g.end_date IS NULL OR g.end_date >= $3::date)
             GROUP BY g.via, g.reads, g.writes) k) AS grants,
         (SELECT id FROM st) AS staff_id,
         (SELECT coalesce(json_agg(json_build_object('role', l.role, 'school_id', l.school_id)), '[]') FROM staff_locations l
           WHERE l.district_id = $1 AND l.staff_id = (SELECT id FROM st) AND NOT l.deleted
             AND l.start_date <= $3::date AND (l.end_date IS NULL OR l.end_date >= $3::date)) AS locations,
         -- A teacher teaches a section while her assignment to it is in force: the assignment's own
         -- dates (a district sets them to the term's, as the seed does), as the grants count them.
         (SELECT coalesce(json_agg(ss.section_id), '[]') FROM section_staff ss
            JOIN sections x ON x.district_id = ss.district_id AND x.id = ss.section_id AND NOT x.deleted
           WHERE ss.district_id = $1 AND ss.staff_id = (SELECT id FROM st) AND NOT ss.deleted
             AND ss.start_date <= $3::date AND (ss.end_date IS NULL OR ss.end_date >= $3::date)) AS sections,
         (SELECT coalesce(json_agg(json_build_object('tool', r.tool, 'school_id', r.school_id, 'expires_on', to_char(r.expires_on, 'YYYY-MM-DD'))), '[]')
            FROM tool_rights r
           WHERE r.district_id = $1 AND r.staff_id = (SELECT id FROM st) AND NOT r.deleted AND r.approved_on <= $3::date AND r.expires_on >= $3::date
             AND (r.required_training_id IS NULL OR EXISTS (
               SELECT 1 FROM staff_trainings t WHERE t.district_id = r.district_id AND t.staff_id = r.staff_id
                  AND t.training_id = r.required_training_id AND NOT t.deleted AND t.completed_on <= $3::date AND t.expires_on >= $3::date))) AS rights
         ${withSession ? ', (SELECT expires_at FROM sess) AS session_expires_at, (SELECT second_factor FROM sess) AS session_second_factor' : ''}
    FROM a`;
}

const PRINCIPAL_SQL = principalSql(false);
const SESSION_PRINCIPAL_SQL = principalSql(true);

export async function loadPrincipal(db: Queryable, districtId: string, accountId: string, today: string): Promise<Principal | null> {
  const [row] = await db.query<PrincipalRow>(PRINCIPAL_SQL, [districtId, accountId, today]);
  return row ? principalOf(row, districtId, accountId) : null;
}

/**
 * The principal of a live session (not revoked, not expired at `now`) of an active account, with
 * the session's end and whether it was opened with a second factor: one round trip per request,
 * or none while `memory` holds it (principal-memory.ts).
 */
export async function loadSessionPrincipal(db: Queryable, session: Asking, now: Date, memory?: PrincipalMemory): Promise<SessionPrincipal | null> {
  const question = { key: session.sessionId, districtId: session.districtId, accountId: session.accountId, tables: PRINCIPAL_TABLES };
  const remembered = memory?.recall(question, now);
  if (remembered) return remembered;
  const today = now.toISOString().slice(0, 10);
  const load = async (mark: Mark | null): Promise<SessionPrincipal | null> => {
    const [row] = await db.query<PrincipalRow & { session_expires_at: Date | string; session_second_factor: boolean }>(
      SESSION_PRINCIPAL_SQL,
      [session.districtId, session.accountId, today, session.sessionId, now],
    );
    const principal = row ? principalOf(row, session.districtId, session.accountId) : null;
    const found = principal ? { principal, expiresAt: new Date(row!.session_expires_at), secondFactor: row!.session_second_factor === true } : null;
    // A session refused for want of a second factor may gain one in place (enrolment), unheard: not kept, asked again.
    if (found && memory && mark && (found.secondFactor || !mustUseSecondFactor(found.principal))) {
      // Kept for the day it was loaded (its date decided the grants in force) and until the session expires.
      memory.keep(question, mark, found, Math.min(found.expiresAt.getTime(), Date.parse(addDays(today, 1))));
    }
    return found;
  };
  // Requests side by side (a first sync's pulls) share one statement; the date is part of the question.
  return memory ? memory.shared({ ...question, key: `${question.key}@${today}` }, load) : load(null);
}

/** The order in which policy.ts names the relation that allows an action (accessPath). */
const VIA_ORDER: readonly GrantVia[] = ['guardian', 'self', 'counselor', 'nurse', 'office', 'principal', 'district_admin', 'section', 'caseload'];

function principalOf(row: PrincipalRow, districtId: string, accountId: string): Principal | null {
  if (row.status !== 'active') return null;
  const grants = new Map<string, StudentGrant[]>();
  const studentsVia = (via: GrantVia) => new Set(row.grants.filter(([v]) => v === via).flatMap(([, , , students]) => students));
  for (const [via, reads, writes, students] of [...row.grants].sort(([a], [b]) => VIA_ORDER.indexOf(a) - VIA_ORDER.indexOf(b))) {
    const grant: StudentGrant = { via, reads, writes };
    for (const studentId of students) grants.set(studentId, [...(grants.get(studentId) ?? []), grant]);
  }
  const guardianOf = studentsVia('guardian');
  const selfStudentId = [...studentsVia('self')].sort()[0] ?? null;
  // Locations, sections and rights are a staff record's (the statement finds none without one).
  const locations = row.locations.map((l) => ({ role: l.role, schoolId: l.school_id }));
  const roles = new Set<Role>();
  if (guardianOf.size > 0) roles.add('guardian');
  if (selfStudentId) roles.add('student');
  for (const location of locations) roles.add(location.role);
  return {
    accountId,
    personId: row.person_id,
    districtId,
    username: row.username,
    language: row.preferred_language,
    roles,
    grants,
    guardianOf,
    selfStudentId,
    staffId: row.staff_id,
    locations,
    sectionIds: new Set(row.sections),
    sectionStudentIds: studentsVia('section'),
    caseloadStudentIds: studentsVia('caseload'),
    // A right only counts where the person also holds a role.
    toolRights: row.rights
      .filter((r) => locations.some((l) => l.role === 'district_admin' || r.school_id === null || l.schoolId === r.school_id))
      .map((r) => ({ tool: r.tool, schoolId: r.school_id, expiresOn: r.expires_on })),
  };
}
