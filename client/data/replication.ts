/**
 * Keeps the device's collections in step with the server: one RxDB replication per
 * collection, pulling, and pushing the collections the device writes, woken by the device's
 * one sync stream. Runs in the leader tab only; the other tabs see the same IndexedDB data.
 *
 * Pull protocol: `GET /api/sync/<collection>/pull?v=<schema version>&seq=&id=&base=&limit=` →
 * `{ documents, checkpoint }`, documents ordered by `(seq, id)` and the checkpoint flat (RxDB
 * merges checkpoints with Object.assign). 426 means the server has moved to a newer schema.
 *
 * Push protocol: `POST /api/sync/<collection>/push?v=<schema version>` with RxDB's rows
 * `[{ assumedMasterState, newDocumentState }]` → the server's state of every row it did not
 * take: changed elsewhere first, or refused with `syncError` set. Those go through the
 * collection's conflict handler; outbox.ts keeps what waits and what was refused.
 */
import { PULL_BATCH_SIZE, pullPath } from '../../server/contract/sync/paging.ts';
import { documentFromWire } from '../../server/contract/sync/wire.ts';
import { getAssumedMasterState, writeDocToDocState, type RxConflictHandler, type WithDeleted } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { combineLatest, debounceTime, filter } from 'rxjs';
import type { PushRow } from '../../server/contract/sync/refusals.ts';
import type { PullResponse, SyncCheckpoint } from '../../server/contract/sync/students.ts';
import { backoffDelay, defaultBackoff, type Backoff } from '../lib/backoff.ts';
import { whenIdle, yieldToMain } from '../lib/yield-to-main.ts';
import type { ServerSentEvent } from '../lib/server-sent-events.ts';
import type { Fetcher } from './api.ts';
import { collections, type CollectionName, type HomeroomDatabase } from './database.ts';
import { markPending, markRefused, markRejected, markSent, markSettled, observeOutbox } from './outbox.ts';
import { getSyncState, recordSynced, recordUpdateRequired } from './sync-state.ts';
import { verifyCollection } from './integrity.ts';
import type { RepairReport } from '../../server/contract/sync/digest.ts';
import { followSyncStream, type SyncStream } from './sync-stream.ts';

export interface SyncOptions {
  /** `authorizedFetch`: reads the current token for each request and refreshes it on 401. */
  fetcher: Fetcher;
  /** Documents per pull request; RxDB keeps pulling while pages come back full. */
  batchSize?: number;
  /** Rows per push request (the server takes at most 200). */
  pushBatchSize?: number;
  /** Pauses between failed pulls (offline, server down): doubling from `initialMs`. */
  backoff?: Backoff;
  /** Open the sync stream (default true); without it, pulls happen on start and on `reSync`. */
  stream?: boolean;
  /** Passed to the stream (tests shorten the idle timeout). */
  streamOptions?: { backoff?: Backoff; idleTimeoutMs?: number };
  /** The version each collection tells the server; by default its schema's. */
  schemaVersions?: Partial<Record<CollectionName, number>>;
  /** The server answered 426 for `collection`: the app must update before it syncs it again. */
  onUpdateRequired?: (collection: CollectionName) => void;
  /**
   * Prove the device holds its scope once a collection has caught up, at each start and daily
   * while the app stays open, but not after the collection's first sync on the device, which
   * pulled it whole (integrity.ts; default true). `onVerified` hears the outcome: null when the
   * copy was whole.
   */
  verify?: boolean;
  /**
   * How long after the engine starts the first proof may begin (default VERIFY_AFTER_MS): it is
   * background work, and at app start it read every document of the device while the person's
   * first screen was still loading.
   */
  verifyAfterMs?: number;
  onVerified?: (collection: CollectionName, repair: RepairReport | null) => void;
  now?: () => number;
}

export interface SyncEngine {
  readonly replications: ReadonlyMap<CollectionName, RxReplicationState<unknown, SyncCheckpoint>>;
  /** Pulls (and pushes what waits in) the named collections now (all when none are named). */
  reSync(collections?: readonly string[]): void;
  /** Resolves when this tab leads and has opened the stream (never, in the other tabs). */
  readonly streaming: Promise<SyncStream | undefined>;
  /** Stops every replication and closes the stream. */
  cancel(): Promise<void>;
}

/** Thrown from a pull or push handler when the server refuses this version: replication stops. */
class UpdateRequiredError extends Error {
  constructor(collection: string) {
    super(`${collection}: the server needs a newer version of the app`);
  }
}

function isPullResponse(body: unknown): body is PullResponse<Record<string, unknown>> {
  const value = body as Partial<PullResponse<unknown>> | null;
  return typeof value === 'object' && value !== null && Array.isArray(value.documents);
}

/** What every pushed collection's documents have: an id, and the server's refusal code. */
type PushedDocument = { id: string; syncError: string | null };

/** Answers that may succeed if sent again later: the server or the network, not the request. */
function isTransient(status: number): boolean {
  return status >= 500 || status === 401 || status === 408 || status === 429;
}

function isPushedDocument(value: unknown): value is WithDeleted<PushedDocument> {
  const doc = value as Partial<PushedDocument> | null;
  return typeof doc === 'object' && doc !== null && typeof doc.id === 'string';
}

/**
 * Keeps `name`'s outbox (outbox.ts) true to what RxDB does with the device's writes:
 * - a write waits to be sent from before it is stored (database.ts marks it in RxDB's pre-write
 *   hooks; the push handler marks its rows too, and acknowledges what the server takes);
 * - a conflict resolved to the server's refusal is kept, with its reason, to be shown;
 * - whenever the replication is idle, a waiting document the server already has as it is here
 *   (the server's version stood, or the user put back what was there) no longer waits.
 * The last two run where the replication runs: in the leading tab. Returns the stop: it outlives
 * a replication stopped by a 426, so writes made then still show as waiting.
 */
function followOutbox(db: HomeroomDatabase, name: CollectionName, replication: RxReplicationState<unknown, SyncCheckpoint>, now: () => number): () => void {
  const collection = db[name];
  const isEqual = (collection.conflictHandler as unknown as RxConflictHandler<PushedDocument>).isEqual;

  const conflicts = replication.conflict$.subscribe(({ input }) => {
    const master = input.realMasterState as WithDeleted<PushedDocument>;
    if (master.syncError) void markRefused(db, name, [{ id: master.id, code: master.syncError, at: now(), document: master }]).catch(() => undefined);
  });

  const settle = async (pending: string[]): Promise<void> => {
    const state = replication.internalReplicationState;
    if (!state || replication.isStopped()) return;
    const [masters, forks] = await Promise.all([getAssumedMasterState(state, pending), collection.storageInstance.findDocumentsById(pending, true)]);
    const current = new Map(forks.map((doc) => [(doc as unknown as PushedDocument).id, doc]));
    const settled = pending.filter((id) => {
      const master = masters[id];
      const fork = current.get(id);
      if (!fork) return true; // nothing here to send
      return master !== undefined && isEqual(master.docData as WithDeleted<PushedDocument>, writeDocToDocState(fork, false, false) as unknown as WithDeleted<PushedDocument>, 'homeroom-settled');
    });
    // Waiting ends; a refusal that arrived meanwhile (this list may predate it) stays to be read.
    await markSettled(db, name, settled);
  };
  const idle = combineLatest([observeOutbox(db, name), replication.active$])
    .pipe(
      filter(([outbox, active]) => !active && outbox.pending.length > 0),
      debounceTime(200),
    )
    .subscribe(([outbox]) => void settle(outbox.pending).catch(() => undefined)); // closed meanwhile

  return () => {
    conflicts.unsubscribe();
    idle.unsubscribe();
  };
}

/** The schema version a collection tells the server. */
function versionOf(db: HomeroomDatabase, name: CollectionName, options: SyncOptions): number {
  return options.schemaVersions?.[name] ?? db[name].schema.version;
}

/** How often a device proves again that it holds its scope, while the app stays open. */
const VERIFY_EVERY_MS = 24 * 60 * 60_000;
/**
 * The first proof waits this long after sync starts. Proving eleven collections reads each one
 * whole from IndexedDB, in long tasks beside the screen the person has just opened: in
 * Lighthouse's Today (a phone's CPU, signed in) its blocking time went from 92 and 139 ms to 63
 * and 80 ms with the wait. Nothing the person sees waits for a proof, and a damaged copy is
 * repaired seconds later instead.
 */
const VERIFY_AFTER_MS = 10_000;

/** Whether `a` is a later place than `b` in the same replication (the same base). */
function isAfter(a: SyncCheckpoint, b: SyncCheckpoint | undefined | null): boolean {
  if (!b) return true;
  if ((a.base ?? 0) !== (b.base ?? 0)) return false;
  return a.seq > b.seq || (a.seq === b.seq && a.id > b.id);
}

function replicateCollection(db: HomeroomDatabase, name: CollectionName, options: SyncOptions, onCaughtUp: () => void): RxReplicationState<unknown, SyncCheckpoint> {
  const collection = db[name];
  const definition = collections[name];
  const version = versionOf(db, name, options);
  const backoff = options.backoff ?? defaultBackoff;
  const now = options.now ?? Date.now;
  let failures = 0;
  /** A pull came back short: once RxDB has stored it, the collection is up to date. */
  let caughtUp = false;
  /**
   * Where the server moved the checkpoint with a page of no documents (up to the district's
   * watermark, server/sync/pull-gate.ts). RxDB keeps only the checkpoints of pages with documents,
   * so the next pull starts here instead, where "anything new?" costs the server one index probe
   * per table. In memory: after a restart the stored checkpoint serves, one pull behind.
   */
  let ahead: SyncCheckpoint | null = null;

  const succeeded = (): void => {
    failures = 0;
    replication.retryTime = backoff.initialMs;
  };

  const updateRequired = (): never => {
    void recordUpdateRequired(db, name).catch(() => undefined);
    void replication.cancel();
    options.onUpdateRequired?.(name);
    throw new UpdateRequiredError(name);
  };

  /**
   * The rows the server took are no longer pending, unless the user changed them again while
   * they were on their way (RxDB then pushes the newer state, which stays pending).
   */
  const acknowledge = async (sent: Array<WithDeleted<PushedDocument>>): Promise<void> => {
    if (sent.length === 0) return;
    const isEqual = (collection.conflictHandler as unknown as RxConflictHandler<PushedDocument>).isEqual;
    const stored = await collection.storageInstance.findDocumentsById(sent.map((doc) => doc.id), true);
    const current = new Map(stored.map((doc) => [(doc as unknown as PushedDocument).id, doc as unknown as WithDeleted<PushedDocument>]));
    const unchanged = sent.filter((doc) => {
      const latest = current.get(doc.id);
      return !latest || isEqual(latest, doc, 'homeroom-acknowledge');
    });
    await markSent(db, name, unchanged.map((doc) => doc.id));
  };

  /**
   * Sends local changes; resolves with the server's state of the rows it did not take.
   * Offline or a server error: throws, and RxDB sends the same rows again after `retryTime`.
   * A request the server turns down as a whole (a 4xx) is not sent again and again: its rows
   * come back refused, so the user sees them, and the collection notes the rejection.
   */
  const push = async (rows: Array<PushRow<PushedDocument>>): Promise<Array<WithDeleted<PushedDocument>>> => {
    const ids = rows.map((row) => row.newDocumentState.id);
    await markPending(db, name, ids).catch(() => undefined); // closed meanwhile: nothing to show
    const response = await options.fetcher(`/api/sync/${name}/push?v=${version}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(rows),
    });
    if (response.status === 426) updateRequired();
    if (isTransient(response.status)) throw new Error(`push ${name}: ${response.status}`);
    if (!response.ok) {
      console.error(`Homeroom: the server turned down a push of ${name} (${response.status}); its ${rows.length} changes are marked refused`);
      await markRejected(db, name, response.status).catch(() => undefined);
      const code = response.status === 403 ? 'not_allowed' : 'invalid';
      return rows.map((row) => ({ ...row.newDocumentState, syncError: code }));
    }
    const body: unknown = await response.json();
    if (!Array.isArray(body)) throw new Error(`push ${name}: unexpected answer`);
    succeeded();
    void markRejected(db, name, null).catch(() => undefined);
    // RxDB can only resolve conflicts of rows it sent; anything else would break its queue.
    const sentIds = new Set(ids);
    const conflicts = body.filter((doc): doc is WithDeleted<PushedDocument> => isPushedDocument(doc) && sentIds.has(doc.id));
    if (conflicts.length < body.length) console.warn(`Homeroom: push ${name}: ignored ${body.length - conflicts.length} answers for rows not sent`);
    const conflicted = new Set(conflicts.map((doc) => doc.id));
    await acknowledge(rows.map((row) => row.newDocumentState).filter((doc) => !conflicted.has(doc.id))).catch(() => undefined);
    return conflicts;
  };

  const replication: RxReplicationState<unknown, SyncCheckpoint> = replicateRxCollection<unknown, SyncCheckpoint>({
    collection: collection as never,
    // Changing this makes every device pull the collection again: a new schema version does
    // (documents migrated on the device lack what the new version added).
    replicationIdentifier: version === 0 ? `homeroom-${name}` : `homeroom-${name}-v${version}`,
    live: true,
    retryTime: backoff.initialMs,
    // One tab syncs; the others see its writes through IndexedDB. startSync starts each in turn.
    waitForLeadership: true,
    autoStart: false,
    // RxDB would otherwise start replicating in every visible tab, leader or not.
    toggleOnDocumentVisible: false,
    pull: {
      batchSize: options.batchSize ?? PULL_BATCH_SIZE,
      async handler(stored, limit) {
        const checkpoint = ahead && isAfter(ahead, stored) ? ahead : stored;
        // A network failure rejects here; RxDB retries after `retryTime` or when back online.
        const response = await options.fetcher(pullPath(name, version, limit, checkpoint), {});
        if (response.status === 426) updateRequired();
        if (!response.ok) throw new Error(`pull ${name}: ${response.status}`);
        const body: unknown = await response.json();
        if (!isPullResponse(body)) throw new Error(`pull ${name}: unexpected answer`);
        succeeded();
        if (body.documents.length < limit) caughtUp = true;
        ahead = body.documents.length === 0 ? body.checkpoint : null;
        return { documents: body.documents as never[], checkpoint: body.checkpoint ?? checkpoint ?? undefined };
      },
      // The compact wire form (server/contract/sync/wire.ts) back into the documents the schema describes.
      modifier: documentFromWire(collection.schema.jsonSchema as never),
    },
    ...(definition.pushable
      ? { push: { batchSize: options.pushBatchSize ?? 50, handler: (rows: unknown[]) => push(rows as Array<PushRow<PushedDocument>>) as Promise<never[]> } }
      : {}),
  });


  // Each failure in a row waits longer; RxDB reads `retryTime` after emitting the error.
  replication.error$.subscribe(() => {
    failures += 1;
    replication.retryTime = backoffDelay(failures, backoff);
  });
  replication.active$.subscribe((active) => {
    if (active || !caughtUp) return;
    caughtUp = false;
    void recordSynced(db, name, now()).catch(() => undefined); // closed meanwhile: nothing to record
    onCaughtUp();
  });
  return replication;
}

/** Starts syncing every collection of `db`. Call `cancel()` before closing or removing it. */
export function startSync(db: HomeroomDatabase, options: SyncOptions): SyncEngine {
  // Every collection the database holds (all of them, but for small test databases).
  const names = Object.keys(db.collections) as CollectionName[];
  const isCollectionName = (name: string): name is CollectionName => (names as readonly string[]).includes(name);
  const now = options.now ?? Date.now;
  let cancelled = false;
  /** When each collection was last proved whole (or is being proved). */
  const verified = new Map<CollectionName, number>();
  /** The checks in progress, one after another, the first once the app has settled. */
  let checks: Promise<void> = new Promise((resolve) => setTimeout(resolve, options.verifyAfterMs ?? VERIFY_AFTER_MS));
  // A collection's first sync on this device pulls it whole from the start: nothing to prove yet.
  const firstSyncs = Promise.all(names.map(async (name) => ((await getSyncState(db, name)).lastSyncedAt === null ? [name] : []))).then((found) => new Set(found.flat()));
  const verify = async (name: CollectionName): Promise<void> => {
    const last = verified.get(name);
    if (options.verify === false || cancelled || (last !== undefined && now() - last < VERIFY_EVERY_MS)) return;
    verified.set(name, now());
    if ((await firstSyncs).delete(name)) return;
    const replication = replications.get(name)!;
    const catchUp = async (): Promise<void> => {
      replication.reSync();
      await replication.awaitInSync();
    };
    // One collection at a time, when the page is idle: at app start all eleven catch up at once,
    // and their checks would otherwise crowd the screen the person opened.
    checks = checks.then(async () => {
      await whenIdle();
      if (cancelled || db.closed) return void verified.delete(name);
      try {
        options.onVerified?.(name, await verifyCollection(db, name, { fetcher: options.fetcher, version: versionOf(db, name, options), catchUp }));
      } catch {
        verified.delete(name); // offline or closed: again at the next catch-up
      }
    });
    return checks;
  };
  const replications = new Map(names.map((name) => [name, replicateCollection(db, name, options, () => void verify(name))] as const));
  const outboxes = [...replications].filter(([name]) => collections[name].pushable).map(([name, replication]) => followOutbox(db, name, replication, now));
  let stream: SyncStream | undefined;

  // Starting a replication opens its state in storage and sets off its first pull: all eleven at
  // once kept a phone's main thread busy for most of a second after sign-in. One at a time, with
  // the page free to paint and answer in between (the screens show what the device holds).
  void (async () => {
    // One tab syncs (what RxDB's waitForLeadership does before an automatic start).
    if (db.multiInstance) await db.waitForLeadership();
    for (const replication of replications.values()) {
      await yieldToMain();
      if (cancelled || db.closed) return;
      await replication.start().catch(() => undefined); // a failed start is reported on error$
    }
  })().catch(() => undefined); // closed meanwhile

  const reSync = (wanted: readonly string[] = names): void => {
    for (const name of wanted) if (isCollectionName(name)) replications.get(name)?.reSync();
  };

  const onEvent = (event: ServerSentEvent): void => {
    if (event.event === 'resync') reSync();
    else if (event.event === 'change') {
      try {
        const { collections } = JSON.parse(event.data) as { collections?: unknown };
        if (Array.isArray(collections)) reSync(collections.filter((name): name is string => typeof name === 'string'));
      } catch {
        reSync(); // unreadable: pulling everything is always safe
      }
    }
  };

  const streaming =
    options.stream === false
      ? Promise.resolve(undefined)
      : db.waitForLeadership().then(() => {
          if (cancelled) return undefined;
          stream = followSyncStream({ fetcher: options.fetcher, onEvent, ...options.streamOptions });
          return stream;
        });

  return {
    replications,
    reSync,
    streaming,
    async cancel() {
      cancelled = true;
      stream?.close();
      for (const stop of outboxes) stop();
      await Promise.all([...replications.values()].map((replication) => replication.cancel()));
    },
  };
}
