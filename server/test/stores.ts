import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { openPglite, openPostgres, pgliteStore, type Store } from '../db/store.ts';
import { migrate } from '../db/migrate.ts';

/** A migrated PGlite store, copied from the template the global setup built. */
export async function migratedPglite(): Promise<Store> {
  const dump = await readFile(inject('pgliteTemplate'));
  const db = await PGlite.create({ loadDataDir: new Blob([dump]) });
  return pgliteStore(db);
}

/**
 * The same template on a thread of its own, as `npm start` runs PGlite (db/pglite-thread.ts): the
 * end-to-end tests' server runs the store the way a district's does.
 */
export async function migratedPgliteThread(): Promise<Store> {
  return openPglite('memory://', new Uint8Array(await readFile(inject('pgliteTemplate'))));
}

/** A fresh, empty PGlite store (no migrations), for migration tests. */
export async function emptyPglite(): Promise<Store> {
  return pgliteStore(await PGlite.create());
}

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let reachable: boolean | undefined;

/** Whether a PostgreSQL server answers at TEST_DATABASE_URL (or the local default). */
export async function postgresReachable(): Promise<boolean> {
  if (reachable !== undefined) return reachable;
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    reachable = true;
  } catch {
    reachable = false;
  } finally {
    await client.end().catch(() => undefined);
  }
  return reachable;
}

export interface TestDatabase {
  store: Store;
  url: string;
  /** Closes the store and drops the database. */
  drop(): Promise<void>;
}

/** Creates its own database on the PostgreSQL server, so parallel runs never collide. */
export async function freshPostgres(options: { migrated: boolean }): Promise<TestDatabase> {
  const name = `homeroom_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const store = await openPostgres(url.toString(), 4);
  if (options.migrated) await migrate(store);
  return {
    store,
    url: url.toString(),
    async drop() {
      await store.close();
      const cleaner = new pg.Client({ connectionString: adminUrl });
      await cleaner.connect();
      await cleaner.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleaner.end();
    },
  };
}
