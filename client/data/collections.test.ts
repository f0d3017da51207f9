/**
 * Every collection, pulled by the app's data layer for each demo account from the real API
 * (client/test/api-server.mjs), into IndexedDB through the schema-validating storage: each
 * collection's first sync ends, and a family's device holds only its own children's records.
 */
import { expect } from 'chai';
import type { Subscription } from 'rxjs';
import { describe, it } from '../test/mocha.ts';
import { signInWithData, until, useDataLayerAgainstApi } from '../test/sync.ts';
import { collectionNames, type HomeroomDatabase } from './database.ts';
import { getSyncState } from './sync-state.ts';
import { useOwnDistrict } from '../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('collections');

async function unsynced(db: HomeroomDatabase): Promise<string[]> {
  const states = await Promise.all(collectionNames.map(async (name) => [name, await getSyncState(db, name)] as const));
  return states.filter(([, state]) => state.lastSyncedAt === null || state.updateRequired).map(([name]) => name);
}

/** Signs in as `username` and waits until every collection has pulled once, failing on any replication error. */
async function syncEverything(username: string): Promise<HomeroomDatabase> {
  const { layer } = await signInWithData(username);
  const errors: string[] = [];
  const subscriptions: Subscription[] = [...layer.sync.replications].map(([name, replication]) =>
    replication.error$.subscribe((error) => errors.push(`${name}: ${error.message}`)),
  );
  try {
    let left: string[] = [];
    // A principal's device pulls a whole school (thousands of scores): slow on a busy test machine.
    await until(async () => (left = await unsynced(layer.db)).length === 0 || errors.length > 0, 60_000, 'every collection syncs').catch((error: Error) => {
      throw new Error(`${username}: ${error.message}; not yet: ${left.join(', ')}`);
    });
    expect(errors, username).to.deep.equal([]);
  } finally {
    for (const subscription of subscriptions) subscription.unsubscribe();
  }
  return layer.db;
}

describe('every collection', () => {
  useDataLayerAgainstApi();

  it('holds the eleven collections the server syncs', async () => {
    expect(collectionNames).to.have.length(11);
  });

  for (const username of [demo.student, demo.teacher, demo.office, demo.principal]) {
    it(`syncs every collection for ${username}, each document valid against its schema`, async function () {
      this.timeout(90_000);
      const db = await syncEverything(username);
      expect(await db.students.count().exec(), 'students').to.be.greaterThan(0);
    });
  }

  it('opens the next account’s eleven collections when another account signs in over the last', async function () {
    this.timeout(90_000);
    const guardian = await syncEverything(demo.guardian);
    // No sign-out in between: the guardian's database goes first (a tab opens at most 13 collections).
    const teacher = await syncEverything(demo.teacher);
    expect(guardian.closed).to.equal(true);
    expect(teacher.name).to.not.equal(guardian.name);
    expect(Object.keys(teacher.collections)).to.have.length(11);
  });

  it('gives demo-guardian’s device her three children’s records and nobody else’s', async function () {
    this.timeout(90_000);
    const db = await syncEverything(demo.guardian);
    const children = new Set((await db.students.find().exec()).map((student) => student.id));
    expect(children.size).to.equal(3);
    const strangers = (name: string, ids: Array<string | null>) => ids.filter((id) => id !== null && !children.has(id)).map((id) => `${name}: ${id}`);
    const about = [
      ...strangers('attendance', (await db.attendance.find().exec()).map((doc) => doc.studentId)),
      ...strangers('scores', (await db.scores.find().exec()).map((doc) => doc.studentId)),
      ...strangers('grades', (await db.grades.find().exec()).map((doc) => doc.studentId)),
      ...strangers('health', (await db.health.find().exec()).map((doc) => doc.studentId)),
      ...strangers('fees', (await db.fees.find().exec()).map((doc) => doc.studentId)),
      ...strangers('requests', (await db.requests.find().exec()).map((doc) => doc.studentId)),
      ...strangers('messages', (await db.messages.find().exec()).map((doc) => doc.aboutStudentId)),
      ...strangers('sections', (await db.sections.find().exec()).flatMap((doc) => doc.studentIds)),
    ];
    expect(about).to.deep.equal([]);
    expect(await db.attendance.count().exec(), 'her children’s marks').to.be.greaterThan(0);
    expect(await db.profile.count().exec(), 'her household').to.be.greaterThan(0);
  });
});
