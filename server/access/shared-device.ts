/**
 * Which device a request comes from, for sessions: an enrolled kiosk (its HttpOnly device
 * cookie, set only by the server), a computer the person said is not their own, or their own.
 * Sessions on shared computers end on the server after the idle limit without a refresh, and
 * their refresh cookie ends with the browser.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../app.ts';
import { IDLE_MINUTES, type EnrolledKiosk } from '../contract/kiosk.ts';
import type { Queryable } from '../db/store.ts';
import { hashSecret } from './tokens.ts';
import { getCookie } from 'hono/cookie';

/** The kiosk's device credential; sent to the API only. */
export const KIOSK_COOKIE = 'hr_kiosk';

export interface SharedDevice {
  /** Minutes without use before the session ends; null on the person's own device. */
  idleMinutes: number | null;
  /** The enrolled kiosk the session runs on, if any (in the account's own district). */
  kioskId: string | null;
}

export const OWN_DEVICE: SharedDevice = { idleMinutes: null, kioskId: null };

/** An enrolled, unrevoked kiosk, found by its credential or by its id; with the district it belongs to. */
export async function findKiosk(db: Queryable, by: { credential: string } | { districtId: string; id: string }): Promise<(EnrolledKiosk & { districtId: string }) | null> {
  const [row] = await db.query<{ district_id: string; id: string; school_id: string; school_name: string; label: string; idle_minutes: number }>(
    `SELECT k.district_id, k.id, k.school_id, s.name AS school_name, k.label, s.kiosk_idle_minutes AS idle_minutes
       FROM kiosks k JOIN schools s ON s.district_id = k.district_id AND s.id = k.school_id
      WHERE k.revoked_at IS NULL AND k.credential_hash IS NOT NULL AND ${'credential' in by ? 'k.credential_hash = $1' : 'k.district_id = $1 AND k.id = $2'}`,
    'credential' in by ? [hashSecret(by.credential)] : [by.districtId, by.id],
  );
  if (!row) return null;
  return { districtId: row.district_id, id: row.id, schoolId: row.school_id, schoolName: row.school_name, label: row.label, idleMinutes: Number(row.idle_minutes) };
}

/** The kiosk whose credential this request carries; null when none, or revoked. */
export async function kioskOfRequest(c: Context<AppEnv>, db: Queryable = c.get('deps').store): Promise<(EnrolledKiosk & { districtId: string }) | null> {
  const credential = getCookie(c, KIOSK_COOKIE);
  if (!credential || credential.length > 200) return null;
  return findKiosk(db, { credential });
}

/** Whether the request's JSON body says the person is not on their own device (`sharedDevice: true`). */
async function saysShared(c: Context<AppEnv>): Promise<boolean> {
  try {
    const body = (await c.req.json()) as { sharedDevice?: unknown } | null;
    return body?.sharedDevice === true;
  } catch {
    return false;
  }
}

/**
 * The device a session started by this request runs on: a kiosk always counts as shared (with
 * its school's idle limit), whatever the page says; elsewhere the person's own answer decides.
 */
export async function deviceOfRequest(c: Context<AppEnv>, db: Queryable, districtId: string): Promise<SharedDevice> {
  const kiosk = await kioskOfRequest(c, db);
  if (kiosk) return { idleMinutes: kiosk.idleMinutes, kioskId: kiosk.districtId === districtId ? kiosk.id : null };
  return (await saysShared(c)) ? { idleMinutes: IDLE_MINUTES.default, kioskId: null } : OWN_DEVICE;
}
