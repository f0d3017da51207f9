/**
 * The signed-in person's records on this device, for the rest of the app: opens the data
 * layer after sign-in (a separate chunk: RxDB), hands its database to the views that observe
 * it, and removes everything at sign-out, in this tab and in the others. Light on purpose:
 * the app shell imports this module, and it imports RxDB only through `import()`.
 */
import { yieldToMain } from '../lib/yield-to-main.ts';
import type { DataLayer } from './data-layer.ts';
import type { HomeroomDatabase, StorageKind } from './database.ts';
import { deleteIndexedDbs, RXDB_DEXIE_PREFIX } from './indexed-db.ts';
import { authorizedFetch, currentMe, onSignOutWipe, subscribeSession } from './session.ts';
import { onSharedDevice } from './shared-device.ts';

export type DatabaseListener = (db: HomeroomDatabase | undefined) => void;

interface OpenLayer {
  accountId: string;
  layer: Promise<DataLayer | undefined>;
}

let current: OpenLayer | undefined;
let database: HomeroomDatabase | undefined;
let started = false;
const listeners = new Set<DatabaseListener>();

function notify(): void {
  for (const listener of [...listeners]) listener(database);
}

/** Memory on shared computers (kiosks, "not my device": nothing outlives the page), IndexedDB on the person's own. */
export function deviceStorageKind(): StorageKind {
  if (onSharedDevice()) return 'memory';
  try {
    localStorage.getItem('homeroom.lang');
    return 'indexeddb';
  } catch {
    return 'memory'; // storage blocked: IndexedDB will be too
  }
}

/**
 * The data layer's code, run a part per task: RxDB's Dexie storage (Dexie is a third of it), then
 * RxDB with the collections, then replication. One import ran it all in one long task, twice as long as a
 * phone may hold the main thread; each part is also its own chunk for the browser's code cache.
 */
async function importDataLayer(): Promise<typeof import('./data-layer.ts')> {
  await import('rxdb/plugins/storage-dexie');
  await yieldToMain();
  await import('./database.ts');
  await yieldToMain();
  return import('./data-layer.ts');
}

/**
 * Opens `accountId`'s records once `previous` (the last account's removal) is done: a tab
 * opens at most 13 collections (RxDB's open core), so two accounts' databases never fit at once.
 */
function open(accountId: string, previous: Promise<void> = Promise.resolve()): void {
  // Signed out (or someone else signed in) while it opened: whoever replaced it closes it.
  const show = (db: HomeroomDatabase | undefined): void => {
    if (current !== entry || database === db) return;
    database = db;
    notify();
  };
  const entry: OpenLayer = {
    accountId,
    layer: previous
      .then(importDataLayer)
      // Views read the records as soon as the database is open, before its sync starts.
      .then(({ openDataLayer }) => openDataLayer({ accountId, fetcher: authorizedFetch, storage: deviceStorageKind(), onOpen: show }))
      .catch((error: unknown) => {
        console.error('Homeroom: the local database could not be opened', error);
        show(undefined);
        return undefined;
      }),
  };
  current = entry;
  void entry.layer.then((layer) => {
    if (layer) show(layer.db);
  });
}

/** Stops syncing and deletes the open account's records from the device. */
async function removeOpenLayer(): Promise<void> {
  const entry = current;
  current = undefined;
  if (database) {
    database = undefined;
    notify(); // views let go of their queries before the database goes away
  }
  const layer = entry ? await entry.layer : undefined;
  if (!layer) return;
  try {
    await layer.remove();
  } catch (error) {
    console.warn('Homeroom: the local database could not be removed', error);
  }
}

/** Sign-out here: nothing of the account stays on the device, even offline. */
async function wipe(): Promise<void> {
  await removeOpenLayer();
  // Any other account's databases left by an earlier visit (a crash, a closed tab) go too
  // (`homeroom-` is database.ts's DATABASE_PREFIX, not imported: that module carries RxDB).
  await deleteIndexedDbs(`${RXDB_DEXIE_PREFIX}homeroom-`);
}

/**
 * Follows the session from now on: opens the signed-in account's database, and deletes it
 * at sign-out (here, in another tab, or when the server ends the session) or when another
 * account takes over the browser. The app shell calls this once at start.
 */
export function startLocalData(): void {
  if (started) return;
  started = true;
  onSignOutWipe(wipe);
  subscribeSession((me, event) => {
    if (event === 'signed-out') {
      // The tab that signed out has already wiped; another tab lets go of (and removes) its copy.
      void removeOpenLayer();
      return;
    }
    if (!me || me.account.id === current?.accountId) return;
    // Another account took over this browser without signing the last one out: nothing of the
    // previous person's stays for the next one to find.
    open(me.account.id, removeOpenLayer());
  });
  const me = currentMe();
  if (me) open(me.account.id);
}

/** Calls `listener` with the open database now and whenever it changes (undefined: none). */
export function subscribeLocalDatabase(listener: DatabaseListener): () => void {
  listeners.add(listener);
  listener(database);
  return () => listeners.delete(listener);
}

/** The open data layer once it has opened (undefined when signed out); for tests and tools. */
export async function currentDataLayer(): Promise<DataLayer | undefined> {
  return current?.layer;
}
