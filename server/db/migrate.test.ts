import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, migrationVersion } from './migrate.ts';
import type { Store } from './store.ts';
import { emptyPglite, freshPostgres, postgresReachable, type TestDatabase } from '../test/stores.ts';

const onPostgres = await postgresReachable();

const stores: Array<[string, () => Promise<{ store: Store; done: () => Promise<void> }>, boolean]> = [
  ['PGlite', async () => { const store = await emptyPglite(); return { store, done: () => store.close() }; }, true],
  ['PostgreSQL', async () => { const db: TestDatabase = await freshPostgres({ migrated: false }); return { store: db.store, done: () => db.drop() }; }, onPostgres],
];

const DISTRICT_A = '00000000-0000-4000-8000-00000000000a';
const DISTRICT_B = '00000000-0000-4000-8000-00000000000b';

describe.each(stores)('migrations on %s', (_name, open, available) => {
  let store: Store;
  let done: () => Promise<void>;

  beforeAll(async () => {
    if (!available) return;
    ({ store, done } = await open());
  });
  afterAll(async () => {
    if (available) await done();
  });

  it.runIf(available)('apply once, record their version, and change nothing the second time', async () => {
    const migrations = await loadMigrations();
    const first = await migrate(store);
    expect(first.applied).toEqual(migrations.map((m) => m.version));
    const second = await migrate(store);
    expect(second.applied).toEqual([]);
    expect(await migrationVersion(store)).toBe(Math.max(...migrations.map((m) => m.version)));
  });

  it.runIf(available)('refuse a migration that was edited after it was applied', async () => {
    const migrations = await loadMigrations();
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(store, edited)).rejects.toThrow(/changed after it was applied/);
  });

  it.runIf(available)('give every table a district_id, and every synced table seq, deleted and an index on seq', async () => {
    const tables = await store.query<{ table_name: string; columns: string[] }>(
      `SELECT table_name, array_agg(column_name::text) AS columns FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'
        GROUP BY table_name`,
    );
    expect(tables.length).toBeGreaterThan(45);
    for (const { table_name, columns } of tables) {
      if (table_name !== 'districts' && table_name !== 'signing_keys') expect(columns, table_name).toContain('district_id');
      if (columns.includes('seq')) expect(columns, table_name).toContain('deleted');
    }
    const synced = tables.filter((t) => t.columns.includes('seq')).map((t) => t.table_name);
    for (const name of ['students', 'guardianships', 'sections', 'scores', 'attendance', 'term_grades', 'immunizations', 'fees', 'payments', 'announcements', 'messages', 'requests', 'accounts']) {
      expect(synced).toContain(name);
    }
    const triggers = await store.query<{ table_name: string }>(
      `SELECT event_object_table AS table_name FROM information_schema.triggers
        WHERE trigger_schema = current_schema() AND trigger_name LIKE '%_seq_update'`,
    );
    expect(new Set(triggers.map((t) => t.table_name))).toEqual(new Set(synced));
  });

  it.runIf(available)('bump seq from one global sequence on insert and update, and keep deletes as flagged updates', async () => {
    await store.query(`INSERT INTO districts (id, slug, name) VALUES ($1, 'district-a', 'District A'), ($2, 'district-b', 'District B')`, [DISTRICT_A, DISTRICT_B]);
    await store.query(`INSERT INTO people (district_id, id, first_name, last_name) VALUES ($1, $2, 'Ana', 'Lopez')`, [DISTRICT_A, '10000000-0000-4000-8000-000000000001']);
    const [inserted] = await store.query<{ seq: number }>(`SELECT seq FROM people WHERE id = $1`, ['10000000-0000-4000-8000-000000000001']);
    await store.query(`UPDATE people SET deleted = true WHERE id = $1`, ['10000000-0000-4000-8000-000000000001']);
    const [updated] = await store.query<{ seq: number; deleted: boolean }>(`SELECT seq, deleted FROM people WHERE id = $1`, ['10000000-0000-4000-8000-000000000001']);
    expect(inserted!.seq).toBeGreaterThan(0);
    expect(updated!.seq).toBeGreaterThan(inserted!.seq);
    expect(updated!.deleted).toBe(true);
  });

  it.runIf(available)('refuse a row that points into another district', async () => {
    await store.query(
      `INSERT INTO grading_scales (district_id, id, name, kind) VALUES ($1, $2, 'Letters', 'letter')`,
      [DISTRICT_A, '20000000-0000-4000-8000-000000000001'],
    );
    // A school of district B cannot use district A's grading scale.
    await expect(
      store.query(
        `INSERT INTO schools (district_id, id, code, name, level, grade_low, grade_high, grading_scale_id)
         VALUES ($1, $2, 'H001', 'Other High', 'high', 9, 12, $3)`,
        [DISTRICT_B, '30000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001'],
      ),
    ).rejects.toThrow(/foreign key/);
  });

  it.runIf(available)('keep the access log and audit trail append-only', async () => {
    await store.query(`INSERT INTO access_log (district_id, event) VALUES ($1, 'login.failure')`, [DISTRICT_A]);
    await expect(store.query(`UPDATE access_log SET event = 'login.success'`)).rejects.toThrow(/append-only/);
    await expect(store.query(`DELETE FROM access_log`)).rejects.toThrow(/append-only/);
    await store.query(`INSERT INTO audit_trail (district_id, table_name, row_id, action) VALUES ($1, 'people', $2, 'update')`, [DISTRICT_A, '10000000-0000-4000-8000-000000000001']);
    await expect(store.query(`DELETE FROM audit_trail`)).rejects.toThrow(/append-only/);
  });

  it.runIf(available)('roll a failed transaction back whole', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.query(`INSERT INTO people (district_id, id, first_name, last_name) VALUES ($1, $2, 'Tran', 'Minh')`, [DISTRICT_A, '10000000-0000-4000-8000-000000000002']);
        await tx.query(`INSERT INTO people (district_id, id, first_name, last_name) VALUES ($1, $2, '', 'Invalid')`, [DISTRICT_A, '10000000-0000-4000-8000-000000000003']);
      }),
    ).rejects.toThrow(/check constraint/);
    const rows = await store.query(`SELECT id FROM people WHERE id = $1`, ['10000000-0000-4000-8000-000000000002']);
    expect(rows).toEqual([]);
  });
});

describe.runIf(onPostgres)('migrations on PostgreSQL, two servers starting at once', () => {
  it('apply each migration exactly once', async () => {
    const db = await freshPostgres({ migrated: false });
    try {
      const results = await Promise.all([migrate(db.store), migrate(db.store), migrate(db.store)]);
      const applied = results.flatMap((r) => r.applied);
      expect(applied).toEqual((await loadMigrations()).map((m) => m.version));
    } finally {
      await db.drop();
    }
  });

  it('make a second writer in the same district wait, so seq is visible in commit order', async () => {
    const db = await freshPostgres({ migrated: true });
    try {
      await db.store.query(`INSERT INTO districts (id, slug, name) VALUES ($1, 'district-a', 'District A')`, [DISTRICT_A]);
      let releaseFirst!: () => void;
      const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
      let firstInserted!: () => void;
      const firstHasSeq = new Promise<void>((resolve) => (firstInserted = resolve));
      const order: string[] = [];
      const first = db.store.transaction(async (tx) => {
        await tx.query(`INSERT INTO people (district_id, id, first_name, last_name) VALUES ($1, $2, 'First', 'Writer')`, [DISTRICT_A, '10000000-0000-4000-8000-000000000010']);
        firstInserted();
        await firstMayCommit;
        order.push('first commits');
      });
      await firstHasSeq;
      const second = db.store.transaction(async (tx) => {
        await tx.query(`INSERT INTO people (district_id, id, first_name, last_name) VALUES ($1, $2, 'Second', 'Writer')`, [DISTRICT_A, '10000000-0000-4000-8000-000000000011']);
        order.push('second wrote');
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(order).toEqual([]); // the second writer is waiting for the first to commit
      releaseFirst();
      await Promise.all([first, second]);
      expect(order).toEqual(['first commits', 'second wrote']);
      const rows = await db.store.query<{ first_name: string; seq: number }>(`SELECT first_name, seq FROM people ORDER BY seq`);
      expect(rows.map((r) => r.first_name)).toEqual(['First', 'Second']);
    } finally {
      await db.drop();
    }
  });
});
