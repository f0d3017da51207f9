import { Hono } from 'hono';
import { logAccess } from '../access/access-log.ts';
import { clientAddress, requireAuth, userAgent } from '../access/authenticate.ts';
import { canAccessStudent, type StudentResource } from '../access/policy.ts';
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

/** Student records outside sync. The first: who looked at this student's records. */
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

  return app;
}
