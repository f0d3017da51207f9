import type { Store } from '../db/store.ts';
import { SYNC_COLLECTIONS } from './registry.ts';

export const CHANGES_CHANNEL = 'homeroom_changes';

/** Which client collections a change to a table can affect. */
export function collectionsForTable(table: string): string[] {
  return SYNC_COLLECTIONS.filter((c) => c.tables.includes(table)).map((c) => c.name);
}

type Listener = (table: string) => void;

/**
 * Table changes per district, from LISTEN/NOTIFY: every server instance on the same
 * PostgreSQL hears every commit, so two servers behind one balancer both stream.
 */
export class ChangeFeed {
  private readonly listeners = new Map<string, Set<Listener>>();
  private stop: (() => Promise<void>) | null = null;

  static async start(store: Store): Promise<ChangeFeed> {
    const feed = new ChangeFeed();
    feed.stop = await store.listen(CHANGES_CHANNEL, (payload) => feed.dispatch(payload));
    return feed;
  }

  private dispatch(payload: string): void {
    const [district, table] = payload.split(':');
    if (!district || !table) return;
    for (const listener of this.listeners.get(district) ?? []) listener(table);
  }

  subscribe(districtId: string, listener: Listener): () => void {
    const set = this.listeners.get(districtId) ?? new Set();
    set.add(listener);
    this.listeners.set(districtId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(districtId);
    };
  }

  async close(): Promise<void> {
    await this.stop?.();
    this.stop = null;
    this.listeners.clear();
  }
}
