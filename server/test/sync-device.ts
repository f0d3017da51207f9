import { randomUUID } from 'node:crypto';
import { createRxDatabase, type RxCollection, type RxConflictHandler, type RxDatabase, type RxJsonSchema } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import { documentFromWire } from '../contract/sync/wire.ts';
import { signIn, type ServedAppFixture } from './app-fixture.ts';
import { freshCollection } from './rx-collection.ts';

/** What one device did over the network, so tests can prove there is no retry loop. */
export interface DeviceTraffic {
  pulls: number;
  pushes: number;
  /** Rows the server answered a push with: RxDB conflicts (stale assumptions and refusals). */
  conflicts: Array<Record<string, unknown>>;
}

export interface SyncDevice<Doc extends { id: string }> {
  token: string;
  collection: RxCollection<Doc>;
  replication: RxReplicationState<Doc, SyncCheckpoint>;
  traffic: DeviceTraffic;
  errors: unknown[];
  /** Asks for a pull and push now and waits until both are idle. */
  sync(): Promise<void>;
  /** The ids of the documents the device holds (no tombstones), sorted. */
  ids(): Promise<string[]>;
  /** Every stored document with this id, tombstones included (the storage instance, not a query). */
  stored(id: string): Promise<(Doc & { _deleted: boolean }) | undefined>;
  close(): Promise<void>;
}

/**
 * A device: the real RxDB client (memory storage wrapped in the ajv validator, so every
 * document the server sends is schema-checked) replicating one collection over HTTP.
 */
export async function syncDevice<Doc extends { id: string }>(options: {
  base: string;
  token: string;
  name: string;
  schema: RxJsonSchema<Doc>;
  version: number;
  conflictHandler?: RxConflictHandler<Doc>;
  batchSize?: number;
  /** False for pull-only collections (the server has no push route for them). */
  push?: boolean;
}): Promise<SyncDevice<Doc>> {
  const { base, token, name, version } = options;
  const db: RxDatabase = await createRxDatabase({ name: `device-${randomUUID()}`, storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }) });
  const collections = await db.addCollections({ [name]: { ...freshCollection(options.schema), ...(options.conflictHandler ? { conflictHandler: options.conflictHandler } : {}) } });
  const collection = collections[name] as unknown as RxCollection<Doc>;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const traffic: DeviceTraffic = { pulls: 0, pushes: 0, conflicts: [] };
  const replication = replicateRxCollection<Doc, SyncCheckpoint>({
    collection,
    replicationIdentifier: `${name}-${base}`,
    live: true,
    retryTime: 60_000,
    pull: {
      batchSize: options.batchSize ?? 200,
      async handler(checkpoint, limit) {
        traffic.pulls += 1;
        const query = new URLSearchParams({ v: String(version), limit: String(limit), wire: 'compact' });
        if (checkpoint) {
          query.set('seq', String(checkpoint.seq));
          query.set('id', checkpoint.id);
          if (checkpoint.base) query.set('base', String(checkpoint.base));
        }
        const response = await fetch(`${base}/api/sync/${name}/pull?${query}`, { headers });
        if (!response.ok) throw new Error(`pull ${response.status}`);
        return response.json();
      },
      // As the app does (client/data/replication.ts): the compact form read back into the schema's documents.
      modifier: documentFromWire(options.schema as never),
    },
    push: options.push === false ? undefined : {
      async handler(rows) {
        traffic.pushes += 1;
        const response = await fetch(`${base}/api/sync/${name}/push?v=${version}`, { method: 'POST', headers, body: JSON.stringify(rows) });
        if (!response.ok) throw new Error(`push ${response.status}`);
        const conflicts = (await response.json()) as Array<Record<string, unknown>>;
        traffic.conflicts.push(...conflicts);
        return conflicts as never;
      },
    },
  });
  const errors: unknown[] = [];
  replication.error$.subscribe((error) => errors.push(error));
  await replication.awaitInitialReplication();
  return {
    token,
    collection,
    replication,
    traffic,
    errors,
    async sync() {
      replication.reSync();
      await replication.awaitInSync();
    },
    async ids() {
      return (await collection.find().exec()).map((doc) => doc.id).sort();
    },
    async stored(id) {
      const [doc] = await collection.storageInstance.findDocumentsById([id], true);
      return doc as (Doc & { _deleted: boolean }) | undefined;
    },
    async close() {
      await replication.cancel();
      await db.remove();
    },
  };
}

/** A device (see `syncDevice`) of `username`, signed in to the served fixture. */
export async function signedInDevice<Doc extends { id: string }>(
  fixture: ServedAppFixture,
  username: string,
  options: Omit<Parameters<typeof syncDevice<Doc>>[0], 'base' | 'token'>,
): Promise<SyncDevice<Doc>> {
  const { token } = await signIn(fixture.app, username);
  return syncDevice<Doc>({ ...options, base: fixture.base, token });
}
