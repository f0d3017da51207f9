/**
 * A device proves it holds its scope (integrity.ts) against the real server, with RxDB on
 * IndexedDB in Chromium: a whole copy matches the server's count and checksum in every
 * collection; a copy damaged by hand in IndexedDB (a document deleted, one changed, a revoked
 * child's tombstone brought back to life) is found on the next sync, repaired, and reported.
 */
import { expect } from 'chai';
import { setPortalAccess } from '../test/api.ts';
import { describe, it } from '../test/mocha.ts';
import { useOwnDistrict } from '../test/district.ts';
import { pullAll, signInWithData, until, untilFirstSync, useDataLayerAgainstApi } from '../test/sync.ts';
import { fetchAccessLog } from './account.ts';
import { collectionNames, createDatabase, createStorage, type HomeroomDatabase } from './database.ts';
import { holdsScope, repairCollection } from './integrity.ts';
import { startSync } from './replication.ts';
import { authorizedFetch } from './session.ts';
import type { RepairReport } from '../../server/contract/sync/digest.ts';
import type { StudentDocument } from '../../server/contract/sync/students.ts';

const demo = useOwnDistrict('integrity');

/** RxDB's Dexie table of a collection: what a person with the browser's developer tools can change. */
async function rawTable(db: HomeroomDatabase, name: 'students') {
  const internals = await (db[name].storageInstance as unknown as { internals: Promise<{ dexieTable: { get(id: string): Promise<Record<string, unknown> | undefined>; delete(id: string): Promise<void>; update(id: string, changes: Record<string, unknown>): Promise<number> } }> }).internals;
  return internals.dexieTable;
}

async function liveStudentIds(db: HomeroomDatabase): Promise<string[]> {
  return (await db.students.find().exec()).map((doc) => doc.id).sort();
}

describe('a device proving it holds its scope', () => {
  useDataLayerAgainstApi();

  for (const who of ['guardian', 'teacher'] as const) {
    it(`matches the server's count and checksum in every collection, for a ${who}`, async function () {
      this.timeout(90_000);
      await signInWithData(demo[who]);
      const db = await untilFirstSync(collectionNames, 60_000);
      for (const name of collectionNames) {
        await until(async () => holdsScope(db, authorizedFetch, name), 10_000, `${name} matches the server`);
      }
      // Not a test that cannot fail: the server's digest is of what a pull sends, the device's of what it stored.
      const students = await pullAll<StudentDocument>('students');
      expect(students.length).to.be.greaterThan(0);
      expect((await db.students.find().exec()).length).to.equal(students.length);
    });
  }

  it('finds a copy damaged by hand on its next sync, repairs it from the start, and reports it', async function () {
      this.timeout(90_000);
    const { layer } = await signInWithData(demo.guardian);
    const db = await untilFirstSync(collectionNames, 60_000);
    await until(async () => (await liveStudentIds(db)).length === 3, 10_000, 'three children');
    const [lost, changed, revoked] = await liveStudentIds(db);
    try {
      await setPortalAccess(demo.guardian, revoked!, false);
      await until(async () => !(await liveStudentIds(db)).includes(revoked!), 10_000, 'the revoked child is gone');
      // Every collection has its tombstones before the app closes.
      for (const name of collectionNames) await until(async () => holdsScope(db, authorizedFetch, name), 10_000, `${name} caught up`);
      // The app is closed; someone changes its IndexedDB by hand; the app opens again.
      await layer.close();
      const reopened = await createDatabase(await createStorage('indexeddb'), { name: layer.db.name });
      try {
        const table = await rawTable(reopened, 'students');
        const live = (await table.get(changed!))!;
        await table.delete(lost!);
        await table.update(changed!, { firstName: 'Tampered' });
        await table.update(revoked!, { _deleted: live._deleted, firstName: 'Back' });
        expect(await holdsScope(reopened, authorizedFetch, 'students')).to.equal(false);

        // The next sync: the engine checks every collection once it has caught up, and the app has
        // settled (here 3 s, in the app VERIFY_AFTER_MS): no proof while the first screen loads.
        const repairs = new Map<string, RepairReport | null>();
        const started = Date.now();
        let firstCheckAt: number | null = null;
        const fetcher: typeof authorizedFetch = (path, init) => {
          if (path.includes('/check?')) firstCheckAt ??= Date.now();
          return authorizedFetch(path, init);
        };
        const engine = startSync(reopened, { fetcher, stream: false, verifyAfterMs: 3000, onVerified: (name, report) => repairs.set(name, report) });
        try {
          await until(() => repairs.size === collectionNames.length, 30_000, 'every collection checked');
          expect(firstCheckAt! - started, 'the first proof began after the app settled').to.be.at.least(3000);
          expect(repairs.get('students')).to.deep.equal({ missing: 1, changed: 1, extra: 1 });
          for (const name of collectionNames.filter((n) => n !== 'students')) expect(repairs.get(name), name).to.equal(null);
          expect(await liveStudentIds(reopened)).to.deep.equal([lost!, changed!].sort());
          expect((await reopened.students.findOne(changed!).exec())?.firstName).to.not.equal('Tampered');
          expect(await holdsScope(reopened, authorizedFetch, 'students')).to.equal(true);
          // A repaired copy has nothing more to repair.
          expect(await repairCollection(reopened, authorizedFetch, 'students')).to.deep.equal({ missing: 0, changed: 0, extra: 0 });
        } finally {
          await engine.cancel();
        }
      } finally {
        await reopened.close();
      }
      const log = await fetchAccessLog();
      if (!log.ok) throw new Error(log.code);
      expect(log.body.entries.filter((entry) => entry.event === 'sync.repaired')).to.have.length(1);
    } finally {
      await setPortalAccess(demo.guardian, revoked!, true);
    }
  });
});
