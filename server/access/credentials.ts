import type { Queryable } from '../db/store.ts';

/**
 * After any password change or reset: every reset link or code and every activation key of the
 * account still outstanding stops working, so one mailed, printed or stolen before cannot undo it.
 */
export async function voidOutstandingSecrets(db: Queryable, account: { districtId: string; accountId: string }, now: Date): Promise<void> {
  const where = 'WHERE district_id = $1 AND account_id = $2 AND used_at IS NULL AND revoked_at IS NULL';
  await db.query(`UPDATE password_resets SET revoked_at = $3 ${where}`, [account.districtId, account.accountId, now]);
  await db.query(`UPDATE activation_keys SET revoked_at = $3 ${where}`, [account.districtId, account.accountId, now]);
}
