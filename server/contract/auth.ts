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
] as const;
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

/** POST /api/auth/login */
export interface LoginRequest {
  username: string;
  password: string;
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

/** POST /api/auth/claim: activation key from the printed letter, then a username and password. */
export interface ClaimRequest {
  key: string;
  username: string;
  password: string;
  /** Students claim with their student number and birth date as well. */
  studentNumber?: string;
  birthDate?: string;
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
  locations: Array<{ role: StaffRole; schoolId: string | null; schoolName: string | null }>;
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
  'record.read',
  'record.write',
] as const;
export type AccessEvent = (typeof ACCESS_EVENTS)[number];
