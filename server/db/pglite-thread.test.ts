import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Store } from './store.ts';

describe('PGlite on a thread of its own', () => {
  let store: Store;

  beforeAll(async () => {
    store = await openPglite('memory://');
    await store.exec(`CREATE TABLE notes (id serial PRIMARY KEY, body jsonb NOT NULL, at timestamptz NOT NULL, tags text[] NOT NULL DEFAULT '{}')`);
  });
  afterAll(() => store.close());

  it('runs statements with parameters of every kind the app sends, and answers typed rows', async () => {
    const at = new Date('2026-11-24T15:00:00Z');
    await store.query('INSERT INTO notes (body, at, tags) VALUES ($1, $2, $3)', [{ text: 'hello' }, at, ['a', 'b']]);
    expect(await store.query('SELECT id, body, at, tags FROM notes WHERE body @> $1', [{ text: 'hello' }])).toEqual([{ id: 1, body: { text: 'hello' }, at, tags: ['a', 'b'] }]);
  });

  it('answers a database error with its code, and goes on', async () => {
    await expect(store.query('INSERT INTO notes (id, body, at) VALUES ($1, $2, now())', [1, {}])).rejects.toMatchObject({ code: '23505', constraint: 'notes_pkey' });
    expect(await store.query('SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 1 }]);
  });

  it('commits a transaction, rolls one back when its work throws, and keeps other statements out while one is open', async () => {
    let inside!: () => void;
    const opened = new Promise<void>((resolve) => (inside = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const writing = store.transaction(async (tx) => {
      await tx.query(`INSERT INTO notes (body, at) VALUES ('{"n": 2}', now())`);
      inside();
      await held;
      await tx.exec(`INSERT INTO notes (body, at) VALUES ('{"n": 3}', now())`);
    });
    await opened;
    // Asked while the transaction is open: answered after its commit, so it sees both rows.
    const counted = store.query<{ n: number }>('SELECT count(*)::int AS n FROM notes');
    release();
    await writing;
    expect(await counted).toEqual([{ n: 3 }]);

    await expect(store.transaction(async (tx) => {
      await tx.query(`INSERT INTO notes (body, at) VALUES ('{"n": 4}', now())`);
      throw new Error('undo');
    })).rejects.toThrow('undo');
    await expect(store.transaction((tx) => tx.query('SELECT 1 / $1::int', [0]))).rejects.toMatchObject({ code: '22012' });
    expect(await store.query('SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 3 }]);
  });

  it('hears a notification before the commit that sent it returns, as PGlite in the same thread does', async () => {
    const heard: string[] = [];
    const stop = await store.listen('thread_test', (payload) => heard.push(payload));
    await store.transaction((tx) => tx.query(`SELECT pg_notify('thread_test', $1)`, ['one']));
    expect(heard).toEqual(['one']);
    await stop();
    await store.query(`SELECT pg_notify('thread_test', 'two')`);
    expect(heard).toEqual(['one']);
  });
});
