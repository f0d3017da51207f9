/**
 * The signed-in account's records on this device: its database and the replication that
 * fills it. Loaded with `import()` after sign-in (local-data.ts), so it carries RxDB.
 */
import { removeRxDatabase } from 'rxdb';
import type { Fetcher } from './api.ts';
import { collections, createDatabase, createStorage, databaseName, type HomeroomDatabase, type StorageKind } from './database.ts';
import { deleteIndexedDbs, RXDB_DEXIE_PREFIX } from './indexed-db.ts';
import { startSync, type SyncEngine, type SyncOptions } from './replication.ts';
import { whenIdle } from '../lib/yield-to-main.ts';

export interface DataLayer {
  readonly accountId: string;
  readonly db: HomeroomDatabase;
  readonly sync: SyncEngine;
  /** Where the records are kept: IndexedDB, or memory (kiosk, or IndexedDB unavailable). */
  readonly storage: StorageKind;
  /** Stops syncing and closes the database; the records stay for the next visit. */
  close(): Promise<void>;
  /** Stops syncing and deletes every record of the account from the device. */
  remove(): Promise<void>;
}

export interface DataLayerOptions extends Omit<SyncOptions, 'fetcher'> {
  accountId: string;
  fetcher: Fetcher;
  storage: StorageKind;
  /** Hears of the open database before its sync starts, so screens can read what the device holds first. */
  onOpen?: (db: HomeroomDatabase) => void;
}

async function openDatabase(accountId: string, storage: StorageKind): Promise<{ db: HomeroomDatabase; storage: StorageKind }> {
  const name = databaseName(accountId);
  if (storage === 'indexeddb') {
    try {
      return { db: await createDatabase(await createStorage('indexeddb'), { name }), storage };
    } catch (error) {
      // Private windows of some browsers refuse IndexedDB: work from memory rather than not at all.
      console.warn('Homeroom: IndexedDB unavailable, keeping records in memory only', error);
    }
  }
  // Memory is this tab's alone: no other tab to share it with, so no leader to elect.
  return { db: await createDatabase(await createStorage('memory'), { name, multiInstance: false }), storage: 'memory' };
}

/** A newer app is likely published: fetch it now, so the shell's update prompt comes sooner. */
function checkForAppUpdate(): void {
  if (!('serviceWorker' in navigator)) return;
  void navigator.serviceWorker
    .getRegistration()
    .then((registration) => registration?.update())
    .catch(() => undefined); // offline, or no worker (development): the hourly check will do
}

/**
 * The IndexedDB databases RxDB's Dexie storage keeps for `db`, for browsers that cannot list
 * them: `<version>--<storage>` per collection, its local documents and replication state, and
 * the database's own.
 */
export async function knownIndexedDbNames(db: HomeroomDatabase, sync: SyncEngine): Promise<string[]> {
  const name = (version: number, storage: string) => `${RXDB_DEXIE_PREFIX}${db.name}--${version}--${storage}`;
  const names = [name(0, '_rxdb_internal'), name(0, 'plugin-local-documents-')];
  // From the definitions, not `db.collections`: a closed database has none left.
  for (const [collection, replication] of sync.replications) {
    const version = collections[collection].schema.version;
    names.push(name(version, collection), name(0, `plugin-local-documents-${collection}`));
    names.push(name(version, (await replication.metaInfoPromise).collectionName));
  }
  return names;
}

export async function openDataLayer(options: DataLayerOptions): Promise<DataLayer> {
  const { db, storage } = await openDatabase(options.accountId, options.storage);
  if (storage === 'indexeddb') {
    // Safari deletes IndexedDB of sites unused for 7 days unless storage is persistent.
    void navigator.storage?.persist?.().catch(() => false);
  }
  options.onOpen?.(db);
  // The screen's first reads and renders go first; the eleven replications start when the page is idle.
  await whenIdle(1000);
  const sync = startSync(db, { onUpdateRequired: checkForAppUpdate, ...options });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= sync.cancel());
  return {
    accountId: options.accountId,
    db,
    sync,
    storage,
    async close() {
      await stop();
      if (!db.closed) await db.close();
    },
    async remove() {
      const indexedDbs = storage === 'indexeddb' ? await knownIndexedDbNames(db, sync) : [];
      await stop();
      if (db.closed) await removeRxDatabase(db.name, db.storage, db.multiInstance);
      else await db.remove();
      // RxDB has emptied them; the databases themselves (named after the account) go too.
      if (storage === 'indexeddb') await deleteIndexedDbs(`${RXDB_DEXIE_PREFIX}${db.name}--`, indexedDbs);
    },
  };
}
