/**
 * Deleting IndexedDB databases outright. RxDB's Dexie storage empties its tables when a
 * database is removed but leaves the IndexedDB databases behind, and their names carry the
 * account's id: sign-out deletes them too, so nothing says who used this device.
 */

/** RxDB's Dexie storage names each IndexedDB database `rxdb-dexie-<database>--<version>--<collection>`. */
export const RXDB_DEXIE_PREFIX = 'rxdb-dexie-';

/** Names of this origin's IndexedDB databases that start with `prefix` (none where the browser cannot list them). */
export async function indexedDbNames(prefix: string): Promise<string[]> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return [];
  const databases = await indexedDB.databases().catch(() => []);
  return databases.map((info) => info.name).filter((name): name is string => typeof name === 'string' && name.startsWith(prefix));
}

/**
 * Deletes the databases named, and every database whose name starts with `prefix` (Firefox
 * before 126 cannot list them: there only the named ones go). Resolves when each is deleted,
 * or blocked by a connection another tab still holds (deleted as soon as it lets go).
 */
export async function deleteIndexedDbs(prefix: string, names: readonly string[] = []): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  const all = new Set([...names, ...(await indexedDbNames(prefix))]);
  await Promise.all(
    [...all].map(
      (name) =>
        new Promise<void>((resolve) => {
          const request = indexedDB.deleteDatabase(name);
          request.onsuccess = request.onerror = request.onblocked = () => resolve();
        }),
    ),
  );
}
