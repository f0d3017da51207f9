/**
 * The identity API, shared by server and client (isomorphic: no Node or DOM imports).
 * Every error is `{ error: { code, message, details? } }` with `code` from AUTH_ERROR_CODES
 * (or the general codes) and `message` translated for the asker's Accept-Language.
 */
import type { Language, Role, StaffRole, Tool } from './roles.ts';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const USERNAME_PATTERN = /^[\p{L}\p{N}._-]{3,64}$/u;

export const AUTH_ERROR_CODES = [
  'invalid_credentials', // 401: wrong username or password (never says which)
  'account_disabled', // 403: locked after failed sign-ins, or disabled by staff; details.reason
  'rate_limited', // 429: too many attempts from this address; Retry-After header
  'server_busy', // 503: too many password checks waiting right now; Retry-After header
  'unauthenticated', // 401: no valid access token
  'session_expired', // 401: refresh token missing, expired or revoked
  'token_reused', // 401: a rotated refresh token came back; the whole session is revoked
  'forbidden', // 403: signed in, but not allowed
  'invalid_key', // 400: activation key unknown, used, revoked, or not matching the student
  'key_expired', // 400
  'username_taken', // 409
  'username_invalid', // 400: 3–64 letters, digits, . _ -
  'password_too_short', // 400: under PASSWORD_MIN_LENGTH characters
  'password_too_long', // 400
  'password_common', // 400: on the list of common passwords
  'password_incorrect', // 400: current password wrong when changing it
  'invalid_token', // 400: reset link unknown, used or voided
  'token_expired', // 400: reset link older than 30 minutes
  'invalid_code', // 400: printed reset code unknown, used, voided, or not this username's
  'code_expired', // 400: printed reset code older than 72 hours
  'challenge_expired', // 401: the second step of a sign-in came too late, or after too many wrong codes: type the password again
  'second_factor_incorrect', // 400: not the authenticator's code now, nor an unused recovery code
  'second_factor_reused', // 400: that authenticator code was already used: wait for the next one
  'second_factor_required', // 403: staff holding a tool right cannot turn their second factor off
  'second_factor_enrolled', // 409: the account already has a second factor
] as const;
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

/** POST /api/auth/login */
export interface LoginRequest {
  username: string;
  password: string;
  /** The person said this is not their own device: a shared computer's session (see contract/kiosk.ts). */
  sharedDevice?: boolean;
}

/** 200 from login, claim and refresh; the refresh token travels only in an HttpOnly cookie. */
export interface SessionResponse {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  me: Me;
  /**
   * On a shared computer (an enrolled kiosk, or "this is not my device"): minutes without a key
   * or a tap before the device signs out; the session ends on the server that long after its
   * last refresh. Absent on the person's own device.
   */
  idleMinutes?: number;
}

/**
 * 200 from login when the password is right but a second factor must follow: no session yet, only
 * a challenge for the second step (a few minutes, one purpose). `code`: the account has an
 * authenticator, so POST /api/auth/second-factor/verify with a code from it (or a recovery code).
 * `enrol`: staff holding a tool right without one; `enrolment` is a new secret to add to an
 * authenticator app, confirmed with its first code at POST /api/auth/second-factor/enrol.
 */
export interface SecondFactorChallenge {
  secondFactor: 'code' | 'enrol';
  challenge: string;
  /** Seconds the challenge lasts. */
  expiresIn: number;
  enrolment?: TotpEnrolment;
}

/** A TOTP secret being added to an authenticator app: as text (base32), and as the otpauth:// address a QR code holds. */
export interface TotpEnrolment {
  secret: string;
  uri: string;
  issuer: string;
  account: string;
}

export type LoginResponse = SessionResponse | SecondFactorChallenge;

export function isSecondFactorChallenge(body: unknown): body is SecondFactorChallenge {
  const value = body as Partial<SecondFactorChallenge> | null | undefined;
  return (value?.secondFactor === 'code' || value?.secondFactor === 'enrol') && typeof value.challenge === 'string';
}

/**
 * POST /api/auth/second-factor/verify and …/enrol: the challenge from login and a code (6 digits
 * from the authenticator; at verify also a recovery code). `sharedDevice` as at login.
 */
export interface SecondFactorRequest {
  challenge: string;
  code: string;
  sharedDevice?: boolean;
}

/** 200 from …/enrol: the session, and ten recovery codes shown this once. */
export interface EnrolledSessionResponse extends SessionResponse {
  recoveryCodes: string[];
}

export const TOTP_CODE_LENGTH = 6;

/** GET /api/me/second-factor */
export interface SecondFactorStatus {
  /** The account signs in with an authenticator code. */
  enabled: boolean;
  /** It must (staff holding a tool right): it cannot be turned off. */
  required: boolean;
  /** Unused recovery codes. */
  recoveryCodesLeft: number;
}

/** POST /api/me/second-factor/enrolment { currentPassword } → TotpEnrolment; …/confirm { code } → { recoveryCodes }; …/turn-off { code } → 204. */
export interface ConfirmSecondFactorResponse {
  recoveryCodes: string[];
}

/** POST /api/auth/claim: activation key from the printed letter, then a username and password. */
export interface ClaimRequest {
  key: string;
  username: string;
  password: string;
  /** Students claim with their student number and birth date as well. */
  studentNumber?: string;
  birthDate?: string;
  /** As in LoginRequest: claimed on a computer that is not the person's own. */
  sharedDevice?: boolean;
}

/** POST /api/auth/forgot: always 202, whether or not the account exists. */
export interface ForgotRequest {
  username: string;
}

/**
 * POST /api/auth/reset → 204: the token from the e-mailed link (valid 30 minutes, once), or the
 * username and the code from a letter printed by school staff (valid 72 hours, once).
 */
export type ResetRequest = { token: string; password: string } | { username: string; code: string; password: string };

/** POST /api/me/password (signed in). → 204 */
export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

/** PUT /api/me/email: the account's own e-mail (where reset links and notices go), changed at once. */
export interface ChangeEmailRequest {
  email: string;
  currentPassword: string;
}

export const EMAIL_MAX_LENGTH = 200;

/** One @, something on both sides, a dot in the domain, no spaces: the mail server decides the rest. */
export function isEmailAddress(value: string): boolean {
  return value.length <= EMAIL_MAX_LENGTH && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/** GET /api/me */
export interface Me {
  account: { id: string; username: string; language: Language };
  person: { id: string; firstName: string; lastName: string; preferredName: string | null; email: string | null };
  districtId: string;
  roles: Role[];
  /**
   * `attendanceSince`: where the role's devices hold only recent attendance (server/access/sync-windows.ts),
   * the first day they hold at that school (older days are read online); null where they hold all of it.
   */
  locations: Array<{ role: StaffRole; schoolId: string | null; schoolName: string | null; attendanceSince: string | null }>;
  toolRights: Array<{ tool: Tool; schoolId: string | null; expiresOn: string }>;
  /** The students this account may see. */
  students: Array<{ id: string; firstName: string; lastName: string; gradeLevel: number; schoolId: string; schoolName: string }>;
}

/** GET /api/me/access-log?before=<id>: newest first, 50 per page. */
export interface AccessLogPage {
  entries: Array<{ id: number; at: string; event: AccessEvent; ip: string; userAgent: string; studentId: string | null }>;
  /** Pass as `before` for the next page; null on the last page. */
  next: number | null;
}

export const ACCESS_EVENTS = [
  'login.success',
  'login.failure',
  'login.lockout',
  'login.throttled',
  'account.claimed',
  'account.unlocked',
  'password.changed',
  'email.changed',
  'password.reset_requested',
  'password.reset',
  'password.reset_by_staff',
  'password.reset_with_code',
  'session.refreshed',
  'session.logout',
  'session.logout_all',
  'token.reuse',
  'mfa.challenge',
  'mfa.success',
  'mfa.failure',
  'mfa.recovery_code_used',
  'mfa.enrolled',
  'mfa.disabled',
  'mfa.reset',
  'record.read',
  'record.write',
  'sync.repaired',
] as const;
export type AccessEvent = (typeof ACCESS_EVENTS)[number];
