/**
 * Shared computers: kiosks that school staff enrol for a school (media centers, libraries),
 * and sessions on a computer that is not the person's own. Shared by server and client.
 *
 * A kiosk proves it is one with an HttpOnly device cookie that only the server sets (after a
 * one-time enrolment code, or a staff member's "make this computer a kiosk"); no setting in
 * the page can make a browser a kiosk or stop it being one.
 */

/** Minutes without a key or a tap before a shared computer signs its user out. */
export const IDLE_MINUTES = { min: 1, max: 15, default: 2 } as const;

/** The warning comes this long before the idle sign-out, or at half the limit if that is sooner. */
export const IDLE_WARNING_SECONDS = 30;

/** `GET /api/kiosk`: what this browser is. */
export interface KioskState {
  kiosk: EnrolledKiosk | null;
}

export interface EnrolledKiosk {
  id: string;
  schoolId: string;
  schoolName: string;
  label: string;
  idleMinutes: number;
}

/** `POST /api/staff/kiosks`: a one-time code to type on the computer at `#/kiosk`. */
export interface KioskCode {
  id: string;
  code: string;
  expiresAt: string;
}

/** `GET /api/staff/kiosks?schoolId=`: the school's kiosks. */
export interface KioskListing {
  idleMinutes: number;
  kiosks: KioskSummary[];
}

export interface KioskSummary {
  id: string;
  label: string;
  state: 'waiting' | 'enrolled' | 'revoked';
  createdAt: string;
  enrolledAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const KIOSK_ERROR_CODES = ['invalid_kiosk_code'] as const;

/** Enrolment codes are typed from a staff member's screen: letters and digits that do not look alike. */
export const KIOSK_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Codes are typed as shown (XXXX-XXXX) or without the dash, in any case. */
export function normalizeKioskCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}
