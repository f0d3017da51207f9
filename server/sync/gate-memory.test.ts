/**
 * In-sync pulls answered from memory (pull-gate.ts GateMemory, `config.rememberPulls`): after one
 * gate statement a device's "anything new?" costs no statement, until the change feed hears a
 * commit to a table of the collection, the session's end, or the account's; a feed that is lost
 * sends every pull to the store again. Real PGlite and PostgreSQL notifications, real HTTP routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app.ts';
import type { Queryable, Store } from '../db/store.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { defaultSeedOptions, seedDistrict } from '../seed/generate.ts';
import { appFixture, call, signIn, signsInWithSecondFactor, type AppFixture } from '../test/app-fixture.ts';
import { observedStore, pullPage as pull, pullToEnd } from '../test/sync-client.ts';
import { freshPostgres, migratedPglite, postgresReachable, type TestDatabase } from '../test/stores.ts';
import { testDay } from '../test/test-day.ts';
import { ChangeFeed } from './changes.ts';
import { GateMemory, pullGate } from './pull-gate.ts';
import { SYNC_COLLECTIONS } from './registry.ts';

let statements = 0;
const counted = (store: Store) => observedStore(store, () => (statements += 1));

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

/** Resolves when `feed` has passed on the end of this account's sessions or of one of them. */
function ending(feed: ChangeFeed, districtId: string, accountId: string, sessionId: string): Promise<void> {
  return new Promise((resolve) => feed.onSessionEnd({ districtId, accountId, sessionId }, resolve));
}

const GUARDIANS_MARK = `(SELECT a.id FROM attendance a JOIN guardianships g ON g.district_id = a.district_id AND g.student_id = a.student_id
   JOIN accounts x ON x.person_id = g.guardian_person_id WHERE x.username = 'demo-guardian' ORDER BY a.id LIMIT 1)`;

describe('in-sync pulls from memory, on PGlite', () => {
  let f: AppFixture;
  let feed: ChangeFeed;
  let app: App;
  /** The account and session a token names (its claims). */
  const owner = (token: string) => {
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string; sid: string };
    return { accountId: claims.sub, sessionId: claims.sid };
  };

  beforeAll(async () => {
    f = await appFixture();
    feed = await ChangeFeed.start(f.store);
    const store = counted(f.store);
    app = createApp({ store, changes: feed, clock: () => f.now.value, mailer: memoryMailer(), config: { trustProxy: true, publicUrl: 'https://homeroom.test', rememberPulls: true } });
    signsInWithSecondFactor(app, { store, clock: () => f.now.value });
  });
  afterAll(async () => {
    await feed.close();
    await f.close();
  });

  it('answers an in-sync pull with no statement once one was asked, and sees a commit once it is heard', async () => {
    const { token } = await signIn(app, 'demo-guardian');
    const { checkpoint: end } = await pullToEnd(app, token, 'attendance');
    expect((await pull(app, token, 'attendance', end)).documents).toEqual([]);
    statements = 0;
    expect(await pull(app, token, 'attendance', end)).toEqual({ documents: [], checkpoint: end });
    expect(statements, 'statements of a remembered in-sync pull').toBe(0);

    // Another family's child's mark: heard, so her next pull asks the store (and finds nothing of hers).
    let commit = heard(feed, f.district.districtId, 'attendance');
    await f.store.query(`UPDATE attendance SET seq = seq WHERE id = (SELECT id FROM attendance WHERE district_id = $1 AND id <> ${GUARDIANS_MARK} ORDER BY id DESC LIMIT 1)`, [f.district.districtId]);
    await commit;
    statements = 0;
    const after = await pull(app, token, 'attendance', end);
    expect(after.documents).toEqual([]);
    expect(statements).toBeGreaterThan(0);

    // Her own child's mark: heard, and the next pull brings it.
    commit = heard(feed, f.district.districtId, 'attendance');
    const [mark] = await f.store.query<{ id: string }>(`UPDATE attendance SET seq = seq WHERE id = ${GUARDIANS_MARK} RETURNING id`);
    await commit;
    expect((await pull(app, token, 'attendance', after.checkpoint)).documents.map((d) => d.id)).toEqual([mark!.id]);

    // A commit to a table of another collection leaves attendance's memory alone.
    await pull(app, token, 'attendance', after.checkpoint);
    commit = heard(feed, f.district.districtId, 'fees');
    await f.store.query(`UPDATE fees SET seq = seq WHERE id = (SELECT id FROM fees WHERE district_id = $1 LIMIT 1)`, [f.district.districtId]);
    await commit;
    const latest = (await pull(app, token, 'attendance', after.checkpoint)).checkpoint;
    statements = 0;
    await pull(app, token, 'attendance', latest);
    expect(statements).toBe(0);
  });

  it('forgets a table’s head on a commit that names its students, whoever they are: a roster row of a student the teacher does not reach (migration 0023)', async () => {
    const { token } = await signIn(app, 'demo-teacher');
    const { checkpoint: end } = await pullToEnd(app, token, 'assignments');
    await pull(app, token, 'assignments', end);
    statements = 0;
    await pull(app, token, 'assignments', end);
    expect(statements, 'statements of a remembered in-sync pull').toBe(0);
    const [row] = await f.store.query<{ id: string; student_id: string }>(
      `SELECT r.id, r.student_id FROM section_enrollments r WHERE r.district_id = $1
          AND NOT EXISTS (SELECT 1 FROM access_grants g JOIN accounts x ON x.person_id = g.person_id AND x.username = 'demo-teacher' WHERE g.student_id = r.student_id)
        ORDER BY r.id LIMIT 1`,
      [f.district.districtId],
    );
    const named = new Promise<readonly string[] | null>((resolve) => {
      const off = feed.subscribe(f.district.districtId, (table, ids) => {
        if (table !== 'section_enrollments') return;
        off();
        resolve(ids);
      });
    });
    await f.store.query(`UPDATE section_enrollments SET seq = seq WHERE id = $1`, [row!.id]);
    expect(await named).toEqual([row!.student_id]);
    statements = 0;
    expect((await pull(app, token, 'assignments', end)).documents).toEqual([]);
    expect(statements, 'the next pull asks the store').toBeGreaterThan(0);
  });

  it('refuses a remembered session once its end is heard: sign-out, and a disabled account', async () => {
    const { token } = await signIn(app, 'demo-guardian');
    const { checkpoint: end } = await pullToEnd(app, token, 'students');
    const query = new URLSearchParams({ v: '0', seq: String(end!.seq), id: end!.id });
    expect((await call(app, 'GET', `/api/sync/students/pull?${query}`, { token })).status).toBe(200);
    statements = 0;
    expect((await call(app, 'GET', `/api/sync/students/pull?${query}`, { token })).status).toBe(200);
    expect(statements).toBe(0);
    const guardian = owner(token);
    const ended = ending(feed, f.district.districtId, guardian.accountId, guardian.sessionId);
    await f.store.query(`UPDATE sessions SET revoked_at = now() WHERE id = $1`, [guardian.sessionId]);
    await ended;
    expect((await call(app, 'GET', `/api/sync/students/pull?${query}`, { token })).status).toBe(401);

    const student = await signIn(app, 'demo-student');
    const mine = (await pullToEnd(app, student.token, 'students')).checkpoint!;
    const hers = new URLSearchParams({ v: '0', seq: String(mine.seq), id: mine.id });
    expect((await call(app, 'GET', `/api/sync/students/pull?${hers}`, { token: student.token })).status).toBe(200);
    const them = owner(student.token);
    const stopped = ending(feed, f.district.districtId, them.accountId, them.sessionId);
    await f.store.query(`UPDATE accounts SET status = 'disabled', disabled_reason = 'staff' WHERE id = $1`, [them.accountId]);
    await stopped;
    try {
      expect((await call(app, 'GET', `/api/sync/students/pull?${hers}`, { token: student.token })).status).toBe(401);
    } finally {
      await f.store.query(`UPDATE accounts SET status = 'active', disabled_reason = NULL WHERE id = $1`, [them.accountId]);
    }
  });
});

describe('what the memory hears', () => {
  it('hears every commit to every table a pull watches: each has notifying insert and update triggers', async () => {
    const store = await migratedPglite();
    try {
      const rows = await store.query<{ table: string; events: string[] }>(
        `SELECT c.relname AS table, array_agg(DISTINCT CASE WHEN tg.tgtype & 4 <> 0 THEN 'insert' END) || array_agg(DISTINCT CASE WHEN tg.tgtype & 16 <> 0 THEN 'update' END) AS events
           FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_proc p ON p.oid = tg.tgfoid
          WHERE NOT tg.tgisinternal AND p.proname IN ('notify_change', 'notify_grant_change') GROUP BY c.relname`,
      );
      const notifying = new Map(rows.map((r) => [r.table, new Set(r.events.filter(Boolean))]));
      const watched = [...new Set(SYNC_COLLECTIONS.flatMap((c) => c.tables))].sort();
      expect(watched.filter((table) => !(notifying.get(table)?.has('insert') && notifying.get(table)?.has('update')))).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('what the gate keeps', () => {
  const asking = { districtId: 'd', accountId: 'a', sessionId: 's' };
  const now = new Date('2026-12-07T10:00:00Z');
  const later = new Date('2026-12-07T11:00:00Z');
  let asked = 0;
  const gateRow: Record<string, string | Date | null> = { live_until: later, h0: '5', h1: '7', watermark: '9' };
  const db = { query: async () => (asked++, [gateRow]), exec: async () => {} } as unknown as Queryable;
  const gate = (tables: string[], seq: number, at = now, who = asking) => pullGate(db, who, at, tables, { seq, id: '00000000-0000-0000-0000-000000000001' }, memory);
  const memory = new GateMemory();

  it('answers from memory while the session is live and every head of the tables is before the checkpoint', async () => {
    expect(await gate(['t1', 't2'], 8)).toEqual({ live: true, changed: false, watermark: 9 });
    expect(await gate(['t1', 't2'], 8)).toEqual({ live: true, changed: false, watermark: null });
    expect(asked).toBe(1);
    expect((await gate(['t1', 't2'], 7)).changed, 'a head at the checkpoint is new').toBe(true);
    await gate(['t1', 't2'], 8, now, { ...asking, accountId: 'b' });
    await gate(['t1', 't2'], 8, later);
    expect(asked, 'another account, and the session expired, ask the store').toBe(4);
    memory.changed('d', 't2');
    await gate(['t1', 't2'], 8);
    await gate(['t1', 't2'], 8);
    expect(asked, 'a commit heard asks once more').toBe(5);
    gateRow.live_until = null;
    memory.ended({ districtId: 'd', kind: 'session', id: 's' });
    expect(await gate(['t1', 't2'], 8)).toMatchObject({ live: false });
    expect(await gate(['t1', 't2'], 8)).toMatchObject({ live: false });
    expect(asked, 'a session not live is never remembered').toBe(7);
  });
});

describe('in-sync pulls from memory, on PostgreSQL', () => {
  let db: TestDatabase | undefined;
  let feed: ChangeFeed;
  let app: App;
  const now = { value: new Date() };

  beforeAll(async () => {
    if (!(await postgresReachable())) return;
    db = await freshPostgres({ migrated: true });
    const today = testDay();
    await seedDistrict(db.store, { ...defaultSeedOptions(today), students: 100 });
    now.value = new Date(`${today}T10:00:00Z`);
    feed = await ChangeFeed.start(db.store);
    const store = counted(db.store);
    app = createApp({ store, changes: feed, clock: () => now.value, mailer: memoryMailer(), config: { trustProxy: true, publicUrl: 'https://homeroom.test', rememberPulls: true } });
    signsInWithSecondFactor(app, { store, clock: () => now.value });
  }, 120_000);
  afterAll(async () => {
    await feed?.close();
    await db?.drop();
  });

  it('asks the store again for every pull once the feed’s connection is lost', async (context) => {
    if (!db) return context.skip();
    const { token } = await signIn(app, 'demo-guardian');
    const { checkpoint: end } = await pullToEnd(app, token, 'attendance');
    await pull(app, token, 'attendance', end);
    statements = 0;
    await pull(app, token, 'attendance', end);
    expect(statements).toBe(0);
    await db.store.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`);
    // The feed's client hears its connection end; until then the memory may still answer.
    for (let i = 0; i < 100 && statements === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await pull(app, token, 'attendance', end);
    }
    statements = 0;
    await pull(app, token, 'attendance', end);
    expect(statements, 'a pull after the feed was lost').toBe(1);
  });
});
