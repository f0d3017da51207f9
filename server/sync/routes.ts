import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Context } from 'hono';
import { logAccess } from '../access/access-log.ts';
import { clientAddress, requireAuth, userAgent } from '../access/authenticate.ts';
import type { AppEnv } from '../app.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import { ApiError } from '../errors.ts';
import { collectionsForTable } from './changes.ts';
import { SYNC_COLLECTIONS, type SyncCollection } from './registry.ts';

/** At most this many rows per push: RxDB's push batch size on the client is lower. */
const MAX_PUSH_ROWS = 200;

/** Checks the schema version, reads checkpoint and limit, pulls, and logs each student whose records were sent. */
async function pull(c: Context<AppEnv>, collection: SyncCollection) {
  // A device with an older schema must update before it syncs, or it would store documents it cannot read.
  if (c.req.query('v') !== String(collection.version)) throw new ApiError(426, 'client_outdated');
  const checkpoint = readCheckpoint(c.req.query('seq'), c.req.query('id'));
  const limitRaw = c.req.query('limit') ?? '100';
  if (!/^\d{1,4}$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > 1000) throw new ApiError(400, 'validation_failed', { fields: ['limit'] });
  const { store, clock } = c.get('deps');
  const principal = c.get('principal');
  const now = clock();
  const result = await collection.pull(store, principal, now.toISOString().slice(0, 10), checkpoint, Number(limitRaw));
  // Records sent to a device are reads of protected records: one entry per student per pull.
  const students = new Set(result.documents.filter((d) => !d._deleted).flatMap(collection.studentsOf));
  for (const studentId of students) {
    await logAccess(store, { districtId: principal.districtId, accountId: principal.accountId, event: 'record.read', ip: clientAddress(c), userAgent: userAgent(c), studentId, recordType: collection.name }, now);
  }
  return c.json(result);
}

/** Applies an RxDB push batch; answers with the conflicting master states, as RxDB expects. */
async function push(c: Context<AppEnv>, collection: SyncCollection) {
  if (c.req.query('v') !== String(collection.version)) throw new ApiError(426, 'client_outdated');
  let rows: unknown;
  try {
    rows = await c.req.json();
  } catch {
    throw new ApiError(400, 'validation_failed', { reason: 'body is not JSON' });
  }
  if (!Array.isArray(rows) || rows.length > MAX_PUSH_ROWS) throw new ApiError(400, 'validation_failed', { reason: `expected an array of at most ${MAX_PUSH_ROWS} rows` });
  const { store, clock } = c.get('deps');
  const principal = c.get('principal');
  const now = clock();
  const result = await collection.push!(store, principal, now.toISOString().slice(0, 10), rows, now);
  if (result.written > 0) {
    const refused = new Set(result.conflicts.map((d) => d.id));
    const students = new Set(
      rows
        .map((r) => (r as { newDocumentState?: { id?: unknown } })?.newDocumentState)
        .filter((d): d is { id: string } => typeof d?.id === 'string' && !refused.has(d.id))
        .flatMap((d) => collection.studentsOf(d)),
    );
    for (const studentId of students) {
      if (typeof studentId !== 'string') continue;
      await logAccess(store, { districtId: principal.districtId, accountId: principal.accountId, event: 'record.write', ip: clientAddress(c), userAgent: userAgent(c), studentId, recordType: collection.name }, now);
    }
  }
  return c.json(result.conflicts);
}

/** A stream lives at most as long as an access token; the device reconnects with a fresh one. */
const STREAM_MS = 15 * 60_000;
const HEARTBEAT_MS = 25_000;
const DEBOUNCE_MS = 150;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function readCheckpoint(seq: string | undefined, id: string | undefined): SyncCheckpoint | null {
  if (seq === undefined && id === undefined) return null;
  if (!seq || !/^\d{1,15}$/.test(seq) || !id || !UUID.test(id)) throw new ApiError(400, 'validation_failed', { fields: ['seq', 'id'] });
  return { seq: Number(seq), id };
}

/** RxDB replication over HTTP: `GET /api/sync/:collection/pull?v=<schema version>&seq=&id=&limit=`. */
/**
 * RxDB replication over HTTP, for every collection in the registry:
 * `GET /api/sync/:collection/pull?v=<schema version>&seq=&id=&limit=` and, where users may
 * write, `POST /api/sync/:collection/push?v=<schema version>`.
 */
export function syncRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth);

  for (const collection of SYNC_COLLECTIONS) {
    app.get(`/${collection.name}/pull`, (c) => pull(c, collection));
    if (collection.push) app.post(`/${collection.name}/push`, (c) => push(c, collection));
  }

  /**
   * One Server-Sent Events stream per signed-in device (not one per collection: HTTP/1.1 allows
   * six connections per host). `resync` on every (re)connect; `change` names the collections
   * to pull. Events say only "pull now", never what changed, so they leak nothing.
   */
  app.get('/stream', async (c) => {
    const principal = c.get('principal');
    const feed = await c.get('deps').changeFeed();
    return streamSSE(c, async (stream) => {
      const pending = new Set<string>();
      let timer: ReturnType<typeof setTimeout> | null = null;
      const flush = () => {
        timer = null;
        const collections = [...pending];
        pending.clear();
        if (collections.length > 0) void stream.writeSSE({ event: 'change', data: JSON.stringify({ collections }) });
      };
      const unsubscribe = feed.subscribe(principal.districtId, (table) => {
        for (const collection of collectionsForTable(table)) pending.add(collection);
        if (pending.size > 0 && !timer) timer = setTimeout(flush, DEBOUNCE_MS);
      });
      const heartbeat = setInterval(() => void stream.writeSSE({ event: 'ping', data: '' }), HEARTBEAT_MS);
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const lifetime = setTimeout(finish, STREAM_MS);
      stream.onAbort(finish);
      await stream.writeSSE({ event: 'resync', data: '' });
      await finished;
      unsubscribe();
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      if (timer) clearTimeout(timer);
    });
  });

  return app;
}
