/**
 * The in-sync pull (pull-gate.ts): one statement when nothing changed after the checkpoint; a
 * change elsewhere in the district costs one full pull, which moves the checkpoint up to the
 * district's watermark; a writer holding the district's lock keeps the watermark from passing
 * its rows; and the gate watches every table a puller reads, or a change could be missed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app.ts';
import { loadPrincipal } from '../access/principal.ts';
import type { Store } from '../db/store.ts';
import { LAST_ID } from '../domain/ids.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { defaultSeedOptions, seedDistrict } from '../seed/generate.ts';
import { appFixture, call, signIn, signsInWithSecondFactor, type AppFixture } from '../test/app-fixture.ts';
import { observedStore, pullPage, pullToEnd as pullAll } from '../test/sync-client.ts';
import { freshPostgres, postgresReachable, type TestDatabase } from '../test/stores.ts';
import { testDay } from '../test/test-day.ts';
import { SYNC_COLLECTIONS } from './registry.ts';

let queries: string[] = [];
const recorded = (store: Store) => observedStore(store, (sql) => queries.push(sql));
const pull = pullPage;
/** Pulls to the end; answers the last checkpoint. */
const pullToEnd = async (app: App, token: string, name: string) => (await pullAll(app, token, name)).checkpoint;

/** Tables a statement reads: every `FROM x` and `JOIN x`, less its own CTEs and set-returning functions. */
function tablesRead(text: string): Set<string> {
  const sql = text.replace(/--[^\n]*/g, ' ');
  const ctes = new Set([...sql.matchAll(/(?:WITH|,)\s*(?:RECURSIVE\s+)?([a-z_][a-z0-9_]*)\s*(?:\([^)]*\))?\s+AS\s+(?:MATERIALIZED\s+|NOT MATERIALIZED\s+)?\(/gi)].map((m) => m[1]!.toLowerCase()));
  const read = new Set<string>();
  for (const match of sql.matchAll(/\b(?:FROM|JOIN)\s+(?:LATERAL\s+)?([a-z_][a-z0-9_]*)\s*(\()?/gi)) {
    const name = match[1]!.toLowerCase();
    if (match[2] || ctes.has(name) || ['lateral', 'unnest', 'jsonb_array_elements', 'json_array_elements', 'generate_series'].includes(name)) continue;
    read.add(name);
  }
  return read;
}

describe('the pull gate on PGlite', () => {
  let f: AppFixture;
  let app: App;

  beforeAll(async () => {
    f = await appFixture();
    const store = recorded(f.store);
    // The statement itself: no memory of earlier answers (gate-memory.test.ts).
    app = createApp({ store, clock: () => f.now.value, mailer: memoryMailer(), config: { trustProxy: true, publicUrl: 'https://homeroom.test', rememberPulls: false } });
    signsInWithSecondFactor(app, { store, clock: () => f.now.value });
  });
  afterAll(() => f.close());

  it('watches every table each puller reads, for every kind of user', async () => {
    const today = f.today;
    const unwatched = new Set<string>();
    for (const username of ['demo-guardian', 'demo-student', 'demo-teacher', 'demo-office', 'demo-principal', 'demo-admin']) {
      const [account] = await f.store.query<{ id: string }>('SELECT id FROM accounts WHERE district_id = $1 AND username = $2', [f.district.districtId, username]);
      const principal = (await loadPrincipal(f.store, f.district.districtId, account!.id, today))!;
      for (const collection of SYNC_COLLECTIONS) {
        queries = [];
        const first = await collection.pull(recorded(f.store), principal, today, null, 5);
        await collection.pull(recorded(f.store), principal, today, first.checkpoint, 5);
        const read = new Set(queries.flatMap((sql) => [...tablesRead(sql)]));
        expect(read.size, `${collection.name} reads tables`).toBeGreaterThan(0);
        for (const table of read) if (!collection.tables.includes(table)) unwatched.add(`${collection.name}: ${table}`);
      }
    }
    expect([...unwatched].sort(), 'tables a puller reads that its gate and stream do not watch').toEqual([]);
  });

  it('answers an in-sync pull with one statement, and moves the checkpoint to the watermark after a change elsewhere', async () => {
    const { token } = await signIn(app, 'demo-guardian');
    const end = await pullToEnd(app, token, 'attendance');
    expect(end).toMatchObject({ id: LAST_ID });
    queries = [];
    expect(await pull(app, token, 'attendance', end)).toEqual({ documents: [], checkpoint: end });
    expect(queries).toHaveLength(1);

    // Another family's child is marked absent: the gate opens, her pull finds nothing of hers.
    await f.store.query(
      `UPDATE attendance SET seq = seq WHERE id = (SELECT a.id FROM attendance a WHERE a.district_id = $1 AND a.student_id NOT IN (
         SELECT g.student_id FROM guardianships g JOIN accounts x ON x.person_id = g.guardian_person_id WHERE x.username = 'demo-guardian') LIMIT 1)`,
      [f.district.districtId],
    );
    queries = [];
    const after = await pull(app, token, 'attendance', end);
    expect(after.documents).toEqual([]);
    expect(after.checkpoint!.seq).toBeGreaterThan(end!.seq);
    expect(queries.length).toBeGreaterThan(1);
    queries = [];
    expect((await pull(app, token, 'attendance', after.checkpoint)).documents).toEqual([]);
    expect(queries).toHaveLength(1);

    // Her own child's mark changes: the gate opens and the mark comes.
    const [mark] = await f.store.query<{ id: string }>(
      `UPDATE attendance SET seq = seq WHERE id = (SELECT a.id FROM attendance a JOIN guardianships g ON g.district_id = a.district_id AND g.student_id = a.student_id
         JOIN accounts x ON x.person_id = g.guardian_person_id WHERE x.username = 'demo-guardian' LIMIT 1) RETURNING id`,
    );
    expect((await pull(app, token, 'attendance', after.checkpoint)).documents.map((d) => d.id)).toEqual([mark!.id]);
  });

  it('refuses a pull of a revoked session, gate or not', async () => {
    const { token } = await signIn(app, 'demo-guardian');
    const end = await pullToEnd(app, token, 'students');
    await f.store.query(`UPDATE sessions SET revoked_at = now() WHERE account_id = (SELECT id FROM accounts WHERE username = 'demo-guardian')`);
    const query = new URLSearchParams({ v: '0', seq: String(end!.seq), id: end!.id });
    expect((await call(app, 'GET', `/api/sync/students/pull?${query}`, { token })).status).toBe(401);
    expect((await call(app, 'GET', `/api/sync/students/pull?v=0`, { token })).status).toBe(401);
  });
});

describe('the pull gate on PostgreSQL, beside a writer', () => {
  let db: TestDatabase | undefined;
  let app: App;
  let districtId: string;
  const now = { value: new Date() };

  beforeAll(async () => {
    if (!(await postgresReachable())) return;
    db = await freshPostgres({ migrated: true });
    const today = testDay();
    districtId = (await seedDistrict(db.store, { ...defaultSeedOptions(today), students: 100 })).districtId;
    now.value = new Date(`${today}T10:00:00Z`);
    app = createApp({ store: db.store, clock: () => now.value, mailer: memoryMailer(), config: { trustProxy: true, publicUrl: 'https://homeroom.test' } });
    signsInWithSecondFactor(app, { store: db.store, clock: () => now.value });
  }, 120_000);
  afterAll(() => db?.drop());

  it('does not move a checkpoint past a write that has not committed', async (context) => {
    if (!db) return context.skip();
    const store = db.store;
    const { token } = await signIn(app, 'demo-guardian');
    const end = await pullToEnd(app, token, 'attendance');
    const mine = `(SELECT a.id FROM attendance a JOIN guardianships g ON g.district_id = a.district_id AND g.student_id = a.student_id
                    JOIN accounts x ON x.person_id = g.guardian_person_id WHERE x.username = 'demo-guardian' LIMIT 1)`;
    // A change elsewhere opens her gate…
    await store.query(`UPDATE attendance SET seq = seq WHERE id = (SELECT id FROM attendance WHERE district_id = $1 AND id <> ${mine} ORDER BY id DESC LIMIT 1)`, [districtId]);
    // …while a writer holds the district's lock with a change to her child's mark.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    const writer = store.transaction(async (tx) => {
      await tx.query(`UPDATE attendance SET seq = seq WHERE id = ${mine}`);
      written();
      await held;
    });
    await wrote;
    const during = await pull(app, token, 'attendance', end);
    expect(during.documents).toEqual([]);
    release();
    await writer;
    const [{ id }] = (await store.query<{ id: string }>(`SELECT ${mine} AS id`)) as [{ id: string }];
    expect((await pull(app, token, 'attendance', during.checkpoint)).documents.map((d) => d.id)).toEqual([id]);
  });
});
