import { randomUUID } from 'node:crypto';
import { createRxDatabase, type RxCollection, type RxJsonSchema } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import type { App } from '../app.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import { signIn } from './app-fixture.ts';
import { freshCollection } from './rx-collection.ts';

/** A signed-in device: one real RxDB collection (memory storage, ajv-validated) replicating with a server on loopback. */
export interface RxDevice<Doc> {
  token: string;
  collection: RxCollection<Doc>;
  replication: RxReplicationState<Doc, SyncCheckpoint>;
  /** Push requests this device has sent so far. */
  pushes(): number;
  /** Every refusal the server sent back to this device's pushes (a later pull may replace the document). */
  refusals: Array<Doc & { _deleted: boolean; syncError: string }>;
  /** Pushes what is pending and pulls what changed. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export async function rxDevice<Doc>(options: { app: App; base: string; username: string; password?: string; name: string; schema: unknown; version: number }): Promise<RxDevice<Doc>> {
  const { app, base, name, version } = options;
  const { token } = await signIn(app, options.username, options.password);
  const db = await createRxDatabase({ name: `device-${randomUUID()}`, storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }) });
  const collections = await db.addCollections({ [name]: freshCollection(options.schema as RxJsonSchema<Doc>) });
  const collection = collections[name] as unknown as RxCollection<Doc>;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let pushes = 0;
  const refusals: RxDevice<Doc>['refusals'] = [];
  const replication = replicateRxCollection<Doc, SyncCheckpoint>({
    collection,
    replicationIdentifier: `${name}-${base}`,
    live: true,
    retryTime: 60_000,
    pull: {
      batchSize: 100,
      async handler(checkpoint, limit) {
        const query = new URLSearchParams({ v: String(version), limit: String(limit) });
        if (checkpoint) query.set('seq', String(checkpoint.seq)), query.set('id', checkpoint.id);
        const response = await fetch(`${base}/api/sync/${name}/pull?${query}`, { headers });
        if (!response.ok) throw new Error(`pull ${response.status}`);
        return response.json();
      },
    },
    push: {
      batchSize: 20,
      async handler(rows) {
        pushes += 1;
        const response = await fetch(`${base}/api/sync/${name}/push?v=${version}`, { method: 'POST', headers, body: JSON.stringify(rows) });
        if (!response.ok) throw new Error(`push ${response.status}`);
        const conflicts = (await response.json()) as Array<Doc & { _deleted: boolean; syncError?: string | null }>;
        for (const doc of conflicts) if (doc.syncError) refusals.push(doc as Doc & { _deleted: boolean; syncError: string });
        return conflicts;
      },
    },
  });
  await replication.awaitInitialReplication();
  return {
    token,
    collection,
    replication,
    pushes: () => pushes,
    refusals,
    async sync() {
      replication.reSync();
      await replication.awaitInSync();
    },
    async close() {
      await replication.cancel();
      await db.remove();
    },
  };
}

/** Answers a raw push, as a device would send it, with the rows the server did not take. */
export async function pushRows<Doc>(base: string, name: string, version: number, token: string, rows: unknown[]): Promise<Array<Doc & { _deleted: boolean }>> {
  const response = await fetch(`${base}/api/sync/${name}/push?v=${version}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(rows),
  });
  if (response.status !== 200) throw new Error(`push ${response.status}: ${await response.text()}`);
  return response.json() as Promise<Array<Doc & { _deleted: boolean }>>;
}
