import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { logAccess } from '../access/access-log.ts';
import { clientAddress, requireAuth, userAgent } from '../access/authenticate.ts';
import type { AppEnv } from '../app.ts';
import { STUDENTS_SCHEMA_VERSION, type SyncCheckpoint } from '../contract/sync/students.ts';
import { ApiError } from '../errors.ts';
import { collectionsForTable } from './changes.ts';
import { pullStudents } from './students.ts';

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
export function syncRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth);

  app.get('/students/pull', async (c) => {
    // A device with an older schema must update before it syncs, or it would store documents it cannot read.
    if (c.req.query('v') !== String(STUDENTS_SCHEMA_VERSION)) throw new ApiError(426, 'client_outdated');
    const checkpoint = readCheckpoint(c.req.query('seq'), c.req.query('id'));
    const limitRaw = c.req.query('limit') ?? '100';
    if (!/^\d{1,4}$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > 1000) throw new ApiError(400, 'validation_failed', { fields: ['limit'] });
    const { store, clock } = c.get('deps');
    const principal = c.get('principal');
    const now = clock();
    const result = await pullStudents(store, principal, now.toISOString().slice(0, 10), checkpoint, Number(limitRaw));
    // Every student record sent to a device is a read of protected records.
    for (const document of result.documents.filter((d) => !d._deleted)) {
      await logAccess(store, { districtId: principal.districtId, accountId: principal.accountId, event: 'record.read', ip: clientAddress(c), userAgent: userAgent(c), studentId: document.id, recordType: 'students', recordId: document.id }, now);
    }
    return c.json(result);
  });

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
