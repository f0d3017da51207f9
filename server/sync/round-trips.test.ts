/**
 * What an "anything new?" costs the store: a device that is in sync asks every collection for
 * changes after its checkpoint many times a day. The issue allows two SQL round trips (who is
 * asking, then the pull); the pull gate (pull-gate.ts) answers it in one, without loading who is asking,
 * and where the server remembers the gate's answers (GateMemory) in none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Store } from '../db/store.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { appFixture, signIn, signsInWithSecondFactor, type AppFixture } from '../test/app-fixture.ts';
import { observedStore, pullPage } from '../test/sync-client.ts';
import { defaultSeedOptions, seedDistrict } from '../seed/generate.ts';
import { migratedPgliteThread } from '../test/stores.ts';
import { SYNC_COLLECTIONS } from './registry.ts';

let f: AppFixture;
let app: App;
let remembering: App;
let queries = 0;
let sessionLoads = 0;
let baseReads = 0;

/** The store, counting every statement sent to it (inside transactions too). */
const counted = (store: Store) =>
  observedStore(store, (sql) => {
    queries += 1;
    // Who is asking, with the session (server/access/principal.ts).
    if (/FROM sessions\s+WHERE/.test(sql)) sessionLoads += 1;
    // A first pull's base (server/sync/pager.ts).
    if (/committed_seq\(/.test(sql)) baseReads += 1;
  });

beforeAll(async () => {
  f = await appFixture();
  const store = counted(f.store);
  app = createApp({ store, clock: () => f.now.value, mailer: memoryMailer(), config: { trustProxy: true, publicUrl: 'https://homeroom.test', rememberPulls: false } });
  signsInWithSecondFactor(app, { store, clock: () => f.now.value });
  remembering = createApp({ store, clock: () => f.now.value, mailer: memoryMailer(), config: { trustProxy: true, publicUrl: 'https://homeroom.test', rememberPulls: true } });
});
afterAll(() => f.close());

const pull = (token: string, name: string, _version: number, checkpoint: SyncCheckpoint | null) => pullPage(app, token, name, checkpoint);

describe('an in-sync pull', () => {
  it('costs one SQL round trip in every collection, for a guardian, a teacher and the office', async () => {
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
        expect(queries, `${username} ${collection.name}: statements for one in-sync pull`).toBe(1);
        // Where the gate's answers are remembered, the next one asks the store nothing.
        await pullPage(remembering, token, collection.name, checkpoint);
        queries = 0;
        expect((await pullPage(remembering, token, collection.name, checkpoint)).documents).toEqual([]);
        expect(queries, `${username} ${collection.name}: statements for a remembered in-sync pull`).toBe(0);
      }
    }
  });
});

describe('a first sync', () => {
  it('loads who is asking and reads its base once for its pulls side by side, where the server remembers pulls', async () => {
    // On PGlite's own thread, as `npm start` runs it: there the pulls' statements wait side by side
    // (in the test's thread each statement ends before the next request begins).
    const store = await migratedPgliteThread();
    try {
      await seedDistrict(store, { ...defaultSeedOptions(f.today), students: 100 });
      const threaded = createApp({ store: counted(store), clock: () => f.now.value, mailer: memoryMailer(), config: { rememberPulls: true } });
      const { token } = await signIn(threaded, 'demo-guardian');
      sessionLoads = 0;
      baseReads = 0;
      const pages = await Promise.all(SYNC_COLLECTIONS.map((collection) => pullPage(threaded, token, collection.name, null)));
      expect(pages.reduce((sum, page) => sum + page.documents.length, 0)).toBeGreaterThan(20);
      expect(sessionLoads).toBe(1);
      expect(baseReads).toBe(1);
    } finally {
      await store.close();
    }
  });
});
