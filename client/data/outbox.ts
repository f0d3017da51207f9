/**
 * The device's writes on their way to the server, per pushed collection, for screens to show
 * "waiting to send" and "not saved: <reason>". Kept as an RxDB local document, like
 * sync-state.ts: the syncing tab updates it from the push (replication.ts), every tab sees
 * it, and it goes with the database at sign-out.
 *
 * - pending: documents written here whose latest state the server has not yet taken (offline,
 *   or the push still on its way). A document leaves when the server takes it, or settles a
 *   conflict on its own version.
 * - refused: writes the server turned down, with its reason (server/contract/sync/refusals.ts)
 *   and the server's record, or the device's attempt when the server has none (a refused new
 *   mark is removed from the device, so its refusal is kept here to be shown).
 * - rejectedStatus: the server turned down a whole push (a 4xx other than 401 and 426, which
 *   no retry would change); its rows are among the refused. Null once it takes one again.
 */
import { map, type Observable } from 'rxjs';
import type { RxLocalDocument } from 'rxdb/plugins/local-documents';
import { SYNC_REFUSALS, type SyncRefusal } from '../../server/contract/sync/refusals.ts';
import type { TranslationKey } from '../app/i18n.ts';
import type { CollectionName, HomeroomDatabase } from './database.ts';

export interface RefusedWrite {
  id: string;
  /** Why, in the server's words: a code of SYNC_REFUSALS (or a newer server's we do not know). */
  code: string;
  /** When the refusal arrived (ms since the epoch). */
  at: number;
  /** The server's record; the device's own attempt, marked deleted, when the server has none. */
  document: Record<string, unknown>;
}

export interface Outbox {
  pending: string[];
  /** Newest first, at most MAX_REFUSED. */
  refused: RefusedWrite[];
  /** The HTTP status of the last push turned down as a whole; null when the last push was taken. */
  rejectedStatus: number | null;
}

/** Older refusals fall off: the list is for the user to notice, not a log. */
export const MAX_REFUSED = 100;

export const emptyOutbox: Outbox = { pending: [], refused: [], rejectedStatus: null };

function outboxId(collection: CollectionName): string {
  return `outbox-${collection}`;
}

function isRefusedWrite(value: unknown): value is RefusedWrite {
  const entry = value as Partial<RefusedWrite> | null;
  return typeof entry === 'object' && entry !== null && typeof entry.id === 'string' && typeof entry.code === 'string' && typeof entry.at === 'number' && typeof entry.document === 'object' && entry.document !== null;
}

function checkedOutbox(data: unknown): Outbox {
  const { pending, refused, rejectedStatus } = (data ?? {}) as Partial<Outbox>;
  return {
    pending: Array.isArray(pending) ? pending.filter((id): id is string => typeof id === 'string') : [],
    refused: Array.isArray(refused) ? refused.filter(isRefusedWrite) : [],
    rejectedStatus: typeof rejectedStatus === 'number' ? rejectedStatus : null,
  };
}

/** Plain, checked data from what the local document holds. */
export function readOutbox(document: RxLocalDocument<HomeroomDatabase, Outbox> | null | undefined): Outbox {
  return document ? checkedOutbox(document.toJSON().data) : emptyOutbox;
}

export function observeOutbox(db: HomeroomDatabase, collection: CollectionName): Observable<Outbox> {
  return db.getLocal$<Outbox>(outboxId(collection)).pipe(map(readOutbox));
}

export async function getOutbox(db: HomeroomDatabase, collection: CollectionName): Promise<Outbox> {
  return readOutbox(await db.getLocal<Outbox>(outboxId(collection)));
}

/** The refusal of one document, if the server turned down its last write. */
export function refusalOf(outbox: Outbox, id: string): RefusedWrite | undefined {
  return outbox.refused.find((entry) => entry.id === id);
}

export function isKnownRefusal(code: string): code is SyncRefusal {
  return (SYNC_REFUSALS as readonly string[]).includes(code);
}

/**
 * The translation key of a refusal's reason (locales/<lang>/sync.json, namespace `sync`);
 * a code this version does not know yet reads as a general refusal.
 */
export function refusalKey(code: string): TranslationKey {
  return isKnownRefusal(code) ? `sync:refused.${code}` : 'sync:status.refusedOther';
}

/**
 * Applies `change` to the stored outbox (null from `change`: nothing to write). Other tabs
 * may write it too (dismissing a refusal): RxDB retries the change on the newest version.
 */
async function modifyOutbox(db: HomeroomDatabase, collection: CollectionName, change: (outbox: Outbox) => Outbox | null): Promise<void> {
  if (db.closed) return;
  const id = outboxId(collection);
  for (let attempt = 0; attempt < 3; attempt++) {
    const stored = await db.getLocal<Outbox>(id);
    if (stored) {
      if (change(readOutbox(stored)) === null) return;
      await stored.incrementalModify((data) => change(checkedOutbox(data)) ?? data);
      return;
    }
    const created = change(emptyOutbox);
    if (created === null) return;
    try {
      await db.insertLocal<Outbox>(id, created);
      return;
    } catch (error) {
      if ((error as { status?: number }).status !== 409) throw error; // another tab created it first
    }
  }
}

function without<T>(list: readonly T[], drop: (item: T) => boolean): T[] | null {
  const kept = list.filter((item) => !drop(item));
  return kept.length === list.length ? null : kept;
}

/** These documents are being sent: they wait until the server answers. */
export function markPending(db: HomeroomDatabase, collection: CollectionName, ids: readonly string[]): Promise<void> {
  return modifyOutbox(db, collection, (outbox) => {
    const added = ids.filter((id) => !outbox.pending.includes(id));
    return added.length === 0 ? null : { ...outbox, pending: [...outbox.pending, ...added] };
  });
}

/**
 * The server took these documents, or settled their conflict on its own version: nothing is
 * waiting for them any more, and an earlier refusal no longer stands.
 */
export function markSent(db: HomeroomDatabase, collection: CollectionName, ids: readonly string[]): Promise<void> {
  const done = new Set(ids);
  return modifyOutbox(db, collection, (outbox) => {
    const pending = without(outbox.pending, (id) => done.has(id));
    const refused = without(outbox.refused, (entry) => done.has(entry.id));
    return pending === null && refused === null ? null : { ...outbox, pending: pending ?? outbox.pending, refused: refused ?? outbox.refused };
  });
}

/**
 * These documents no longer wait (the device already matches the server), but a refusal the
 * server gave stays to be read: the idle check runs on a list of waiting ids that may be older
 * than a refusal that has just arrived, and must not wipe it.
 */
export function markSettled(db: HomeroomDatabase, collection: CollectionName, ids: readonly string[]): Promise<void> {
  const done = new Set(ids);
  return modifyOutbox(db, collection, (outbox) => {
    const pending = without(outbox.pending, (id) => done.has(id));
    return pending === null ? null : { ...outbox, pending };
  });
}

/** The server turned these writes down: they no longer wait, and say why. */
export function markRefused(db: HomeroomDatabase, collection: CollectionName, refusals: readonly RefusedWrite[]): Promise<void> {
  const ids = new Set(refusals.map((entry) => entry.id));
  return modifyOutbox(db, collection, (outbox) => ({
    ...outbox,
    pending: outbox.pending.filter((id) => !ids.has(id)),
    refused: [...refusals, ...outbox.refused.filter((entry) => !ids.has(entry.id))].slice(0, MAX_REFUSED),
  }));
}

/** The server turned down a whole push with `status`, or (null) took one. */
export function markRejected(db: HomeroomDatabase, collection: CollectionName, status: number | null): Promise<void> {
  return modifyOutbox(db, collection, (outbox) => (outbox.rejectedStatus === status ? null : { ...outbox, rejectedStatus: status }));
}

/** The user has read the refusal: it goes from the list (the record stays as the server has it). */
export function dismissRefusal(db: HomeroomDatabase, collection: CollectionName, id: string): Promise<void> {
  return modifyOutbox(db, collection, (outbox) => {
    const refused = without(outbox.refused, (entry) => entry.id === id);
    return refused === null ? null : { ...outbox, refused };
  });
}
