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
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import { forgetEnded, type Ending } from './changes.ts';
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

interface Asking {
  districtId: string;
  accountId: string;
  sessionId: string;
}

/** At most this many sessions are remembered; beyond it memory starts again (each is one gate statement away). */
const MAX_SESSIONS = 100_000;

/**
 * What the gate learnt, kept between pulls until the change feed (changes.ts) says it moved: each
 * table's head per district, and which sessions are live until when. An in-sync pull whose
 * session and heads are remembered is answered without the store.
 *
 * Why a remembered answer is never wrong, only late: a head is forgotten when the feed hears a
 * commit to its table, and a statement's answer is kept only if no such commit was heard while
 * it ran (generations), so a kept head was the head at some instant after every commit heard.
 * Commits are heard after they happen (LISTEN/NOTIFY); until then a device may hear "nothing new",
 * as it would have had it pulled a moment earlier, and the stream's "pull now" for that commit
 * comes from the same notification (after it, on this instance; within the stream's debounce on
 * another instance). A session is forgotten when it is revoked or its account disabled (migration
 * 0010's notifications), and answers only until its expiry. A feed that is lost forgets all and
 * remembers nothing more: every pull then asks the store, as before.
 */
export class GateMemory {
  private readonly heads = new Map<string, number>();
  private readonly generations = new Map<string, number>();
  private readonly sessions = new Map<string, { districtId: string; accountId: string; until: number }>();
  private sessionGeneration = 0;
  private lost = false;

  /** A commit to `table` in `districtId` was heard. */
  changed(districtId: string, table: string): void {
    const key = `${districtId}:${table}`;
    this.heads.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
  }

  /** A session ended or an account stopped, as the feed read it (changes.ts `parseEnding`). */
  ended(ending: Ending): void {
    this.sessionGeneration += 1;
    forgetEnded(this.sessions, ending);
  }

  /** The feed stopped hearing commits: nothing remembered can be trusted from now on. */
  feedLost(): void {
    this.lost = true;
    this.heads.clear();
    this.sessions.clear();
  }

  /** The in-sync answer from memory, or null when the store must be asked. */
  answer(asking: Asking, now: Date, tables: readonly string[], from: number): PullGate | null {
    if (this.lost) return null;
    const session = this.sessions.get(asking.sessionId);
    if (!session || session.districtId !== asking.districtId || session.accountId !== asking.accountId || session.until <= now.getTime()) return null;
    for (const table of tables) {
      const head = this.heads.get(`${asking.districtId}:${table}`);
      if (head === undefined || head >= from) return null;
    }
    return { live: true, changed: false, watermark: null };
  }

  /** Where memory stands before a statement: what it learns is kept only if nothing moved meanwhile. */
  mark(districtId: string, tables: readonly string[]): { heads: number[]; sessions: number } {
    return { heads: tables.map((table) => this.generations.get(`${districtId}:${table}`) ?? 0), sessions: this.sessionGeneration };
  }

  learn(asking: Asking, tables: readonly string[], mark: { heads: number[]; sessions: number }, liveUntil: Date | null, heads: Array<number | null>): void {
    if (this.lost) return;
    tables.forEach((table, i) => {
      const key = `${asking.districtId}:${table}`;
      if ((this.generations.get(key) ?? 0) === mark.heads[i]) this.heads.set(key, heads[i] ?? 0);
    });
    if (liveUntil && mark.sessions === this.sessionGeneration) {
      if (this.sessions.size >= MAX_SESSIONS) this.sessions.clear();
      this.sessions.set(asking.sessionId, { districtId: asking.districtId, accountId: asking.accountId, until: liveUntil.getTime() });
    }
  }
}

export async function pullGate(db: Queryable, session: Asking, now: Date, tables: readonly string[], checkpoint: SyncCheckpoint, memory?: GateMemory): Promise<PullGate> {
  // A checkpoint at the watermark has seen every row of its seq; one after a document may not have (ties on seq).
  const from = checkpoint.id === LAST_ID ? checkpoint.seq + 1 : checkpoint.seq;
  const remembered = memory?.answer(session, now, tables, from);
  if (remembered) return remembered;
  const mark = memory?.mark(session.districtId, tables);
  const [row] = await db.query<Record<string, string | Date | null>>(gateSql(tables), [session.districtId, session.accountId, session.sessionId, now]);
  const liveUntil = row?.live_until == null ? null : new Date(row.live_until);
  const heads = tables.map((_, i) => (row?.[`h${i}`] == null ? null : Number(row[`h${i}`])));
  if (memory && mark) memory.learn(session, tables, mark, liveUntil, heads);
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
