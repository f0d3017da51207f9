/**
 * The pull pager every collection shares: documents in (effective seq, id) order after the
 * device's checkpoint, and the pull's base, so a first sync carries no tombstones.
 *
 * A device that starts from nothing gets a base: the district's last committed seq at its
 * first pull (`committed_seq`, migration 0011). A document hidden from the user (a revoked
 * grant, a record outside a staff window, a deletion) whose effective seq is at or below the
 * base was hidden before the device began, and anything that changes it or its grants raises
 * its seq above the base: the device never held it, so its tombstone is not sent. Once the
 * checkpoint passes the base, every tombstone after it is sent as before.
 *
 * Every puller's scope is access_grants: its SQL binds `$1` district, `$2` person, `$3` today,
 * `$4` seq, `$5` id, `$6` limit and `$7` base (`grantedPullParams`, `GRANTED_PAGE`).
 */
import type { Principal } from '../access/principal.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable } from '../db/store.ts';
import { NO_ID } from '../domain/ids.ts';
import { RunningAnswers } from './running-answers.ts';

/** The WHERE condition of a page: after the checkpoint, and hidden documents only when they are newer than the base. */
export function pageAfter(seq: string, id: string, visible: string, params: { seq: number; id: number; base: number }): string {
  return `(${seq} > $${params.seq} OR (${seq} = $${params.seq} AND ${id} > $${params.id}::uuid)) AND (${visible} OR ${seq} > $${params.base})`;
}

/**
 * The base of this pull: the checkpoint's, or on a first pull the district's last committed seq.
 * First pulls side by side (a device's first sync sends every collection's at once) share one
 * read: a base read a moment earlier was still read before each of their pages, and an earlier
 * base only counts fewer hidden documents as hidden before the device began, so it may send a
 * tombstone more, never one less.
 */
export function pullBase(db: Queryable, principal: Principal, checkpoint: SyncCheckpoint | null): Promise<number> {
  if (checkpoint) return Promise.resolve(checkpoint.base ?? 0);
  let reading = readingBase.get(db);
  if (!reading) readingBase.set(db, (reading = new RunningAnswers()));
  return reading.answer(principal.districtId, undefined, async () => {
    const [row] = await db.query<{ base: string }>('SELECT committed_seq($1)::text AS base', [principal.districtId]);
    return Number(row?.base ?? 0);
  });
}

/** Bases being read now, by store and district. */
const readingBase = new WeakMap<Queryable, RunningAnswers<string, number>>();

/**
 * The checkpoint after a page: its last document's place, carrying the base on. A first pull
 * that finds nothing still answers a checkpoint (the start, with its base), so the device's next
 * "anything new?" does not ask for a base again: an empty collection costs no extra round trip.
 */
export function nextCheckpoint(rows: ReadonlyArray<{ eff_seq: number | string; id: string }>, checkpoint: SyncCheckpoint | null, base: number): SyncCheckpoint | null {
  const last = rows.at(-1);
  if (!last) return checkpoint ?? (base > 0 ? { seq: 0, id: NO_ID, base } : null);
  return base > 0 ? { seq: Number(last.eff_seq), id: last.id, base } : { seq: Number(last.eff_seq), id: last.id };
}

/** Where `pageAfter` finds the checkpoint and base among `grantedPullParams`. */
export const GRANTED_PAGE = { seq: 4, id: 5, base: 7 } as const;

/** The parameters of a puller whose scope is access_grants, in order (see the top of this file). */
export function grantedPullParams(principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number, base: number): [string, string, string, number, string, number, number] {
  return [principal.districtId, principal.personId, today, checkpoint?.seq ?? 0, checkpoint?.id ?? NO_ID, limit, base];
}

/**
 * One page of a puller whose scope is access_grants: `documents` is its SQL up to and including a
 * `documents` common table expression (rows with `id`, `eff_seq` and `visible`), binding the
 * parameters of `grantedPullParams`; the page is those after the checkpoint, in order.
 */
export async function grantedPage<Row extends { id: string; eff_seq: number | string }>(
  db: Queryable,
  principal: Principal,
  today: string,
  checkpoint: SyncCheckpoint | null,
  limit: number,
  documents: string,
): Promise<{ rows: Row[]; checkpoint: SyncCheckpoint | null }> {
  const base = await pullBase(db, principal, checkpoint);
  const rows = await db.query<Row>(
    `${documents}\n SELECT * FROM documents WHERE ${pageAfter('eff_seq', 'id', 'visible', GRANTED_PAGE)} ORDER BY eff_seq, id LIMIT $6`,
    grantedPullParams(principal, today, checkpoint, limit, base),
  );
  return { rows, checkpoint: nextCheckpoint(rows, checkpoint, base) };
}
