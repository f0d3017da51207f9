import { Hono, type Context } from 'hono';
import type { AttendanceHistoryRow, GradeHistoryRow, ScoreHistoryRow, StudentRecordsResponse } from '../contract/student-records.ts';
import { logAccess } from '../access/access-log.ts';
import { clientAddress, requireAuth, userAgent } from '../access/authenticate.ts';
import { accessPath, canAccessStudent, type StudentResource } from '../access/policy.ts';
import type { AppEnv } from '../app.ts';
import type { Queryable } from '../db/store.ts';
import { ApiError } from '../errors.ts';
import { UUID } from '../domain/ids.ts';

/** A student of the asker's district with the schools that enroll them; null when there is none. */
export async function loadStudentResource(db: Queryable, districtId: string, studentId: string): Promise<StudentResource | null> {
  if (!UUID.test(studentId)) return null;
  const rows = await db.query<{ school_id: string | null }>(
    `SELECT e.school_id FROM students s LEFT JOIN enrollments e ON e.district_id = s.district_id AND e.student_id = s.id AND e.end_date IS NULL AND NOT e.deleted
      WHERE s.district_id = $1 AND s.id = $2 AND NOT s.deleted`,
    [districtId, studentId],
  );
  if (rows.length === 0) return null;
  return { districtId, studentId, schoolIds: rows.map((r) => r.school_id).filter((id): id is string => id !== null) };
}

/** Student records outside sync: who looked at this student's records, and the records a staff device does not hold. */
export function studentRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth);

  app.get('/:studentId/access-log', async (c) => {
    const { store, clock } = c.get('deps');
    const principal = c.get('principal');
    const student = await loadStudentResource(store, principal.districtId, c.req.param('studentId'));
    // Out of scope and nonexistent look the same, so ids cannot be probed.
    if (!student || !canAccessStudent(principal, 'read', 'access_log', student)) throw new ApiError(404, 'not_found');
    const rows = await store.query<{ id: number; at: Date; event: string; username: string | null; record_type: string | null }>(
      `SELECT l.id, l.at, l.event, a.username, l.record_type FROM access_log l
         LEFT JOIN accounts a ON a.district_id = l.district_id AND a.id = l.account_id
        WHERE l.district_id = $1 AND l.student_id = $2 ORDER BY l.id DESC LIMIT 200`,
      [principal.districtId, student.studentId],
    );
    await logAccess(store, { districtId: principal.districtId, accountId: principal.accountId, event: 'record.read', ip: clientAddress(c), userAgent: userAgent(c), studentId: student.studentId, recordType: 'access_log' }, clock());
    return c.json({ entries: rows.map((r) => ({ id: Number(r.id), at: new Date(r.at).toISOString(), event: r.event, username: r.username, recordType: r.record_type })) });
  });

  // Records a staff device does not hold (server/access/sync-windows.ts), read online and logged.
  app.get('/:studentId/attendance', async (c) => {
    const { student, log } = await readableStudent(c, 'attendance');
    const rows = await c.get('deps').store.query<AttendanceHistoryRow & { minutes: number | null }>(
      `SELECT a.id, to_char(a.date, 'YYYY-MM-DD') AS date, a.status, a.excuse, r.code AS "reasonCode", a.minutes, a.comment,
              a.section_id AS "sectionId", co.name AS "courseName", p.name AS "periodName", k.name AS "schoolName"
         FROM attendance a
         JOIN schools k ON k.district_id = a.district_id AND k.id = a.school_id
         LEFT JOIN attendance_reasons r ON r.district_id = a.district_id AND r.id = a.reason_id
         LEFT JOIN sections x ON x.district_id = a.district_id AND x.id = a.section_id
         LEFT JOIN courses co ON co.district_id = x.district_id AND co.id = x.course_id
         LEFT JOIN periods p ON p.district_id = a.district_id AND p.id = a.period_id
        WHERE a.district_id = $1 AND a.student_id = $2 AND NOT a.deleted
        ORDER BY a.date DESC, p.start_time NULLS FIRST, a.id
        LIMIT ${HISTORY_LIMIT}`,
      [student.districtId, student.studentId],
    );
    await log();
    return c.json({ studentId: student.studentId, rows } satisfies StudentRecordsResponse<AttendanceHistoryRow>);
  });

  app.get('/:studentId/scores', async (c) => {
    const { student, path, log } = await readableStudent(c, 'grades');
    // Families see published work only, as their devices do; staff every assignment.
    const family = path === 'guardian' || path === 'self';
    const rows = await c.get('deps').store.query<Omit<ScoreHistoryRow, 'points' | 'pointsPossible'> & { points: string | null; pointsPossible: string }>(
      `SELECT s.id, s.assignment_id AS "assignmentId", a.name AS "assignmentName", to_char(a.due_on, 'YYYY-MM-DD') AS "dueOn",
              a.points_possible::text AS "pointsPossible", s.points::text AS points, s.missing, s.late, s.exempt, s.incomplete, s.dropped, s.comment,
              a.section_id AS "sectionId", co.name AS "courseName", gp.name AS "gradingPeriodName"
         FROM scores s
         JOIN assignments a ON a.district_id = s.district_id AND a.id = s.assignment_id AND NOT a.deleted
         JOIN sections x ON x.district_id = a.district_id AND x.id = a.section_id
         JOIN courses co ON co.district_id = x.district_id AND co.id = x.course_id
         JOIN grading_periods gp ON gp.district_id = a.district_id AND gp.id = a.grading_period_id
        WHERE s.district_id = $1 AND s.student_id = $2 AND NOT s.deleted AND (a.published OR NOT $3::boolean)
        ORDER BY a.due_on DESC, co.name, a.id
        LIMIT ${HISTORY_LIMIT}`,
      [student.districtId, student.studentId, family],
    );
    await log();
    return c.json({
      studentId: student.studentId,
      rows: rows.map((row) => ({ ...row, points: row.points === null ? null : Number(row.points), pointsPossible: Number(row.pointsPossible) })),
    } satisfies StudentRecordsResponse<ScoreHistoryRow>);
  });

  app.get('/:studentId/grades', async (c) => {
    const { student, log } = await readableStudent(c, 'grades');
    const rows = await c.get('deps').store.query<Omit<GradeHistoryRow, 'percent'> & { percent: string | null }>(
      `SELECT tg.id, tg.section_id AS "sectionId", co.name AS "courseName", p.name AS "periodName", y.name AS "schoolYearName", t.name AS "termName",
              tg.grading_period_id AS "gradingPeriodId", gp.name AS "gradingPeriodName", gt.name AS "gradingTaskName",
              tg.percent::text AS percent, tg.mark, tg.status,
              to_char(tg.posted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "postedAt", tg.comment
         FROM term_grades tg
         JOIN sections x ON x.district_id = tg.district_id AND x.id = tg.section_id
         JOIN courses co ON co.district_id = x.district_id AND co.id = x.course_id
         JOIN terms t ON t.district_id = x.district_id AND t.id = x.term_id
         JOIN school_years y ON y.district_id = t.district_id AND y.id = t.school_year_id
         JOIN grading_periods gp ON gp.district_id = tg.district_id AND gp.id = tg.grading_period_id
         JOIN grading_tasks gt ON gt.district_id = tg.district_id AND gt.id = tg.grading_task_id AND NOT gt.deleted
         LEFT JOIN periods p ON p.district_id = x.district_id AND p.id = x.period_id
        WHERE tg.district_id = $1 AND tg.student_id = $2 AND NOT tg.deleted
        ORDER BY y.start_date DESC, gp.start_date DESC, co.name, tg.id
        LIMIT ${HISTORY_LIMIT}`,
      [student.districtId, student.studentId],
    );
    await log();
    return c.json({
      studentId: student.studentId,
      rows: rows.map((row) => ({ ...row, percent: row.percent === null ? null : Number(row.percent) })),
    } satisfies StudentRecordsResponse<GradeHistoryRow>);
  });

  return app;
}

/** At most this many rows per answer: years of a student's records fit well within it. */
const HISTORY_LIMIT = 5000;

/**
 * The student of the path when the asker may read this kind of their records, with the way to
 * log that read; out of scope and nonexistent answer the same 404, so ids cannot be probed.
 */
async function readableStudent(c: Context<AppEnv>, kind: 'attendance' | 'grades') {
  const { store, clock } = c.get('deps');
  const principal = c.get('principal');
  const student = await loadStudentResource(store, principal.districtId, c.req.param('studentId') ?? '');
  const path = student ? accessPath(principal, 'read', kind, student) : null;
  if (!student || !path) throw new ApiError(404, 'not_found');
  const log = () => logAccess(store, { districtId: principal.districtId, accountId: principal.accountId, event: 'record.read', ip: clientAddress(c), userAgent: userAgent(c), studentId: student.studentId, recordType: kind }, clock());
  return { student, path, log };
}
