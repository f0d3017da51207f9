import { randomInt } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { audit, logAccess } from '../access/access-log.ts';
import { clientAddress, requireAuth, userAgent } from '../access/authenticate.ts';
import { revokeSessions } from '../access/sessions.ts';
import { requireAccountRight, requireSecondFactorResetRight, resetSchool } from '../access/account-rights.ts';
import { loadSecondFactor, removeSecondFactor } from '../access/second-factor.ts';
import { canUseTool } from '../access/policy.ts';
import { publicOrigin } from '../access/public-origin.ts';
import type { AppEnv } from '../app.ts';
import { hashSecret } from '../access/tokens.ts';
import type { Language } from '../contract/roles.ts';
import { ApiError } from '../errors.ts';
import { readJson } from './validate.ts';
import { hashResetCode, normalizeActivationKey } from './auth.ts';
import { renderLetters, renderResetLetter, type Letter } from './letters.ts';
import { UUID } from '../domain/ids.ts';

const KEY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: typed from paper
const KEY_DAYS = 60;
/** A printed reset code lasts long enough to take the letter home. */
const STAFF_RESET_HOURS = 72;

/** A new activation key as printed: XXXX-XXXX-XXXX (60 bits). */
export function newActivationKey(): string {
  const chars = Array.from({ length: 12 }, () => KEY_ALPHABET[randomInt(KEY_ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
}

async function findAccount(c: Context<AppEnv>, accountId: string) {
  if (!UUID.test(accountId)) throw new ApiError(404, 'not_found');
  const principal = c.get('principal');
  const [account] = await c.get('deps').store.query<{ id: string; person_id: string; username: string | null; status: string; disabled_reason: string | null; failed_logins: number; preferred_language: Language }>(
    `SELECT id, person_id, username, status, disabled_reason, failed_logins, preferred_language FROM accounts WHERE district_id = $1 AND id = $2 AND NOT deleted`,
    [principal.districtId, accountId],
  );
  // Another district's account is simply not found.
  if (!account) throw new ApiError(404, 'not_found');
  await requireAccountRight(c.get('deps').store, principal, account.person_id);
  return account;
}

const ACCOUNTS_PAGE = 50;

interface AccountRow {
  id: string;
  kind: 'guardian' | 'student';
  first_name: string;
  last_name: string;
  username: string | null;
  status: string;
  disabled_reason: string | null;
  preferred_language: Language;
  students: Array<{ name: string; student_number: string; grade_level: number }>;
  total: number;
}

/**
 * $1 district, $2 school, $3 status, $4 search (lower case, or null), $5 limit, $6 offset. An
 * account belongs to the school through a student enrolled there: its own person, or a child
 * whose guardian it is with portal access.
 */
const ACCOUNTS_SQL = `
  WITH school_students AS (
    SELECT e.student_id FROM enrollments e WHERE e.district_id = $1 AND e.school_id = $2 AND e.end_date IS NULL AND NOT e.deleted),
  linked AS (
    SELECT a.id AS account_id, s.id AS student_id, 'student' AS kind
      FROM accounts a JOIN students s ON s.district_id = a.district_id AND s.person_id = a.person_id
     WHERE a.district_id = $1 AND a.status = $3 AND NOT a.deleted AND s.id IN (SELECT student_id FROM school_students)
    UNION
    SELECT a.id, g.student_id, 'guardian'
      FROM accounts a JOIN guardianships g ON g.district_id = a.district_id AND g.guardian_person_id = a.person_id AND g.portal_access AND NOT g.deleted
     WHERE a.district_id = $1 AND a.status = $3 AND NOT a.deleted AND g.student_id IN (SELECT student_id FROM school_students)
      AND NOT EXISTS (SELECT 1 FROM students self WHERE self.district_id = a.district_id AND self.person_id = a.person_id)),
  found AS (
    SELECT l.account_id, min(l.kind) AS kind,
           jsonb_agg(jsonb_build_object('name', cp.first_name || ' ' || cp.last_name, 'student_number', cs.student_number, 'grade_level', cs.grade_level)
                     ORDER BY cp.last_name, cp.first_name, cs.id) AS students,
           bool_or($4::text IS NOT NULL AND (strpos(lower(cp.first_name || ' ' || cp.last_name), $4) > 0 OR lower(cs.student_number) = $4)) AS student_matches
      FROM linked l
      JOIN students cs ON cs.district_id = $1 AND cs.id = l.student_id
      JOIN people cp ON cp.district_id = $1 AND cp.id = cs.person_id
     GROUP BY l.account_id)
  SELECT a.id, f.kind, p.first_name, p.last_name, a.username, a.status, a.disabled_reason, a.preferred_language, f.students,
         (count(*) OVER ())::int AS total
    FROM found f
    JOIN accounts a ON a.district_id = $1 AND a.id = f.account_id
    JOIN people p ON p.district_id = $1 AND p.id = a.person_id
   WHERE $4::text IS NULL OR f.student_matches OR strpos(lower(p.first_name || ' ' || p.last_name), $4) > 0
   ORDER BY p.last_name, p.first_name, a.id
   LIMIT $5 OFFSET $6`;

/** Office work on family and student accounts; needs the "accounts" tool right for one of the account's schools. */
export function staffAccountRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth);

  /**
   * Accounts of one school's families and students, e.g. who has not claimed one yet, a page at a
   * time (`limit` up to 200, `offset`), found by `q`: part of the holder's or a linked student's
   * name, or a student number. Each names only its students at this school (a sibling elsewhere is
   * another office's), with grade and student number to tell namesakes apart.
   */
  app.get('/', async (c) => {
    const schoolId = c.req.query('schoolId') ?? '';
    const status = c.req.query('status') ?? 'unclaimed';
    const q = (c.req.query('q') ?? '').replace(/\s+/g, ' ').trim();
    const limit = Number(c.req.query('limit') ?? ACCOUNTS_PAGE);
    const offset = Number(c.req.query('offset') ?? 0);
    const bad = [
      ...(UUID.test(schoolId) ? [] : ['schoolId']),
      ...(['unclaimed', 'active', 'disabled'].includes(status) ? [] : ['status']),
      ...(q.length <= 100 && !q.includes('\u0000') ? [] : ['q']),
      ...(Number.isInteger(limit) && limit >= 1 && limit <= 200 ? [] : ['limit']),
      ...(Number.isInteger(offset) && offset >= 0 && offset <= 1_000_000 ? [] : ['offset']),
    ];
    if (bad.length > 0) throw new ApiError(400, 'validation_failed', { fields: bad });
    const principal = c.get('principal');
    if (!canUseTool(principal, 'accounts', schoolId)) throw new ApiError(403, 'forbidden');
    // Another district's school is not found, even for a district-wide right.
    const [school] = await c.get('deps').store.query<{ name: string }>(`SELECT name FROM schools WHERE district_id = $1 AND id = $2 AND NOT deleted`, [principal.districtId, schoolId]);
    if (!school) throw new ApiError(404, 'not_found');
    const page = (size: number, from: number) => c.get('deps').store.query<AccountRow>(ACCOUNTS_SQL, [principal.districtId, schoolId, status, q === '' ? null : q.toLowerCase(), size, from]);
    const rows = await page(limit, offset);
    // Past the last page there is no row to carry the count: ask for the first one.
    const total = rows[0]?.total ?? (offset === 0 ? 0 : ((await page(1, 0))[0]?.total ?? 0));
    return c.json({
      school: { id: schoolId, name: school.name },
      total,
      accounts: rows.map((r) => ({
        id: r.id, kind: r.kind, firstName: r.first_name, lastName: r.last_name, username: r.username, status: r.status, disabledReason: r.disabled_reason, language: r.preferred_language,
        students: r.students.map((student) => ({ name: student.name, studentNumber: student.student_number, gradeLevel: student.grade_level })),
      })),
    });
  });

  /** Issues new activation keys (old ones stop working) and returns the letters, ready to print. */
  app.post('/activation-letters', async (c) => {
    const body = await readJson(c);
    const ids = (body as { accountIds?: unknown })?.accountIds;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 200 || !ids.every((id) => typeof id === 'string' && UUID.test(id))) {
      throw new ApiError(400, 'validation_failed', { fields: ['accountIds'] });
    }
    const accounts: Array<Awaited<ReturnType<typeof findAccount>>> = [];
    for (const id of new Set(ids as string[])) {
      const account = await findAccount(c, id);
      if (account.status !== 'unclaimed') throw new ApiError(400, 'validation_failed', { fields: ['accountIds'], claimed: id });
      accounts.push(account);
    }
    const { store, clock } = c.get('deps');
    const principal = c.get('principal');
    const now = clock();
    const expires = new Date(now.getTime() + KEY_DAYS * 86_400_000);
    const letters: Letter[] = await store.transaction(async (tx) => {
      const out: Letter[] = [];
      for (const account of accounts) {
        const key = newActivationKey();
        const revoked = await tx.query<{ id: string }>(
          `UPDATE activation_keys SET revoked_at = $3 WHERE district_id = $1 AND account_id = $2 AND used_at IS NULL AND revoked_at IS NULL RETURNING id`,
          [principal.districtId, account.id, now],
        );
        for (const old of revoked) {
          await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'activation_keys', rowId: old.id, action: 'update', oldValues: { revoked_at: null }, newValues: { revoked_at: now.toISOString() } }, now);
        }
        const [issued] = await tx.query<{ id: string }>(
          `INSERT INTO activation_keys (district_id, id, account_id, key_hash, language, issued_at, issued_by_staff_id, expires_at)
           VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, $7) RETURNING id`,
          [principal.districtId, account.id, hashSecret(normalizeActivationKey(key)), account.preferred_language, now, principal.staffId, expires],
        );
        await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'activation_keys', rowId: issued!.id, action: 'insert', oldValues: null, newValues: { account_id: account.id, expires_at: expires.toISOString() } }, now);
        const [person] = await tx.query<{ first_name: string; last_name: string; student_number: string | null; school: string | null; children: string[] }>(
          `SELECT p.first_name, p.last_name, s.student_number,
                  (SELECT k.name FROM enrollments e JOIN schools k ON k.id = e.school_id WHERE e.student_id = s.id AND e.end_date IS NULL LIMIT 1) AS school,
                  coalesce((SELECT array_agg(cp.first_name ORDER BY cs.grade_level) FROM guardianships g JOIN students cs ON cs.id = g.student_id JOIN people cp ON cp.id = cs.person_id
                             WHERE g.district_id = p.district_id AND g.guardian_person_id = p.id AND g.portal_access AND NOT g.deleted), '{}') AS children
             FROM people p LEFT JOIN students s ON s.district_id = p.district_id AND s.person_id = p.id
            WHERE p.district_id = $1 AND p.id = $2`,
          [principal.districtId, account.person_id],
        );
        out.push({ language: account.preferred_language, name: `${person!.first_name} ${person!.last_name}`, key, expiresAt: expires, student: person!.student_number ? { number: person!.student_number, school: person!.school ?? '' } : null, children: person!.children });
      }
      return out;
    });
    return c.html(renderLetters(letters, publicOrigin(c), c.get('deps').translate));
  });

  /**
   * A password reset for a family member who cannot use "Forgot password": a one-time code printed
   * in the family's language and typed with the username at the reset screen, never a link the
   * staff member's browser could open. Every session of the account ends at once, and the owner
   * is told on every channel on file, naming the school. Only for people tied to a student at one
   * of the staff member's schools, and at most the district's number a day per staff member.
   */
  app.post('/:accountId/reset-letter', async (c) => {
    const account = await findAccount(c, c.req.param('accountId'));
    if (account.status === 'unclaimed') throw new ApiError(400, 'validation_failed', { reason: 'account is not claimed yet; print an activation letter instead' });
    const { store, clock, mailer, translate } = c.get('deps');
    const principal = c.get('principal');
    const school = await resetSchool(store, principal, account.person_id);
    if (!school || !principal.staffId) throw new ApiError(403, 'forbidden');
    const staffId = principal.staffId;
    const origin = publicOrigin(c);
    const now = clock();
    const code = newActivationKey();
    const expiresAt = new Date(now.getTime() + STAFF_RESET_HOURS * 3600_000);
    const t = translate(account.preferred_language, 'emails');
    const made = await store.transaction(async (tx) => {
      // Her resets are counted under a lock on her staff row, so requests at once cannot pass the limit together.
      const [{ limit, time_zone: timeZone }] = (await tx.query<{ limit: number; time_zone: string }>(
        `SELECT d.staff_resets_per_day AS limit, d.timezone AS time_zone FROM staff t JOIN districts d ON d.id = t.district_id
          WHERE t.district_id = $1 AND t.id = $2 FOR UPDATE OF t`,
        [principal.districtId, staffId],
      )) as [{ limit: number; time_zone: string }];
      const dayAgo = new Date(now.getTime() - 24 * 3600_000);
      const recent = await tx.query<{ requested_at: Date }>(
        `SELECT requested_at FROM password_resets WHERE district_id = $1 AND issued_by_staff_id = $2 AND requested_at > $3 ORDER BY requested_at`,
        [principal.districtId, staffId, dayAgo],
      );
      if (recent.length >= limit) {
        const oldest = recent[recent.length - limit]?.requested_at ?? now;
        const retryAfter = Math.max(1, Math.ceil((new Date(oldest).getTime() + 24 * 3600_000 - now.getTime()) / 1000));
        throw new ApiError(429, 'reset_limit_reached', { limit, retryAfter });
      }
      // A new letter replaces an earlier one, as activation letters do.
      const replaced = await tx.query<{ id: string }>(
        `UPDATE password_resets SET revoked_at = $3 WHERE district_id = $1 AND account_id = $2 AND kind = 'code' AND used_at IS NULL AND revoked_at IS NULL RETURNING id`,
        [principal.districtId, account.id, now],
      );
      for (const old of replaced) {
        await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'password_resets', rowId: old.id, action: 'update', oldValues: { revoked_at: null }, newValues: { revoked_at: now.toISOString() } }, now);
      }
      const [reset] = await tx.query<{ id: string }>(
        `INSERT INTO password_resets (district_id, id, account_id, token_hash, requested_at, expires_at, kind, issued_by_staff_id, school_id)
         VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, 'code', $6, $7) RETURNING id`,
        [principal.districtId, account.id, hashResetCode(code), now, expiresAt, staffId, school.id],
      );
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'password_resets', rowId: reset!.id, action: 'insert', oldValues: null, newValues: { account_id: account.id, expires_at: expiresAt.toISOString(), kind: 'code', school_id: school.id } }, now);
      await revokeSessions(tx, { districtId: principal.districtId, accountId: account.id }, 'staff_reset', now);
      await logAccess(tx, { districtId: principal.districtId, accountId: account.id, event: 'password.reset_by_staff', ip: clientAddress(c), userAgent: userAgent(c), detail: { by: principal.username, school: school.name } }, now);
      const [person] = (await tx.query<{ first_name: string; last_name: string; email: string | null; district: string }>(
        `SELECT p.first_name, p.last_name, p.email, d.name AS district FROM people p JOIN districts d ON d.id = p.district_id WHERE p.district_id = $1 AND p.id = $2`,
        [principal.districtId, account.person_id],
      )) as [{ first_name: string; last_name: string; email: string | null; district: string }];
      const notice = { subject: t('staffReset.subject'), text: t('staffReset.body', { name: person.first_name, username: account.username, school: school.name, district: person.district }) };
      // The owner's devices say it too: a message in their inbox, from the staff member.
      const [message] = await tx.query<{ id: string }>(
        `INSERT INTO messages (district_id, id, sender_person_id, subject, body, sent_at) VALUES ($1, gen_random_uuid(), $2, $3, $4, $5) RETURNING id`,
        [principal.districtId, principal.personId, notice.subject, notice.text, now],
      );
      await tx.query(`INSERT INTO message_recipients (district_id, id, message_id, person_id) VALUES ($1, gen_random_uuid(), $2, $3)`, [principal.districtId, message!.id, account.person_id]);
      return { person, notice, timeZone };
    });
    if (made.person.email) {
      // At once, but the reset stands even if the mail server is down.
      await mailer
        .send({ to: made.person.email, ...made.notice })
        .catch((error: unknown) => console.error(`homeroom: could not send the staff reset notice: ${error instanceof Error ? error.message : String(error)}`));
    }
    const letter = { language: account.preferred_language, name: `${made.person.first_name} ${made.person.last_name}`, username: account.username!, code, expiresAt, school: school.name, timeZone: made.timeZone };
    return c.html(renderResetLetter(letter, origin, translate));
  });

  app.post('/:accountId/unlock', async (c) => {
    const accountId = c.req.param('accountId');
    const account = await findAccount(c, accountId);
    if (account.status !== 'disabled') return c.body(null, 204);
    const { store, clock } = c.get('deps');
    const principal = c.get('principal');
    const now = clock();
    await store.transaction(async (tx) => {
      await tx.query(`UPDATE accounts SET status = 'active', disabled_reason = NULL, failed_logins = 0 WHERE district_id = $1 AND id = $2`, [principal.districtId, accountId]);
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'accounts', rowId: accountId, action: 'update', oldValues: { status: account.status, disabled_reason: account.disabled_reason, failed_logins: account.failed_logins }, newValues: { status: 'active', disabled_reason: null, failed_logins: 0 } }, now);
      await logAccess(tx, { districtId: principal.districtId, accountId, event: 'account.unlocked', ip: clientAddress(c), userAgent: userAgent(c), detail: { by: principal.username } }, now);
    });
    return c.body(null, 204);
  });

  /**
   * A district administrator resets someone's second factor (a lost phone, no recovery code
   * left): it is gone, every session of the account ends, and the next sign-in enrols again
   * (staff holding a tool right must). Audited, and in the owner's access log.
   */
  app.post('/:accountId/mfa-reset', async (c) => {
    const accountId = c.req.param('accountId');
    if (!UUID.test(accountId)) throw new ApiError(404, 'not_found');
    const { store, clock } = c.get('deps');
    const principal = c.get('principal');
    const [account] = await store.query<{ id: string; person_id: string }>(`SELECT id, person_id FROM accounts WHERE district_id = $1 AND id = $2 AND NOT deleted`, [principal.districtId, accountId]);
    // Another district's account is simply not found.
    if (!account) throw new ApiError(404, 'not_found');
    await requireSecondFactorResetRight(store, principal, { id: account.id, personId: account.person_id });
    const now = clock();
    await store.transaction(async (tx) => {
      const factor = await loadSecondFactor(tx, principal.districtId, accountId, true);
      if (!factor) return;
      await removeSecondFactor(tx, { districtId: principal.districtId, accountId }, now);
      await revokeSessions(tx, { districtId: principal.districtId, accountId }, 'second_factor_reset', now);
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'second_factors', rowId: accountId, action: 'delete', oldValues: { confirmed_at: factor.confirmed_at }, newValues: null }, now);
      await logAccess(tx, { districtId: principal.districtId, accountId, event: 'mfa.reset', ip: clientAddress(c), userAgent: userAgent(c), detail: { by: principal.username } }, now);
    });
    return c.body(null, 204);
  });

  return app;
}
