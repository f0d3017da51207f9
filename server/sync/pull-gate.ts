/**
 * The in-sync pull: most of a device's pulls ask "anything new?" and the answer is no. One
 * statement answers it before anything else is loaded: whether the session is live, whether any
 * row of the tables that make the collection's documents (registry `tables`) changed after the
 * device's checkpoint, and the district's watermark (migration 0012). Nothing changed: the pull
 * answers an empty page at once. Something did: who is asking is loaded and the collection's
 * puller runs as before, and a page that is not full moves the checkpoint up to the watermark,
 * read before the pull's statement began (so the pull saw every row at or below it). The device
 * then starts its next pull from the district's head, where its gate is an index probe per table.
 *
 * Why a change in those tables is the only way a document can move past the checkpoint: a
 * document's order key is the greatest seq of the rows it is made of and of the grants that put
 * it in scope, every write of those rows gives them a new seq, and dates passing change no order
 * key until the daily job touches the rows (date-windows.ts), which is a write.
 */
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable } from '../db/store.ts';
import { LAST_ID } from '../domain/ids.ts';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const gates = new Map<string, string>();

/** The gate's statement for these tables: $1 district, $2 account, $3 session, $4 now, $5 the first seq that counts as new. */
function gateSql(tables: readonly string[]): string {
  const key = tables.join(',');
  let sql = gates.get(key);
  if (!sql) {
    const changed = tables.map((table) => {
      if (!IDENTIFIER.test(table)) throw new Error(`not a table name: ${table}`);
      return `EXISTS (SELECT 1 FROM ${table} WHERE district_id = $1 AND seq >= $5)`;
    });
    sql = `SELECT EXISTS (SELECT 1 FROM sessions s JOIN accounts a ON a.district_id = s.district_id AND a.id = s.account_id
                           WHERE s.district_id = $1 AND s.id = $3 AND s.account_id = $2 AND s.revoked_at IS NULL AND s.expires_at > $4
                             AND a.status = 'active' AND NOT a.deleted) AS live,
                  (${changed.join('\n                   OR ')}) AS changed,
                  sync_watermark($1)::text AS watermark`;
    gates.set(key, sql);
  }
  return sql;
}

export interface PullGate {
  /** The session is live and its account active (the full check, with who is asking, follows a change). */
  live: boolean;
  /** A row of the collection's tables changed after the checkpoint. */
  changed: boolean;
  /** Every row of the district at or below it has committed; null while a writer holds the district's lock. */
  watermark: number | null;
}

export async function pullGate(db: Queryable, session: { districtId: string; accountId: string; sessionId: string }, now: Date, tables: readonly string[], checkpoint: SyncCheckpoint): Promise<PullGate> {
  // A checkpoint at the watermark has seen every row of its seq; one after a document may not have (ties on seq).
  const from = checkpoint.id === LAST_ID ? checkpoint.seq + 1 : checkpoint.seq;
  const [row] = await db.query<{ live: boolean; changed: boolean; watermark: string | null }>(gateSql(tables), [session.districtId, session.accountId, session.sessionId, now, from]);
  return { live: row?.live === true, changed: row?.changed !== false, watermark: row?.watermark == null ? null : Number(row.watermark) };
}

/**
 * The checkpoint after a page that was not full: at the watermark when it is ahead (every
 * document up to it was in this page or before it), else the page's own.
 */
export function atWatermark(checkpoint: SyncCheckpoint | null, watermark: number | null): SyncCheckpoint | null {
  if (watermark === null || watermark <= 0 || (checkpoint && checkpoint.seq > watermark)) return checkpoint;
  return checkpoint?.base ? { seq: watermark, id: LAST_ID, base: checkpoint.base } : { seq: watermark, id: LAST_ID };
}
