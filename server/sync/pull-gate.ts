/**
 * The in-sync pull: most of a device's pulls ask "anything new?" and the answer is no. One
 * statement answers it before anything else is loaded: whether the session is live, the head of
 * each table that makes the collection's documents (registry `tables`; a head after the device's
 * checkpoint means something changed), and the district's watermark (migration 0012). Where the
 * server runs, what it answered is remembered until the change feed hears otherwise (GateMemory
 * below), so most in-sync pulls send no statement at all. Nothing changed: the pull
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
import type { Asking } from '../access/principal-memory.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import { FeedMemory } from './feed-memory.ts';
import type { Queryable } from '../db/store.ts';
import { LAST_ID } from '../domain/ids.ts';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const gates = new Map<string, string>();

/**
 * The gate's statement for these tables: $1 district, $2 account, $3 session, $4 now. It answers
 * when the session stops being live (null: not live now), each table's head (its greatest seq in
 * the district, by the `(district_id, seq)` index: one probe each) and the district's watermark.
 */
function gateSql(tables: readonly string[]): string {
  const key = tables.join(',');
  let sql = gates.get(key);
  if (!sql) {
    const heads = tables.map((table, i) => {
      if (!IDENTIFIER.test(table)) throw new Error(`not a table name: ${table}`);
      return `(SELECT max(seq) FROM ${table} WHERE district_id = $1)::text AS h${i}`;
    });
    sql = `SELECT (SELECT s.expires_at FROM sessions s JOIN accounts a ON a.district_id = s.district_id AND a.id = s.account_id
                    WHERE s.district_id = $1 AND s.id = $3 AND s.account_id = $2 AND s.revoked_at IS NULL AND s.expires_at > $4
                      AND a.status = 'active' AND NOT a.deleted) AS live_until,
                  ${heads.join(',\n                  ')},
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
  /** Every row of the district at or below it has committed; null while a writer holds the district's lock, or when answered from memory. */
  watermark: number | null;
}

/**
 * What the gate learnt, kept between pulls until the change feed says it moved (feed-memory.ts):
 * which sessions are live until when, and the greatest head of each collection's tables per
 * district. An in-sync pull whose session and heads are remembered is answered without the store.
 * Until the feed hears a commit a device may hear "nothing new", as a moment earlier, and the
 * stream's "pull now" for it comes from the same notification (after it, on this instance).
 */
export class GateMemory extends FeedMemory<number> {
  constructor() {
    super(100_000);
  }
}

export async function pullGate(db: Queryable, session: Asking, now: Date, tables: readonly string[], checkpoint: SyncCheckpoint, memory?: GateMemory): Promise<PullGate> {
  // A checkpoint at the watermark has seen every row of its seq; one after a document may not have (ties on seq).
  const from = checkpoint.id === LAST_ID ? checkpoint.seq + 1 : checkpoint.seq;
  const aboutSession = { key: session.sessionId, districtId: session.districtId, accountId: session.accountId, tables: [] };
  const aboutTables = { key: `${session.districtId}:${tables.join(',')}`, districtId: session.districtId, accountId: null, tables };
  if (memory?.recall(aboutSession, now) != null && (memory.recall(aboutTables, now) ?? from) < from) return { live: true, changed: false, watermark: null };
  const marks = memory && [memory.mark(aboutSession), memory.mark(aboutTables)] as const;
  const [row] = await db.query<Record<string, string | Date | null>>(gateSql(tables), [session.districtId, session.accountId, session.sessionId, now]);
  const liveUntil = row?.live_until == null ? null : new Date(row.live_until);
  const heads = tables.map((_, i) => (row?.[`h${i}`] == null ? null : Number(row[`h${i}`])));
  if (memory && marks) {
    if (liveUntil) memory.keep(aboutSession, marks[0], liveUntil.getTime(), liveUntil.getTime());
    memory.keep(aboutTables, marks[1], Math.max(0, ...heads.map((head) => head ?? 0)));
  }
  return {
    live: liveUntil !== null,
    changed: heads.some((head) => head !== null && head >= from),
    watermark: row?.watermark == null ? null : Number(row.watermark),
  };
}

/**
 * The checkpoint after a page that was not full: at the watermark when it is ahead (every
 * document up to it was in this page or before it), else the page's own.
 */
export function atWatermark(checkpoint: SyncCheckpoint | null, watermark: number | null): SyncCheckpoint | null {
  if (watermark === null || watermark <= 0 || (checkpoint && checkpoint.seq > watermark)) return checkpoint;
  return checkpoint?.base ? { seq: watermark, id: LAST_ID, base: checkpoint.base } : { seq: watermark, id: LAST_ID };
}
