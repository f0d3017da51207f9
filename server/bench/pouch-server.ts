/**
 * pouchdb-server's stack, in memory, on loopback: assembled as `pouchdb-server --in-memory`
 * assembles it (pouchdb-core with the http, replication and map/reduce plugins and the memory
 * adapter, behind express-pouchdb in full CouchDB mode, which compresses responses), minus the
 * command line, favicon, CORS and log tailing. In-process like our own server in the bench, and
 * without pouchdb-server's package, whose LevelDB and SQLite back-ends need native builds.
 */
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import expressPouchDB from 'express-pouchdb';
import adapterHttp from 'pouchdb-adapter-http';
import adapterMemory from 'pouchdb-adapter-memory';
import PouchDB from 'pouchdb-core';
import mapReduce from 'pouchdb-mapreduce';
import replication from 'pouchdb-replication';

/** A synced document as our server sends it. */
export type SyncedDocument = { id: string; _deleted: boolean } & Record<string, unknown>;

export interface PouchServer {
  /** Base URL, ending in `/`. */
  url: string;
  /** Creates database `name` holding `documents` (tombstones as deleted documents), each as its first revision. */
  load(name: string, documents: readonly SyncedDocument[]): Promise<void>;
  close(): Promise<void>;
}

const BULK_DOCS = 1000;

/** CouchDB's form of a document: the primary key in `_id`, `_deleted` only on tombstones. */
function toCouch({ id, _deleted, ...fields }: SyncedDocument): Record<string, unknown> {
  return _deleted ? { _id: id, _deleted: true, ...fields } : { _id: id, ...fields };
}

export async function startPouchServer(): Promise<PouchServer> {
  // Full CouchDB mode keeps a request log; memdown keys its stores by this prefix, so two servers never share data.
  const dir = await mkdtemp(join(tmpdir(), 'homeroom-pouch-'));
  const pouch = PouchDB.plugin(adapterHttp).plugin(replication).plugin(mapReduce).plugin(adapterMemory).defaults({ prefix: dir + sep });
  const app = expressPouchDB(pouch, { mode: 'fullCouchDB', inMemoryConfig: true, logPath: join(dir, 'log.txt') });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;

  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(url + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const answer: unknown = await response.json();
    if (!response.ok) throw new Error(`pouchdb-server ${method} /${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };

  const loaded: string[] = [];
  return {
    url,
    async load(name, documents) {
      await call('PUT', encodeURIComponent(name));
      loaded.push(name);
      for (let start = 0; start < documents.length; start += BULK_DOCS) {
        const results = (await call('POST', `${encodeURIComponent(name)}/_bulk_docs`, { docs: documents.slice(start, start + BULK_DOCS).map(toCouch) })) as Array<{ ok?: boolean; id: string; error?: string }>;
        const failed = results.filter((r) => !r.ok);
        if (failed.length > 0) throw new Error(`pouchdb-server refused ${failed.length} documents of ${name}, first: ${JSON.stringify(failed[0])}`);
      }
    },
    async close() {
      // memdown's stores outlive the server: delete the databases to free their memory.
      for (const name of loaded) await call('DELETE', encodeURIComponent(name));
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
