import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { openPostgres, type Store } from '../db/store.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { defaultSeedOptions, seedDistrict } from '../seed/generate.ts';
import { listen, servedAppFixture, signIn, signsInWithSecondFactor, type ServedAppFixture } from '../test/app-fixture.ts';
import { ChangeFeed } from './changes.ts';
import { openStream } from '../test/event-stream.ts';
import { childrenOf, guardianOfAnotherFamily } from '../test/family-accounts.ts';
import { observedStore } from '../test/sync-client.ts';
import { freshPostgres, postgresReachable, type TestDatabase } from '../test/stores.ts';

describe('sync stream on PGlite', () => {
  let f: ServedAppFixture;
  let lakesideStudent: string;

  beforeAll(async () => {
    f = await servedAppFixture();
    const lakeside = await seedDistrict(f.store, { ...defaultSeedOptions('2026-11-24'), seed: 5, students: 100, slug: 'lakeside', name: 'Lakeside Schools', demoPrefix: 'lakeside', usernameTag: 'lakeside.' });
    lakesideStudent = (await f.store.query<{ id: string }>('SELECT id FROM students WHERE district_id = $1 LIMIT 1', [lakeside.districtId]))[0]!.id;
  });
  afterAll(() => f.close());

  it('says resync on connect, then "pull students" when a student record of the district changes, and nothing for another district', async () => {
    const { token } = await signIn(f.app, 'demo-guardian');
    const stream = await openStream(f.base, token);
    try {
      expect(await stream.waitFor((e) => e.event === 'resync')).not.toBeNull();
      await f.store.query(`UPDATE people SET preferred_name = 'Ace' WHERE id = (SELECT person_id FROM students WHERE id = $1)`, [lakesideStudent]);
      expect(await stream.waitFor((e) => e.event === 'change', 600)).toBeNull();
      await f.store.query(`UPDATE people SET preferred_name = 'Lulu' WHERE id = (SELECT person_id FROM students WHERE district_id = $1 LIMIT 1)`, [f.district.districtId]);
      const change = await stream.waitFor((e) => e.event === 'change');
      expect(change).not.toBeNull();
      expect(JSON.parse(change!.data).collections).toEqual(expect.arrayContaining(['students']));
    } finally {
      stream.close();
    }
  });

  it('folds a burst of changes into one event', async () => {
    const { token } = await signIn(f.app, 'demo-teacher');
    const stream = await openStream(f.base, token);
    try {
      await stream.waitFor((e) => e.event === 'resync');
      for (let i = 0; i < 5; i++) {
        await f.store.query(`UPDATE students SET english_learner = NOT english_learner WHERE district_id = $1 AND student_number = (SELECT min(student_number) FROM students WHERE district_id = $1)`, [f.district.districtId]);
      }
      await stream.waitFor((e) => e.event === 'change');
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(stream.events.filter((e) => e.event === 'change')).toHaveLength(1);
    } finally {
      stream.close();
    }
  });

  it('wakes a family’s device, and reads its scope again, only when its own grants change: not for another family’s guardianships', async () => {
    const statements: string[] = [];
    const app = createApp({ store: observedStore(f.store, (sql) => statements.push(sql)), clock: () => f.now.value, mailer: memoryMailer(), config: {} });
    const served = await listen(app);
    // The principal read again without a session: a stream rescoping (requests read theirs with the session's).
    const reloads = () => statements.filter((sql) => sql.includes('json_build_array(k.via') && !sql.includes('sess AS')).length;
    const person = async (username: string) => (await f.store.query<{ person_id: string }>('SELECT person_id FROM accounts WHERE username = $1', [username]))[0]!.person_id;
    const guardianA = await person('demo-guardian');
    const guardianB = await person(await guardianOfAnotherFamily(f.store));
    const [stranger] = await f.store.query<{ id: string; school_id: string }>(
      `SELECT s.id, e.school_id FROM students s JOIN enrollments e ON e.district_id = s.district_id AND e.student_id = s.id AND NOT e.deleted AND e.end_date IS NULL
        WHERE s.district_id = $1 AND NOT (s.id = ANY($2::uuid[]))
          AND NOT EXISTS (SELECT 1 FROM guardianships g WHERE g.student_id = s.id AND g.guardian_person_id = ANY($3::uuid[]))
        ORDER BY s.id LIMIT 1`,
      [f.district.districtId, await childrenOf(f.store, 'demo-guardian'), [guardianA, guardianB]],
    );
    const guardianship = async (guardian: string) => {
      const [row] = await f.store.query<{ id: string }>(
        `INSERT INTO guardianships (district_id, id, student_id, guardian_person_id, relationship, portal_access) VALUES ($1, gen_random_uuid(), $2, $3, 'guardian', true) RETURNING id`,
        [f.district.districtId, stranger!.id, guardian],
      );
      return row!.id;
    };
    const end = (id: string) => f.store.query('UPDATE guardianships SET deleted = true WHERE id = $1', [id]);
    let marks = 0;
    const mark = async () => {
      const date = `2026-09-${String(++marks).padStart(2, '0')}`;
      await f.store.query('DELETE FROM attendance WHERE district_id = $1 AND student_id = $2 AND date = $3', [f.district.districtId, stranger!.id, date]);
      await f.store.query(
        `INSERT INTO attendance (district_id, id, student_id, school_id, date, section_id, status, excuse, comment) VALUES ($1, gen_random_uuid(), $2, $3, $4, NULL, 'tardy', 'unknown', '')`,
        [f.district.districtId, stranger!.id, stranger!.school_id, date],
      );
    };
    const { token } = await signIn(app, 'demo-guardian');
    const stream = await openStream(served.base, token);
    const changes = () => stream.events.filter((e) => e.event === 'change').length;
    try {
      expect(await stream.waitFor((e) => e.event === 'resync')).not.toBeNull();
      const before = reloads();
      // Guardian B of another family gains a child and loses it: nothing for A's device, and no reload.
      const theirs = await guardianship(guardianB);
      await end(theirs);
      await mark();
      expect(await stream.waitFor((e) => e.event === 'change', 800)).toBeNull();
      expect(reloads()).toBe(before);
      // A gains the child: her device is told, and hears of the child's marks from then on.
      const mine = await guardianship(guardianA);
      const gained = await stream.waitFor((e) => e.event === 'change');
      expect(JSON.parse(gained!.data).collections).toEqual(expect.arrayContaining(['students', 'attendance']));
      expect(reloads()).toBeGreaterThan(before);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const told = changes();
      await mark();
      expect(await stream.waitFor(() => changes() > told)).not.toBeNull();
      // A loses the child: told once (the tombstones), then no more about the child.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const beforeLoss = changes();
      await end(mine);
      expect(await stream.waitFor(() => changes() > beforeLoss)).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const afterLoss = changes();
      await mark();
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(changes()).toBe(afterLoss);
    } finally {
      stream.close();
      await served.close();
    }
  });

  it('refuses a stream without a valid token', async () => {
    expect((await fetch(`${f.base}/api/sync/stream`)).status).toBe(401);
  });
});

describe.runIf(await postgresReachable())('sync stream across two server instances on one PostgreSQL', () => {
  let db: TestDatabase;
  let second: Store;
  let feed: ChangeFeed;
  let served: Array<Awaited<ReturnType<typeof listen>>> = [];

  beforeAll(async () => {
    db = await freshPostgres({ migrated: true });
    await seedDistrict(db.store, { ...defaultSeedOptions('2026-11-24'), students: 100 });
    second = await openPostgres(db.url, 4);
    feed = await ChangeFeed.start(second);
  });
  afterAll(async () => {
    for (const server of served) await server.close();
    await feed.close();
    await second.close();
    await db.drop();
  });

  it('streams a change committed through one instance to a device connected to the other', async () => {
    const clock = () => new Date('2026-11-24T15:00:00Z');
    const appA = createApp({ store: db.store, clock, mailer: memoryMailer(), config: {} });
    const appB = createApp({ store: second, clock, mailer: memoryMailer(), changes: feed, config: {} });
    served = [await listen(appA), await listen(appB)];
    signsInWithSecondFactor(appB, { store: second, clock });
    const { token } = await signIn(appB, 'demo-office');
    const stream = await openStream(served[1]!.base, token);
    try {
      await stream.waitFor((e) => e.event === 'resync');
      // A write through instance A (its own connection pool).
      await db.store.query(`UPDATE people SET preferred_name = 'Nico' WHERE id = (SELECT person_id FROM students LIMIT 1)`);
      const change = await stream.waitFor((e) => e.event === 'change');
      expect(change && JSON.parse(change.data).collections).toEqual(expect.arrayContaining(['students']));
    } finally {
      stream.close();
    }
  });
});
