/**
 * Browser-test helpers for syncing against the real API (client/test/api-server.mjs): signing
 * in with the app's data layer, dropping the network, counting pushes, and reading or changing
 * attendance marks on the server as the office would.
 */
import type { SessionResponse } from '../data/auth.ts';
import type { DataLayer } from '../data/data-layer.ts';
import { initI18n, loadNamespaces } from '../app/i18n.ts';
import { collections, type CollectionName, type HomeroomDatabase } from '../data/database.ts';
import { currentDataLayer, startLocalData } from '../data/local-data.ts';
import { documentFromWire } from '../../server/contract/sync/wire.ts';
import { authorizedFetch, startSession } from '../data/session.ts';
import { getSyncState } from '../data/sync-state.ts';
import { demoPassword, preloadDataLayer, signInWithCode, startSignedOut, testEndpoint, useFreshAddress } from './api.ts';
import { afterEach, before, beforeEach } from './mocha.ts';

/**
 * The hooks of a suite that drives the data layer (no app) against the shared API server: English
 * with the sync messages, the data layer loaded and following the session; each test starts signed
 * out from a fresh client address and ends signed out. `cleanUp` runs first after each test, for
 * what the suite changes besides (the network, how pushes are answered).
 */
export function useDataLayerAgainstApi(cleanUp?: () => unknown): void {
  before(async function () {
    this.timeout(30_000);
    await initI18n('en');
    await loadNamespaces(['sync']);
    await preloadDataLayer();
    startLocalData();
  });

  beforeEach(async () => {
    await startSignedOut();
    await useFreshAddress();
  });

  afterEach(async function () {
    this.timeout(30_000);
    await cleanUp?.();
    await startSignedOut();
  });
}

/** Resolves once `check` answers true, polling; fails after `timeout` ms. */
export async function until(check: () => Promise<boolean> | boolean, timeout = 5000, what = check.toString()): Promise<void> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > timeout) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Today as the API's clock (UTC) has it. */
export function serverToday(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Signs in as `username` the way the app does (with the authenticator's code for staff), and waits for the account's data layer. */
export async function signInWithData(username: string): Promise<{ session: SessionResponse; layer: DataLayer }> {
  const result = await signInWithCode({ username, password: demoPassword });
  if (!result.ok) throw new Error(`sign-in failed: ${result.code}`);
  startSession(result.body);
  let layer: DataLayer | undefined;
  await until(async () => (layer = await currentDataLayer()) !== undefined, 5000, 'the data layer opens');
  return { session: result.body, layer: layer! };
}

/** Resolves once the signed-in device's data layer is open and each of `collections` has finished its first pull. */
export async function untilFirstSync(collections: readonly CollectionName[], timeout = 20_000): Promise<HomeroomDatabase> {
  let layer: DataLayer | undefined;
  await until(async () => (layer = await currentDataLayer()) !== undefined, timeout, 'the data layer opens');
  for (const name of collections) await until(async () => (await getSyncState(layer!.db, name)).lastSyncedAt !== null, timeout, `${name} syncs`);
  return layer!.db;
}

/**
 * Every live document of a collection the server sends (all pull pages, at the collection's
 * schema version): to this page's session, or with `token` to its holder, as another device.
 */
export async function pullAll<T>(collection: CollectionName, token?: string): Promise<T[]> {
  const documents: T[] = [];
  let after = '';
  for (;;) {
    const path = `/api/sync/${collection}/pull?v=${collections[collection].schema.version}${after}&limit=1000`;
    const response = token ? await fetch(path, { credentials: 'omit', headers: { authorization: `Bearer ${token}` } }) : await authorizedFetch(path);
    if (!response.ok) throw new Error(`pull of ${collection} answered ${response.status}`);
    const body = (await response.json()) as { documents: Array<T & { _deleted?: boolean }>; checkpoint: { seq: number | string; id: string } | null };
    // As the device stores them: a key the pull leaves out (scores') composed from its fields.
    documents.push(...body.documents.filter((document) => !document._deleted).map(documentFromWire(collections[collection].schema as never) as (doc: T & { _deleted?: boolean }) => T));
    if (body.documents.length < 1000 || !body.checkpoint) return documents;
    after = `&seq=${body.checkpoint.seq}&id=${body.checkpoint.id}`;
  }
}

/**
 * Waits until what the server sends `username` in `collection` is what `accept` takes (a write
 * landed), reading it as another device of theirs would, and answers those documents.
 */
export async function untilServerHolds<T>(username: string, collection: CollectionName, accept: (documents: T[]) => boolean, timeout = 30_000, what = `${collection} on the server`): Promise<T[]> {
  const session = await signInWithCode({ username, password: demoPassword });
  if (!session.ok) throw new Error(`sign-in failed: ${session.code}`);
  let documents: T[] = [];
  await until(async () => accept((documents = await pullAll<T>(collection, session.body.accessToken))), timeout, what);
  return documents;
}

/** Takes the network down (every /api/ request fails unanswered, open streams break) or brings it back. */
export async function setNetwork(up: boolean): Promise<void> {
  await testEndpoint('network', { up });
}

/** What the browser reports while the network is gone (or back), and the event it fires; `delete navigator.onLine` undoes it. */
export function pretendNetwork(online: boolean): void {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
  window.dispatchEvent(new Event(online ? 'online' : 'offline'));
}

/**
 * Holds this page's pulls of `collection` until the returned release is called (then lets them
 * through and restores fetch): a device whose first sync of that collection has not finished.
 */
export function holdPulls(collection: string): () => void {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const realFetch = window.fetch;
  window.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (new URL(url, location.href).pathname === `/api/sync/${collection}/pull`) await held;
    return realFetch(input, init);
  };
  return () => {
    release();
    window.fetch = realFetch;
  };
}

/** Every request from this page to the API fails as it does with no network; returns the undo. */
export function cutApi(): () => void {
  const realFetch = window.fetch;
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (new URL(url, location.href).pathname.startsWith('/api/')) return Promise.reject(new TypeError('Failed to fetch'));
    return realFetch(input, init);
  };
  return () => {
    window.fetch = realFetch;
  };
}

/** Pushes are answered with `status` before they reach the API (null: normally again). */
export async function answerPushesWith(status: number | null): Promise<void> {
  await testEndpoint('push-status', { status });
}

/** How many push requests that reached the API carried the document `id`. */
export async function pushesOf(id: string): Promise<number> {
  return (await testEndpoint<{ pushes: number }>('sync-pushes-of', { id })).pushes;
}

/** Push requests of `collection` that reached the API so far. */
export async function pushesReceived(collection: string): Promise<number> {
  return (await testEndpoint<Record<string, number>>('sync-pushes'))[collection] ?? 0;
}

export interface TeacherRoster {
  sectionId: string;
  schoolId: string;
  /** On the section's roster on the date, with no mark in it yet. */
  studentId: string;
  /** In the same school, not in the section. */
  otherStudentId: string | null;
}

/** A section `username` teaches on `date`, with a student still to be marked. */
export function teacherRoster(username: string, date: string): Promise<TeacherRoster> {
  return testEndpoint('teacher-roster', { username, date });
}

export interface ServerMark {
  id: string;
  status: string;
  excuse: string;
  minutes: number | null;
  comment: string;
  deleted: boolean;
  /** A staff member is recorded as its author. */
  recorded: boolean;
}

/** One attendance mark as the server has it, or null. */
export async function serverMark(id: string): Promise<ServerMark | null> {
  return (await testEndpoint<{ mark: ServerMark | null }>('attendance-mark', { id })).mark;
}

/** Waits until the server's copy of a mark is one `accept` takes (a write landed), and answers it. */
export async function untilServerMark(id: string, accept: (mark: ServerMark) => boolean, timeout = 30_000, what = `mark ${id} on the server`): Promise<ServerMark> {
  let mark: ServerMark | null = null;
  await until(async () => (mark = await serverMark(id)) !== null && accept(mark), timeout, what);
  return mark!;
}

/** Changes a mark's comment on the server, as the office would. */
export async function setServerComment(id: string, comment: string): Promise<void> {
  const { updated } = await testEndpoint<{ updated: number }>('attendance-comment', { id, comment });
  if (updated !== 1) throw new Error(`no mark ${id}`);
}
