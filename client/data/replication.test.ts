/**
 * The data layer against the real server (client/test/api-server.mjs): RxDB on IndexedDB in
 * Chromium, pulled through the session's authorizedFetch, woken by the sync stream.
 */
import { expect } from 'chai';
import { demoPassword, homeroomIndexedDbs, openSyncStreams, pretendOutdated, setPortalAccess, setPreferredName, signInWithCode } from '../test/api.ts';
import { describe, it } from '../test/mocha.ts';
import type { SessionResponse } from './auth.ts';
import { knownIndexedDbNames, type DataLayer } from './data-layer.ts';
import { createDatabase, createStorage, databaseName, type HomeroomDatabase } from './database.ts';
import { currentDataLayer } from './local-data.ts';
import { startSync, type SyncEngine } from './replication.ts';
import { authorizedFetch, signOut, startSession } from './session.ts';
import { getSyncState } from './sync-state.ts';
import { useDataLayerAgainstApi } from '../test/sync.ts';
import { useOwnDistrict } from '../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('replication');

/** Resolves once `check` answers true, polling; fails after `timeout` ms. */
async function until(check: () => Promise<boolean> | boolean, timeout = 5000, what = check.toString()): Promise<void> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > timeout) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function signInAs(username: string): Promise<SessionResponse> {
  const result = await signInWithCode({ username, password: demoPassword });
  if (!result.ok) throw new Error(`sign-in failed: ${result.code}`);
  return result.body;
}

/** Signs in as `username` the way the app does, and waits for the account's data layer. */
async function signInWithData(username = demo.guardian, session?: SessionResponse): Promise<{ session: SessionResponse; layer: DataLayer }> {
  const response = session ?? (await signInAs(username));
  startSession(response);
  let layer: DataLayer | undefined;
  await until(async () => (layer = await currentDataLayer()) !== undefined, 5000, 'the data layer opens');
  return { session: response, layer: layer! };
}

async function storedIds(db: HomeroomDatabase): Promise<string[]> {
  return (await db.students.find().exec()).map((student) => student.id).sort();
}

/** Counts the requests a fetcher makes to paths containing `fragment`. */
function counting(fragment: string) {
  const counter = {
    count: 0,
    fetcher: (path: string, init: RequestInit) => {
      if (path.includes(fragment)) counter.count += 1;
      return authorizedFetch(path, init);
    },
  };
  return counter;
}

describe('data layer and replication', () => {
  useDataLayerAgainstApi(async () => {
    await pretendOutdated([]);
  });

  it('after sign-in, syncs demo-guardian’s three children into IndexedDB and notes when', async () => {
    const started = Date.now();
    const { session, layer } = await signInWithData();
    expect(layer.storage).to.equal('indexeddb');
    expect(layer.db.name).to.equal(databaseName(session.me.account.id));

    const expected = session.me.students.map((student) => student.id).sort();
    await until(async () => (await storedIds(layer.db)).length === 3);
    expect(await storedIds(layer.db)).to.deep.equal(expected);
    const children = await layer.db.students.find({ sort: [{ gradeLevel: 'asc' }] }).exec();
    expect(children.map((child) => child.relation)).to.deep.equal(['guardian', 'guardian', 'guardian']);
    expect(new Set(children.map((child) => child.schoolId)).size).to.equal(3);

    expect(await homeroomIndexedDbs()).to.include(`rxdb-dexie-${layer.db.name}--0--students`);
    // Where IndexedDB cannot be listed (Firefox before 126), sign-out deletes these by name: all of them.
    expect(await knownIndexedDbNames(layer.db, layer.sync)).to.include.members(await homeroomIndexedDbs());
    await until(async () => (await getSyncState(layer.db, 'students')).lastSyncedAt !== null);
    const { lastSyncedAt, updateRequired } = await getSyncState(layer.db, 'students');
    expect(lastSyncedAt).to.be.within(started, Date.now());
    expect(updateRequired).to.equal(false);
  });

  it('receives a change made on the server through the stream, without being asked to pull', async () => {
    const { layer } = await signInWithData();
    await until(async () => (await storedIds(layer.db)).length === 3);
    await until(async () => (await openSyncStreams()) === 1, 5000, 'the device streams');
    const [child] = await layer.db.students.find({ sort: [{ gradeLevel: 'asc' }] }).exec();
    const synced = (await getSyncState(layer.db, 'students')).lastSyncedAt!;
    try {
      await setPreferredName(child!.id, 'Lulu');
      await until(async () => (await layer.db.students.findOne(child!.id).exec())?.preferredName === 'Lulu', 5000, 'the new name arrives');
      await until(async () => (await getSyncState(layer.db, 'students')).lastSyncedAt! > synced);
    } finally {
      await setPreferredName(child!.id, null);
    }
    await until(async () => (await layer.db.students.findOne(child!.id).exec())?.preferredName === null);
  });

  it('forgets a child whose portal access is taken away, keeping no personal field', async () => {
    const { layer } = await signInWithData();
    await until(async () => (await storedIds(layer.db)).length === 3);
    await until(async () => (await openSyncStreams()) === 1);
    const all = await storedIds(layer.db);
    const child = all[1]!;
    try {
      await setPortalAccess(demo.guardian, child, false);
      await until(async () => !(await storedIds(layer.db)).includes(child), 5000, 'the child is gone');
      const [tombstone] = await layer.db.students.storageInstance.findDocumentsById([child], true);
      expect(tombstone).to.include({ _deleted: true, firstName: '', lastName: '', studentNumber: '', birthDate: null, schoolName: '', preferredName: null });
    } finally {
      await setPortalAccess(demo.guardian, child, true);
    }
    await until(async () => (await storedIds(layer.db)).length === 3, 5000, 'the child is back');
  });

  it('signing out cancels replication, closes the stream and deletes the IndexedDB databases', async () => {
    const { layer } = await signInWithData();
    await until(async () => (await storedIds(layer.db)).length === 3);
    await until(async () => (await openSyncStreams()) === 1);
    const replication = layer.sync.replications.get('students')!;

    await signOut();
    expect(await homeroomIndexedDbs()).to.deep.equal([]);
    expect(replication.isStopped()).to.equal(true);
    expect(layer.db.closed).to.equal(true);
    expect(await currentDataLayer()).to.equal(undefined);
    await until(async () => (await openSyncStreams()) === 0, 5000, 'the server sees the stream close');
  });

  it('signing out offline still deletes everything', async () => {
    const { layer } = await signInWithData();
    await until(async () => (await storedIds(layer.db)).length === 3);
    const realFetch = window.fetch;
    window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    try {
      await signOut();
    } finally {
      window.fetch = realFetch;
    }
    expect(await homeroomIndexedDbs()).to.deep.equal([]);
    expect(layer.db.closed).to.equal(true);
  });

  it('signing out in another tab removes this tab’s copy too', async () => {
    const { layer } = await signInWithData();
    await until(async () => (await storedIds(layer.db)).length === 3);
    // The other tab signs out: the server ends the session (and clears the shared cookie),
    // then the tab broadcasts it.
    expect((await fetch('/api/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).ok).to.equal(true);
    const otherTab = new BroadcastChannel('homeroom-session');
    otherTab.postMessage({ type: 'signed-out' });
    otherTab.close();
    await until(async () => layer.db.closed && (await currentDataLayer()) === undefined, 5000, 'this tab lets go');
    let left: string[] = [];
    await until(async () => (left = await homeroomIndexedDbs()).length === 0, 5000, 'the databases are deleted').catch((error: Error) => {
      throw new Error(`${error.message}: ${left.join(', ')}`);
    });
  });

  it('syncs with an expired access token by refreshing it (the session module’s single refresh)', async () => {
    const session = await signInAs(demo.guardian);
    const { layer } = await signInWithData(demo.guardian, { ...session, accessToken: 'expired-or-forged' });
    await until(async () => (await storedIds(layer.db)).length === 3, 5000, 'the pull succeeds after a refresh');
  });

  it('stops and says an update is required when the server answers 426 for an outdated schema', async () => {
    await pretendOutdated(['students']);
    const { layer } = await signInWithData();
    const replication = layer.sync.replications.get('students')!;
    await until(async () => (await getSyncState(layer.db, 'students')).updateRequired, 5000, 'update required is recorded');
    await until(() => replication.isStopped(), 5000, 'the replication stops');
    expect(await storedIds(layer.db)).to.deep.equal([]);

    // A newer app (here: the server no longer sees an outdated one) syncs again and clears it.
    await pretendOutdated([]);
    const fresh = startSync(layer.db, { fetcher: authorizedFetch, stream: false });
    try {
      await until(async () => (await storedIds(layer.db)).length === 3);
      await until(async () => !(await getSyncState(layer.db, 'students')).updateRequired);
    } finally {
      await fresh.cancel();
    }
  });

  it('retries a failing pull with growing pauses, then catches up', async () => {
    await signInWithData();
    const db = await createDatabase(await createStorage('memory'), { name: `homeroom-retry-${Date.now()}`, multiInstance: false, only: ['students'] });
    const attempts: number[] = [];
    let engine: SyncEngine | undefined;
    try {
      engine = startSync(db, {
        stream: false,
        backoff: { initialMs: 40, maxMs: 400 },
        // Only the students' pulls fail (each collection has its own replication and pauses).
        fetcher: (path, init) => {
          if (!path.includes('/students/pull')) return authorizedFetch(path, init);
          attempts.push(performance.now());
          return attempts.length <= 4 ? Promise.reject(new TypeError('Failed to fetch')) : authorizedFetch(path, init);
        },
      });
      await until(async () => (await storedIds(db)).length === 3, 5000, 'caught up after the failures');
      const gaps = attempts.slice(1, 5).map((at, index) => at - attempts[index]!);
      // Full jitter in the upper half: 20–40, 40–80, 80–160, 160–320 ms (timers may run late).
      expect(gaps[0]).to.be.within(15, 120);
      expect(gaps[2]).to.be.at.least(75);
      expect(gaps[3]).to.be.at.least(150);
      expect(engine.replications.get('students')!.retryTime).to.equal(40); // back to the start after a success
    } finally {
      await engine?.cancel();
      await db.remove();
    }
  });

  it('runs in one tab at a time: of two instances of one database, only the leader pulls and streams', async () => {
    await signInWithData();
    await until(async () => (await openSyncStreams()) === 1);
    const name = `homeroom-leader-${Date.now()}`;
    const storage = await createStorage('indexeddb');
    // Two instances in one page, as two tabs would open them (each with its own leader elector),
    // of one collection each: beside the account's eleven, that is the 13 a tab can open.
    const tabs = [
      await createDatabase(storage, { name, ignoreDuplicate: true, only: ['students'] }),
      await createDatabase(storage, { name, ignoreDuplicate: true, only: ['students'] }),
    ];
    const pulls = [counting('/pull'), counting('/pull')];
    const engines = tabs.map((db, index) => startSync(db, { fetcher: pulls[index]!.fetcher }));
    try {
      await until(async () => (await storedIds(tabs[1]!)).length === 3 && (await storedIds(tabs[0]!)).length === 3, 5000, 'both tabs see the records');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const leader = pulls[0]!.count > 0 ? 0 : 1;
      const follower = 1 - leader;
      expect(pulls[leader]!.count).to.be.greaterThan(0);
      expect(pulls[follower]!.count).to.equal(0);
      expect(tabs[leader]!.isLeader()).to.equal(true);
      expect(tabs[follower]!.isLeader()).to.equal(false);
      await until(async () => (await openSyncStreams()) === 2, 5000, 'the leader streams'); // the session's own layer + the leader
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await openSyncStreams()).to.equal(2);

      // The leading tab closes: the other takes over, pulls and streams.
      await engines[leader]!.cancel();
      await tabs[leader]!.close();
      await until(() => pulls[follower]!.count > 0, 5000, 'the follower takes over');
      await until(async () => (await openSyncStreams()) === 2, 5000, 'one stream again');
    } finally {
      await Promise.all(engines.map((engine) => engine.cancel()));
      const open = tabs.find((db) => !db.closed);
      await open?.remove();
    }
  });
});
