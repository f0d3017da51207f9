/**
 * What an "anything new?" costs the store: a device that is in sync asks every collection for
 * changes after its checkpoint many times a day, so the pull must stay at two SQL round trips,
 * one for who is asking (the session and the principal together) and one for the pull.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app.ts';
import type { PullResponse, SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable, Store } from '../db/store.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { appFixture, call, signIn, signsInWithSecondFactor, type AppFixture } from '../test/app-fixture.ts';
import { SYNC_COLLECTIONS } from './registry.ts';

let f: AppFixture;
let app: App;
let queries = 0;

/** The store, counting every statement sent to it (inside transactions too). */
function counted(store: Store): Store {
  const count = (db: Queryable): Queryable => ({
    query: (sql, params) => {
      queries += 1;
      return db.query(sql, params);
    },
    exec: (sql) => {
      queries += 1;
      return db.exec(sql);
    },
  });
  return {
    ...count(store),
    kind: store.kind,
    transaction: (work) => store.transaction((tx) => work(count(tx))),
    listen: (channel, handler) => store.listen(channel, handler),
    close: () => store.close(),
  };
}

beforeAll(async () => {
  f = await appFixture();
  const store = counted(f.store);
  app = createApp({ store, clock: () => f.now.value, mailer: memoryMailer(), config: { trustProxy: true, publicUrl: 'https://homeroom.test' } });
  signsInWithSecondFactor(app, { store, clock: () => f.now.value });
});
afterAll(() => f.close());

async function pull(token: string, name: string, version: number, checkpoint: SyncCheckpoint | null) {
  const query = new URLSearchParams({ v: String(version), limit: '1000' });
  if (checkpoint) {
    query.set('seq', String(checkpoint.seq));
    query.set('id', checkpoint.id);
    if (checkpoint.base !== undefined) query.set('base', String(checkpoint.base));
  }
  const reply = await call<PullResponse<{ id: string }>>(app, 'GET', `/api/sync/${name}/pull?${query}`, { token });
  expect(reply.status, `${name} pull`).toBe(200);
  return reply.body;
}

describe('an in-sync pull', () => {
  it('costs two SQL round trips in every collection, for a guardian, a teacher and the office', async () => {
    for (const username of ['demo-guardian', 'demo-teacher', 'demo-office']) {
      const { token } = await signIn(app, username);
      for (const collection of SYNC_COLLECTIONS) {
        let checkpoint: SyncCheckpoint | null = null;
        for (;;) {
          const page = await pull(token, collection.name, collection.version, checkpoint);
          checkpoint = page.checkpoint;
          if (page.documents.length === 0) break;
        }
        queries = 0;
        const page = await pull(token, collection.name, collection.version, checkpoint);
        expect(page.documents, `${username} ${collection.name} is in sync`).toEqual([]);
        expect(queries, `${username} ${collection.name}: statements for one in-sync pull`).toBeLessThanOrEqual(2);
      }
    }
  });
});
