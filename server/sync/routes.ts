import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { logAccess } from '../access/access-log.ts';
import { clientAddress, requireAuth, userAgent } from '../access/authenticate.ts';
import type { AppEnv } from '../app.ts';
import { STUDENTS_SCHEMA_VERSION, type SyncCheckpoint } from '../contract/sync/students.ts';
import { ApiError } from '../errors.ts';
import { collectionsForTable } from './changes.ts';
import { pullStudents } from './students.ts';
import { pullAttendance, pushAttendance } from './attendance.ts';
import { ATTENDANCE_SCHEMA_VERSION } from '../contract/sync/attendance.ts';
import { SECTIONS_SCHEMA_VERSION } from '../contract/sync/sections.ts';
import { pullSections } from './sections.ts';
import type { Context } from 'hono';
import type { Principal } from '../access/principal.ts';
import type { Queryable } from '../db/store.ts';

type Puller<Doc> = (db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number) => Promise<{ documents: Array<Doc & { _deleted: boolean }>; checkpoint: SyncCheckpoint | null }>;

/** Checks the schema version, reads checkpoint and limit, pulls, and logs each student whose records were sent. */
async function pull<Doc extends { id: string }>(c: Context<AppEnv>, version: number, collection: string, puller: Puller<Doc>, studentsOf: (doc: Doc) => string[]) {
  // A device with an older schema must update before it syncs, or it would store documents it cannot read.
  if (c.req.query('v') !== String(version)) throw new ApiError(426, 'client_outdated');
  const checkpoint = readCheckpoint(c.req.query('seq'), c.req.query('id'));
  const limitRaw = c.req.query('limit') ?? '100';
  if (!/^\d{1,4}$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > 1000) throw new ApiError(400, 'validation_failed', { fields: ['limit'] });
  const { store, clock } = c.get('deps');
  const principal = c.get('principal');
  const now = clock();
  const result = await puller(store, principal, now.toISOString().slice(0, 10), checkpoint, Number(limitRaw));
  // Records sent to a device are reads of protected records: one entry per student per pull.
  const students = new Set(result.documents.filter((d) => !d._deleted).flatMap(studentsOf));
  for (const studentId of students) {
    await logAccess(store, { districtId: principal.districtId, accountId: principal.accountId, event: 'record.read', ip: clientAddress(c), userAgent: userAgent(c), studentId, recordType: collection }, now);
  }
  return c.json(result);
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
export function syncRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth);

  app.get('/students/pull', (c) => pull(c, STUDENTS_SCHEMA_VERSION, 'students', pullStudents, (d) => [d.id]));
  app.get('/attendance/pull', (c) => pull(c, ATTENDANCE_SCHEMA_VERSION, 'attendance', pullAttendance, (d) => [d.studentId]));
  // Sections are schedules, not student records: no per-student read is logged for them.
  app.get('/sections/pull', (c) => pull(c, SECTIONS_SCHEMA_VERSION, 'sections', pullSections, () => []));

  app.post('/attendance/push', async (c) => {
    if (c.req.query('v') !== String(ATTENDANCE_SCHEMA_VERSION)) throw new ApiError(426, 'client_outdated');
    let rows: unknown;
    try {
      rows = await c.req.json();
    } catch {
      throw new ApiError(400, 'validation_failed', { reason: 'body is not JSON' });
    }
    if (!Array.isArray(rows) || rows.length > 200) throw new ApiError(400, 'validation_failed', { reason: 'expected an array of at most 200 rows' });
    const { store, clock } = c.get('deps');
    const principal = c.get('principal');
    const now = clock();
    const result = await pushAttendance(store, principal, now.toISOString().slice(0, 10), rows);
    if (result.written > 0) {
      const students = new Set(rows.map((r) => (r as { newDocumentState?: { studentId?: unknown } })?.newDocumentState?.studentId).filter((id): id is string => typeof id === 'string'));
      for (const studentId of students) {
        if (result.conflicts.some((d) => d.studentId === studentId)) continue;
        await logAccess(store, { districtId: principal.districtId, accountId: principal.accountId, event: 'record.write', ip: clientAddress(c), userAgent: userAgent(c), studentId, recordType: 'attendance' }, now);
      }
    }
    // RxDB expects the conflicting master states as the answer.
    return c.json(result.conflicts);
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
