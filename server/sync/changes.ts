import type { Asking } from '../access/principal-memory.ts';
import type { Store } from '../db/store.ts';
import { SYNC_COLLECTIONS } from './registry.ts';

export const CHANGES_CHANNEL = 'homeroom_changes';
/** Sessions that ended and accounts that stopped being active (migration 0010). */
export const SESSIONS_CHANNEL = 'homeroom_sessions';

/** Which client collections a change to a table can affect. */
export function collectionsForTable(table: string): string[] {
  return SYNC_COLLECTIONS.filter((c) => c.tables.includes(table)).map((c) => c.name);
}

/**
 * A table changed; `named` lists whom it was about, or is null when the change was not narrowed to
 * a few: the students whose records changed, and for `access_grants` the people whose grants did
 * (migrations 0010 and 0020).
 */
type Listener = (table: string, named: readonly string[] | null) => void;

/** A session that ended, or an account that stopped being active (migration 0010). */
export interface Ending {
  districtId: string;
  kind: 'session' | 'account';
  /** The session's id, or the account's. */
  id: string;
}

/** Reads a notification on SESSIONS_CHANNEL: '<district>:session:<id>' or '<district>:account:<id>'; null for anything else. */
export function parseEnding(payload: string): Ending | null {
  const [districtId, kind, id, ...rest] = payload.split(':');
  if (!districtId || !id || rest.length > 0 || (kind !== 'session' && kind !== 'account')) return null;
  return { districtId, kind, id };
}

/** The key of an ending's listeners, one per session or account. */
const endingKey = ({ districtId, kind, id }: Ending) => `${districtId}:${kind}:${id}`;

/** Adds `item` to the set kept under `key`; returns what takes it out again (and the set, once empty). */
function addTo<T>(sets: Map<string, Set<T>>, key: string, item: T): () => void {
  const set = sets.get(key) ?? new Set();
  set.add(item);
  sets.set(key, set);
  return () => {
    set.delete(item);
    if (set.size === 0 && sets.get(key) === set) sets.delete(key);
  };
}

/** What hears every commit and ending of every district (feed-memory.ts). */
export interface FeedWatcher {
  changed(districtId: string, table: string): void;
  ended(ending: Ending): void;
  /** The feed's connection was lost: it hears nothing more. */
  feedLost(): void;
}

/**
 * Table changes per district, from LISTEN/NOTIFY: every server instance on the same
 * PostgreSQL hears every commit, so two servers behind one balancer both stream.
 */
export class ChangeFeed {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Keyed by `endingKey`: one entry per session and per account followed. */
  private readonly endings = new Map<string, Set<() => void>>();
  private stops: Array<() => Promise<void>> = [];
  /** Told of every commit and every ending first, before any stream (feed-memory.ts). */
  private readonly watchers: FeedWatcher[] = [];

  static async start(store: Store): Promise<ChangeFeed> {
    const feed = new ChangeFeed();
    const lost = () => {
      for (const watcher of feed.watchers) watcher.feedLost();
    };
    feed.stops.push(await store.listen(CHANGES_CHANNEL, (payload) => feed.dispatch(payload), lost));
    feed.stops.push(await store.listen(SESSIONS_CHANNEL, (payload) => feed.ended(payload), lost));
    return feed;
  }

  /** Adds a watcher told of every commit, ending and loss of the feed, before the streams are. */
  watch(watcher: FeedWatcher): void {
    this.watchers.push(watcher);
  }

  private ended(payload: string): void {
    const ending = parseEnding(payload);
    if (!ending) return;
    for (const watcher of this.watchers) watcher.ended(ending);
    for (const listener of [...(this.endings.get(endingKey(ending)) ?? [])]) listener();
  }

  /** Calls `onEnd` once when the session ends or its account is disabled; returns the unsubscribe. */
  onSessionEnd({ districtId, sessionId, accountId }: Asking, onEnd: () => void): () => void {
    let done = false;
    const listener = () => {
      if (done) return;
      done = true;
      unsubscribe();
      onEnd();
    };
    const keys = [endingKey({ districtId, kind: 'session', id: sessionId }), endingKey({ districtId, kind: 'account', id: accountId })];
    const removes = keys.map((key) => addTo(this.endings, key, listener));
    const unsubscribe = () => removes.forEach((remove) => remove());
    return unsubscribe;
  }

  private dispatch(payload: string): void {
    const [district, table, ids] = payload.split(':');
    if (!district || !table) return;
    for (const watcher of this.watchers) watcher.changed(district, table);
    const named = ids ? ids.split(',') : null;
    for (const listener of this.listeners.get(district) ?? []) listener(table, named);
  }

  subscribe(districtId: string, listener: Listener): () => void {
    return addTo(this.listeners, districtId, listener);
  }

  async close(): Promise<void> {
    const stops = this.stops;
    this.stops = [];
    for (const stop of stops) await stop();
    this.listeners.clear();
    this.endings.clear();
  }
}
