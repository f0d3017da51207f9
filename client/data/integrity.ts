/**
 * The device proves it holds its scope, and repairs its copy when it does not.
 *
 * After a collection catches up, the device compares the count and checksum of its live
 * documents (server/contract/sync/digest.ts) with the server's for the same user
 * (`GET /api/sync/<collection>/check`). A mismatch may only be a change that arrived meanwhile,
 * so the collection is pulled once more and compared again; if they still differ, the copy is
 * damaged (a document deleted or changed in IndexedDB by hand, a lost tombstone): the device pulls
 * the collection again from the start, puts back what is missing or changed, removes what is not
 * in its scope, and reports it (`POST /api/sync/<collection>/repaired`, kept in the account's
 * access log). PowerSync does the same per bucket.
 *
 * Repairs write through RxDB, as the server's state: the replication already holds that state as
 * the master's, so nothing is pushed back (RxDB pushes a document only when it differs from the
 * master it assumes).
 */
import { getChangedDocumentsSince } from 'rxdb';
import { DigestSum, documentHash, type CollectionDigest, type RepairReport } from '../../server/contract/sync/digest.ts';
import { PULL_BATCH_SIZE, pullPath } from '../../server/contract/sync/paging.ts';
import { documentFromWire } from '../../server/contract/sync/wire.ts';
import type { PullResponse, SyncCheckpoint } from '../../server/contract/sync/students.ts';
import type { Fetcher } from './api.ts';
import type { CollectionName, HomeroomDatabase } from './database.ts';
import { yieldToMain } from '../lib/yield-to-main.ts';

type Doc = { id: string; _deleted?: boolean };

/** Every document of the device's copy, the deleted ones too, read from storage (not RxDB's caches). */
async function storedDocuments(db: HomeroomDatabase, name: CollectionName): Promise<Map<string, Doc>> {
  const { documents } = await getChangedDocumentsSince(db[name].storageInstance as never, Number.MAX_SAFE_INTEGER);
  return new Map((documents as unknown as Doc[]).map((doc) => [doc.id, doc]));
}

async function serverDigest(fetcher: Fetcher, name: CollectionName, version: number): Promise<CollectionDigest> {
  const response = await fetcher(`/api/sync/${name}/check?v=${version}`, {});
  if (!response.ok) throw new Error(`check ${name}: ${response.status}`);
  return (await response.json()) as CollectionDigest;
}

/** What a pull from the start sends this user now: their scope's live documents. */
async function serverDocuments(db: HomeroomDatabase, fetcher: Fetcher, name: CollectionName, version: number): Promise<Map<string, Doc>> {
  const live = new Map<string, Doc>();
  // As the replication stores them: compact ids restored, blanks put back, a composite key (scores') composed.
  const stored = documentFromWire(db[name].schema.jsonSchema as never);
  let checkpoint: SyncCheckpoint | null = null;
  for (;;) {
    const response = await fetcher(pullPath(name, version, PULL_BATCH_SIZE, checkpoint), {});
    if (!response.ok) throw new Error(`pull ${name}: ${response.status}`);
    const page = (await response.json()) as PullResponse<Doc>;
    for (const doc of page.documents.map(stored)) {
      if (doc._deleted) live.delete(doc.id);
      else live.set(doc.id, doc);
    }
    if (page.documents.length < PULL_BATCH_SIZE || !page.checkpoint) return live;
    checkpoint = page.checkpoint;
  }
}

function same(a: CollectionDigest, b: CollectionDigest): boolean {
  return a.count === b.count && a.checksum === b.checksum;
}

/** Documents read and hashed at a time: a phone's main thread stays free between pages. */
const DIGEST_PAGE = 200;

/**
 * The digest of the device's live documents of `name`, read from storage a page at a time with
 * the page free to paint and answer in between (a family's device proves its copy at every app
 * start, beside the screen it opens).
 */
async function storedDigest(db: HomeroomDatabase, name: CollectionName): Promise<CollectionDigest> {
  const digest = new DigestSum();
  let checkpoint: unknown;
  for (;;) {
    const page = await getChangedDocumentsSince(db[name].storageInstance as never, DIGEST_PAGE, checkpoint as never);
    for (const doc of page.documents as unknown as Doc[]) digest.add(doc);
    if (page.documents.length < DIGEST_PAGE) return digest.result();
    checkpoint = page.checkpoint;
    await yieldToMain();
  }
}

/** Whether the device's live documents of `name` are the server's for this user. */
export async function holdsScope(db: HomeroomDatabase, fetcher: Fetcher, name: CollectionName, version = db[name].schema.version): Promise<boolean> {
  const [local, server] = await Promise.all([storedDigest(db, name), serverDigest(fetcher, name, version)]);
  return same(local, server);
}

/**
 * Pulls `name` from the start and makes the device's copy the server's: puts back missing and
 * changed documents, removes live ones outside the user's scope. Returns what it found.
 */
export async function repairCollection(db: HomeroomDatabase, fetcher: Fetcher, name: CollectionName, version = db[name].schema.version): Promise<RepairReport> {
  const [server, local] = await Promise.all([serverDocuments(db, fetcher, name, version), storedDocuments(db, name)]);
  const report: RepairReport = { missing: 0, changed: 0, extra: 0 };
  const put: Doc[] = [];
  for (const [id, doc] of server) {
    const held = local.get(id);
    if (!held || held._deleted) report.missing += 1;
    else if (documentHash(held) !== documentHash(doc)) report.changed += 1;
    else continue;
    const { _deleted, ...data } = doc;
    put.push(data);
  }
  const extra = [...local.values()].filter((doc) => !doc._deleted && !server.has(doc.id)).map((doc) => doc.id);
  report.extra = extra.length;
  const collection = db[name] as unknown as { bulkUpsert(docs: Doc[]): Promise<unknown>; bulkRemove(ids: string[]): Promise<unknown> };
  if (put.length > 0) await collection.bulkUpsert(put);
  if (extra.length > 0) await collection.bulkRemove(extra);
  return report;
}

export interface VerifyOptions {
  fetcher: Fetcher;
  /** Pulls the collection once more and resolves when it is idle (a change may have arrived meanwhile). */
  catchUp: () => Promise<void>;
  version?: number;
}

/**
 * Checks the collection, catching up once before calling a mismatch damage; repairs and reports
 * damage. Resolves with the report, or null when the copy was whole. Offline: rejects.
 */
export async function verifyCollection(db: HomeroomDatabase, name: CollectionName, options: VerifyOptions): Promise<RepairReport | null> {
  const version = options.version ?? db[name].schema.version;
  if (await holdsScope(db, options.fetcher, name, version)) return null;
  await options.catchUp();
  if (await holdsScope(db, options.fetcher, name, version)) return null;
  const report = await repairCollection(db, options.fetcher, name, version);
  console.warn(`Homeroom: this device's copy of ${name} differed from the server's and was repaired`, report);
  await options.fetcher(`/api/sync/${name}/repaired`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(report),
  });
  return report;
}
