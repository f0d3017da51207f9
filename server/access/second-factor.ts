/**
 * The second factor at sign-in: a TOTP authenticator (RFC 6238: SHA-1, 6 digits, 30-second
 * steps, as every authenticator app reads it) and ten one-time recovery codes.
 *
 * Staff holding a tool right must have one; anyone else may turn it on. Between the password and
 * the code, the sign-in holds only a short-lived challenge (random, stored hashed, one purpose),
 * never a session. Secrets are sealed with MFA_KEY (AES-256-GCM, bound to the account), so a dump
 * of the store alone gives no codes. Codes are checked against the app's clock, ±1 step, and a
 * step once used is refused after.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { SecondFactorChallenge, TotpEnrolment } from '../contract/auth.ts';
import type { Queryable } from '../db/store.ts';
import type { Principal } from './principal.ts';
import { hashSecret, newSecret } from './tokens.ts';

export const TOTP_ISSUER = 'Homeroom';
const TOTP_PERIOD = 30;
const TOTP_DIGITS = 6;
/** Steps either side of now that still count: a phone's clock a little fast or slow. */
const TOTP_WINDOW = 1;
/** Long enough to open the authenticator app (or, when enrolling, to install one). */
export const CHALLENGE_SECONDS = { code: 5 * 60, enrol: 15 * 60 } as const;
/** Wrong codes one challenge takes before it is void and the password must be typed again. */
export const CHALLENGE_ATTEMPTS = 5;
export const RECOVERY_CODE_COUNT = 10;
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: copied from paper

/**
 * The key sealing secrets when MFA_KEY is not set, which only a loopback (development) server
 * may do: anyone can derive it, so it protects nothing beyond the development machine.
 */
export const DEVELOPMENT_MFA_KEY: Uint8Array = createHash('sha256').update('homeroom development MFA key: set MFA_KEY in production').digest();

/** Seals TOTP secrets: AES-256-GCM with a random nonce, the account as associated data. */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new RangeError('MFA key must be 32 bytes');
    this.key = Buffer.from(key);
  }

  /**
   * `deterministic` (for the demo seed, which must write the same district twice): the nonce is
   * derived from the key, the account and the secret, so it repeats only for the same sealing.
   */
  seal(plain: string, account: { districtId: string; accountId: string }, options: { deterministic?: boolean } = {}): string {
    const nonce = options.deterministic
      ? createHmac('sha256', this.key).update(`${account.districtId}/${account.accountId}\n${plain}`).digest().subarray(0, 12)
      : randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(`${account.districtId}/${account.accountId}`));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `v1.${nonce.toString('base64url')}.${body.toString('base64url')}`;
  }

  /** The secret, or null when it was sealed with another key or for another account. */
  open(sealed: string, account: { districtId: string; accountId: string }): string | null {
    const [version, nonce, body] = sealed.split('.');
    if (version !== 'v1' || !nonce || !body) return null;
    try {
      const bytes = Buffer.from(body, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(nonce, 'base64url'));
      decipher.setAAD(Buffer.from(`${account.districtId}/${account.accountId}`));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}

/** A new TOTP secret: 160 random bits, in base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** 20 bytes as a TOTP secret in base32 (the demo seed derives its secrets this way). */
export function totpSecretFromBytes(bytes: Uint8Array): string {
  return new Secret({ buffer: Uint8Array.from(bytes).buffer }).base32;
}

function totp(secret: string, label = ''): TOTP {
  return new TOTP({ issuer: TOTP_ISSUER, label, algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD, secret: Secret.fromBase32(secret) });
}

/** The code an authenticator app shows for `secret` at `at`. */
export function totpCode(secret: string, at: Date): string {
  return totp(secret).generate({ timestamp: at.getTime() });
}

/** The step (30-second counter) whose code `code` is, within ±1 step of `at`; null when none. */
export function totpStep(secret: string, code: string, at: Date): number | null {
  const delta = totp(secret).validate({ token: code, timestamp: at.getTime(), window: TOTP_WINDOW });
  return delta === null ? null : TOTP.counter({ period: TOTP_PERIOD, timestamp: at.getTime() }) + delta;
}

/** What the enrolment screen shows: the secret as text, and the otpauth:// address its QR code holds. */
export function totpEnrolment(secret: string, username: string): TotpEnrolment {
  return { secret, uri: totp(secret, username).toString(), issuer: TOTP_ISSUER, account: username };
}

/** Six digits is an authenticator code; anything else is tried as a recovery code. */
export function isTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code.replace(/\s/g, ''));
}

/** Ten recovery codes as shown once: XXXXX-XXXXX (50 bits each). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** Recovery codes as stored: random enough for a fast hash; case, spaces and dashes do not matter. */
export function hashRecoveryCode(code: string): string {
  return hashSecret(`recovery:${code.toUpperCase().replace(/[\s-]/g, '')}`);
}

/** Staff holding a tool right in force: they must sign in with a second factor. */
export function mustUseSecondFactor(principal: Principal): boolean {
  return principal.staffId !== null && principal.toolRights.length > 0;
}

export interface SecondFactorRow {
  secret_sealed: string;
  confirmed_at: Date | null;
  last_used_step: string | number | null;
}

export async function loadSecondFactor(db: Queryable, districtId: string, accountId: string, lock = false): Promise<SecondFactorRow | null> {
  const [row] = await db.query<SecondFactorRow>(
    `SELECT secret_sealed, confirmed_at, last_used_step FROM second_factors WHERE district_id = $1 AND account_id = $2 ${lock ? 'FOR UPDATE' : ''}`,
    [districtId, accountId],
  );
  return row ?? null;
}

/** A new unconfirmed enrolment (replacing any earlier unconfirmed one): the secret, shown once. */
export async function startEnrolment(db: Queryable, box: SecretBox, account: { districtId: string; accountId: string }, now: Date): Promise<string> {
  const secret = newTotpSecret();
  const replaced = await db.query(
    `INSERT INTO second_factors (district_id, account_id, secret_sealed, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (district_id, account_id) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed, created_at = EXCLUDED.created_at, last_used_step = NULL
       WHERE second_factors.confirmed_at IS NULL
     RETURNING account_id`,
    [account.districtId, account.accountId, box.seal(secret, account), now],
  );
  if (replaced.length === 0) throw new Error('the account already has a confirmed second factor');
  return secret;
}

/** Confirms an enrolment and gives it ten new recovery codes (any older ones stop working). */
export async function confirmEnrolment(db: Queryable, account: { districtId: string; accountId: string }, step: number, now: Date): Promise<string[]> {
  await db.query(`UPDATE second_factors SET confirmed_at = $3, last_used_step = $4 WHERE district_id = $1 AND account_id = $2`, [account.districtId, account.accountId, now, step]);
  await db.query(`DELETE FROM recovery_codes WHERE district_id = $1 AND account_id = $2`, [account.districtId, account.accountId]);
  const codes = newRecoveryCodes();
  await db.query(
    `INSERT INTO recovery_codes (district_id, id, account_id, code_hash, created_at)
     SELECT $1, gen_random_uuid(), $2, hash, $4 FROM unnest($3::text[]) AS hash`,
    [account.districtId, account.accountId, codes.map(hashRecoveryCode), now],
  );
  return codes;
}

/** Removes the account's second factor, its recovery codes and its outstanding challenges. */
export async function removeSecondFactor(db: Queryable, account: { districtId: string; accountId: string }, now: Date): Promise<void> {
  await db.query(`DELETE FROM second_factors WHERE district_id = $1 AND account_id = $2`, [account.districtId, account.accountId]);
  await db.query(`DELETE FROM recovery_codes WHERE district_id = $1 AND account_id = $2`, [account.districtId, account.accountId]);
  await db.query(`UPDATE sign_in_challenges SET used_at = $3 WHERE district_id = $1 AND account_id = $2 AND used_at IS NULL`, [account.districtId, account.accountId, now]);
}

export type CodeCheck =
  | { ok: true; kind: 'totp'; step: number }
  | { ok: true; kind: 'recovery'; left: number }
  | { ok: false; reason: 'incorrect' | 'reused' | 'unreadable' };

/**
 * Checks a code against the account's confirmed second factor and uses it up: a TOTP code's step
 * becomes the last used (a later code only after it), a recovery code is spent. Run inside the
 * caller's transaction with the second factor row locked.
 */
export async function useCode(db: Queryable, box: SecretBox, account: { districtId: string; accountId: string }, factor: SecondFactorRow, code: string, now: Date): Promise<CodeCheck> {
  const typed = code.replace(/\s/g, '');
  if (isTotpCode(typed)) {
    const secret = box.open(factor.secret_sealed, account);
    if (secret === null) {
      console.error('homeroom: a second factor secret does not open with this MFA_KEY (was the key changed?); a district administrator must reset it');
      return { ok: false, reason: 'unreadable' };
    }
    const step = totpStep(secret, typed, now);
    if (step === null) return { ok: false, reason: 'incorrect' };
    const updated = await db.query(
      `UPDATE second_factors SET last_used_step = $3 WHERE district_id = $1 AND account_id = $2 AND (last_used_step IS NULL OR last_used_step < $3) RETURNING account_id`,
      [account.districtId, account.accountId, step],
    );
    return updated.length === 1 ? { ok: true, kind: 'totp', step } : { ok: false, reason: 'reused' };
  }
  const spent = await db.query(
    `UPDATE recovery_codes SET used_at = $4 WHERE district_id = $1 AND account_id = $2 AND code_hash = $3 AND used_at IS NULL RETURNING id`,
    [account.districtId, account.accountId, hashRecoveryCode(typed), now],
  );
  if (spent.length === 0) return { ok: false, reason: 'incorrect' };
  const [left] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM recovery_codes WHERE district_id = $1 AND account_id = $2 AND used_at IS NULL`, [account.districtId, account.accountId]);
  return { ok: true, kind: 'recovery', left: left?.n ?? 0 };
}

/** Checks a code against an unconfirmed enrolment's secret (recovery codes do not exist yet). */
export function enrolmentStep(box: SecretBox, account: { districtId: string; accountId: string }, factor: SecondFactorRow, code: string, now: Date): number | null {
  const typed = code.replace(/\s/g, '');
  if (!isTotpCode(typed)) return null;
  const secret = box.open(factor.secret_sealed, account);
  return secret === null ? null : totpStep(secret, typed, now);
}

/** A new challenge for the second step of a sign-in: the token (shown once) and its record. */
export async function issueChallenge(
  db: Queryable,
  account: { districtId: string; accountId: string },
  purpose: SecondFactorChallenge['secondFactor'],
  now: Date,
): Promise<{ challenge: string; expiresIn: number }> {
  const challenge = newSecret();
  const expiresIn = CHALLENGE_SECONDS[purpose];
  await db.query(
    `INSERT INTO sign_in_challenges (district_id, id, account_id, challenge_hash, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [account.districtId, randomUUID(), account.accountId, hashChallenge(challenge), purpose, now, new Date(now.getTime() + expiresIn * 1000)],
  );
  return { challenge, expiresIn };
}

/** Challenges are hashed apart from every other secret, so none passes for another. */
export function hashChallenge(challenge: string): string {
  return hashSecret(`challenge:${challenge}`);
}

export interface ChallengeRow {
  id: string;
  district_id: string;
  account_id: string;
  purpose: SecondFactorChallenge['secondFactor'];
  attempts: number;
}

/** The live challenge with this token and purpose, locked; null when unknown, used up, expired or for the other step. */
export async function findChallenge(db: Queryable, challenge: string, purpose: ChallengeRow['purpose'], now: Date): Promise<ChallengeRow | null> {
  const [row] = await db.query<ChallengeRow>(
    `SELECT id, district_id, account_id, purpose, attempts FROM sign_in_challenges
      WHERE challenge_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 FOR UPDATE`,
    [hashChallenge(challenge), purpose, now],
  );
  return row ?? null;
}
