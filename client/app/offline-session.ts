/**
 * Signed in without a network. The device remembers who is signed in (their `Me`, never a
 * token), so a reload with no network opens that person's records from IndexedDB instead of
 * the sign-in screen. The refresh cookie still decides: the first answer from the server
 * renews the session, or ends it and wipes the device.
 *
 * Kept beside the app shell while client/data/ is being extended; it belongs with
 * client/data/session.ts (whose `restoreSession` could then report why it failed).
 */
import { LANGUAGES, ROLES } from '../../server/contract/roles.ts';
import type { Me } from '../../server/contract/auth.ts';
import { deviceStorageKind } from '../data/local-data.ts';
import { currentMe, isSignedIn, OFFLINE_ACCOUNT_KEY, refreshSession, restoreSession, resumeSession, subscribeSession, wipeDevice } from '../data/session.ts';

/** `homeroom.` keys are removed at every sign-out (session.ts `wipeDevice`), this one included. */
export { OFFLINE_ACCOUNT_KEY } from '../data/session.ts';

let started = false;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isStringOrNull = (value: unknown): boolean => value === null || typeof value === 'string';

/** Storage can be edited by hand or left by an older version: only a whole `Me` is used. */
export function isRememberedMe(value: unknown): value is Me {
  if (!isRecord(value) || !isRecord(value.account) || !isRecord(value.person)) return false;
  const { account, person } = value;
  return (
    isString(account.id) &&
    account.id.length > 0 &&
    isString(account.username) &&
    (LANGUAGES as readonly unknown[]).includes(account.language) &&
    isString(person.id) &&
    isString(person.firstName) &&
    isString(person.lastName) &&
    isStringOrNull(person.preferredName) &&
    isStringOrNull(person.email) &&
    isString(value.districtId) &&
    Array.isArray(value.roles) &&
    value.roles.every((role) => (ROLES as readonly unknown[]).includes(role)) &&
    Array.isArray(value.locations) &&
    value.locations.every((location) => isRecord(location) && isString(location.role) && isStringOrNull(location.schoolId) && isStringOrNull(location.schoolName)) &&
    Array.isArray(value.toolRights) &&
    value.toolRights.every((right) => isRecord(right) && isString(right.tool) && isStringOrNull(right.schoolId) && isString(right.expiresOn)) &&
    Array.isArray(value.students) &&
    value.students.every(
      (student) =>
        isRecord(student) &&
        isString(student.id) &&
        isString(student.firstName) &&
        isString(student.lastName) &&
        typeof student.gradeLevel === 'number' &&
        isString(student.schoolId) &&
        isString(student.schoolName),
    )
  );
}

/** The account this device last had signed in, when it may still open offline. */
export function readRememberedMe(): Me | undefined {
  try {
    const stored = localStorage.getItem(OFFLINE_ACCOUNT_KEY);
    if (stored === null) return undefined;
    const me: unknown = JSON.parse(stored);
    return isRememberedMe(me) ? me : undefined;
  } catch {
    return undefined; // storage blocked, or not JSON
  }
}

function forgetMe(): void {
  try {
    localStorage.removeItem(OFFLINE_ACCOUNT_KEY);
  } catch {
    // Storage blocked: nothing was saved either.
  }
}

function rememberMe(me: Me): void {
  // Shared (kiosk) computers keep no records after a reload, so nothing to open offline.
  if (deviceStorageKind() === 'memory') {
    forgetMe();
    return;
  }
  try {
    localStorage.setItem(OFFLINE_ACCOUNT_KEY, JSON.stringify(me));
  } catch {
    // Storage full or blocked: this device signs in again after an offline reload.
  }
}

/** Remembers whoever is signed in from now on, and forgets them at sign-out. Call once at start. */
export function startOfflineSession(): void {
  if (started) return;
  started = true;
  subscribeSession((me) => (me ? rememberMe(me) : forgetMe()));
  const me = currentMe();
  if (me) rememberMe(me);
}

/**
 * On app start: the refresh cookie brings the session back when the server answers. When it
 * cannot be reached and this device remembers an account, that account opens with no access
 * token (every request refreshes first), showing the records already on the device. When the
 * server refuses the session (signed out everywhere, expired), the device is wiped.
 * Resolves true when signed in, online or not.
 */
export async function restoreOrResumeOffline(): Promise<boolean> {
  const remembered = readRememberedMe();
  // A remembered account means no sign-out is pending: sign-out clears our keys before noting one.
  if (!remembered) return restoreSession();
  const outcome = await refreshSession();
  if (outcome === 'ok' || isSignedIn()) return true;
  if (outcome === 'rejected') {
    await wipeDevice();
    return false;
  }
  resumeSession({ accessToken: '', expiresIn: 0, me: remembered });
  return true;
}
