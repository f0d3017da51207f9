import { Hono } from 'hono';
import { audit, logAccess } from '../access/access-log.ts';
import { clientAddress, requireAuth, userAgent } from '../access/authenticate.ts';
import { canUseTool } from '../access/policy.ts';
import type { AppEnv } from '../app.ts';
import type { Queryable } from '../db/store.ts';
import { ApiError } from '../errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

/** Office work on family and student accounts; needs the "accounts" tool right for one of the account's schools. */
export function staffAccountRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth);

  app.post('/:accountId/unlock', async (c) => {
    const accountId = c.req.param('accountId');
    if (!UUID.test(accountId)) throw new ApiError(404, 'not_found');
    const { store, clock } = c.get('deps');
    const principal = c.get('principal');
    const [account] = await store.query<{ person_id: string; status: string; disabled_reason: string | null; failed_logins: number }>(
      `SELECT person_id, status, disabled_reason, failed_logins FROM accounts WHERE district_id = $1 AND id = $2 AND NOT deleted`,
      [principal.districtId, accountId],
    );
    // Another district's account is simply not found.
    if (!account) throw new ApiError(404, 'not_found');
    const schools = await schoolsOfAccount(store, principal.districtId, account.person_id);
    const allowed = canUseTool(principal, 'accounts', null) || schools.some((schoolId) => canUseTool(principal, 'accounts', schoolId));
    if (!allowed) throw new ApiError(403, 'forbidden');
    if (account.status !== 'disabled') return c.body(null, 204);
    const now = clock();
    await store.transaction(async (tx) => {
      await tx.query(`UPDATE accounts SET status = 'active', disabled_reason = NULL, failed_logins = 0 WHERE district_id = $1 AND id = $2`, [principal.districtId, accountId]);
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'accounts', rowId: accountId, action: 'update', oldValues: { status: account.status, disabled_reason: account.disabled_reason, failed_logins: account.failed_logins }, newValues: { status: 'active', disabled_reason: null, failed_logins: 0 } }, now);
      await logAccess(tx, { districtId: principal.districtId, accountId, event: 'account.unlocked', ip: clientAddress(c), userAgent: userAgent(c), detail: { by: principal.username } }, now);
    });
    return c.body(null, 204);
  });

  return app;
}
