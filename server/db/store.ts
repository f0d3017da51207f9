import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import { PgliteStatements } from './pglite-statements.ts';
import type { Pool, PoolClient } from 'pg';

/** Values that may be bound as query parameters (never concatenated into SQL). */
export type SqlParam = string | number | boolean | null | Date | bigint | readonly SqlParam[] | Record<string, unknown>;

/** What every query function needs: PostgreSQL-dialect statements with `$n` parameters. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** A connection to the store: PGlite (embedded) or PostgreSQL (`DATABASE_URL`). */
export interface Store extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Calls `handler` with each NOTIFY payload on `channel`, from any connection or server instance. */
  /** Calls `handler` with each notification on `channel`; `lost` once if the listening connection ends unasked. */
  listen(channel: string, handler: (payload: string) => void, lost?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

function toParams(params: readonly SqlParam[] | undefined): unknown[] {
  // Plain objects travel as JSON text; both drivers cast it to json/jsonb by the column type.
  return (params ?? []).map((value) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
      ? JSON.stringify(value)
      : value,
  );
}

function pgliteQueryable(db: PGlite | PGliteTransaction, statements: PgliteStatements, inTransaction: boolean): Queryable {
  return {
    // Named and planned once (pglite-statements.ts).
    query: <Row>(sql: string, params?: readonly SqlParam[]) => statements.query<Row>(sql, toParams(params), inTransaction),
    async exec(sql: string) {
      await db.exec(sql);
    },
  };
}

export function pgliteStore(db: PGlite): Store {
  const statements = new PgliteStatements(db);
  return {
    kind: 'pglite',
    ...pgliteQueryable(db, statements, false),
    transaction: (work) => db.transaction((tx) => work(pgliteQueryable(tx, statements, true))),
    listen: async (channel, handler) => {
      const stop = await db.listen(channel, handler);
      return () => stop();
    },
    close: () => db.close(),
  };
}

function clientQueryable(client: Pool | PoolClient): Queryable {
  // One connection runs one statement at a time: queue callers that overlap (Promise.all in a
  // transaction) instead of leaning on pg's deprecated implicit queue.
  let tail: Promise<unknown> = Promise.resolve();
  const run = <T>(work: () => Promise<T>): Promise<T> => {
    if (!('release' in client)) return work(); // a pool spreads statements over connections
    const next = tail.then(work, work);
    tail = next.catch(() => undefined);
    return next;
  };
  return {
    async query<Row>(sql: string, params?: readonly SqlParam[]) {
      const result = await run(() => client.query(sql, toParams(params)));
      return result.rows as Row[];
    },
    async exec(sql: string) {
      await run(() => client.query(sql));
    },
  };
}

export function postgresStore(pool: Pool): Store {
  return {
    kind: 'postgres',
    ...clientQueryable(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(clientQueryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, handler, lost) {
      // LISTEN needs a connection of its own that stays open.
      const client = await pool.connect();
      const onNotification = (message: { channel: string; payload?: string }) => {
        if (message.channel === channel) handler(message.payload ?? '');
      };
      let stopping = false;
      const onLost = () => {
        if (!stopping) lost?.();
      };
      client.on('notification', onNotification);
      client.on('error', onLost);
      client.on('end', onLost);
      await client.query(`LISTEN ${quoteIdentifier(channel)}`);
      return async () => {
        stopping = true;
        client.off('notification', onNotification);
        client.off('error', onLost);
        client.off('end', onLost);
        await client.query(`UNLISTEN ${quoteIdentifier(channel)}`).catch(() => undefined);
        client.release();
      };
    },
    close: () => pool.end(),
  };
}

function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a channel name: ${name}`);
  return `"${name}"`;
}

/**
 * Opens PGlite in `dataDir` (a folder, or `memory://`) on a thread of its own (pglite-thread.ts),
 * from a dump of another (`from`, as `dumpDataDir` wrote it) if given.
 */
export async function openPglite(dataDir: string, from?: Uint8Array<ArrayBuffer>): Promise<Store> {
  const { openPgliteThread } = await import('./pglite-thread.ts');
  return openPgliteThread(dataDir, toParams, from);
}

/** Opens a pool on a PostgreSQL server and checks that it answers. */
export async function openPostgres(url: string, max = 10): Promise<Store> {
  const pg = await import('pg');
  // bigint (seq) and numeric come back as strings by default; seq fits in a JS number for centuries.
  pg.default.types.setTypeParser(20, (value: string) => Number(value));
  const pool = new pg.default.Pool({ connectionString: url, max });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on next use.
  pool.on('error', (error) => console.warn(`postgres: idle connection lost (${error.message})`));
  await pool.query('SELECT 1');
  return postgresStore(pool);
}
