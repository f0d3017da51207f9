/**
 * The same first sync, two ways, side by side: demo-guardian's documents as our server sends
 * them (every collection in the registry), replicated into a fresh RxDB database from our
 * server, and replicated by RxDB's own CouchDB plugin from pouchdb-server's stack holding
 * exactly those documents. Both servers run in this process on loopback and compress; both
 * clients use the same memory storage, batch size and counting fetch (see pouch-wire.ts).
 */
import { PULL_BATCH_SIZE } from '../contract/sync/paging.ts';
import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { serve } from '@hono/node-server';
import { createRxDatabase, type RxCollection, type RxJsonSchema, type RxStorage } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { replicateCouchDB } from 'rxdb/plugins/replication-couchdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { createApp } from '../app.ts';
import type { PullResponse, SyncCheckpoint } from '../contract/sync/students.ts';
import type { Store } from '../db/store.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { DEMO_PASSWORD } from '../seed/generate.ts';
import { SYNC_COLLECTIONS } from '../sync/registry.ts';
import { documentFromWire } from '../contract/sync/wire.ts';
import { startPouchServer, type SyncedDocument } from './pouch-server.ts';
import { BROWSER_ACCEPT_ENCODING, wireCounter, type WireTraffic } from './pouch-wire.ts';
import { freshCollection } from '../test/rx-collection.ts';

/** Untimed runs per side after the first, before the timed ones. */
const WARM_UP_RUNS = 3;

/** The app's own pull batch size (client/data/replication.ts). */
const BATCH_SIZE = PULL_BATCH_SIZE;

type Schema = RxJsonSchema<SyncedDocument>;

export interface SyncRun {
  seconds: number;
  traffic: WireTraffic;
}

export interface FirstSyncComparison {
  /** Documents per collection, tombstones included, as our server sent them. */
  documents: Record<string, number>;
  /** Timed runs, asking for compression as a browser does. */
  ours: SyncRun[];
  couch: SyncRun[];
  /** The untimed, schema-validated first run of each side, asking for gzip only: the same coding on both sides. */
  oursGzip: SyncRun;
  couchGzip: SyncRun;
}

type Replicate = (collection: RxCollection, name: string, fetcher: typeof fetch) => RxReplicationState<unknown, unknown>;

/**
 * Every RxDB schema in server/contract/sync, by title. The registry names each collection and
 * its version but not its schema, so a collection added to it is compared without editing this file.
 */
async function contractSchemas(): Promise<Map<string, Schema>> {
  const dir = new URL('../contract/sync/', import.meta.url);
  const schemas = new Map<string, Schema>();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))) {
    const exported = (await import(new URL(file, dir).href)) as Record<string, unknown>;
    for (const value of Object.values(exported)) {
      const candidate = value as Partial<Schema> | null;
      if (typeof candidate === 'object' && candidate !== null && typeof candidate.title === 'string' && candidate.primaryKey !== undefined && typeof candidate.properties === 'object') {
        schemas.set(candidate.title, candidate as Schema);
      }
    }
  }
  return schemas;
}

/** A pulled document as the device stores it (client/data/replication.ts): compact ids restored, blanks put back, a composite key (scores') composed. */
function asStored(schema: Schema): (doc: SyncedDocument) => SyncedDocument {
  return documentFromWire(schema as never);
}

/** Everything `collection` gives this user on a first sync, tombstones included, in the server's order, as the device stores it. */
async function pullEverything(base: string, token: string, collection: string, version: number, schema: Schema): Promise<SyncedDocument[]> {
  const documents: SyncedDocument[] = [];
  let checkpoint: SyncCheckpoint | null = null;
  for (;;) {
    const query = new URLSearchParams({ v: String(version), limit: '1000' });
    if (checkpoint) query.set('seq', String(checkpoint.seq)), query.set('id', checkpoint.id), checkpoint.base && query.set('base', String(checkpoint.base));
    const response = await fetch(`${base}/api/sync/${collection}/pull?${query}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`pull ${collection}: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as PullResponse<SyncedDocument>;
    documents.push(...page.documents.map(asStored(schema)));
    if (page.documents.length < 1000) return documents;
    checkpoint = page.checkpoint;
  }
}

/** One fresh device: a new RxDB database with every collection, replicated once (not live) by `replicate`. */
async function firstSync(
  schemas: ReadonlyArray<[string, Schema]>,
  source: ReadonlyMap<string, SyncedDocument[]>,
  replicate: Replicate,
  run: { validate: boolean; acceptEncoding: string },
): Promise<SyncRun> {
  // Timed runs store as the app's builds do; the untimed first run also checks every document against its schema.
  const memory = getRxStorageMemory();
  const storage: RxStorage<unknown, unknown> = run.validate ? wrappedValidateAjvStorage({ storage: memory }) : memory;
  const db = await createRxDatabase({ name: `bench-${randomUUID()}`, storage, multiInstance: false });
  const counter = wireCounter(run.acceptEncoding);
  try {
    const collections = await db.addCollections(Object.fromEntries(schemas.map(([name, schema]) => [name, freshCollection(schema)])));
    const errors: unknown[] = [];
    const started = performance.now();
    const replications = schemas.map(([name]) => replicate(collections[name]!, name, counter.fetch));
    for (const replication of replications) replication.error$.subscribe((error) => errors.push(error));
    await Promise.all(replications.map((replication) => replication.awaitInitialReplication()));
    const seconds = (performance.now() - started) / 1000;
    const traffic = counter.traffic();
    await Promise.all(replications.map((replication) => replication.cancel()));
    if (errors.length > 0) throw new Error(`replication failed: ${String(errors[0])}`);
    for (const [name] of schemas) await expectSameDocuments(collections[name]!, name, source.get(name)!);
    return { seconds, traffic };
  } finally {
    counter.close();
    await db.remove();
  }
}

/** The device holds exactly what our server sent: every live document equal, every tombstone deleted. */
async function expectSameDocuments(collection: RxCollection, name: string, sent: readonly SyncedDocument[]): Promise<void> {
  const live = new Map((await collection.find().exec()).map((doc) => [doc.primary, doc.toJSON() as Record<string, unknown>]));
  const expected = sent.filter((d) => !d._deleted);
  if (live.size !== expected.length) throw new Error(`${name}: ${live.size} documents arrived, ${expected.length} were sent`);
  for (const { _deleted, ...doc } of expected) {
    if (!isDeepStrictEqual(live.get(doc.id), doc)) throw new Error(`${name}/${doc.id} arrived as ${JSON.stringify(live.get(doc.id))}, sent as ${JSON.stringify(doc)}`);
  }
  const tombstones = sent.filter((d) => d._deleted).map((d) => d.id);
  if (tombstones.length === 0) return;
  const stored = await collection.storageInstance.findDocumentsById(tombstones, true);
  if (stored.length !== tombstones.length || stored.some((d) => !d._deleted)) throw new Error(`${name}: tombstones did not arrive as deleted documents`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The first and third quartiles, as `0.051-0.062` (a first sync takes tens of milliseconds here: hundredths of a second hid which side was faster). */
function quartiles(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(3);
  return `${at(0.25)}-${at(0.75)}`;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function summarize(runs: SyncRun[], gzipOnly: SyncRun, documents: number): { figure: string; note: string } {
  const pick = (measure: (run: SyncRun) => number) => median(runs.map(measure));
  const last = runs[runs.length - 1]!.traffic;
  const encodings = Object.keys(last.bodyBytesByEncoding).sort().map((encoding) => `${encoding} ${kib(last.bodyBytesByEncoding[encoding]!)}`).join(', ');
  return {
    figure: `${documents} documents, ${kib(pick((r) => r.traffic.bodyBytes))} received, ${pick((r) => r.seconds).toFixed(3)} s`,
    note: `median of ${runs.length} (middle half ${quartiles(runs.map((r) => r.seconds))} s), after ${WARM_UP_RUNS + 1} untimed runs; response bodies as received (${encodings}); ${kib(pick((r) => r.traffic.socketBytes))} with status lines and headers; ${kib(gzipOnly.traffic.bodyBytes)} when asking for gzip only; ${last.requests} requests`,
  };
}

/**
 * Runs the comparison on a seeded store and records two rows: our first sync and the same
 * documents through pouchdb-server. `runs` timed runs per side (alternating), after one
 * untimed, schema-validated run each and `WARM_UP_RUNS` untimed ones.
 */
export async function compareFirstSync(options: {
  store: Store;
  today: string;
  label: string;
  record: (what: string, figure: string, note?: string) => void;
  runs?: number;
  username?: string;
}): Promise<FirstSyncComparison> {
  const runs = options.runs ?? 15;
  const username = options.username ?? 'demo-guardian';
  const app = createApp({ store: options.store, clock: () => new Date(`${options.today}T15:00:00Z`), mailer: memoryMailer(), config: {} });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const pouch = await startPouchServer();
  try {
    // Each of our runs signs in anew, as a new device does before its first sync: nothing the
    // server remembers of a session (principal-memory.ts) carries over from the run before.
    const signIn = async () => {
      const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
      if (!login.ok) throw new Error(`sign-in as ${username} failed: ${login.status}`);
      return ((await login.json()) as { accessToken: string }).accessToken;
    };
    let accessToken = await signIn();

    const known = await contractSchemas();
    const schemas = SYNC_COLLECTIONS.map((c): [string, Schema] => {
      const schema = known.get(c.name);
      if (!schema) throw new Error(`no RxDB schema titled '${c.name}' in server/contract/sync`);
      return [c.name, schema];
    });
    const source = new Map<string, SyncedDocument[]>();
    for (const [i, c] of SYNC_COLLECTIONS.entries()) {
      const documents = await pullEverything(base, accessToken, c.name, c.version, schemas[i]![1]);
      source.set(c.name, documents);
      await pouch.load(c.name, documents);
    }

    const version = new Map(SYNC_COLLECTIONS.map((c) => [c.name, c.version]));
    const ours: Replicate = (collection, name, fetcher) =>
      replicateRxCollection<unknown, SyncCheckpoint>({
        collection,
        replicationIdentifier: `homeroom-${name}`,
        live: false,
        waitForLeadership: false,
        pull: {
          batchSize: BATCH_SIZE,
          async handler(checkpoint, limit) {
            // As the app asks (server/contract/sync/paging.ts): the compact form, read back by the modifier.
            const query = new URLSearchParams({ v: String(version.get(name)), limit: String(limit), wire: 'compact' });
            if (checkpoint) query.set('seq', String(checkpoint.seq)), query.set('id', checkpoint.id), checkpoint.base && query.set('base', String(checkpoint.base));
            const response = await fetcher(`${base}/api/sync/${name}/pull?${query}`, { headers: { authorization: `Bearer ${accessToken}` } });
            if (!response.ok) throw new Error(`pull ${name}: ${response.status}`);
            const page = (await response.json()) as PullResponse<never>;
            return { documents: page.documents, checkpoint: page.checkpoint ?? checkpoint ?? undefined };
          },
          modifier: asStored(schemas.find(([title]) => title === name)![1]) as never,
        },
      }) as RxReplicationState<unknown, unknown>;
    const couch: Replicate = (collection, name, fetcher) =>
      replicateCouchDB({
        collection,
        replicationIdentifier: `couchdb-${name}`,
        url: `${pouch.url}${encodeURIComponent(name)}/`,
        live: false,
        waitForLeadership: false,
        fetch: fetcher,
        pull: { batchSize: BATCH_SIZE },
      }) as RxReplicationState<unknown, unknown>;

    accessToken = await signIn();
    const oursGzip = await firstSync(schemas, source, ours, { validate: true, acceptEncoding: 'gzip' });
    const result: FirstSyncComparison = {
      documents: Object.fromEntries([...source].map(([name, docs]) => [name, docs.length])),
      oursGzip,
      couchGzip: await firstSync(schemas, source, couch, { validate: true, acceptEncoding: 'gzip' }),
      ours: [],
      couch: [],
    };
    const timed = { validate: false, acceptEncoding: BROWSER_ACCEPT_ENCODING };
    // Timed once both servers have served a few first syncs, as a server does most of its day: in
    // the bench's process (after the generator), our first timed runs took up to twice the later ones.
    for (let i = 0; i < WARM_UP_RUNS; i += 1) {
      accessToken = await signIn();
      await firstSync(schemas, source, ours, timed);
      await firstSync(schemas, source, couch, timed);
    }
    for (let i = 0; i < runs; i += 1) {
      accessToken = await signIn();
      result.ours.push(await firstSync(schemas, source, ours, timed));
      result.couch.push(await firstSync(schemas, source, couch, timed));
    }

    const total = Object.values(result.documents).reduce((sum, n) => sum + n, 0);
    const perCollection = Object.entries(result.documents).map(([name, n]) => `${name} ${n}`).join(', ');
    const mine = summarize(result.ours, result.oursGzip, total);
    options.record(`first sync of ${username}, RxDB from our server (${options.label})`, mine.figure, `${mine.note}; ${perCollection}; RxDB replication, batches of ${BATCH_SIZE}`);
    const theirs = summarize(result.couch, result.couchGzip, total);
    options.record(`same documents, RxDB replicateCouchDB from pouchdb-server (memory)`, theirs.figure, `${theirs.note}; express-pouchdb 4.2 over pouchdb-core 7.3 (memory adapter), batches of ${BATCH_SIZE}`);
    return result;
  } finally {
    await pouch.close();
    server.close();
  }
}
