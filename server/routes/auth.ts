import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { logAccess } from '../access/access-log.ts';
import { behindTrustedProxy, clientAddress, requireAuth, userAgent } from '../access/authenticate.ts';
import { describeMe } from '../access/me.ts';
import { passwordProblem } from '../access/password-policy.ts';
import { voidOutstandingSecrets } from '../access/credentials.ts';
import { verifyPassword } from '../access/passwords.ts';
import { loadPrincipal } from '../access/principal.ts';
import { publicOrigin } from '../access/public-origin.ts';
import { endSessionWithoutSecondFactor, secondFactorChallenge, sessionHasSecondFactor } from '../access/second-factor-sign-in.ts';
import { createSession, revokeSessions, SESSION_DAYS, sessionEnd } from '../access/sessions.ts';
import { deviceOfRequest, type SharedDevice } from '../access/shared-device.ts';
import type { AddressThrottle } from '../access/throttle.ts';
import { hashSecret, newSecret } from '../access/tokens.ts';
import type { AppEnv, RequestDeps } from '../app.ts';
import { ACCESS_TOKEN_SECONDS, USERNAME_PATTERN, type SessionResponse } from '../contract/auth.ts';
import type { Language } from '../contract/roles.ts';
import type { Queryable } from '../db/store.ts';
import { ApiError } from '../errors.ts';
import { readFields } from './validate.ts';

export const REFRESH_COOKIE = 'hr_refresh';
/** Two tabs refreshing with the same cookie at once is not theft: allow the loser this long. */
const ROTATION_GRACE_MS = 10_000;
const RESET_MINUTES = 30;

interface AccountRow {
  id: string;
  district_id: string;
  person_id: string;
  username: string;
  password_hash: string | null;
  status: 'unclaimed' | 'active' | 'disabled';
  disabled_reason: string | null;
  failed_logins: number;
}

/** Activation keys are typed from paper: case, spaces and dashes do not matter. */
export function normalizeActivationKey(key: string): string {
  return key.toUpperCase().replace(/[\s-]/g, '');
}

/** A printed reset code as stored: hashed apart from link tokens, so neither passes for the other. */
export function hashResetCode(code: string): string {
  return hashSecret(`code:${normalizeActivationKey(code)}`);
}

/** Over https, directly or (when the proxy is trusted) as the proxy says. */
export function overHttps(c: Context<AppEnv>): boolean {
  const { config } = c.get('deps');
  if (config.secureCookies !== undefined) return config.secureCookies;
  if (behindTrustedProxy(c) && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https') return true;
  return new URL(c.req.url).protocol === 'https:';
}

/** On a shared computer the cookie has no Max-Age: it ends with the browser, and the session on the server after the idle limit. */
function setRefreshCookie(c: Context<AppEnv>, token: string, idleMinutes: number | null): void {
  setCookie(c, REFRESH_COOKIE, token, {
    httpOnly: true,
    secure: overHttps(c),
    sameSite: 'Strict',
    path: '/api/auth',
    ...(idleMinutes === null ? { maxAge: SESSION_DAYS * 86_400 } : {}),
  });
}

/** The access token's life: short, and on a shared computer no longer than its idle limit, so the device refreshes (and the server extends the session) while it is in use. */
function accessTokenSeconds(idleMinutes: number | null): number {
  return idleMinutes === null ? ACCESS_TOKEN_SECONDS : Math.min(ACCESS_TOKEN_SECONDS, idleMinutes * 60);
}

async function lockoutThreshold(db: Queryable, account: AccountRow): Promise<number> {
  // A school may set a lower threshold for its students; otherwise the district's.
  const [row] = await db.query<{ threshold: number }>(
    `SELECT coalesce(
        (SELECT min(k.lockout_threshold) FROM students s
           JOIN enrollments e ON e.district_id = s.district_id AND e.student_id = s.id AND e.end_date IS NULL AND NOT e.deleted
           JOIN schools k ON k.district_id = e.district_id AND k.id = e.school_id
          WHERE s.district_id = $1 AND s.person_id = $2),
        (SELECT lockout_threshold FROM districts WHERE id = $1))::int AS threshold`,
    [account.district_id, account.person_id],
  );
  return row?.threshold ?? 3;
}

interface StartedSession {
  account: { id: string; district_id: string };
  sessionId: string;
  refreshToken: string;
  me: SessionResponse['me'];
  device: SharedDevice;
}

/**
 * Opens a device session inside the caller's transaction (no other connection is touched);
 * `secondFactor` when the sign-in showed one (a session without it carries no tool right).
 */
export async function startSession(c: Context<AppEnv>, tx: Queryable, account: { id: string; district_id: string }, options: { secondFactor?: boolean } = {}): Promise<StartedSession> {
  const now = c.get('deps').clock();
  // An enrolled kiosk, or the person's "this is not my device" in the request: a shared computer.
  const device = await deviceOfRequest(c, tx, account.district_id);
  const { sessionId, refreshToken } = await createSession(tx, { districtId: account.district_id, accountId: account.id, ip: clientAddress(c), userAgent: userAgent(c), now, device, secondFactor: options.secondFactor });
  const principal = await loadPrincipal(tx, account.district_id, account.id, now.toISOString().slice(0, 10));
  if (!principal) throw new ApiError(403, 'account_disabled');
  return { account, sessionId, refreshToken, me: await describeMe(tx, principal, now.toISOString().slice(0, 10)), device };
}

/** After commit: the refresh cookie and a short-lived access token. */
export async function sessionResponse(c: Context<AppEnv>, started: StartedSession): Promise<SessionResponse> {
  const { idleMinutes } = started.device;
  setRefreshCookie(c, started.refreshToken, idleMinutes);
  return {
    accessToken: await c.get('deps').keys.sign({ sub: started.account.id, sid: started.sessionId, dst: started.account.district_id }),
    expiresIn: accessTokenSeconds(idleMinutes),
    me: started.me,
    ...(idleMinutes === null ? {} : { idleMinutes }),
  };
}

/** 429 before any work while the address waits out its failures. */
function refuseWhileThrottled(throttle: AddressThrottle, ip: string): void {
  const wait = throttle.retryAfter(ip);
  if (wait > 0) throw new ApiError(429, 'rate_limited', { retryAfter: wait });
}

interface Claim {
  keyHash: string;
  studentNumber: string | undefined;
  birthDate: string | undefined;
  username: string;
  now: Date;
}

/** The activation key, if it may claim its account with this proof and username; otherwise why not. */
async function claimableKey(db: Queryable, claim: Claim, lock: boolean) {
  const [key] = await db.query<{ id: string; district_id: string; account_id: string; expires_at: Date; used_at: Date | null; revoked_at: Date | null; status: string; person_id: string }>(
    `SELECT k.id, k.district_id, k.account_id, k.expires_at, k.used_at, k.revoked_at, a.status, a.person_id
       FROM activation_keys k JOIN accounts a ON a.district_id = k.district_id AND a.id = k.account_id
      WHERE k.key_hash = $1 ${lock ? 'FOR UPDATE OF k, a' : ''}`,
    [claim.keyHash],
  );
  if (!key || key.used_at || key.revoked_at || key.status !== 'unclaimed') throw new ApiError(400, 'invalid_key', { fields: ['key'] });
  if (new Date(key.expires_at) <= claim.now) throw new ApiError(400, 'key_expired', { fields: ['key'] });
  const [student] = await db.query<{ student_number: string; birth_date: string | null }>(
    `SELECT s.student_number, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date FROM students s JOIN people p ON p.district_id = s.district_id AND p.id = s.person_id
      WHERE s.district_id = $1 AND s.person_id = $2`,
    [key.district_id, key.person_id],
  );
  // Students prove who they are with their student number and birth date as well.
  if (student && (claim.studentNumber?.trim() !== student.student_number || claim.birthDate !== student.birth_date)) {
    throw new ApiError(400, 'invalid_key', { fields: ['studentNumber', 'birthDate'], reason: 'student_mismatch' });
  }
  const taken = await db.query('SELECT 1 FROM accounts WHERE lower(username) = lower($1)', [claim.username]);
  if (taken.length > 0) throw new ApiError(409, 'username_taken', { fields: ['username'] });
  return key;
}

function checkNewPassword(password: string, username: string | null): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new ApiError(400, problem, { fields: ['password'] });
}

export function authRoutes() {
  const app = new Hono<AppEnv>();

  app.post('/login', async (c) => {
    const { username, password } = await readFields(c, { username: { type: 'string', max: 200 }, password: { type: 'string', max: 1000 } });
    const { store, clock, throttle, passwords, mailer, translate } = c.get('deps');
    const ip = clientAddress(c);
    // Before any password work: this username from this address, and the address as a whole.
    const wait = throttle.retryAfter(ip, username);
    if (wait > 0) throw new ApiError(429, 'rate_limited', { retryAfter: wait });
    // Every account, locked or not, and every unknown username costs one password check. The
    // account is read once a slot is free, so a refused request costs no query either.
    const { account, valid } = await passwords.run(throttle.laneFor(ip), async () => {
      const [found] = await store.query<AccountRow>(
        `SELECT id, district_id, person_id, username, password_hash, status, disabled_reason, failed_logins
           FROM accounts WHERE lower(username) = lower($1) AND NOT deleted`,
        [username.normalize('NFKC')],
      );
      return { account: found, valid: await verifyPassword(password, found?.password_hash ?? null) };
    });
    const now = clock();
    const entry = (event: 'login.success' | 'login.failure' | 'login.lockout', detail: Record<string, unknown> = {}) =>
      ({ districtId: account!.district_id, accountId: account!.id, event, ip, userAgent: userAgent(c), detail });
    if (!valid) {
      throttle.fail(ip, username);
      if (account?.status === 'disabled') await logAccess(store, entry('login.failure', { reason: account.disabled_reason }), now);
      else if (account) {
        const threshold = await lockoutThreshold(store, account);
        const locked = await store.transaction(async (tx) => {
          const [row] = await tx.query<{ failed_logins: number }>(
            `UPDATE accounts SET failed_logins = failed_logins + 1 WHERE district_id = $1 AND id = $2 RETURNING failed_logins`,
            [account.district_id, account.id],
          );
          const count = row?.failed_logins ?? 0;
          await logAccess(tx, entry('login.failure', { consecutive: count }), now);
          if (count < threshold) return null;
          await tx.query(`UPDATE accounts SET status = 'disabled', disabled_reason = 'lockout' WHERE district_id = $1 AND id = $2`, [account.district_id, account.id]);
          await logAccess(tx, entry('login.lockout', { consecutive: count, threshold }), now);
          return count;
        });
        // The owner is told; the answer (and its timing) stays that of any wrong password.
        if (locked !== null) {
          notifyLockout(store, mailer, translate, account, locked).catch((error: unknown) =>
            console.error(`homeroom: could not send the lockout notice: ${error instanceof Error ? error.message : String(error)}`),
          );
        }
      }
      // Locked, disabled, unknown or wrong: one answer, so a username's existence does not show.
      throw new ApiError(401, 'invalid_credentials');
    }
    throttle.succeeded(ip, username);
    if (account!.status === 'disabled') {
      // Only the right password learns why the account cannot sign in.
      await logAccess(store, entry('login.failure', { reason: account!.disabled_reason }), now);
      throw new ApiError(403, 'account_disabled', { reason: account!.disabled_reason });
    }
    // Staff holding a tool right, and anyone who turned it on: a second factor before any session.
    const challenge = await secondFactorChallenge(c.get('deps'), { districtId: account!.district_id, accountId: account!.id, username: account!.username }, { ip, userAgent: userAgent(c) });
    if (challenge) return c.json(challenge);
    const started = await store.transaction(async (tx) => {
      await tx.query(`UPDATE accounts SET failed_logins = 0, last_login_at = $3 WHERE district_id = $1 AND id = $2`, [account!.district_id, account!.id, now]);
      await logAccess(tx, entry('login.success'), now);
      return startSession(c, tx, account!);
    });
    return c.json(await sessionResponse(c, started));
  });

  app.post('/refresh', async (c) => {
    const { store, clock, keys } = c.get('deps');
    const presented = getCookie(c, REFRESH_COOKIE);
    if (!presented) throw new ApiError(401, 'session_expired');
    const now = clock();
    const hash = hashSecret(presented);
    const outcome = await store.transaction(async (tx) => {
      const [current] = await tx.query<{ id: string; district_id: string; account_id: string; expires_at: Date; idle_minutes: number | null }>(
        `SELECT id, district_id, account_id, expires_at, idle_minutes FROM sessions WHERE refresh_hash = $1 AND revoked_at IS NULL FOR UPDATE`,
        [hash],
      );
      if (current) {
        if (new Date(current.expires_at) <= now) return { kind: 'expired' as const };
        const next = newSecret();
        await tx.query(
          `UPDATE sessions SET refresh_hash = $2, previous_refresh_hash = $3, last_used_at = $4, expires_at = $5 WHERE id = $1`,
          [current.id, hashSecret(next), hash, now, sessionEnd(now, current.idle_minutes)],
        );
        return { kind: 'rotated' as const, session: current, token: next };
      }
      const [rotated] = await tx.query<{ id: string; district_id: string; account_id: string; last_used_at: Date; expires_at: Date; idle_minutes: number | null }>(
        `SELECT id, district_id, account_id, last_used_at, expires_at, idle_minutes FROM sessions WHERE previous_refresh_hash = $1 AND revoked_at IS NULL FOR UPDATE`,
        [hash],
      );
      if (!rotated) return { kind: 'expired' as const };
      if (now.getTime() - new Date(rotated.last_used_at).getTime() <= ROTATION_GRACE_MS && new Date(rotated.expires_at) > now) return { kind: 'raced' as const, session: rotated };
      // A token that was already exchanged came back: someone copied it. End the whole session.
      await tx.query(`UPDATE sessions SET revoked_at = $2, revoked_reason = 'token_reuse' WHERE id = $1`, [rotated.id, now]);
      await logAccess(tx, { districtId: rotated.district_id, accountId: rotated.account_id, event: 'token.reuse', ip: clientAddress(c), userAgent: userAgent(c), detail: { sessionId: rotated.id } }, now);
      return { kind: 'reused' as const };
    });
    if (outcome.kind === 'expired') {
      deleteCookie(c, REFRESH_COOKIE, { path: '/api/auth' });
      throw new ApiError(401, 'session_expired');
    }
    if (outcome.kind === 'reused') {
      deleteCookie(c, REFRESH_COOKIE, { path: '/api/auth' });
      throw new ApiError(401, 'token_reused');
    }
    const { session } = outcome;
    const principal = await loadPrincipal(store, session.district_id, session.account_id, now.toISOString().slice(0, 10));
    if (!principal) {
      await revokeSessions(store, { districtId: session.district_id, accountId: session.account_id }, 'account_disabled', now);
      deleteCookie(c, REFRESH_COOKIE, { path: '/api/auth' });
      throw new ApiError(401, 'session_expired');
    }
    // A tool right given after a sign-in without a second factor: sign in again, with one.
    if (!(await sessionHasSecondFactor(store, principal, session.id))) {
      await endSessionWithoutSecondFactor(store, session.id, now);
      deleteCookie(c, REFRESH_COOKIE, { path: '/api/auth' });
      throw new ApiError(401, 'session_expired');
    }
    const idleMinutes = session.idle_minutes === null ? null : Number(session.idle_minutes);
    if (outcome.kind === 'rotated') setRefreshCookie(c, outcome.token, idleMinutes);
    const body: SessionResponse = {
      accessToken: await keys.sign({ sub: session.account_id, sid: session.id, dst: session.district_id }),
      expiresIn: accessTokenSeconds(idleMinutes),
      me: await describeMe(store, principal, c.get('deps').clock().toISOString().slice(0, 10)),
      ...(idleMinutes === null ? {} : { idleMinutes }),
    };
    return c.json(body);
  });

  app.post('/logout', async (c) => {
    const { store, clock } = c.get('deps');
    const presented = getCookie(c, REFRESH_COOKIE);
    deleteCookie(c, REFRESH_COOKIE, { path: '/api/auth' });
    if (presented) {
      const now = clock();
      const [session] = await store.query<{ district_id: string; account_id: string }>(
        `UPDATE sessions SET revoked_at = $2, revoked_reason = 'logout' WHERE refresh_hash = $1 AND revoked_at IS NULL RETURNING district_id, account_id`,
        [hashSecret(presented), now],
      );
      if (session) await logAccess(store, { districtId: session.district_id, accountId: session.account_id, event: 'session.logout', ip: clientAddress(c), userAgent: userAgent(c) }, now);
    }
    return c.body(null, 204);
  });

  app.post('/logout-all', requireAuth, async (c) => {
    const { store, clock } = c.get('deps');
    const principal = c.get('principal');
    const now = clock();
    await store.transaction(async (tx) => {
      await revokeSessions(tx, { districtId: principal.districtId, accountId: principal.accountId }, 'logout_all', now);
      await logAccess(tx, { districtId: principal.districtId, accountId: principal.accountId, event: 'session.logout_all', ip: clientAddress(c), userAgent: userAgent(c) }, now);
    });
    deleteCookie(c, REFRESH_COOKIE, { path: '/api/auth' });
    return c.body(null, 204);
  });

  app.post('/claim', async (c) => {
    const body = await readFields(c, {
      key: { type: 'string', max: 64 },
      username: { type: 'string', max: 200 },
      password: { type: 'string', max: 1000 },
      studentNumber: { type: 'string', max: 20, optional: true },
      birthDate: { type: 'string', max: 10, optional: true },
    });
    const { store, clock, claimThrottle, throttle, passwords } = c.get('deps');
    const ip = clientAddress(c);
    refuseWhileThrottled(claimThrottle, ip);
    const now = clock();
    const username = body.username.normalize('NFKC').trim();
    if (!USERNAME_PATTERN.test(username)) throw new ApiError(400, 'username_invalid', { fields: ['username'] });
    checkNewPassword(body.password, username);
    const claim = { keyHash: hashSecret(normalizeActivationKey(body.key)), studentNumber: body.studentNumber, birthDate: body.birthDate, username, now };
    // The key, the student's proof and the username are checked before any password work, and
    // again under lock before the account changes.
    try {
      await claimableKey(store, claim, false);
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'invalid_key' || error.code === 'key_expired')) claimThrottle.fail(ip);
      throw error;
    }
    const passwordHash = await passwords.hash(body.password, throttle.laneFor(ip));
    const started = await store.transaction(async (tx) => {
      const key = await claimableKey(tx, claim, true);
      await tx.query(
        `UPDATE accounts SET username = $3, password_hash = $4, status = 'active', claimed_at = $5, password_changed_at = $5, failed_logins = 0
          WHERE district_id = $1 AND id = $2`,
        [key.district_id, key.account_id, username, passwordHash, now],
      );
      await tx.query(`UPDATE activation_keys SET used_at = $3 WHERE district_id = $1 AND id = $2`, [key.district_id, key.id, now]);
      await voidOutstandingSecrets(tx, { districtId: key.district_id, accountId: key.account_id }, now);
      await logAccess(tx, { districtId: key.district_id, accountId: key.account_id, event: 'account.claimed', ip, userAgent: userAgent(c) }, now);
      return startSession(c, tx, { id: key.account_id, district_id: key.district_id });
    });
    return c.json(await sessionResponse(c, started));
  });

  app.post('/forgot', async (c) => {
    const { username } = await readFields(c, { username: { type: 'string', max: 200 } });
    const deps = c.get('deps');
    const ip = clientAddress(c);
    refuseWhileThrottled(deps.forgotThrottle, ip);
    // Each request counts against the address (on its own counter, so a busy media center can
    // still sign in), and the form cannot be used to flood inboxes.
    deps.forgotThrottle.fail(ip);
    let origin: string | null = null;
    try {
      origin = publicOrigin(c);
    } catch (error) {
      console.error(`homeroom: cannot mail a password reset link: ${error instanceof Error ? error.message : String(error)}`);
    }
    // The same answer, as fast, whether or not the account exists: look it up and mail after answering.
    if (origin) {
      mailResetLink(deps, { username, ip, userAgent: userAgent(c), origin }).catch((error: unknown) =>
        console.error(`homeroom: could not send a password reset link: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
    return c.body(null, 202);
  });

  app.post('/reset', async (c) => {
    // Either the token of an e-mailed link, or the username and the code printed by school staff.
    const { token, username, code, password } = await readFields(c, {
      token: { type: 'string', max: 200, optional: true },
      username: { type: 'string', max: 200, optional: true },
      code: { type: 'string', max: 64, optional: true },
      password: { type: 'string', max: 1000 },
    });
    const byCode = token === undefined;
    if (byCode && (username === undefined || code === undefined)) throw new ApiError(400, 'validation_failed', { fields: ['token'] });
    const { store, clock, resetThrottle, throttle, passwords } = c.get('deps');
    const ip = clientAddress(c);
    refuseWhileThrottled(resetThrottle, ip);
    const now = clock();
    const [reset] = await store.query<{ id: string; district_id: string; account_id: string; expires_at: Date; used_at: Date | null; revoked_at: Date | null; username: string }>(
      `SELECT r.id, r.district_id, r.account_id, r.expires_at, r.used_at, r.revoked_at, a.username FROM password_resets r
         JOIN accounts a ON a.district_id = r.district_id AND a.id = r.account_id
        WHERE r.token_hash = $1 AND r.kind = $2 AND ($3::text IS NULL OR lower(a.username) = lower($3::text))`,
      byCode ? [hashResetCode(code!), 'code', username!.normalize('NFKC').trim()] : [hashSecret(token), 'link', null],
    );
    if (!reset || reset.used_at || reset.revoked_at) {
      resetThrottle.fail(ip);
      throw new ApiError(400, byCode ? 'invalid_code' : 'invalid_token', byCode ? { fields: ['username', 'code'] } : undefined);
    }
    if (new Date(reset.expires_at) <= now) {
      resetThrottle.fail(ip);
      throw new ApiError(400, byCode ? 'code_expired' : 'token_expired', byCode ? { fields: ['code'] } : undefined);
    }
    checkNewPassword(password, reset.username);
    const passwordHash = await passwords.hash(password, throttle.laneFor(ip));
    await store.transaction(async (tx) => {
      const used = await tx.query(`UPDATE password_resets SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING id`, [reset.id, now]);
      if (used.length === 0) throw new ApiError(400, byCode ? 'invalid_code' : 'invalid_token');
      await voidOutstandingSecrets(tx, { districtId: reset.district_id, accountId: reset.account_id }, now);
      // Proving the e-mail address lifts a lockout; an account disabled by staff stays disabled.
      await tx.query(
        `UPDATE accounts SET password_hash = $3, password_changed_at = $4, failed_logins = 0,
            status = CASE WHEN disabled_reason = 'lockout' THEN 'active' ELSE status END,
            disabled_reason = CASE WHEN disabled_reason = 'lockout' THEN NULL ELSE disabled_reason END
          WHERE district_id = $1 AND id = $2`,
        [reset.district_id, reset.account_id, passwordHash, now],
      );
      await revokeSessions(tx, { districtId: reset.district_id, accountId: reset.account_id }, 'password_reset', now);
      await logAccess(tx, { districtId: reset.district_id, accountId: reset.account_id, event: byCode ? 'password.reset_with_code' : 'password.reset', ip, userAgent: userAgent(c) }, now);
    });
    return c.body(null, 204);
  });

  return app;
}

/** Forgot password, after the answer: a 30-minute link to the account's e-mail, if it has one. */
async function mailResetLink(deps: RequestDeps, request: { username: string; ip: string; userAgent: string; origin: string }): Promise<void> {
  const { store, clock, mailer, translate } = deps;
  const [account] = await store.query<{ id: string; district_id: string; username: string; preferred_language: Language; email: string | null; first_name: string; district: string }>(
    `SELECT a.id, a.district_id, a.username, a.preferred_language, p.email, p.first_name, d.name AS district
       FROM accounts a JOIN people p ON p.district_id = a.district_id AND p.id = a.person_id JOIN districts d ON d.id = a.district_id
      WHERE lower(a.username) = lower($1) AND a.status <> 'unclaimed' AND NOT a.deleted`,
    [request.username.normalize('NFKC')],
  );
  if (!account?.email) return;
  const now = clock();
  const token = newSecret();
  await store.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO password_resets (district_id, id, account_id, token_hash, requested_at, expires_at) VALUES ($1, gen_random_uuid(), $2, $3, $4, $5)`,
      [account.district_id, account.id, hashSecret(token), now, new Date(now.getTime() + RESET_MINUTES * 60_000)],
    );
    await logAccess(tx, { districtId: account.district_id, accountId: account.id, event: 'password.reset_requested', ip: request.ip, userAgent: request.userAgent }, now);
  });
  const t = translate(account.preferred_language, 'emails');
  await mailer.send({
    to: account.email,
    subject: t('reset.subject'),
    text: t('reset.body', { name: account.first_name, username: account.username, link: `${request.origin}/#/reset?token=${token}`, district: account.district }),
  });
}

async function notifyLockout(
  db: Queryable,
  mailer: AppEnv['Variables']['deps']['mailer'],
  translate: AppEnv['Variables']['deps']['translate'],
  account: AccountRow,
  count: number,
): Promise<void> {
  const [person] = await db.query<{ email: string | null; first_name: string; preferred_language: 'en' | 'es' | 'so' | 'vi'; district: string }>(
    `SELECT p.email, p.first_name, a.preferred_language, d.name AS district FROM accounts a
       JOIN people p ON p.district_id = a.district_id AND p.id = a.person_id JOIN districts d ON d.id = a.district_id
      WHERE a.district_id = $1 AND a.id = $2`,
    [account.district_id, account.id],
  );
  if (!person?.email) return;
  const t = translate(person.preferred_language, 'emails');
  await mailer.send({ to: person.email, subject: t('lockout.subject'), text: t('lockout.body', { name: person.first_name, username: account.username, count, district: person.district }) });
}
