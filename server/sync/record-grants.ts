/**
 * The paths by which a user reaches a student for one kind of family record (health, fees),
 * written as SQL so the pull can filter by them before LIMIT. It mirrors `accessPath` in
 * server/access/policy.ts for reading that kind; the sync tests compare both for real users.
 *
 * Each grant row carries the greatest seq of every row that can switch it on or off, and an
 * `active` flag for today, so a new grant sends the student's records and a lost one sends
 * tombstones. Dates passing change no seq: the daily date-windows job touches rows whose
 * window opened or closed (server/sync/date-windows.ts).
 */

/** Who reads a record kind from a school role, and whether a tool right must be in force. */
export interface RecordGrantRule {
  /** School roles whose schools' students they read (policy.ts SCHOOL_ROLE_RIGHTS), without district_admin. */
  schoolRoles: ReadonlyArray<'counselor' | 'nurse' | 'office' | 'principal'>;
  /** District admins read every student of the district. */
  districtAdmin: boolean;
  /** Counselors read their caseload (policy.ts CASELOAD_RIGHTS). */
  caseload: boolean;
  /** A tool right staff need on top of the role (policy.ts TOOL_FOR), or null. */
  tool: 'health' | 'fees' | null;
}

export const HEALTH_READERS: RecordGrantRule = { schoolRoles: ['nurse', 'office', 'principal'], districtAdmin: true, caseload: true, tool: 'health' };
export const FEE_READERS: RecordGrantRule = { schoolRoles: ['office', 'principal'], districtAdmin: true, caseload: false, tool: 'fees' };

const ENROLLED = `NOT e.deleted AND e.end_date IS NULL`;

/**
 * CTEs `locs`, `rights` and `grants (student_id, seq, active)` for the rule. Parameters:
 * $1 district, $2 person, $3 staff (may be null), $4 today. Built from constants only.
 */
export function recordGrantsSql(rule: RecordGrantRule): string {
  const roles = rule.schoolRoles.map((r) => `'${r}'`).join(', ');
  const tool = rule.tool;
  // A right counts when approved, not lapsed, its training current, and the person holds a role where it applies.
  const rights = tool
    ? `rights AS (
       SELECT r.id, r.school_id, greatest(r.seq, coalesce(max(st.seq), 0), coalesce(max(l.seq), 0)) AS seq,
              (NOT r.deleted AND r.approved_on <= $4 AND r.expires_on >= $4
               AND (r.required_training_id IS NULL OR coalesce(bool_or(NOT st.deleted AND st.completed_on <= $4 AND st.expires_on >= $4), false))
               AND (r.school_id IS NULL OR coalesce(bool_or(l.active AND (l.role = 'district_admin' OR l.school_id = r.school_id)), false))) AS active
         FROM tool_rights r
         LEFT JOIN staff_trainings st ON st.district_id = r.district_id AND st.staff_id = r.staff_id AND st.training_id = r.required_training_id
         LEFT JOIN locs l ON l.role = 'district_admin' OR l.school_id = r.school_id
        WHERE r.district_id = $1 AND r.staff_id = $3 AND r.tool = '${tool}'
        GROUP BY r.id, r.school_id, r.seq, r.deleted, r.approved_on, r.expires_on, r.required_training_id
     ),`
    : '';
  const paths = [
    `SELECT g.student_id, g.seq, (g.portal_access AND NOT g.deleted) AS active
       FROM guardianships g WHERE g.district_id = $1 AND g.guardian_person_id = $2`,
    `SELECT s.id, s.seq, NOT s.deleted FROM students s WHERE s.district_id = $1 AND s.person_id = $2`,
  ];
  if (rule.schoolRoles.length > 0) {
    paths.push(
      tool
        ? `SELECT e.student_id, greatest(l.seq, e.seq, r.seq), l.active AND ${ENROLLED} AND r.active
             FROM locs l JOIN enrollments e ON e.district_id = $1 AND e.school_id = l.school_id
             JOIN rights r ON r.school_id IS NULL OR r.school_id = l.school_id
            WHERE l.role IN (${roles})`
        : `SELECT e.student_id, greatest(l.seq, e.seq), l.active AND ${ENROLLED}
             FROM locs l JOIN enrollments e ON e.district_id = $1 AND e.school_id = l.school_id
            WHERE l.role IN (${roles})`,
    );
  }
  if (rule.districtAdmin) {
    paths.push(
      tool
        ? // The right must apply to a school the student is enrolled in today, or to the whole district.
          `SELECT s.id, greatest(l.seq, r.seq, coalesce(e.seq, 0)), l.active AND r.active AND (r.school_id IS NULL OR coalesce(${ENROLLED}, false))
             FROM locs l CROSS JOIN rights r JOIN students s ON s.district_id = $1
             LEFT JOIN enrollments e ON e.district_id = $1 AND e.student_id = s.id AND e.school_id = r.school_id
            WHERE l.role = 'district_admin'`
        : `SELECT s.id, l.seq, l.active FROM locs l JOIN students s ON s.district_id = $1 WHERE l.role = 'district_admin'`,
    );
  }
  if (rule.caseload) {
    // Caseloads count only while the person works as a counselor somewhere (principal.ts).
    paths.push(
      tool
        ? `SELECT c.student_id, greatest(c.seq, cl.seq, r.seq, coalesce(e.seq, 0)),
                  NOT c.deleted AND cl.active AND r.active AND (r.school_id IS NULL OR coalesce(${ENROLLED}, false))
             FROM counselor_caseloads c JOIN locs cl ON cl.role = 'counselor' CROSS JOIN rights r
             LEFT JOIN enrollments e ON e.district_id = $1 AND e.student_id = c.student_id AND e.school_id = r.school_id
            WHERE c.district_id = $1 AND c.staff_id = $3`
        : `SELECT c.student_id, greatest(c.seq, cl.seq), NOT c.deleted AND cl.active
             FROM counselor_caseloads c JOIN locs cl ON cl.role = 'counselor'
            WHERE c.district_id = $1 AND c.staff_id = $3`,
    );
  }
  return `locs AS (
       SELECT l.id, l.school_id, l.role, l.seq, (NOT l.deleted AND l.start_date <= $4 AND (l.end_date IS NULL OR l.end_date >= $4)) AS active
         FROM staff_locations l WHERE l.district_id = $1 AND l.staff_id = $3
     ),
     ${rights}
     grants (student_id, seq, active) AS (
       ${paths.join('\n       UNION ALL\n       ')}
     )`;
}
