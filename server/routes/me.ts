import { Hono } from 'hono';
import { logAccess } from '../access/access-log.ts';
import { clientAddress, requireAuth, userAgent } from '../access/authenticate.ts';
import { describeMe } from '../access/me.ts';
import { passwordProblem } from '../access/password-policy.ts';
import { hashPassword, verifyPassword } from '../access/passwords.ts';
import { revokeSessions } from '../access/sessions.ts';
import type { AppEnv } from '../app.ts';
import type { AccessLogPage } from '../contract/auth.ts';
import { LANGUAGES, type Language } from '../contract/roles.ts';
import { ApiError } from '../errors.ts';
import { readFields } from './validate.ts';

const PAGE = 50;

/** The signed-in account: who am I, my language, my password, my access log. */
export function meRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth);

  app.get('/', async (c) => c.json(await describeMe(c.get('deps').store, c.get('principal'))));

  app.put('/language', async (c) => {
    const { language } = await readFields(c, { language: { type: 'string', max: 5 } });
    if (!(LANGUAGES as readonly string[]).includes(language)) throw new ApiError(400, 'validation_failed', { fields: ['language'] });
    const principal = c.get('principal');
    await c.get('deps').store.query(`UPDATE accounts SET preferred_language = $3 WHERE district_id = $1 AND id = $2`, [principal.districtId, principal.accountId, language as Language]);
    return c.body(null, 204);
  });

  app.post('/password', async (c) => {
    const { currentPassword, newPassword } = await readFields(c, { currentPassword: { type: 'string', max: 1000 }, newPassword: { type: 'string', max: 1000 } });
    const { store, clock } = c.get('deps');
    const principal = c.get('principal');
    const [account] = await store.query<{ password_hash: string | null }>(`SELECT password_hash FROM accounts WHERE district_id = $1 AND id = $2`, [principal.districtId, principal.accountId]);
    if (!(await verifyPassword(currentPassword, account?.password_hash ?? null))) throw new ApiError(400, 'password_incorrect', { fields: ['currentPassword'] });
    const problem = passwordProblem(newPassword, principal.username);
    if (problem) throw new ApiError(400, problem, { fields: ['newPassword'] });
    const hash = await hashPassword(newPassword);
    const now = clock();
    await store.transaction(async (tx) => {
      await tx.query(`UPDATE accounts SET password_hash = $3, password_changed_at = $4 WHERE district_id = $1 AND id = $2`, [principal.districtId, principal.accountId, hash, now]);
      // Other devices must sign in with the new password; this one stays signed in.
      await revokeSessions(tx, { districtId: principal.districtId, accountId: principal.accountId, exceptSessionId: c.get('sessionId') }, 'password_changed', now);
      await logAccess(tx, { districtId: principal.districtId, accountId: principal.accountId, event: 'password.changed', ip: clientAddress(c), userAgent: userAgent(c) }, now);
    });
    return c.body(null, 204);
  });

  app.get('/access-log', async (c) => {
    const before = c.req.query('before');
    if (before !== undefined && !/^\d{1,18}$/.test(before)) throw new ApiError(400, 'validation_failed', { fields: ['before'] });
    const principal = c.get('principal');
    const rows = await c.get('deps').store.query<{ id: number; at: Date; event: AccessLogPage['entries'][number]['event']; ip: string; user_agent: string; student_id: string | null }>(
      `SELECT id, at, event, ip, user_agent, student_id FROM access_log
        WHERE district_id = $1 AND account_id = $2 AND ($3::bigint IS NULL OR id < $3::bigint)
        ORDER BY id DESC LIMIT ${PAGE + 1}`,
      [principal.districtId, principal.accountId, before ?? null],
    );
    const page: AccessLogPage = {
      entries: rows.slice(0, PAGE).map((r) => ({ id: Number(r.id), at: new Date(r.at).toISOString(), event: r.event, ip: r.ip, userAgent: r.user_agent, studentId: r.student_id })),
      next: rows.length > PAGE ? Number(rows[PAGE - 1]!.id) : null,
    };
    return c.json(page);
  });

  return app;
}
