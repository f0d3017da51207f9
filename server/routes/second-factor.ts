import { Hono, type Context } from 'hono';
import { logAccess } from '../access/access-log.ts';
import { clientAddress, requireAuth, userAgent } from '../access/authenticate.ts';
import {
  CHALLENGE_ATTEMPTS,
  confirmEnrolment,
  enrolmentStep,
  findChallenge,
  loadSecondFactor,
  mustUseSecondFactor,
  removeSecondFactor,
  startEnrolment,
  totpEnrolment,
  useCode,
  type ChallengeRow,
  type CodeCheck,
} from '../access/second-factor.ts';
import type { AppEnv } from '../app.ts';
import type { AccessEvent, ConfirmSecondFactorResponse, EnrolledSessionResponse, SecondFactorStatus } from '../contract/auth.ts';
import type { Queryable } from '../db/store.ts';
import { ApiError } from '../errors.ts';
import { sessionResponse, startSession } from './auth.ts';
import { readFields } from './validate.ts';

type Failure = Extract<CodeCheck, { ok: false }>['reason'];

function refuseCode(reason: Failure): never {
  throw new ApiError(400, reason === 'reused' ? 'second_factor_reused' : 'second_factor_incorrect', { fields: ['code'] });
}

/** 429 while this address, or this account from anywhere, waits out its wrong codes. */
function refuseWhileThrottled(c: Context<AppEnv>, accountId: string | null): void {
  const wait = c.get('deps').secondFactorThrottle.retryAfter(clientAddress(c), accountId);
  if (wait > 0) throw new ApiError(429, 'rate_limited', { retryAfter: wait });
}

function logEvent(c: Context<AppEnv>, db: Queryable, account: { districtId: string; accountId: string }, event: AccessEvent, detail: Record<string, unknown> = {}) {
  return logAccess(db, { ...account, event, ip: clientAddress(c), userAgent: userAgent(c), detail }, c.get('deps').clock());
}

/** A wrong code on a challenge: counted, logged, and after CHALLENGE_ATTEMPTS the challenge is void. */
async function countWrongCode(c: Context<AppEnv>, tx: Queryable, found: ChallengeRow, reason: Failure): Promise<boolean> {
  const attempts = found.attempts + 1;
  const voided = attempts >= CHALLENGE_ATTEMPTS;
  await tx.query(`UPDATE sign_in_challenges SET attempts = $2, used_at = CASE WHEN $3 THEN $4::timestamptz ELSE used_at END WHERE district_id = $1 AND id = $5`, [found.district_id, attempts, voided, c.get('deps').clock(), found.id]);
  await logEvent(c, tx, { districtId: found.district_id, accountId: found.account_id }, 'mfa.failure', { reason, attempts });
  return voided;
}

type Outcome<T> = { kind: 'expired' } | { kind: 'wrong'; reason: Failure; accountId: string; voided: boolean } | { kind: 'done'; value: T };

/**
 * Runs the second step of a sign-in on its challenge: `check` uses the code up and opens the
 * session, or says why not. Wrong codes are committed (counted, logged) before the refusal.
 */
async function onChallenge<T>(
  c: Context<AppEnv>,
  purpose: ChallengeRow['purpose'],
  check: (tx: Queryable, found: ChallengeRow, code: string) => Promise<{ ok: false; reason: Failure } | { ok: true; value: T } | null>,
): Promise<T> {
  const { challenge, code } = await readFields(c, { challenge: { type: 'string', max: 200 }, code: { type: 'string', max: 64 } });
  const { store, clock, secondFactorThrottle } = c.get('deps');
  const ip = clientAddress(c);
  refuseWhileThrottled(c, null);
  const outcome = await store.transaction(async (tx): Promise<Outcome<T>> => {
    const found = await findChallenge(tx, challenge, purpose, clock());
    if (!found) return { kind: 'expired' };
    refuseWhileThrottled(c, found.account_id);
    const result = await check(tx, found, code);
    if (result === null) return { kind: 'expired' };
    if (!result.ok) return { kind: 'wrong', reason: result.reason, accountId: found.account_id, voided: await countWrongCode(c, tx, found, result.reason) };
    return { kind: 'done', value: result.value };
  });
  if (outcome.kind === 'expired') {
    // Unknown, used, or out of time: it counts against the address, as a guessed token would.
    secondFactorThrottle.fail(ip, null);
    throw new ApiError(401, 'challenge_expired');
  }
  if (outcome.kind === 'wrong') {
    secondFactorThrottle.fail(ip, outcome.accountId);
    if (outcome.voided) throw new ApiError(401, 'challenge_expired');
    refuseCode(outcome.reason);
  }
  return outcome.value;
}

/** The second step of a sign-in: /api/auth/second-factor/verify and /enrol, with the challenge from login. */
export function secondFactorSignInRoutes() {
  const app = new Hono<AppEnv>();

  /** A code from the authenticator (or a recovery code): the session. */
  app.post('/verify', async (c) => {
    const { clock, secretBox } = c.get('deps');
    const started = await onChallenge(c, 'code', async (tx, found, code) => {
      const account = { districtId: found.district_id, accountId: found.account_id };
      const factor = await loadSecondFactor(tx, account.districtId, account.accountId, true);
      // Reset by a district administrator since the password was typed.
      if (!factor?.confirmed_at) return null;
      const now = clock();
      const used = await useCode(tx, secretBox, account, factor, code, now);
      if (!used.ok) return used;
      await tx.query(`UPDATE sign_in_challenges SET used_at = $3 WHERE district_id = $1 AND id = $2`, [found.district_id, found.id, now]);
      await tx.query(`UPDATE accounts SET last_login_at = $3 WHERE district_id = $1 AND id = $2`, [account.districtId, account.accountId, now]);
      await logEvent(c, tx, account, 'mfa.success', { with: used.kind });
      if (used.kind === 'recovery') await logEvent(c, tx, account, 'mfa.recovery_code_used', { left: used.left });
      await logEvent(c, tx, account, 'login.success', { secondFactor: used.kind });
      return { ok: true, value: await startSession(c, tx, { id: account.accountId, district_id: account.districtId }, { secondFactor: true }) };
    });
    return c.json(await sessionResponse(c, started));
  });

  /** The first code from a newly added authenticator: the enrolment holds, ten recovery codes, the session. */
  app.post('/enrol', async (c) => {
    const { clock, secretBox } = c.get('deps');
    const { started, recoveryCodes } = await onChallenge(c, 'enrol', async (tx, found, code) => {
      const account = { districtId: found.district_id, accountId: found.account_id };
      const factor = await loadSecondFactor(tx, account.districtId, account.accountId, true);
      // Confirmed by another sign-in meanwhile, or reset: this enrolment is over.
      if (!factor || factor.confirmed_at) return null;
      const now = clock();
      const step = enrolmentStep(secretBox, account, factor, code, now);
      if (step === null) return { ok: false, reason: 'incorrect' };
      const codes = await confirmEnrolment(tx, account, step, now);
      await tx.query(`UPDATE sign_in_challenges SET used_at = $3 WHERE district_id = $1 AND id = $2`, [found.district_id, found.id, now]);
      await tx.query(`UPDATE accounts SET last_login_at = $3 WHERE district_id = $1 AND id = $2`, [account.districtId, account.accountId, now]);
      await logEvent(c, tx, account, 'mfa.enrolled');
      await logEvent(c, tx, account, 'login.success', { secondFactor: 'enrolled' });
      const session = await startSession(c, tx, { id: account.accountId, district_id: account.districtId }, { secondFactor: true });
      return { ok: true, value: { started: session, recoveryCodes: codes } };
    });
    const body: EnrolledSessionResponse = { ...(await sessionResponse(c, started)), recoveryCodes };
    return c.json(body);
  });

  return app;
}

/** The signed-in person's own second factor: /api/me/second-factor. Families may turn it on and off; staff who must have it cannot turn it off. */
export function ownSecondFactorRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth);

  app.get('/', async (c) => {
    const principal = c.get('principal');
    const { store } = c.get('deps');
    const factor = await loadSecondFactor(store, principal.districtId, principal.accountId);
    const [left] = await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM recovery_codes WHERE district_id = $1 AND account_id = $2 AND used_at IS NULL`, [principal.districtId, principal.accountId]);
    const status: SecondFactorStatus = { enabled: Boolean(factor?.confirmed_at), required: mustUseSecondFactor(principal), recoveryCodesLeft: factor?.confirmed_at ? (left?.n ?? 0) : 0 };
    return c.json(status);
  });

  /** A new secret to add to an authenticator app (the current password proves it is the owner). */
  app.post('/enrolment', async (c) => {
    const { currentPassword } = await readFields(c, { currentPassword: { type: 'string', max: 1000 } });
    const { store, clock, passwords, secretBox } = c.get('deps');
    const principal = c.get('principal');
    const account = { districtId: principal.districtId, accountId: principal.accountId };
    if ((await loadSecondFactor(store, account.districtId, account.accountId))?.confirmed_at) throw new ApiError(409, 'second_factor_enrolled');
    const [row] = await store.query<{ password_hash: string | null }>(`SELECT password_hash FROM accounts WHERE district_id = $1 AND id = $2`, [account.districtId, account.accountId]);
    if (!(await passwords.verify(currentPassword, row?.password_hash ?? null, 'first'))) throw new ApiError(400, 'password_incorrect', { fields: ['currentPassword'] });
    const secret = await store.transaction(async (tx) => {
      if ((await loadSecondFactor(tx, account.districtId, account.accountId, true))?.confirmed_at) throw new ApiError(409, 'second_factor_enrolled');
      return startEnrolment(tx, secretBox, account, clock());
    });
    return c.json(totpEnrolment(secret, principal.username));
  });

  /** The first code from the app: it is on from the next sign-in, and this session counts as having shown it. */
  app.post('/confirm', async (c) => {
    const { code } = await readFields(c, { code: { type: 'string', max: 64 } });
    const { store, clock, secretBox, secondFactorThrottle } = c.get('deps');
    const principal = c.get('principal');
    const account = { districtId: principal.districtId, accountId: principal.accountId };
    refuseWhileThrottled(c, account.accountId);
    const outcome = await store.transaction(async (tx) => {
      const factor = await loadSecondFactor(tx, account.districtId, account.accountId, true);
      if (factor?.confirmed_at) throw new ApiError(409, 'second_factor_enrolled');
      // Nothing to confirm: the enrolment was never started (or was reset).
      if (!factor) throw new ApiError(400, 'validation_failed', { fields: ['code'] });
      const now = clock();
      const step = enrolmentStep(secretBox, account, factor, code, now);
      if (step === null) {
        await logEvent(c, tx, account, 'mfa.failure', { reason: 'incorrect', enrolling: true });
        return null;
      }
      const recoveryCodes = await confirmEnrolment(tx, account, step, now);
      await tx.query(`UPDATE sessions SET second_factor = true WHERE district_id = $1 AND id = $2`, [account.districtId, c.get('sessionId')]);
      await logEvent(c, tx, account, 'mfa.enrolled');
      return recoveryCodes;
    });
    if (outcome === null) {
      secondFactorThrottle.fail(clientAddress(c), account.accountId);
      refuseCode('incorrect');
    }
    const body: ConfirmSecondFactorResponse = { recoveryCodes: outcome };
    return c.json(body);
  });

  /** Turns it off with a current code (or a recovery code); not for staff who must have it. */
  app.post('/turn-off', async (c) => {
    const { code } = await readFields(c, { code: { type: 'string', max: 64 } });
    const { store, clock, secretBox, secondFactorThrottle } = c.get('deps');
    const principal = c.get('principal');
    const account = { districtId: principal.districtId, accountId: principal.accountId };
    if (mustUseSecondFactor(principal)) throw new ApiError(403, 'second_factor_required');
    refuseWhileThrottled(c, account.accountId);
    const refused = await store.transaction(async (tx) => {
      const factor = await loadSecondFactor(tx, account.districtId, account.accountId, true);
      const now = clock();
      if (!factor?.confirmed_at) {
        // Only an unconfirmed enrolment (or nothing): drop it.
        await removeSecondFactor(tx, account, now);
        return null;
      }
      const used = await useCode(tx, secretBox, account, factor, code, now);
      if (!used.ok) {
        await logEvent(c, tx, account, 'mfa.failure', { reason: used.reason, turningOff: true });
        return used.reason;
      }
      await removeSecondFactor(tx, account, now);
      await logEvent(c, tx, account, 'mfa.disabled', { with: used.kind });
      return null;
    });
    if (refused) {
      secondFactorThrottle.fail(clientAddress(c), account.accountId);
      refuseCode(refused);
    }
    return c.body(null, 204);
  });

  return app;
}
