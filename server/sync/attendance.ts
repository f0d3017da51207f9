import { accessPath, canAccessStudent, type StudentResource } from '../access/policy.ts';
import type { Principal } from '../access/principal.ts';
import { grantsSyncing } from '../access/grants.ts';
import { SCHOOL_WINDOWS_SQL } from '../access/sync-windows.ts';
import { attendanceSchema, type AttendanceDocument } from '../contract/sync/attendance.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable } from '../db/store.ts';
import { loadStudentResource } from '../routes/students.ts';
import { grantedPage } from './pager.ts';
import { documentsFrom, type Pulled, type PulledRow } from './pulled-document.ts';
import { pushedDocumentCheck } from './pushed-document.ts';
import { pushPipeline, type PushContext, type Pushed } from './push-pipeline.ts';
import { hasSchoolDay } from './school-days.ts';

/** Rows are documents by the schema's field names; hidden and deleted ones become tombstones (pulled-document.ts). */
const toDocument = documentsFrom<AttendanceDocument>(attendanceSchema);

export type PulledAttendance = Pulled<AttendanceDocument>;

/** A mark as its document, from `attendance a` and its reason `r`; with what the audit trail keeps beside it. */
const MARK = `a.id, a.student_id AS "studentId", a.school_id AS "schoolId", to_char(a.date, 'YYYY-MM-DD') AS date, a.section_id AS "sectionId",
  a.period_id AS "periodId", a.status, a.excuse, r.code AS "reasonCode", a.minutes, a.comment, NULL::text AS "syncError", a.reason_id, a.deleted`;
const FROM_MARKS = `attendance a LEFT JOIN attendance_reasons r ON r.district_id = a.district_id AND r.id = a.reason_id`;

/**
 * Attendance marks changed for this user since the checkpoint, through the person's access_grants
 * that read attendance: families all marks of their children; a teacher the marks of the sections
 * her grants name; counselors (caseload and school) and school staff their students' marks within
 * their window (server/access/sync-windows.ts: the last 30 school days of the mark's school, and
 * later). A mark that leaves the window comes back as a tombstone once the daily job has touched
 * it. `$7` is the pull's base (pager.ts): what was hidden before it is not sent.
 */
export async function pullAttendance(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledAttendance[]; checkpoint: SyncCheckpoint | null }> {
  const page = await grantedPage<PulledRow<AttendanceDocument>>(db, principal, today, checkpoint, limit, `WITH grants AS (${grantsSyncing('attendance', 'attendance')}),
     -- Worked out once per school (not once per mark).
     windows AS MATERIALIZED (${SCHOOL_WINDOWS_SQL}),
     marks AS (
       SELECT a.id, bool_or(g.in_force AND (NOT g.windowed OR a.date >= w.since)) AS visible, greatest(max(g.seq), max(a.seq)) AS eff_seq
         FROM grants g
         JOIN attendance a ON a.district_id = $1 AND a.student_id = g.student_id AND (g.via <> 'section' OR a.section_id = g.section_id)
         JOIN windows w ON w.school_id = a.school_id
         -- A mark before a window that neither it nor its grant changed since the base is hidden and was
         -- never on the device (pager.ts): left out before grouping, so a first sync reads the window only.
        WHERE NOT g.windowed OR a.date >= w.since OR greatest(g.seq, a.seq) > $7
        GROUP BY a.id
     ),
     documents AS (
       SELECT m.visible AND NOT a.deleted AS visible, m.eff_seq, ${MARK}
         FROM marks m JOIN ${FROM_MARKS} ON a.district_id = $1 AND a.id = m.id
     )`,
  );
  return { documents: page.rows.map(toDocument), checkpoint: page.checkpoint };
}

/** The fields a push may change, compared to decide "same as stored" and "stale assumption". */
function sameContent(a: Pushed<AttendanceDocument>, b: Pushed<AttendanceDocument>): boolean {
  return a._deleted === b._deleted && a.status === b.status && a.excuse === b.excuse && a.reasonCode === b.reasonCode
    && a.minutes === b.minutes && a.comment === b.comment && a.studentId === b.studentId && a.date === b.date && a.sectionId === b.sectionId;
}

type StoredMark = PulledAttendance & { reason_id: string | null; deleted: boolean };

interface LoadedMark {
  /** The mark under the pushed id (a tombstone when deleted). */
  master: PulledAttendance | null;
  /** The mark stored in the pushed mark's place (student, day, class), under whichever id. */
  stored: StoredMark | null;
  student: StudentResource | null;
  path: ReturnType<typeof accessPath>;
}

const teaches = (principal: Principal, sectionId: string | null) => sectionId !== null && principal.sectionIds.has(sectionId);
/** A mark never moves to another child, day or class. */
const moved = (master: PulledAttendance | null, next: AttendanceDocument) => master !== null && (master.studentId !== next.studentId || master.date !== next.date || master.sectionId !== next.sectionId);

async function loadMark({ tx, principal }: PushContext, next: Pushed<AttendanceDocument>): Promise<LoadedMark> {
  const [stored] = await tx.query<StoredMark & { visible: boolean; eff_seq: number }>(
    `SELECT NOT a.deleted AS visible, 0 AS eff_seq, ${MARK} FROM ${FROM_MARKS}
      WHERE a.district_id = $1 AND (a.id = $2 OR (a.student_id = $3 AND a.date = $4 AND coalesce(a.section_id, '00000000-0000-0000-0000-000000000000') = coalesce($5::uuid, '00000000-0000-0000-0000-000000000000')))
      ORDER BY a.id = $2 DESC
      FOR UPDATE OF a`,
    [principal.districtId, next.id, next.studentId, next.date, next.sectionId],
  );
  const student = await loadStudentResource(tx, principal.districtId, next.studentId);
  const master = stored && stored.id === next.id ? toDocument(stored) : null;
  return { master, stored: stored ?? null, student, path: student ? accessPath(principal, 'write', 'attendance', student) : null };
}

/**
 * Pushed marks: teachers mark the sections they teach, office staff with the attendance right
 * record excuse decisions. Authorized against the stored mark as well as the pushed one, checked
 * against the day, the roster and the term; every mark written lands in the audit trail.
 */
export const pushAttendance = pushPipeline({
  schema: attendanceSchema,
  // Its schema, with a reason code as the district's codes are written.
  check: pushedDocumentCheck<AttendanceDocument>(attendanceSchema, (d) => d.reasonCode === null || /^[A-Z]{2,6}$/.test(d.reasonCode)),
  unseen: 'own copy',
  load: loadMark,
  // The stored mark comes back only to someone who may read it.
  shown: ({ principal }, { master, student, path }, next) =>
    master !== null && !moved(master, next) && student !== null
    && (path === 'section' ? teaches(principal, master.sectionId) : canAccessStudent(principal, 'read', 'attendance', student)) ? master : null,
  same: sameContent,
  // A teacher writes only marks of sections she teaches, whatever section the pushed copy names.
  authorize: ({ principal }, { master, student, path }, next) => {
    const teacherAllowed = path === 'section' && teaches(principal, next.sectionId) && (master === null || teaches(principal, master.sectionId));
    return !student || !path || (path === 'section' && !teacherAllowed) || moved(master, next) ? 'not_allowed' : null;
  },
  async rules({ tx, principal, today }, { stored, student, master, path }, next) {
    // The place (student, date, section) already holds a mark under another id, made on another
    // device. RxDB matches answers by id: the device's copy comes back deleted with the reason,
    // and the stored mark reaches it on the next pull.
    if (stored && stored.id !== next.id) return 'changed_elsewhere';
    if (next.date > today) return 'future_date';
    // A new mark needs a day the mark's school holds class (its calendar, else Monday to Friday).
    // A stored mark never moves (refused above), and the office may still correct it.
    const schoolId = student!.schoolIds[0] ?? next.schoolId;
    if (!stored && !next._deleted && !(await hasSchoolDay(tx, principal.districtId, schoolId, next.date))) return 'not_school_day';
    let periodId = next.periodId;
    if (next.sectionId !== null) {
      const [enrolled] = await tx.query<{ period_id: string; in_term: boolean }>(
        `SELECT x.period_id, (t.start_date <= $4 AND t.end_date >= $4) AS in_term FROM sections x
           JOIN terms t ON t.district_id = x.district_id AND t.id = x.term_id
           JOIN section_enrollments r ON r.district_id = x.district_id AND r.section_id = x.id AND r.student_id = $3 AND NOT r.deleted
                AND r.start_date <= $4 AND (r.end_date IS NULL OR r.end_date >= $4)
          WHERE x.district_id = $1 AND x.id = $2`,
        [principal.districtId, next.sectionId, next.studentId, next.date],
      );
      if (!enrolled) return 'not_enrolled';
      if (!enrolled.in_term) return 'outside_term';
      periodId = enrolled.period_id;
    }
    // Teachers record what happened; whether an absence is excused is the office's decision.
    if (path === 'section' && (next.excuse !== (master?.excuse ?? 'unknown') || next.reasonCode !== (master?.reasonCode ?? null))) return 'excuse_needs_office';
    const [reason] = next.reasonCode
      ? await tx.query<{ id: string }>(`SELECT id FROM attendance_reasons WHERE district_id = $1 AND code = $2`, [principal.districtId, next.reasonCode])
      : [];
    if (next.reasonCode && !reason) return 'invalid';
    return { schoolId, periodId, reasonId: reason?.id ?? null };
  },
  async write({ tx, principal }, { stored }, next, { schoolId, periodId, reasonId }) {
    const values = { status: next.status, excuse: next.excuse, reason_id: reasonId, minutes: next.minutes, comment: next.comment, deleted: next._deleted };
    if (stored) {
      await tx.query(
        `UPDATE attendance SET status = $3, excuse = $4, reason_id = $5, minutes = $6, comment = $7, deleted = $8, recorded_by_staff_id = $9
          WHERE district_id = $1 AND id = $2`,
        [principal.districtId, stored.id, next.status, next.excuse, reasonId, next.minutes, next.comment, next._deleted, principal.staffId],
      );
      const oldValues = { status: stored.status, excuse: stored.excuse, reason_id: stored.reason_id, minutes: stored.minutes, comment: stored.comment, deleted: stored.deleted };
      return [{ table: 'attendance', rowId: stored.id, action: next._deleted && !stored.deleted ? 'delete' : 'update', oldValues, newValues: values }];
    }
    const placement = { student_id: next.studentId, school_id: schoolId, date: next.date, section_id: next.sectionId, period_id: periodId };
    await tx.query(
      `INSERT INTO attendance (district_id, id, student_id, school_id, date, section_id, period_id, status, excuse, reason_id, minutes, comment, recorded_by_staff_id, deleted)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [principal.districtId, next.id, placement.student_id, placement.school_id, placement.date, placement.section_id, placement.period_id, next.status, next.excuse, reasonId, next.minutes, next.comment, principal.staffId, next._deleted],
    );
    return [{ table: 'attendance', rowId: next.id, action: 'insert', oldValues: null, newValues: { ...placement, ...values } }];
  },
});
