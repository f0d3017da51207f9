import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { openPostgres, type Store } from '../db/store.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { defaultSeedOptions, seedDistrict } from '../seed/generate.ts';
import { listen, servedAppFixture, signIn, signsInWithSecondFactor, type ServedAppFixture } from '../test/app-fixture.ts';
import { ChangeFeed } from './changes.ts';
import { openStream } from '../test/event-stream.ts';
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
