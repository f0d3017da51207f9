import { randomUUID } from 'node:crypto';
import { audit } from '../access/access-log.ts';
import type { Principal } from '../access/principal.ts';
import { accessPath, canAccessStudent } from '../access/policy.ts';
import { attendanceSchema, type AttendanceDocument, type PushRow, type SyncRefusal } from '../contract/sync/attendance.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import { refusedTombstone, tombstones } from './tombstone.ts';
import { pushedDocumentCheck } from './pushed-document.ts';
import { nextCheckpoint, pageAfter, pullBase, pullParams } from './pager.ts';
import { SCHOOL_WINDOWS_SQL, schoolRolesSyncing, windowOf } from '../access/sync-windows.ts';
import type { Queryable, Store } from '../db/store.ts';
import { loadStudentResource } from '../routes/students.ts';
import { hasSchoolDay } from './school-days.ts';

/** Tombstones keep ids only (server/sync/tombstone.ts). */
const tombstone = tombstones<AttendanceDocument>(attendanceSchema);

export type PulledAttendance = AttendanceDocument & { _deleted: boolean };

interface Row {
  id: string;
  visible: boolean;
  eff_seq: number;
  student_id: string;
  school_id: string;
  date: string;
  section_id: string | null;
  period_id: string | null;
  status: AttendanceDocument['status'];
  excuse: AttendanceDocument['excuse'];
  reason_id: string | null;
  reason_code: string | null;
  minutes: number | null;
  comment: string;
  deleted: boolean;
}

const COLUMNS = `a.id, a.student_id, a.school_id, to_char(a.date, 'YYYY-MM-DD') AS date, a.section_id, a.period_id, a.status, a.excuse,
  a.reason_id, r.code AS reason_code, a.minutes, a.comment, a.deleted`;

function toDocument(row: Omit<Row, 'visible' | 'eff_seq'>, visible: boolean): PulledAttendance {
  if (!visible || row.deleted) return tombstone(row.id);
  return {
    id: row.id, studentId: row.student_id, schoolId: row.school_id, date: row.date, sectionId: row.section_id, periodId: row.period_id,
    status: row.status, excuse: row.excuse, reasonCode: row.reason_code, minutes: row.minutes, comment: row.comment, syncError: null, _deleted: false,
  };
}

const RECENT_ROLES = schoolRolesSyncing('attendance', 'recent');
const ALL_ROLES = schoolRolesSyncing('attendance', 'all');
const CASELOAD = windowOf('caseload', 'attendance');

/** Every path to a student's marks, with whether the staff window applies to it; built once from the rule table. */
const schoolGrant = (roles: string | null, windowed: boolean) => roles === null ? [] : [
  `SELECT e.student_id, NULL::uuid, greatest(l.seq, e.seq),
          NOT l.deleted AND l.start_date <= $4 AND (l.end_date IS NULL OR l.end_date >= $4) AND NOT e.deleted AND e.end_date IS NULL, ${windowed}
     FROM staff_locations l JOIN enrollments e ON e.district_id = l.district_id AND e.school_id = l.school_id
    WHERE l.district_id = $1 AND l.staff_id = $3 AND l.role IN (${roles})`,
];
const GRANTS = [
  `SELECT g.student_id, NULL::uuid AS section_id, g.seq, (g.portal_access AND NOT g.deleted) AS active, false AS windowed
     FROM guardianships g WHERE g.district_id = $1 AND g.guardian_person_id = $2`,
  `SELECT s.id, NULL, s.seq, NOT s.deleted, false FROM students s WHERE s.district_id = $1 AND s.person_id = $2`,
  `SELECT r.student_id, ss.section_id, greatest(ss.seq, r.seq),
          NOT ss.deleted AND NOT r.deleted AND ss.start_date <= $4 AND (ss.end_date IS NULL OR ss.end_date >= $4)
          AND r.start_date <= $4 AND (r.end_date IS NULL OR r.end_date >= $4), false
     FROM section_staff ss JOIN section_enrollments r ON r.district_id = ss.district_id AND r.section_id = ss.section_id
    WHERE ss.district_id = $1 AND ss.staff_id = $3`,
  ...(CASELOAD === 'none' ? [] : [`SELECT c.student_id, NULL, c.seq, NOT c.deleted, ${CASELOAD === 'recent'} FROM counselor_caseloads c WHERE c.district_id = $1 AND c.staff_id = $3`]),
  ...schoolGrant(RECENT_ROLES, true),
  ...schoolGrant(ALL_ROLES, false),
];

/**
 * Attendance marks changed for this user since the checkpoint. Families see all marks of their
 * children; a teacher the marks of the sections she teaches; school staff and counselors their
 * students' marks within their window (server/access/sync-windows.ts: the last 30 school days
 * and later). A mark that leaves the window comes back as a tombstone once the daily job has
 * touched it. `$8` is the pull's base (pager.ts): what was hidden before it is not sent.
 */
export async function pullAttendance(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledAttendance[]; checkpoint: SyncCheckpoint | null }> {
  const base = await pullBase(db, principal, checkpoint);
  const rows = await db.query<Row>(
    `WITH grants AS (
       ${GRANTS.join('\n       UNION ALL\n       ')}
     ),
     -- Worked out once per school (not once per mark).
     windows AS MATERIALIZED (${SCHOOL_WINDOWS_SQL}),
     marks AS (
       SELECT a.id, bool_or(gr.active AND (NOT gr.windowed OR a.date >= w.since)) AS visible, greatest(max(gr.seq), max(a.seq)) AS eff_seq
         FROM grants gr
         JOIN attendance a ON a.district_id = $1 AND a.student_id = gr.student_id AND (gr.section_id IS NULL OR a.section_id = gr.section_id)
         JOIN windows w ON w.school_id = a.school_id
         -- A mark before a window that neither it nor its grant changed since the base is hidden and was
         -- never on the device (pager.ts): left out before grouping, so a first sync reads the window only.
        WHERE NOT gr.windowed OR a.date >= w.since OR greatest(gr.seq, a.seq) > $8
        GROUP BY a.id
     )
     SELECT m.visible, m.eff_seq, ${COLUMNS}
       FROM marks m JOIN attendance a ON a.district_id = $1 AND a.id = m.id
       LEFT JOIN attendance_reasons r ON r.district_id = a.district_id AND r.id = a.reason_id
      WHERE ${pageAfter('m.eff_seq', 'm.id', '(m.visible AND NOT a.deleted)')}
      ORDER BY m.eff_seq, m.id
      LIMIT $7`,
    pullParams(principal, today, checkpoint, limit, base),
  );
  return { documents: rows.map((row) => toDocument(row, row.visible)), checkpoint: nextCheckpoint(rows, checkpoint, base) };
}

/** Its schema, with a reason code as the district's codes are written. */
const wellFormed = pushedDocumentCheck<AttendanceDocument>(attendanceSchema, (d) => d.reasonCode === null || /^[A-Z]{2,6}$/.test(d.reasonCode));

/** The fields a push may change, compared to decide "same as stored" and "stale assumption". */
function sameContent(a: AttendanceDocument & { _deleted: boolean }, b: AttendanceDocument & { _deleted: boolean }): boolean {
  return a._deleted === b._deleted && a.status === b.status && a.excuse === b.excuse && a.reasonCode === b.reasonCode
    && a.minutes === b.minutes && a.comment === b.comment && a.studentId === b.studentId && a.date === b.date && a.sectionId === b.sectionId;
}

export interface PushResult {
  /** RxDB conflicts: the server's state of each row it did not take (refusals carry syncError). */
  conflicts: PulledAttendance[];
  written: number;
}

/**
 * Applies pushed attendance rows in one transaction. Each row is checked for shape, access,
 * business rules and a stale assumption; a row not taken comes back as the server's state with
 * a reason, never silently dropped, and never as a thrown error (RxDB would retry it forever).
 * Every mark written lands in the audit trail with who, when, and the old and new values.
 */
export async function pushAttendance(store: Store, principal: Principal, today: string, rows: unknown[], now: Date = new Date()): Promise<PushResult> {
  return store.transaction(async (tx) => {
    const conflicts: PulledAttendance[] = [];
    let written = 0;
    for (const raw of rows) {
      const row = raw as PushRow<AttendanceDocument>;
      const next = row?.newDocumentState;
      const refuse = (reason: SyncRefusal, master: PulledAttendance | null) => {
        // With no stored state to return, the refused document itself comes back deleted;
        // a malformed one comes back as a valid tombstone under its id, so the device drops it.
        const base = master ?? (wellFormed(next) ? { ...next, _deleted: true } : refusedTombstone(tombstone, next));
        if (base) conflicts.push({ ...base, syncError: reason });
      };
      if (!wellFormed(next)) {
        refuse('invalid', null);
        continue;
      }
      const [stored] = await tx.query<Omit<Row, 'visible' | 'eff_seq'>>(
        `SELECT ${COLUMNS} FROM attendance a LEFT JOIN attendance_reasons r ON r.district_id = a.district_id AND r.id = a.reason_id
          WHERE a.district_id = $1 AND (a.id = $2 OR (a.student_id = $3 AND a.date = $4 AND coalesce(a.section_id, '00000000-0000-0000-0000-000000000000') = coalesce($5::uuid, '00000000-0000-0000-0000-000000000000')))
          ORDER BY a.id = $2 DESC
          FOR UPDATE OF a`,
        [principal.districtId, next.id, next.studentId, next.date, next.sectionId],
      );
      const student = await loadStudentResource(tx, principal.districtId, next.studentId);
      if (stored && stored.id !== next.id) {
        // The slot (student, date, section) already holds a mark under another id, made on
        // another device. RxDB matches answers by id: the device's copy comes back deleted with
        // the reason, and the stored mark reaches it on the next pull (if it may read it).
        conflicts.push({ ...next, syncError: 'changed_elsewhere', _deleted: true });
        continue;
      }
      const master = stored ? toDocument(stored, true) : null;
      const path = student ? accessPath(principal, 'write', 'attendance', student) : null;
      // Authorized against the stored mark as well as the pushed one: a mark never moves to
      // another child, day or class, and a teacher writes only marks of sections she teaches,
      // whatever section the pushed copy names.
      const teaches = (sectionId: string | null) => sectionId !== null && principal.sectionIds.has(sectionId);
      const moved = master !== null && (master.studentId !== next.studentId || master.date !== next.date || master.sectionId !== next.sectionId);
      const teacherAllowed = path === 'section' && teaches(next.sectionId) && (master === null || teaches(master.sectionId));
      if (!student || !path || (path === 'section' && !teacherAllowed) || moved) {
        // The stored mark comes back only to someone who may read it; otherwise the device's own copy, deleted.
        const readable = master !== null && !moved && student !== null
          && (path === 'section' ? teaches(master.sectionId) : canAccessStudent(principal, 'read', 'attendance', student));
        refuse('not_allowed', readable ? master : null);
        continue;
      }
      // A retry of a write that already landed: success, nothing to do.
      if (master && sameContent(master, next)) continue;
      const assumed = row.assumedMasterState ?? null;
      if (master && (!assumed || !sameContent(master, { ...assumed, _deleted: assumed._deleted ?? false }))) {
        conflicts.push(master);
        continue;
      }
      if (next.date > today) {
        refuse('future_date', master);
        continue;
      }
      // A new mark needs a day the mark's school holds class (its calendar, else Monday to Friday).
      // A stored mark never moves (refused above), and the office may still correct it.
      const schoolId = student.schoolIds[0] ?? next.schoolId;
      if (!stored && !next._deleted && !(await hasSchoolDay(tx, principal.districtId, schoolId, next.date))) {
        refuse('not_school_day', null);
        continue;
      }
      if (next.sectionId !== null) {
        const [enrolled] = await tx.query<{ period_id: string; in_term: boolean }>(
          `SELECT x.period_id, (t.start_date <= $4 AND t.end_date >= $4) AS in_term FROM sections x
             JOIN terms t ON t.district_id = x.district_id AND t.id = x.term_id
             JOIN section_enrollments r ON r.district_id = x.district_id AND r.section_id = x.id AND r.student_id = $3 AND NOT r.deleted
                  AND r.start_date <= $4 AND (r.end_date IS NULL OR r.end_date >= $4)
            WHERE x.district_id = $1 AND x.id = $2`,
          [principal.districtId, next.sectionId, next.studentId, next.date],
        );
        if (!enrolled) {
          refuse('not_enrolled', master);
          continue;
        }
        if (!enrolled.in_term) {
          refuse('outside_term', master);
          continue;
        }
        next.periodId = enrolled.period_id;
      }
      // Teachers record what happened; whether an absence is excused is the office's decision.
      if (path === 'section' && (next.excuse !== (master?.excuse ?? 'unknown') || next.reasonCode !== (master?.reasonCode ?? null))) {
        refuse('excuse_needs_office', master);
        continue;
      }
      const reason = next.reasonCode
        ? (await tx.query<{ id: string }>(`SELECT id FROM attendance_reasons WHERE district_id = $1 AND code = $2`, [principal.districtId, next.reasonCode]))[0]
        : undefined;
      if (next.reasonCode && !reason) {
        refuse('invalid', master);
        continue;
      }
      const values = { status: next.status, excuse: next.excuse, reason_id: reason?.id ?? null, minutes: next.minutes, comment: next.comment, deleted: next._deleted };
      if (stored) {
        await tx.query(
          `UPDATE attendance SET status = $3, excuse = $4, reason_id = $5, minutes = $6, comment = $7, deleted = $8, recorded_by_staff_id = $9
            WHERE district_id = $1 AND id = $2`,
          [principal.districtId, stored.id, next.status, next.excuse, reason?.id ?? null, next.minutes, next.comment, next._deleted, principal.staffId],
        );
        const oldValues = { status: stored.status, excuse: stored.excuse, reason_id: stored.reason_id, minutes: stored.minutes, comment: stored.comment, deleted: stored.deleted };
        const action = next._deleted && !stored.deleted ? 'delete' : 'update';
        await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'attendance', rowId: stored.id, action, oldValues, newValues: values }, now);
      } else {
        const id = next.id ?? randomUUID();
        const placement = { student_id: next.studentId, school_id: schoolId, date: next.date, section_id: next.sectionId, period_id: next.periodId };
        await tx.query(
          `INSERT INTO attendance (district_id, id, student_id, school_id, date, section_id, period_id, status, excuse, reason_id, minutes, comment, recorded_by_staff_id, deleted)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [principal.districtId, id, placement.student_id, placement.school_id, placement.date, placement.section_id, placement.period_id, next.status, next.excuse, reason?.id ?? null, next.minutes, next.comment, principal.staffId, next._deleted],
        );
        await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'attendance', rowId: id, action: 'insert', oldValues: null, newValues: { ...placement, ...values } }, now);
      }
      written += 1;
    }
    return { conflicts, written };
  });
}
