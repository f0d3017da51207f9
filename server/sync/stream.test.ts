import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app.ts';
import { openPostgres, type Store } from '../db/store.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { defaultSeedOptions, seedDistrict } from '../seed/generate.ts';
import { listen, servedAppFixture, signIn, signsInWithSecondFactor, type ServedAppFixture } from '../test/app-fixture.ts';
import { ChangeFeed } from './changes.ts';
import { openStream } from '../test/event-stream.ts';
import { childrenOf, guardianOfAnotherFamily } from '../test/family-accounts.ts';
import { observedStore } from '../test/sync-client.ts';
import { freshPostgres, postgresReachable, type TestDatabase } from '../test/stores.ts';

/** Resolves after `ms`. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Issue 12 item 5 on any store: a change to enrollments, section rosters, caseloads or staff
 * locations names whom it is about (migration 0023), so a device hears only of those in its
 * scope: the students its grants reach in force on `today`, and for a staff location its own
 * person. A statement touching more than 40 students names no one and wakes every device.
 */
async function rosterChangesReachOnlyTheirPeople(app: App, base: string, store: Store, districtId: string, today: string) {
  const person = async (username: string) => (await store.query<{ person_id: string }>('SELECT person_id FROM accounts WHERE username = $1', [username]))[0]!.person_id;
  const guardian = await person('demo-guardian');
  const teacher = await person('demo-teacher');
  const reaches = (who: string, alias: string) => `EXISTS (SELECT 1 FROM access_grants g WHERE g.district_id = $1 AND g.student_id = ${alias}.student_id AND g.person_id = '${who}'
      AND g.active AND (g.start_date IS NULL OR g.start_date <= $2::date) AND (g.end_date IS NULL OR $2::date <= g.end_date))`;
  const neither = (alias: string) => `NOT EXISTS (SELECT 1 FROM access_grants g WHERE g.district_id = $1 AND g.student_id = ${alias}.student_id AND g.person_id = ANY(ARRAY['${guardian}', '${teacher}']::uuid[]))`;
  const one = async (sql: string) => {
    const [row] = await store.query<{ id: string }>(sql, [districtId, today]);
    expect(row, sql).toBeDefined();
    return row!.id;
  };
  const strangerEnrollment = await one(`SELECT e.id FROM enrollments e WHERE e.district_id = $1 AND $2::date IS NOT NULL AND ${neither('e')} ORDER BY e.id LIMIT 1`);
  const strangerRoster = await one(`SELECT r.id FROM section_enrollments r WHERE r.district_id = $1 AND $2::date IS NOT NULL AND ${neither('r')} ORDER BY r.id LIMIT 1`);
  const childEnrollment = await one(`SELECT e.id FROM enrollments e WHERE e.district_id = $1 AND ${reaches(guardian, 'e')} ORDER BY e.id LIMIT 1`);
  // A roster row of a section she teaches, of a student the guardian does not reach.
  const teachersRoster = await one(
    `SELECT r.id FROM section_enrollments r JOIN section_staff ss ON ss.district_id = r.district_id AND ss.section_id = r.section_id AND NOT ss.deleted
       JOIN staff t ON t.district_id = ss.district_id AND t.id = ss.staff_id AND t.person_id = '${teacher}'
      WHERE r.district_id = $1 AND NOT r.deleted AND ${reaches(teacher, 'r')} AND NOT ${reaches(guardian, 'r')} ORDER BY r.id LIMIT 1`,
  );
  const ownLocation = await one(`SELECT l.id FROM staff_locations l JOIN staff t ON t.district_id = l.district_id AND t.id = l.staff_id WHERE l.district_id = $1 AND $2::date IS NOT NULL AND t.person_id = '${teacher}' ORDER BY l.id LIMIT 1`);
  const othersLocation = await one(`SELECT l.id FROM staff_locations l JOIN staff t ON t.district_id = l.district_id AND t.id = l.staff_id WHERE l.district_id = $1 AND $2::date IS NOT NULL AND t.person_id <> '${teacher}' ORDER BY l.id LIMIT 1`);
  const strangerCaseload = await store.query<{ id: string }>(`SELECT c.id FROM counselor_caseloads c WHERE c.district_id = $1 AND $2::date IS NOT NULL AND ${neither('c')} ORDER BY c.id LIMIT 1`, [districtId, today]);
  // Writes that change nothing but the rows' seq: the grants stay as they were, so only the roster tables notify.
  const touch = (table: string, ids: string[]) => store.query(`UPDATE ${table} SET updated_at = now() WHERE district_id = $1 AND id = ANY($2::uuid[])`, [districtId, ids]);

  const family = await openStream(base, (await signIn(app, 'demo-guardian')).token);
  const classroom = await openStream(base, (await signIn(app, 'demo-teacher')).token);
  const changes = (stream: typeof family) => stream.events.filter((e) => e.event === 'change').map((e) => JSON.parse(e.data).collections as string[]);
  try {
    expect(await family.waitFor((e) => e.event === 'resync')).not.toBeNull();
    expect(await classroom.waitFor((e) => e.event === 'resync')).not.toBeNull();
    // Another family's child's enrollment and roster row, a caseload and another staff member's location: nothing for either.
    await touch('enrollments', [strangerEnrollment]);
    await touch('section_enrollments', [strangerRoster]);
    await touch('counselor_caseloads', strangerCaseload.map((r) => r.id));
    await touch('staff_locations', [othersLocation]);
    await pause(800);
    expect(changes(family), 'the family heard of strangers').toEqual([]);
    expect(changes(classroom), 'the teacher heard of strangers').toEqual([]);
    // Her own section's roster: the teacher hears it, the family does not.
    await touch('section_enrollments', [teachersRoster]);
    expect(await classroom.waitFor((e) => e.event === 'change')).not.toBeNull();
    expect(changes(classroom)[0]).toEqual(expect.arrayContaining(['sections', 'assignments', 'scores']));
    // Her own staff location: her announcements' audience (messages).
    await pause(300);
    await touch('staff_locations', [ownLocation]);
    expect(await classroom.waitFor(() => changes(classroom).length > 1)).not.toBeNull();
    expect(changes(classroom)[1]).toEqual(['messages']);
    await pause(300);
    expect(changes(family), 'the family heard of the teacher').toEqual([]);
    // Her own child's enrollment: the family hears it (the student and the school's announcements).
    await touch('enrollments', [childEnrollment]);
    expect(await family.waitFor((e) => e.event === 'change')).not.toBeNull();
    expect(changes(family)[0]).toEqual(expect.arrayContaining(['students', 'messages']));
    // Over 40 students in one statement name no one: every device of the district is told.
    await pause(300);
    const [heardByFamily, heardByTeacher] = [changes(family).length, changes(classroom).length];
    const many = await store.query<{ id: string }>(`SELECT e.id FROM enrollments e WHERE e.district_id = $1 AND $2::date IS NOT NULL AND ${neither('e')} ORDER BY e.id LIMIT 45`, [districtId, today]);
    expect(many).toHaveLength(45);
    await touch('enrollments', many.map((r) => r.id));
    expect(await family.waitFor(() => changes(family).length > heardByFamily)).not.toBeNull();
    expect(await classroom.waitFor(() => changes(classroom).length > heardByTeacher)).not.toBeNull();
  } finally {
    family.close();
    classroom.close();
  }
}

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

  it('tells a family nothing of another family’s enrollments, rosters, caseloads or staff, and a teacher of her own section’s roster and her own location', async () => {
    await rosterChangesReachOnlyTheirPeople(f.app, f.base, f.store, f.district.districtId, f.today);
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

  it('tells a family nothing of another family’s enrollments, rosters, caseloads or staff, and a teacher of her own section’s roster and her own location', async () => {
    const clock = () => new Date('2026-11-24T15:00:00Z');
    const ownFeed = await ChangeFeed.start(db.store);
    const app = createApp({ store: db.store, clock, mailer: memoryMailer(), changes: ownFeed, config: {} });
    const server = await listen(app);
    signsInWithSecondFactor(app, { store: db.store, clock });
    const [{ id }] = (await db.store.query<{ id: string }>(`SELECT id FROM districts`)) as [{ id: string }];
    try {
      await rosterChangesReachOnlyTheirPeople(app, server.base, db.store, id, '2026-11-24');
    } finally {
      await server.close();
      await ownFeed.close();
    }
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
