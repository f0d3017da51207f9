import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/store.ts';
import { OWN_DEVICE, type SharedDevice } from './shared-device.ts';
import { hashSecret, newSecret } from './tokens.ts';

/** A signed-in device lasts this long without being used, then must sign in again. */
export const SESSION_DAYS = 30;

/** When a session used at `now` ends: after the idle limit on a shared computer, else SESSION_DAYS. */
export function sessionEnd(now: Date, idleMinutes: number | null): Date {
  return new Date(now.getTime() + (idleMinutes === null ? SESSION_DAYS * 86_400_000 : idleMinutes * 60_000));
}

export async function createSession(
  db: Queryable,
  input: { districtId: string; accountId: string; ip: string; userAgent: string; now: Date; device?: SharedDevice; secondFactor?: boolean },
): Promise<{ sessionId: string; refreshToken: string }> {
  const sessionId = randomUUID();
  const refreshToken = newSecret();
  const device = input.device ?? OWN_DEVICE;
  await db.query(
    `INSERT INTO sessions (district_id, id, account_id, refresh_hash, created_at, last_used_at, expires_at, ip, user_agent, idle_minutes, kiosk_id, second_factor)
     VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, $11)`,
    [input.districtId, sessionId, input.accountId, hashSecret(refreshToken), input.now, sessionEnd(input.now, device.idleMinutes), input.ip.slice(0, 100), input.userAgent.slice(0, 400), device.idleMinutes, device.kioskId, input.secondFactor === true],
  );
  return { sessionId, refreshToken };
}

export async function revokeSessions(db: Queryable, where: { districtId: string; accountId: string; exceptSessionId?: string }, reason: string, now: Date): Promise<void> {
  await db.query(
    `UPDATE sessions SET revoked_at = $4, revoked_reason = $5
      WHERE district_id = $1 AND account_id = $2 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)`,
    [where.districtId, where.accountId, where.exceptSessionId ?? null, now, reason],
  );
}
