import { Hono } from 'hono';
import { audit, logAccess } from '../access/access-log.ts';
import { clientAddress, requireAuth, userAgent } from '../access/authenticate.ts';
import { describeMe } from '../access/me.ts';
import { voidOutstandingSecrets } from '../access/credentials.ts';
import { passwordProblem } from '../access/password-policy.ts';
import { revokeSessions } from '../access/sessions.ts';
import type { AppEnv } from '../app.ts';
import { isEmailAddress, type AccessLogPage } from '../contract/auth.ts';
import { LANGUAGES, type Language } from '../contract/roles.ts';
import { ApiError } from '../errors.ts';
import { readFields } from './validate.ts';

const PAGE = 50;

/** The signed-in account: who am I, my language, my password, my access log. */
export function meRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth);

  app.get('/', async (c) => c.json(await describeMe(c.get('deps').store, c.get('principal'), c.get('deps').clock().toISOString().slice(0, 10))));

  app.put('/language', async (c) => {
    const { language } = await readFields(c, { language: { type: 'string', max: 5 } });
    if (!(LANGUAGES as readonly string[]).includes(language)) throw new ApiError(400, 'validation_failed', { fields: ['language'] });
    const principal = c.get('principal');
    await c.get('deps').store.query(`UPDATE accounts SET preferred_language = $3 WHERE district_id = $1 AND id = $2`, [principal.districtId, principal.accountId, language as Language]);
    return c.body(null, 204);
  });

  app.post('/password', async (c) => {
    const { currentPassword, newPassword } = await readFields(c, { currentPassword: { type: 'string', max: 1000 }, newPassword: { type: 'string', max: 1000 } });
    const { store, clock, passwords } = c.get('deps');
    const principal = c.get('principal');
    const [account] = await store.query<{ password_hash: string | null }>(`SELECT password_hash FROM accounts WHERE district_id = $1 AND id = $2`, [principal.districtId, principal.accountId]);
    // Signed in: this person's password work joins the first line.
    if (!(await passwords.verify(currentPassword, account?.password_hash ?? null, 'first'))) throw new ApiError(400, 'password_incorrect', { fields: ['currentPassword'] });
    const problem = passwordProblem(newPassword, principal.username);
    if (problem) throw new ApiError(400, problem, { fields: ['newPassword'] });
    const hash = await passwords.hash(newPassword, 'first');
    const now = clock();
    await store.transaction(async (tx) => {
      await tx.query(`UPDATE accounts SET password_hash = $3, password_changed_at = $4 WHERE district_id = $1 AND id = $2`, [principal.districtId, principal.accountId, hash, now]);
      await voidOutstandingSecrets(tx, { districtId: principal.districtId, accountId: principal.accountId }, now);
      // Other devices must sign in with the new password; this one stays signed in.
      await revokeSessions(tx, { districtId: principal.districtId, accountId: principal.accountId, exceptSessionId: c.get('sessionId') }, 'password_changed', now);
      await logAccess(tx, { districtId: principal.districtId, accountId: principal.accountId, event: 'password.changed', ip: clientAddress(c), userAgent: userAgent(c) }, now);
    });
    return c.body(null, 204);
  });

  /**
   * The account's own e-mail, changed at once (no office approval: it is the person's, not the
   * household's). Needs the current password, since reset links go there; the old address is
   * told, so a change made by someone else does not go unnoticed.
   */
  app.put('/email', async (c) => {
    const { email: typed, currentPassword } = await readFields(c, { email: { type: 'string', max: 1000 }, currentPassword: { type: 'string', max: 1000 } });
    const email = typed.trim();
    if (!isEmailAddress(email)) throw new ApiError(400, 'validation_failed', { fields: ['email'] });
    const { store, clock, mailer, translate, passwords } = c.get('deps');
    const principal = c.get('principal');
    const [account] = await store.query<{ password_hash: string | null; email: string | null; first_name: string; district: string }>(
      `SELECT a.password_hash, p.email, p.first_name, d.name AS district FROM accounts a
         JOIN people p ON p.district_id = a.district_id AND p.id = a.person_id JOIN districts d ON d.id = a.district_id
        WHERE a.district_id = $1 AND a.id = $2`,
      [principal.districtId, principal.accountId],
    );
    if (!(await passwords.verify(currentPassword, account?.password_hash ?? null, 'first'))) throw new ApiError(400, 'password_incorrect', { fields: ['currentPassword'] });
    const old = account!.email;
    if (old === email) return c.body(null, 204);
    const now = clock();
    await store.transaction(async (tx) => {
      await tx.query(`UPDATE people SET email = $3 WHERE district_id = $1 AND id = $2`, [principal.districtId, principal.personId, email]);
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'people', rowId: principal.personId, action: 'update', oldValues: { email: old }, newValues: { email } }, now);
      await logAccess(tx, { districtId: principal.districtId, accountId: principal.accountId, event: 'email.changed', ip: clientAddress(c), userAgent: userAgent(c) }, now);
    });
    if (old) {
      const t = translate(principal.language, 'emails');
      // The change stands even if the notice cannot be sent now.
      await mailer
        .send({ to: old, subject: t('emailChanged.subject'), text: t('emailChanged.body', { name: account!.first_name, username: principal.username, email, district: account!.district }) })
        .catch((error: unknown) => console.warn(`Homeroom: could not send the e-mail change notice: ${String(error)}`));
    }
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
