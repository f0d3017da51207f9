/**
 * One push pipeline for every collection users may write. A collection says what is its own
 * (its schema check, how to load and lock the stored record, who may change it, its business
 * rules, the write and its audit values); the pipeline says the rest once, for all of them:
 * - each row in turn, in one transaction; a malformed row comes back as a tombstone with
 *   `syncError: 'invalid'`, so the device drops what no pull could have given it;
 * - a row about a record the user may read, pushed as stored (RxDB pushes a resolved conflict
 *   once more) is done; pushed with no stated state (the first push after a schema upgrade
 *   starts a new replication) it gets the stored state back to merge, never a refusal;
 * - then who may write it, a retry (same content: nothing to do), a stale assumption (the stored
 *   state back), the rules, the write and its audit;
 * - a refusal carries the stored state only to someone who may read it; else the device's copy
 *   comes back deleted (or blank, as the collection says), the same whether or not anything is
 *   stored, so a refusal never tells whether a record out of reach exists.
 * A refusal is an answer, never a thrown error: RxDB retries a thrown push forever.
 */
import { audit } from '../access/access-log.ts';
import type { Principal } from '../access/principal.ts';
import type { SyncRefusal } from '../contract/sync/refusals.ts';
import type { Queryable, Store } from '../db/store.ts';
import { refusedTombstone, type JsonSchema, tombstones } from './tombstone.ts';
import type { PushedDocument } from './pushed-document.ts';

export type Pushed<Doc> = PushedDocument<Doc>;

/** What a push may use: the transaction, who pushes, the district's day and the request's clock. */
export interface PushContext {
  tx: Queryable;
  principal: Principal;
  today: string;
  now: Date;
}

/** The stored record a row is about, as the collection loaded it: `master` is its document under the pushed id. */
export interface Loaded<Doc> {
  master: Pushed<Doc> | null;
}

/** A row of the audit trail a write leaves (who and when are the pipeline's). */
export interface AuditEntry {
  table: string;
  rowId: string;
  action: 'insert' | 'update' | 'delete';
  oldValues: Record<string, unknown> | null;
  newValues: Record<string, unknown> | null;
}

/** A refusal, or `'unchanged'` when there is nothing to do and nothing to say. */
export type Verdict = SyncRefusal | 'unchanged' | null;

export interface PushCollection<Doc extends { id: string }, Stored extends Loaded<Doc>, Changes = Record<string, never>> {
  schema: JsonSchema;
  /** The collection's pushed-document check (pushed-document.ts). */
  check: (doc: unknown) => doc is Pushed<Doc>;
  /**
   * What a refused row comes back as when the user may read nothing stored under it: her own
   * copy, deleted (the device keeps what it asked in its list of refusals), or a blank tombstone
   * (the device keeps nothing it could not pull).
   */
  unseen: 'own copy' | 'blank';
  /** Takes locks the whole batch needs before any row lock (one lock order), sets the transaction's clock. */
  begin?: (context: PushContext) => Promise<void>;
  /** The stored record the row is about (SELECT … FOR UPDATE), with whatever the rules need of it. */
  load: (context: PushContext, next: Pushed<Doc>) => Promise<Stored>;
  /** The stored document as this user may see it; null when she may not read it (or nothing is stored). */
  shown: (context: PushContext, stored: Stored, next: Pushed<Doc>) => Promise<Pushed<Doc> | null> | Pushed<Doc> | null;
  /** Everything the document says: pushed so, the row is the stored record sent back unchanged. */
  sameAsStored?: (a: Pushed<Doc>, b: Pushed<Doc>, context: PushContext) => boolean;
  /** What a push may change: equal, the row is a retry; the stated state differing, a stale assumption. */
  same: (a: Pushed<Doc>, b: Pushed<Doc>, context: PushContext) => boolean;
  /** May this user write the pushed document over the stored one? `assumed` is what the device states, unchecked. */
  authorize: (context: PushContext, stored: Stored, next: Pushed<Doc>, assumed: unknown) => Promise<Verdict> | Verdict;
  /** The business rules: a refusal, nothing to do, or what to write. */
  rules: (context: PushContext, stored: Stored, next: Pushed<Doc>) => Promise<Exclude<Verdict, null> | Changes>;
  /** Writes the row; returns what the audit trail keeps of it. */
  write: (context: PushContext, stored: Stored, next: Pushed<Doc>, changes: Changes) => Promise<AuditEntry[]>;
  /** After every row: work that follows from what was written, in the same transaction. */
  finish?: (context: PushContext, written: Array<{ stored: Stored; next: Pushed<Doc>; changes: Changes }>) => Promise<void>;
  /** Answers a malformed row; by default a blank tombstone under its id (none when it names no UUID). */
  malformed?: (context: PushContext, document: unknown) => Promise<Pushed<Doc> | null>;
}

export interface PushResult<Doc> {
  /** RxDB conflicts: the server's state of each row it did not take (refusals carry syncError). */
  conflicts: Array<Pushed<Doc>>;
  /** The pushed documents it wrote (the access log's record.write names their students). */
  written: Array<Pushed<Doc>>;
}

/** Compares with a state the device stated, which may be anything: a shape it cannot be compared in is not the same. */
function sameSafely<Doc>(same: (a: Pushed<Doc>, b: Pushed<Doc>, context: PushContext) => boolean, master: Pushed<Doc>, assumed: unknown, context: PushContext): boolean {
  if (typeof assumed !== 'object' || assumed === null || Array.isArray(assumed)) return false;
  try {
    return same(master, { ...assumed, _deleted: (assumed as { _deleted?: unknown })._deleted ?? false } as Pushed<Doc>, context);
  } catch {
    return false;
  }
}

/** Applies pushed RxDB rows of one collection in one transaction (see the header). */
export function pushPipeline<Doc extends { id: string }, Stored extends Loaded<Doc>, Changes>(collection: PushCollection<Doc, Stored, Changes>) {
  const tombstone = tombstones<Doc>(collection.schema);
  const sameAsStored = (a: Pushed<Doc>, b: Pushed<Doc>, context: PushContext) => (collection.sameAsStored ?? collection.same)(a, b, context);
  return (store: Store, principal: Principal, today: string, rows: unknown[], now: Date = new Date()): Promise<PushResult<Doc>> =>
    store.transaction(async (tx) => {
      const context: PushContext = { tx, principal, today, now };
      await collection.begin?.(context);
      const conflicts: Array<Pushed<Doc>> = [];
      const written: Array<{ stored: Stored; next: Pushed<Doc>; changes: Changes }> = [];
      for (const raw of rows) {
        const row = (typeof raw === 'object' && raw !== null ? raw : {}) as { newDocumentState?: unknown; assumedMasterState?: unknown };
        const next = row.newDocumentState;
        if (!collection.check(next)) {
          const answer = collection.malformed ? await collection.malformed(context, next) : refusedTombstone(tombstone, next);
          if (answer) conflicts.push({ ...answer, syncError: 'invalid' });
          continue;
        }
        const stored = await collection.load(context, next);
        const { master } = stored;
        const assumed = row.assumedMasterState ?? null;
        let seen: Pushed<Doc> | null | undefined;
        const shown = async () => (seen === undefined ? (seen = await collection.shown(context, stored, next)) : seen);
        const refuse = async (reason: SyncRefusal) => {
          const answer = (await shown()) ?? (collection.unseen === 'own copy' ? { ...next, _deleted: true } : tombstone(next.id));
          conflicts.push({ ...answer, syncError: reason });
        };
        // A record she may read, pushed as stored or with no stated state: done, or the stored state to merge.
        if (master && !master._deleted && (assumed === null || sameAsStored(master, next, context))) {
          const readable = await shown();
          if (readable && !readable._deleted) {
            if (!sameAsStored(readable, next, context)) conflicts.push(readable);
            continue;
          }
        }
        const allowed = await collection.authorize(context, stored, next, assumed);
        if (allowed === 'unchanged') continue;
        if (allowed) {
          await refuse(allowed);
          continue;
        }
        // A retry of a write that already landed: success, nothing to write (seq stays).
        if (master && collection.same(master, next, context)) continue;
        if (master && !sameSafely(collection.same, master, assumed, context)) {
          conflicts.push(master);
          continue;
        }
        const changes = await collection.rules(context, stored, next);
        if (changes === 'unchanged') continue;
        if (typeof changes === 'string') {
          await refuse(changes as SyncRefusal);
          continue;
        }
        for (const entry of await collection.write(context, stored, next, changes as Changes)) {
          await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, ...entry }, now);
        }
        written.push({ stored, next, changes: changes as Changes });
      }
      await collection.finish?.(context, written);
      return { conflicts, written: written.map(({ next }) => next) };
    });
}
