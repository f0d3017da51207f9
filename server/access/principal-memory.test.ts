/**
 * Who is asking, remembered between pulls where pulls are remembered (principal-memory.ts): a
 * first sync loads it once, not once per collection, and a change to anything it is made of (a
 * grant, the session, the account) counts on the next pull once the change feed has heard it.
 * Real PGlite notifications, real HTTP routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app.ts';
import type { Queryable, Store } from '../db/store.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { appFixture, call, signIn, signsInWithSecondFactor, type AppFixture } from '../test/app-fixture.ts';
import { observedStore, pullPage } from '../test/sync-client.ts';
import { migratedPglite } from '../test/stores.ts';
import { ChangeFeed } from '../sync/changes.ts';
import { SYNC_COLLECTIONS } from '../sync/registry.ts';
import { loadSessionPrincipal } from './principal.ts';
import { PRINCIPAL_TABLES, PrincipalMemory } from './principal-memory.ts';

const statements: string[] = [];
const counted = (store: Store) => observedStore(store, (sql) => statements.push(sql));
/** The principal's statement: the only one that reads a session together with the person's grants. */
const principalLoads = () => statements.filter((sql) => /\bFROM sessions\b/.test(sql) && /\baccess_grants\b/.test(sql)).length;

/** Resolves when `feed` has passed on a commit to `table` in the district (the memory hears it first). */
function heard(feed: ChangeFeed, districtId: string, table: string): Promise<void> {
  return new Promise((resolve) => {
    const off = feed.subscribe(districtId, (changed) => {
      if (changed !== table) return;
      off();
      resolve();
    });
  });
}

function ending(feed: ChangeFeed, districtId: string, accountId: string, sessionId: string): Promise<void> {
  return new Promise((resolve) => feed.onSessionEnd({ districtId, accountId, sessionId }, resolve));
}

const owner = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string; sid: string };

describe('who is asking, remembered between pulls on PGlite', () => {
  let f: AppFixture;
  let feed: ChangeFeed;
  let remembering: App;
  let forgetting: App;

  beforeAll(async () => {
    f = await appFixture();
    feed = await ChangeFeed.start(f.store);
    const store = counted(f.store);
    const config = { trustProxy: true, publicUrl: 'https://homeroom.test' };
    remembering = createApp({ store, changes: feed, clock: () => f.now.value, mailer: memoryMailer(), config: { ...config, rememberPulls: true } });
    forgetting = createApp({ store, changes: feed, clock: () => f.now.value, mailer: memoryMailer(), config: { ...config, rememberPulls: false } });
    for (const app of [remembering, forgetting]) signsInWithSecondFactor(app, { store, clock: () => f.now.value });
  });
  afterAll(async () => {
    await feed.close();
    await f.close();
  });

  it('loads who is asking once for a first sync of every collection (once per collection where pulls are not remembered)', async () => {
    for (const [app, loads] of [[remembering, 1], [forgetting, SYNC_COLLECTIONS.length]] as const) {
      const { token } = await signIn(app, 'demo-teacher');
      statements.length = 0;
      for (const collection of SYNC_COLLECTIONS) await pullPage(app, token, collection.name, null);
      expect(principalLoads(), `principal statements, rememberPulls ${app === remembering}`).toBe(loads);
    }
  });

  it('sees a lost grant on the next pull once the feed has heard it', async () => {
    const { token } = await signIn(remembering, 'demo-guardian');
    const before = (await pullPage(remembering, token, 'students', null)).documents.filter((d) => !d._deleted).map((d) => d.id);
    expect(before.length).toBeGreaterThan(1);
    statements.length = 0;
    await pullPage(remembering, token, 'students', null);
    expect(principalLoads(), 'remembered').toBe(0);
    const commit = heard(feed, f.district.districtId, 'access_grants');
    await f.store.query(`UPDATE guardianships SET portal_access = false WHERE guardian_person_id = (SELECT person_id FROM accounts WHERE username = 'demo-guardian') AND student_id = $1`, [before[0]!]);
    try {
      await commit;
      statements.length = 0;
      const after = (await pullPage(remembering, token, 'students', null)).documents.filter((d) => !d._deleted).map((d) => d.id);
      expect(principalLoads(), 'loaded again after the grant changed').toBe(1);
      expect(after.sort()).toEqual(before.slice(1).sort());
    } finally {
      await f.store.query(`UPDATE guardianships SET portal_access = true WHERE guardian_person_id = (SELECT person_id FROM accounts WHERE username = 'demo-guardian') AND student_id = $1`, [before[0]!]);
    }
  });

  it('refuses a remembered session once its end is heard: sign-out, and a disabled account', async () => {
    const { token } = await signIn(remembering, 'demo-guardian');
    const path = `/api/sync/students/pull?v=${SYNC_COLLECTIONS[0]!.version}&limit=1000`;
    expect((await call(remembering, 'GET', path, { token })).status).toBe(200);
    const guardian = owner(token);
    const ended = ending(feed, f.district.districtId, guardian.sub, guardian.sid);
    await f.store.query(`UPDATE sessions SET revoked_at = now() WHERE id = $1`, [guardian.sid]);
    await ended;
    expect((await call(remembering, 'GET', path, { token })).status).toBe(401);

    const student = await signIn(remembering, 'demo-student');
    expect((await call(remembering, 'GET', path, { token: student.token })).status).toBe(200);
    const them = owner(student.token);
    const stopped = ending(feed, f.district.districtId, them.sub, them.sid);
    await f.store.query(`UPDATE accounts SET status = 'disabled', disabled_reason = 'staff' WHERE id = $1`, [them.sub]);
    await stopped;
    try {
      expect((await call(remembering, 'GET', path, { token: student.token })).status).toBe(401);
    } finally {
      await f.store.query(`UPDATE accounts SET status = 'active', disabled_reason = NULL WHERE id = $1`, [them.sub]);
    }
  });
});

describe('what the memory hears', () => {
  it('hears every table the principal is made of: the statement reads only them and sessions, and each notifies on insert and update', async () => {
    const store = await migratedPglite();
    try {
      const sent: string[] = [];
      await loadSessionPrincipal(observedStore(store, (sql) => sent.push(sql)), { districtId: crypto.randomUUID(), accountId: crypto.randomUUID(), sessionId: crypto.randomUUID() }, new Date());
      const read = new Set([...sent.join('\n').matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)\b/g)].map((m) => m[1]!));
      const tables = new Set((await store.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`)).map((r) => r.name));
      expect([...read].filter((name) => tables.has(name)).sort()).toEqual([...PRINCIPAL_TABLES, 'sessions'].sort());

      const rows = await store.query<{ table: string; events: string[] }>(
        `SELECT c.relname AS table, array_agg(DISTINCT CASE WHEN tg.tgtype & 4 <> 0 THEN 'insert' END) || array_agg(DISTINCT CASE WHEN tg.tgtype & 16 <> 0 THEN 'update' END) AS events
           FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_proc p ON p.oid = tg.tgfoid
          WHERE NOT tg.tgisinternal AND p.proname IN ('notify_change', 'notify_grant_change') GROUP BY c.relname`,
      );
      const notifying = new Map(rows.map((r) => [r.table, new Set(r.events.filter(Boolean))]));
      expect(PRINCIPAL_TABLES.filter((table) => !(notifying.get(table)?.has('insert') && notifying.get(table)?.has('update')))).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('what the memory keeps', () => {
  const asking = { districtId: 'd', accountId: 'a', sessionId: 's' };
  const now = new Date('2026-12-07T10:00:00Z');
  let asked = 0;
  const row = {
    person_id: 'p', username: 'u', preferred_language: 'en', status: 'active', grants: [], staff_id: null as string | null, locations: [], sections: [],
    rights: [] as unknown[], session_expires_at: new Date('2026-12-08T11:00:00Z'), session_second_factor: false,
  };
  const db = { query: async () => (asked++, [row]), exec: async () => {} } as unknown as Queryable;
  const load = (at = now) => loadSessionPrincipal(db, asking, at, memory);
  const memory = new PrincipalMemory();

  it('answers its session on the day it was loaded, until a commit to a table it read, and never a session a second factor could still open', async () => {
    await load();
    expect((await load())?.principal.username).toBe('u');
    expect(asked).toBe(1);
    memory.changed('d', 'attendance');
    await load();
    expect(asked, 'a table it does not read').toBe(1);
    for (const table of PRINCIPAL_TABLES) {
      memory.changed('d', table);
      await load();
      await load();
    }
    expect(asked, 'each commit to a table it read: loaded once more').toBe(1 + PRINCIPAL_TABLES.length);
    await load(new Date('2026-12-08T00:00:00Z'));
    expect(asked, 'another day').toBe(2 + PRINCIPAL_TABLES.length);

    Object.assign(row, { staff_id: 't', locations: [{ role: 'nurse', school_id: null }], rights: [{ tool: 'health', school_id: null, expires_on: '2027-01-01' }] });
    memory.ended({ districtId: 'd', kind: 'session', id: 's' });
    await load();
    await load();
    expect(asked, 'a session a second factor could still open').toBe(4 + PRINCIPAL_TABLES.length);
    row.session_second_factor = true;
    await load();
    await load();
    expect(asked).toBe(5 + PRINCIPAL_TABLES.length);
  });
});
