import type { Store } from '../db/store.ts';

export const CHANGES_CHANNEL = 'homeroom_changes';

/** Which client collections a change to a table can affect. */
export const COLLECTION_TABLES: Record<string, readonly string[]> = {
  students: ['students', 'people', 'guardianships', 'enrollments', 'schools', 'section_staff', 'section_enrollments', 'counselor_caseloads', 'staff_locations'],
  sections: ['sections', 'courses', 'terms', 'periods', 'rooms', 'section_staff', 'section_enrollments', 'guardianships', 'staff_locations', 'people'],
  attendance: ['attendance', 'guardianships', 'enrollments', 'section_staff', 'section_enrollments', 'counselor_caseloads', 'staff_locations'],
};

export function collectionsForTable(table: string): string[] {
  return Object.entries(COLLECTION_TABLES).filter(([, tables]) => tables.includes(table)).map(([collection]) => collection);
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
