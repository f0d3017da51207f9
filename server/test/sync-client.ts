/**
 * A device's side of the sync protocol in server tests: pages pulled through the app as RxDB asks
 * for them, and a store that tells each statement sent to it (to count round trips or read the SQL).
 */
import { expect } from 'vitest';
import type { App } from '../app.ts';
import type { PullResponse, SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable, Store } from '../db/store.ts';
import { SYNC_COLLECTIONS } from '../sync/registry.ts';
import { pullPath } from '../contract/sync/paging.ts';
import { call } from './app-fixture.ts';
import { scoreSchema } from '../contract/sync/scores.ts';
import { assignmentSchema } from '../contract/sync/assignments.ts';
import { documentFromWire } from '../contract/sync/wire.ts';

/** Collections the pull sends in a compact form (server/contract/sync/wire.ts), which the device reads back by their schemas. */
const FROM_WIRE: Readonly<Record<string, ReturnType<typeof documentFromWire>>> = { scores: documentFromWire(scoreSchema), assignments: documentFromWire(assignmentSchema) };

/** One pull page of `name` at its current schema version after `checkpoint`; fails the test unless 200. */
export async function pullPage(app: App, token: string, name: string, checkpoint: SyncCheckpoint | null, limit = 1000): Promise<PullResponse<{ id: string; _deleted?: boolean }>> {
  const collection = SYNC_COLLECTIONS.find((c) => c.name === name)!;
  const reply = await call<PullResponse<{ id: string; _deleted?: boolean }>>(app, 'GET', pullPath(name, collection.version, limit, checkpoint), { token });
  expect(reply.status, `${name} pull`).toBe(200);
  const fromWire = FROM_WIRE[name];
  if (!fromWire) return reply.body;
  // As the device stores them (client/data/replication.ts).
  return { ...reply.body, documents: reply.body.documents.map(fromWire) };
}

/** Pulls until a page comes back short, as RxDB does: the live documents, and the last checkpoint. */
export async function pullToEnd(app: App, token: string, name: string, from: SyncCheckpoint | null = null, limit = 1000): Promise<{ live: Array<{ id: string }>; checkpoint: SyncCheckpoint | null }> {
  const live = new Map<string, { id: string }>();
  let checkpoint = from;
  for (;;) {
    const page = await pullPage(app, token, name, checkpoint, limit);
    for (const doc of page.documents) {
      if (doc._deleted) live.delete(doc.id);
      else live.set(doc.id, doc);
    }
    checkpoint = page.checkpoint;
    if (page.documents.length < limit) return { live: [...live.values()], checkpoint };
  }
}

/** `store`, calling `onStatement` with every statement sent to it (inside transactions too). */
export function observedStore(store: Store, onStatement: (sql: string) => void): Store {
  const observe = (db: Queryable): Queryable => ({
    query: (sql, params) => {
      onStatement(sql);
      return db.query(sql, params);
    },
    exec: (sql) => {
      onStatement(sql);
      return db.exec(sql);
    },
  });
  return { ...observe(store), kind: store.kind, transaction: (work) => store.transaction((tx) => work(observe(tx))), listen: (channel, handler, lost) => store.listen(channel, handler, lost), close: () => store.close() };
}
