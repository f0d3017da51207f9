/**
 * PGlite on a worker thread (pglite-thread.worker.ts). PGlite is PostgreSQL compiled to
 * WebAssembly: a statement runs synchronously on the thread that calls it. In the server's own
 * thread every statement stopped everything else, so a first sync's SQL (about 50 ms for a
 * family) and the server's other work (JSON, compression, HTTP) ran one after the other; on a
 * thread of its own the statements run while the server answers the page before.
 */
import { Worker } from 'node:worker_threads';
import type { SqlParam, Store, Queryable } from './store.ts';
import type { ThreadAnswer, ThreadRequest } from './pglite-thread.worker.ts';

type Asked = { op: 'query'; sql: string; params: unknown[]; tx: number | null } | { op: 'exec'; sql: string; tx: number | null } | { op: 'begin' } | { op: 'end'; tx: number; commit: boolean } | { op: 'listen' | 'unlisten'; channel: string } | { op: 'close' };

/** Opens PGlite in `dataDir` (a folder, or `memory://`, or a dump `from` dumpDataDir) on a thread of its own. */
export async function openPgliteThread(dataDir: string, toParams: (params: readonly SqlParam[] | undefined) => unknown[], from?: Uint8Array<ArrayBuffer>): Promise<Store> {
  // tsx compiles the worker's TypeScript in any process, the test runner's included.
  const worker = new Worker(new URL('./pglite-thread.worker.mjs', import.meta.url), { workerData: { dataDir, from } });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const handlers = new Map<string, Set<(payload: string) => void>>();
  const losers = new Set<() => void>();
  let next = 0;
  let closing = false;
  let gone: Error | null = null;

  const ready = new Promise<void>((resolve) => waiting.set(0, { resolve: () => resolve(), reject: () => undefined }));
  worker.on('message', (answer: ThreadAnswer) => {
    if ('channel' in answer) {
      for (const handler of handlers.get(answer.channel) ?? []) handler(answer.payload);
      return;
    }
    const asker = waiting.get(answer.id);
    waiting.delete(answer.id);
    if ('error' in answer) asker?.reject(Object.assign(new Error(answer.error.message), answer.error.fields));
    else asker?.resolve(answer.result);
  });
  const end = (error: Error) => {
    gone ??= error;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
    if (!closing) for (const lost of losers) lost();
  };
  worker.on('error', end);
  worker.on('exit', (code) => end(new Error(`the PGlite thread ended (${code})`)));
  await Promise.race([ready, new Promise((_, reject) => worker.once('error', reject))]);

  const ask = <T>(request: Asked): Promise<T> => {
    if (gone) return Promise.reject(gone);
    next += 1;
    const id = next;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id } as ThreadRequest);
    });
  };
  const queryable = (tx: number | null): Queryable => ({
    query: <Row>(sql: string, params?: readonly SqlParam[]) => ask<Row[]>({ op: 'query', sql, params: toParams(params), tx }),
    exec: (sql: string) => ask<void>({ op: 'exec', sql, tx }),
  });

  return {
    kind: 'pglite',
    ...queryable(null),
    async transaction(work) {
      // The request that began it names it.
      const tx = next + 1;
      await ask({ op: 'begin' });
      let result;
      try {
        result = await work(queryable(tx));
      } catch (error) {
        await ask({ op: 'end', tx, commit: false }).catch(() => undefined);
        throw error;
      }
      await ask({ op: 'end', tx, commit: true });
      return result;
    },
    async listen(channel, handler, lost) {
      let channelHandlers = handlers.get(channel);
      if (!channelHandlers) handlers.set(channel, (channelHandlers = new Set()));
      channelHandlers.add(handler);
      if (lost) losers.add(lost);
      if (channelHandlers.size === 1) await ask({ op: 'listen', channel });
      return async () => {
        channelHandlers.delete(handler);
        if (lost) losers.delete(lost);
        if (channelHandlers.size === 0) {
          handlers.delete(channel);
          await ask({ op: 'unlisten', channel }).catch(() => undefined);
        }
      };
    },
    async close() {
      closing = true;
      await ask({ op: 'close' }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
