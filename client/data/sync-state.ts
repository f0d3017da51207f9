/**
 * What the device knows about its own syncing, per collection, kept as RxDB local documents:
 * the tab that syncs writes them, every tab sees them, and they go with the database at
 * sign-out. Screens use them to say when their records were last synced, and whether the
 * device's changes are waiting or were turned down (with outbox.ts).
 */
import { combineLatest, map, type Observable } from 'rxjs';
import type { RxLocalDocument } from 'rxdb/plugins/local-documents';
import type { CollectionName, HomeroomDatabase } from './database.ts';
import { observeOutbox } from './outbox.ts';

export interface SyncState {
  /** When a pull last ended with the collection up to date (ms since the epoch); null before the first. */
  lastSyncedAt: number | null;
  /** The server no longer syncs with this version of the app: it must update first. */
  updateRequired: boolean;
}

export type SyncStateDocument = RxLocalDocument<HomeroomDatabase, SyncState>;

export const neverSynced: SyncState = { lastSyncedAt: null, updateRequired: false };

function syncStateId(collection: CollectionName): string {
  return `sync-${collection}`;
}

/** The local document, or null before the collection first synced on this device. */
export function observeSyncState(db: HomeroomDatabase, collection: CollectionName): Observable<SyncStateDocument | null> {
  return db.getLocal$<SyncState>(syncStateId(collection));
}

/** Plain data from what `observeSyncState` emits. */
export function readSyncState(document: SyncStateDocument | null | undefined): SyncState {
  if (!document) return neverSynced;
  const { lastSyncedAt, updateRequired } = document.toJSON().data;
  return { lastSyncedAt: typeof lastSyncedAt === 'number' ? lastSyncedAt : null, updateRequired: updateRequired === true };
}

export async function getSyncState(db: HomeroomDatabase, collection: CollectionName): Promise<SyncState> {
  return readSyncState(await db.getLocal<SyncState>(syncStateId(collection)));
}

/** A pull just ended with nothing left to fetch. */
export async function recordSynced(db: HomeroomDatabase, collection: CollectionName, at: number): Promise<void> {
  await db.upsertLocal<SyncState>(syncStateId(collection), { lastSyncedAt: at, updateRequired: false });
}

/** The server answered 426: this app is too old to sync the collection. */
export async function recordUpdateRequired(db: HomeroomDatabase, collection: CollectionName): Promise<void> {
  const { lastSyncedAt } = await getSyncState(db, collection);
  await db.upsertLocal<SyncState>(syncStateId(collection), { lastSyncedAt, updateRequired: true });
}

/** The device's syncing in one line, for the app's status bar. */
export interface SyncSummary {
  /** When every collection was last up to date at once: the oldest of their times; null until all have synced. */
  lastSyncedAt: number | null;
  updateRequired: boolean;
  /** A collection's pushes are being turned down as a whole (see Outbox.rejectedStatus). */
  pushRejected: boolean;
  /** Changes made here that the server has not yet taken. */
  pending: number;
  /** Changes the server turned down that the user has not dismissed. */
  refused: number;
}

/**
 * Reads the collection names from the open database, not from database.ts, so that screens
 * importing this module do not carry RxDB (pulled-only collections have an empty outbox).
 */
export function observeSyncSummary(db: HomeroomDatabase): Observable<SyncSummary> {
  const names = Object.keys(db.collections) as CollectionName[];
  const states = combineLatest(names.map((name) => observeSyncState(db, name).pipe(map(readSyncState))));
  const outboxes = combineLatest(names.map((name) => observeOutbox(db, name)));
  return combineLatest([states, outboxes]).pipe(
    map(([synced, sending]) => ({
      lastSyncedAt: synced.some((state) => state.lastSyncedAt === null) ? null : Math.min(...synced.map((state) => state.lastSyncedAt!)),
      updateRequired: synced.some((state) => state.updateRequired),
      pushRejected: sending.some((outbox) => outbox.rejectedStatus !== null),
      pending: sending.reduce((total, outbox) => total + outbox.pending.length, 0),
      refused: sending.reduce((total, outbox) => total + outbox.refused.length, 0),
    })),
  );
}

/** When the device was last up to date in every collection (null until it has been). */
export function observeLastSynced(db: HomeroomDatabase): Observable<number | null> {
  return observeSyncSummary(db).pipe(map((summary) => summary.lastSyncedAt));
}
