/**
 * Where the second factor meets sign-in: after the right password, whether a code (or an
 * enrolment) must follow, and whether a live session may keep tool rights.
 */
import type { RequestDeps } from '../app.ts';
import type { SecondFactorChallenge } from '../contract/auth.ts';
import type { Queryable } from '../db/store.ts';
import { logAccess } from './access-log.ts';
import { loadPrincipal, type Principal } from './principal.ts';
import { issueChallenge, loadSecondFactor, mustUseSecondFactor, startEnrolment, totpEnrolment } from './second-factor.ts';
import type { AddressThrottle } from './throttle.ts';

/**
 * After the right password: a challenge for a code when the account has an authenticator, or for
 * an enrolment (with a new secret) when it is staff holding a tool right without one; null when
 * the password is enough. The password counts as right either way (its failures start again).
 */
export async function secondFactorChallenge(
  deps: Pick<RequestDeps, 'store' | 'clock' | 'secretBox'>,
  account: { districtId: string; accountId: string; username: string },
  request: { ip: string; userAgent: string },
): Promise<SecondFactorChallenge | null> {
  const { store, clock, secretBox } = deps;
  const now = clock();
  const factor = await loadSecondFactor(store, account.districtId, account.accountId);
  let purpose: SecondFactorChallenge['secondFactor'];
  if (factor?.confirmed_at) purpose = 'code';
  else {
    const principal = await loadPrincipal(store, account.districtId, account.accountId, now.toISOString().slice(0, 10));
    if (!principal || !mustUseSecondFactor(principal)) return null;
    purpose = 'enrol';
  }
  return store.transaction(async (tx) => {
    await tx.query(`UPDATE accounts SET failed_logins = 0 WHERE district_id = $1 AND id = $2`, [account.districtId, account.accountId]);
    await logAccess(tx, { districtId: account.districtId, accountId: account.accountId, event: 'mfa.challenge', ip: request.ip, userAgent: request.userAgent, detail: { purpose } }, now);
    const { challenge, expiresIn } = await issueChallenge(tx, account, purpose, now);
    if (purpose === 'code') return { secondFactor: purpose, challenge, expiresIn };
    const secret = await startEnrolment(tx, secretBox, account, now);
    return { secondFactor: purpose, challenge, expiresIn, enrolment: totpEnrolment(secret, account.username) };
  });
}

/** Whether this session may go on: it was opened with a second factor, or its account need not have one. */
export async function sessionHasSecondFactor(db: Queryable, principal: Principal, sessionId: string): Promise<boolean> {
  if (!mustUseSecondFactor(principal)) return true;
  const [session] = await db.query<{ second_factor: boolean }>(`SELECT second_factor FROM sessions WHERE district_id = $1 AND id = $2`, [principal.districtId, sessionId]);
  return session?.second_factor === true;
}

export async function endSessionWithoutSecondFactor(db: Queryable, sessionId: string, now: Date): Promise<void> {
  await db.query(`UPDATE sessions SET revoked_at = $2, revoked_reason = 'second_factor_required' WHERE id = $1 AND revoked_at IS NULL`, [sessionId, now]);
}

/**
 * Wrong second-factor codes, counted per account (against someone who has the password and is
 * guessing codes) and per address. Only reachable after the right password, so a wait here says
 * nothing about whether a username exists.
 */
export class SecondFactorThrottle {
  constructor(
    private readonly perAccount: AddressThrottle,
    private readonly perAddress: AddressThrottle,
  ) {}

  /** Seconds until this address (and, when known, this account) may try a code again, or 0. */
  retryAfter(address: string, accountId: string | null): number {
    return Math.max(this.perAddress.retryAfter(address), accountId === null ? 0 : this.perAccount.retryAfter(accountId));
  }

  fail(address: string, accountId: string | null): void {
    this.perAddress.fail(address);
    if (accountId !== null) this.perAccount.fail(accountId);
  }
}
