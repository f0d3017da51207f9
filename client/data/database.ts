/**
 * The device's RxDB database: one per signed-in account, holding every synced collection.
 * The storage is an argument: IndexedDB (Dexie) in the app, memory in kiosk mode and tests.
 * This module and everything it imports load after sign-in (see local-data.ts): RxDB is most
 * of the app's weight and the sign-in screen must not wait for it.
 */
import { addRxPlugin, createRxDatabase, type RxCollection, type RxCollectionCreator, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBLeaderElectionPlugin } from 'rxdb/plugins/leader-election';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { assignmentSchema, type AssignmentDocument } from '../../server/contract/sync/assignments.ts';
import { feeSchema, type FeeDocument } from '../../server/contract/sync/fees.ts';
import { gradeSchema, type GradeDocument } from '../../server/contract/sync/grades.ts';
import { healthSchema, type HealthDocument } from '../../server/contract/sync/health.ts';
import { attendanceCollection } from './attendance.ts';
import { pulledCollection, type AnySyncedCollection, type DocumentOf, type SyncedCollection } from './collection.ts';
import { messagesCollection } from './messages.ts';
import { markPending } from './outbox.ts';
import { profileCollection } from './profile.ts';
import { requestsCollection } from './requests.ts';
import { scoresCollection } from './scores.ts';
import { sectionsCollection } from './sections.ts';
import { yieldToMain } from '../lib/yield-to-main.ts';
import { studentsCollection } from './students.ts';

/**
 * Every synced collection, one entry each (collection.ts: schema from the server's contract,
 * migration strategies, pushed or pulled only, conflict handler), added by `createDatabase`.
 * The server serves each at /api/sync/<name>/ (server/sync/registry.ts).
 */
export const collections = {
  students: studentsCollection,
  sections: sectionsCollection,
  attendance: attendanceCollection,
  assignments: pulledCollection<AssignmentDocument>(assignmentSchema),
  scores: scoresCollection,
  grades: pulledCollection<GradeDocument>(gradeSchema),
  health: pulledCollection<HealthDocument>(healthSchema),
  fees: pulledCollection<FeeDocument>(feeSchema),
  messages: messagesCollection,
  requests: requestsCollection,
  profile: profileCollection,
} satisfies Record<string, AnySyncedCollection>;

export type CollectionName = keyof typeof collections;
export type HomeroomCollections = { [Name in CollectionName]: RxCollection<DocumentOf<(typeof collections)[Name]>> };
export type HomeroomDatabase = RxDatabase<HomeroomCollections>;

export const collectionNames = Object.keys(collections) as CollectionName[];

/** The collections the device writes too (its changes are pushed). */
export const pushedCollectionNames = collectionNames.filter((name) => collections[name].pushable);

/**
 * RxDB's open core opens at most 13 collections per tab, its own state collections included;
 * we keep two spare (a second database during a test, a future state collection).
 */
export const MAX_COLLECTIONS = 11;

/** Refuses a database of more collections than RxDB's open core can open at once. */
export function checkCollectionCount(count: number): void {
  if (count > MAX_COLLECTIONS) throw new RangeError(`${count} collections: at most ${MAX_COLLECTIONS} fit in one tab (RxDB open core)`);
}

/** What RxDB's `addCollections` takes for one definition. */
function collectionCreator<Doc>(definition: SyncedCollection<Doc>): RxCollectionCreator<Doc> {
  const { schema, migrationStrategies } = definition;
  return definition.pushable ? { schema, migrationStrategies, conflictHandler: definition.conflictHandler } : { schema, migrationStrategies };
}

/** Every database of ours starts so (local-data.ts sweeps IndexedDB by it at sign-out). */
export const DATABASE_PREFIX = 'homeroom-';

/** One database per account, so two people on one computer never share records. */
export function databaseName(accountId: string): string {
  return `${DATABASE_PREFIX}${accountId.toLowerCase()}`;
}

export type StorageKind = 'indexeddb' | 'memory';

/**
 * The storage for `kind`. In development and tests every write (pulled documents and
 * tombstones included) is checked against its collection's JSON schema with ajv, as dev-mode
 * requires. Builds skip the check, as RxDB advises for data replicated from a server that
 * validates: ajv compiles schemas with `new Function`, which the app's content security
 * policy (`script-src 'self'`) refuses, and it would add 39 KB (gzip) to the data layer.
 */
export async function createStorage(kind: StorageKind): Promise<RxStorage<unknown, unknown>> {
  const storage: RxStorage<unknown, unknown> = kind === 'memory' ? getRxStorageMemory() : getRxStorageDexie();
  if (!import.meta.env.DEV) return storage;
  const { wrappedValidateAjvStorage } = await import('rxdb/plugins/validate-ajv');
  return wrappedValidateAjvStorage({ storage });
}

let pluginsAdded: Promise<void> | undefined;

function addPlugins(): Promise<void> {
  pluginsAdded ??= (async () => {
    // Dev-mode checks schemas and queries; builds leave it out (it is slow and deep-freezes documents).
    if (import.meta.env.DEV) {
      const devMode = await import('rxdb/plugins/dev-mode');
      devMode.disableWarnings();
      addRxPlugin(devMode.RxDBDevModePlugin);
    }
    addRxPlugin(RxDBLeaderElectionPlugin);
    addRxPlugin(RxDBLocalDocumentsPlugin);
    addRxPlugin(RxDBMigrationSchemaPlugin);
  })();
  return pluginsAdded;
}

export interface DatabaseOptions {
  name: string;
  /** Shared between the tabs of this browser (IndexedDB); false for memory storage. */
  multiInstance?: boolean;
  /** Tests only: a second instance of the same database in one page, as another tab would open. */
  ignoreDuplicate?: boolean;
  /**
   * Tests only: open just these collections. The open core's 13 collections count across
   * every database of a tab, so a second database beside the account's needs to be small.
   */
  only?: readonly CollectionName[];
}

/**
 * Opens (or creates) the database and adds every collection, migrating stored documents of
 * an older schema version with the collection's migration strategies.
 */
export async function createDatabase(storage: RxStorage<unknown, unknown>, options: DatabaseOptions): Promise<HomeroomDatabase> {
  const names = options.only ?? collectionNames;
  checkCollectionCount(names.length);
  await addPlugins();
  const db = await createRxDatabase<HomeroomCollections>({
    name: options.name,
    storage,
    multiInstance: options.multiInstance ?? true,
    ignoreDuplicate: options.ignoreDuplicate ?? false,
    // Small per-device documents (when each collection last synced) that every tab sees.
    localDocuments: true,
  });
  try {
    // One collection per task: all at once held a phone's main thread for one long stretch.
    for (const name of names) {
      await yieldToMain();
      await db.addCollections({ [name]: collectionCreator<unknown>(collections[name] as SyncedCollection<unknown>) } as never);
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  for (const name of names) if (collections[name].pushable) markWritesWaiting(db, name);
  return db;
}

/**
 * A document the user writes is in the outbox (outbox.ts) before the write is stored, so no
 * screen reads it as saved at the school while the push has not even started. RxDB runs these
 * hooks for writes through the collection and its documents, never for what replication writes.
 */
function markWritesWaiting(db: HomeroomDatabase, name: CollectionName): void {
  const collection = db[name] as unknown as RxCollection<{ id: string }>;
  const wait = (data: { id: string }) => markPending(db, name, [data.id]);
  collection.preInsert(wait, false);
  collection.preSave(wait, false);
  collection.preRemove(wait, false);
}
