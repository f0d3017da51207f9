import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { pgliteStore, type Store } from './store.ts';

describe('PGlite statements, named and planned once', () => {
  let db: PGlite;
  let store: Store;

  beforeAll(async () => {
    db = await PGlite.create('memory://');
    store = pgliteStore(db);
    await store.exec(`CREATE TABLE marks (id uuid PRIMARY KEY, on_day date NOT NULL, at timestamptz NOT NULL, points numeric, detail jsonb NOT NULL, tags text[] NOT NULL);
      INSERT INTO marks SELECT gen_random_uuid(), date '2026-09-01' + g, timestamptz '2026-09-01T08:00:00Z' + g * interval '1 day', g / 4.0, jsonb_build_object('n', g), ARRAY['t' || g] FROM generate_series(1, 50) g`);
  });
  afterAll(() => store.close());

  const byDay = `SELECT to_char(on_day, 'YYYY-MM-DD') AS day, at, points::float8 AS points, detail, tags
                   FROM marks WHERE on_day >= $1 AND at < $2 AND tags && $3::text[] AND detail @> $4 ORDER BY on_day`;

  it('binds every kind of parameter the app sends and parses the rows as PGlite does', async () => {
    const params = ['2026-09-03', new Date('2026-09-07T00:00:00Z'), ['t3', 't5', 'nope'], { n: 5 }] as const;
    const rows = await store.query(byDay, params);
    expect(rows).toEqual((await db.query(byDay, [params[0], params[1], params[2], JSON.stringify(params[3])])).rows);
    expect(rows).toEqual([{ day: '2026-09-06', at: new Date('2026-09-06T08:00:00Z'), points: 1.25, detail: { n: 5 }, tags: ['t5'] }]);
    expect(await store.query('SELECT $1::int + 1 AS next, $2::text IS NULL AS blank', [41, null])).toEqual([{ next: 42, blank: true }]);
  });

  it('parses a statement once and runs its generic plan after that', async () => {
    const text = 'SELECT count(*)::int AS n FROM marks WHERE on_day > $1';
    for (const day of ['2026-09-10', '2026-10-01', '2026-09-30']) await store.query(text, [day]);
    const [prepared] = (await db.query<{ generic_plans: number; custom_plans: number }>('SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1', [text])).rows;
    expect(prepared).toEqual({ generic_plans: 3, custom_plans: 0 });
    expect(await store.query(text, ['2026-10-15'])).toEqual([{ n: 6 }]);
  });

  it('closes the least recently used statement beyond the 500 it keeps, and prepares it again when asked', async () => {
    const texts = Array.from({ length: 501 }, (_, i) => `SELECT $1::int + ${i} AS n`);
    for (const text of texts) await store.query(text, [1]);
    const kept = async () => (await db.query<{ statement: string }>(`SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1::int + %'`)).rows.map((row) => row.statement);
    expect(await kept()).toHaveLength(500);
    expect(await kept()).not.toContain(texts[0]);
    expect(await store.query(texts[0]!, [1])).toEqual([{ n: 1 }]);
    expect(await kept()).toContain(texts[0]);
  });

  it('answers an error with its code, and the next statement runs', async () => {
    await expect(store.query('SELECT $1::int AS n', ['not a number'])).rejects.toMatchObject({ code: '22P02' });
    await expect(store.query('SELECT * FROM no_such_table WHERE id = $1', [1])).rejects.toMatchObject({ code: '42P01' });
    expect(await store.query('SELECT $1::int AS n', [7])).toEqual([{ n: 7 }]);
  });

  it('runs inside a transaction, which sees its own writes and rolls them back', async () => {
    const count = 'SELECT count(*)::int AS n FROM marks WHERE detail @> $1';
    await expect(store.transaction(async (tx) => {
      await tx.query('INSERT INTO marks VALUES (gen_random_uuid(), $1, $2, NULL, $3, $4)', ['2027-01-01', new Date(), { n: 'new' }, []]);
      expect(await tx.query(count, [{ n: 'new' }])).toEqual([{ n: 1 }]);
      throw new Error('undo');
    })).rejects.toThrow('undo');
    expect(await store.query(count, [{ n: 'new' }])).toEqual([{ n: 0 }]);
  });

  it('keeps the generic plans of a session whose first statement ran in a transaction', async () => {
    const fresh = await PGlite.create('memory://');
    const inFresh = pgliteStore(fresh);
    try {
      await inFresh.transaction((tx) => tx.query('SELECT $1::int AS n', [1]));
      await inFresh.query('SELECT $1::int AS n', [2]);
      await fresh.exec('BEGIN; ROLLBACK');
      expect((await fresh.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode')).rows).toEqual([{ plan_cache_mode: 'force_generic_plan' }]);
    } finally {
      await inFresh.close();
    }
  });
});
