/**
 * The PGlite a server runs, on a thread of its own (pglite-thread.ts asks, this answers). Every
 * statement is named and planned once (pglite-statements.ts); a transaction stays open here
 * while the server's callback sends its statements, and the database's own locks queue the rest.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { PgliteStatements } from './pglite-statements.ts';
import { ShortestFirst } from './shortest-first.ts';

export type ThreadRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[]; tx: number | null }
  | { id: number; op: 'exec'; sql: string; tx: number | null }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'listen' | 'unlisten'; channel: string }
  | { id: number; op: 'close' };

export type ThreadAnswer =
  | { id: number; result: unknown }
  | { id: number; error: { message: string; fields: Record<string, unknown> } }
  | { channel: string; payload: string };

const port = parentPort!;
const { dataDir, from } = workerData as { dataDir: string; from?: Uint8Array<ArrayBuffer> };
const db = await PGlite.create(dataDir, from ? { loadDataDir: new Blob([from]) } : {});
const statements = new PgliteStatements(db);
/** Open transactions by the id of the request that began them, with how to end each. */
const open = new Map<number, { tx: Transaction; end: (commit: boolean) => void; ended: Promise<void> }>();
const listening = new Map<string, () => Promise<void>>();
/** Statements outside a transaction, shortest expected first; a transaction's own go in its order. */
const waiting = new ShortestFirst();

async function answer(request: ThreadRequest): Promise<unknown> {
  switch (request.op) {
    case 'query':
      return statements.query(request.sql, request.params, request.tx !== null);
    case 'exec':
      await (request.tx === null ? db : transaction(request.tx)).exec(request.sql);
      return null;
    case 'begin': {
      let started!: (tx: Transaction) => void;
      const begun = new Promise<Transaction>((resolve) => (started = resolve));
      let end!: (commit: boolean) => void;
      const decided = new Promise<boolean>((resolve) => (end = resolve));
      const ended = db.transaction(async (tx) => {
        started(tx);
        if (!(await decided)) await tx.rollback();
      });
      // A transaction that cannot begin ends here too: the caller hears why.
      const tx = await Promise.race([begun, ended.then(() => { throw new Error('transaction ended before it began'); })]);
      open.set(request.id, { tx, end, ended });
      return null;
    }
    case 'end': {
      const { end, ended } = open.get(request.tx)!;
      open.delete(request.tx);
      end(request.commit);
      await ended;
      return null;
    }
    case 'listen':
      if (!listening.has(request.channel)) listening.set(request.channel, await db.listen(request.channel, (payload) => port.postMessage({ channel: request.channel, payload } satisfies ThreadAnswer)));
      return null;
    case 'unlisten':
      await listening.get(request.channel)?.();
      listening.delete(request.channel);
      return null;
    case 'close':
      await db.close();
      return null;
  }
}

const FIELDS = ['code', 'severity', 'detail', 'hint', 'constraint', 'table', 'column', 'schema', 'dataType', 'where', 'routine', 'position'] as const;

function errorFields(error: Error): Record<string, unknown> {
  const source = error as unknown as Record<string, unknown>;
  return Object.fromEntries(FIELDS.filter((field) => source[field] !== undefined).map((field) => [field, source[field]]));
}

function transaction(id: number): Transaction {
  const found = open.get(id);
  if (!found) throw new Error('the transaction has ended');
  return found.tx;
}

port.on('message', (request: ThreadRequest) => {
  (request.op === 'query' && request.tx === null ? waiting.run(request.sql, () => answer(request)) : answer(request)).then(
    (result) => port.postMessage({ id: request.id, result } satisfies ThreadAnswer),
    // A database error keeps its fields (code, constraint, detail …), which callers read.
    (error: Error) => port.postMessage({ id: request.id, error: { message: error.message, fields: errorFields(error) } } satisfies ThreadAnswer),
  );
});
port.postMessage({ id: 0, result: 'ready' } satisfies ThreadAnswer);
