import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Context } from 'hono';
import { logAccess, logStudentRecords } from '../access/access-log.ts';
import { authenticate, clientAddress, requireAuth, tokenClaims, userAgent } from '../access/authenticate.ts';
import { atWatermark, pullGate } from './pull-gate.ts';
import { loadPrincipal } from '../access/principal.ts';
import { PrincipalMemory } from '../access/principal-memory.ts';
import { streamStudents } from '../access/stream-scope.ts';
import type { AppEnv } from '../app.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import { ApiError } from '../errors.ts';
import { readJson, readJsonObject } from '../routes/validate.ts';
import { compressedJson } from '../routes/compress-api.ts';
import { pulledAsJson } from './pulled-document.ts';
import { collectionsForTable } from './changes.ts';
import { SYNC_COLLECTIONS, type SyncCollection } from './registry.ts';
import { UUID } from '../domain/ids.ts';
import { collectionDigest, type CollectionDigest, type RepairReport } from '../contract/sync/digest.ts';

/** At most this many rows per push: RxDB's push batch size on the client is lower. */
const MAX_PUSH_ROWS = 200;

/**
 * Checks the token and the schema version, reads checkpoint and limit, and pulls: at once when
 * nothing changed after the checkpoint (pull-gate.ts: one statement), else with who is asking
 * loaded; logs each student whose records were sent.
 */
async function pull(c: Context<AppEnv>, collection: SyncCollection, principals: () => Promise<PrincipalMemory | null>) {
  const claims = await tokenClaims(c);
  // A device with an older schema must update before it syncs, or it would store documents it cannot read.
  if (c.req.query('v') !== String(collection.version)) throw new ApiError(426, 'client_outdated');
  const checkpoint = readCheckpoint(c.req.query('seq'), c.req.query('id'), c.req.query('base'));
  const limitRaw = c.req.query('limit') ?? '100';
  if (!/^\d{1,4}$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > 1000) throw new ApiError(400, 'validation_failed', { fields: ['limit'] });
  const limit = Number(limitRaw);
  const { store, clock } = c.get('deps');
  const now = clock();
  let watermark: number | null = null;
  if (checkpoint) {
    const memory = await c.get('deps').gateMemory();
    const gate = await pullGate(store, { districtId: claims.dst, accountId: claims.sub, sessionId: claims.sid }, now, collection.tables, checkpoint, memory ?? undefined);
    if (!gate.live) throw new ApiError(401, 'unauthenticated');
    if (!gate.changed) return small(c, { documents: [], checkpoint });
    watermark = gate.watermark;
  }
  await authenticate(c, claims, (await principals()) ?? undefined);
  const principal = c.get('principal');
  const result = await collection.pull(pulledAsJson(store), principal, now.toISOString().slice(0, 10), checkpoint, limit);
  if (result.documents.length < limit) {
    // A first pull's base was read before its page, as the gate's watermark was: either may lead the checkpoint.
    result.checkpoint = atWatermark(result.checkpoint, watermark ?? (checkpoint ? null : (result.checkpoint?.base ?? null)));
  }
  // Records sent to a device are reads of protected records: one entry per student per pull, written while the answer is compressed, which leaves only once they are.
  const wire = (c.req.query('wire') === 'compact' && collection.compact) || collection.wire;
  const [, answer] = await Promise.all([logRecords(c, collection, 'record.read', result.documents.filter((d) => !d._deleted)), compressedJson(c, wire ? { documents: result.documents.map(wire), checkpoint: result.checkpoint } : result)]);
  return answer;
}

/** A JSON answer of a few bytes, with its length declared so no middleware reads it again (compress-api.ts). */
function small(c: Context<AppEnv>, value: unknown): Response {
  const text = JSON.stringify(value);
  return c.body(text, 200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
}

/** Pages a check reads at a time: the pull's largest. */
const CHECK_PAGE = 1000;

/**
 * The count and checksum of the live documents a pull from the start would send this user
 * (server/contract/sync/digest.ts), so a device can prove it holds its scope. It sends no
 * record, so no read is logged.
 */
async function check(c: Context<AppEnv>, collection: SyncCollection) {
  if (c.req.query('v') !== String(collection.version)) throw new ApiError(426, 'client_outdated');
  const { store, clock } = c.get('deps');
  const principal = c.get('principal');
  const today = clock().toISOString().slice(0, 10);
  const live: Array<{ id: string }> = [];
  let checkpoint: SyncCheckpoint | null = null;
  for (;;) {
    const page = await collection.pull(pulledAsJson(store), principal, today, checkpoint, CHECK_PAGE);
    for (const doc of page.documents) if (!doc._deleted) live.push(doc);
    if (page.documents.length < CHECK_PAGE || !page.checkpoint) break;
    checkpoint = page.checkpoint;
  }
  return c.json(collectionDigest(live) satisfies CollectionDigest);
}

const REPAIR_FIELDS = ['missing', 'changed', 'extra'] as const;

/** A device found its copy damaged and pulled the collection again: kept in the account's access log. */
async function repaired(c: Context<AppEnv>, collection: SyncCollection) {
  const report = await readJsonObject(c);
  const bad = REPAIR_FIELDS.filter((field) => {
    const value = report[field];
    return typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1_000_000;
  });
  const unknown = Object.keys(report).filter((key) => !(REPAIR_FIELDS as readonly string[]).includes(key));
  if (bad.length > 0 || unknown.length > 0) throw new ApiError(400, 'validation_failed', { fields: [...bad, ...unknown] });
  const { store, clock } = c.get('deps');
  const principal = c.get('principal');
  const detail: RepairReport = { missing: report.missing as number, changed: report.changed as number, extra: report.extra as number };
  await logAccess(store, { districtId: principal.districtId, accountId: principal.accountId, event: 'sync.repaired', ip: clientAddress(c), userAgent: userAgent(c), recordType: collection.name, detail: { ...detail } }, clock());
  return c.body(null, 204);
}

/** One access-log entry per student the documents are about (households count for each of their students). */
async function logRecords(c: Context<AppEnv>, collection: SyncCollection, event: 'record.read' | 'record.write', documents: Array<{ id: string }>) {
  if (documents.length === 0) return;
  const { store, clock } = c.get('deps');
  const principal = c.get('principal');
  // Pushed documents a pusher took are well formed; a malformed one it refused is skipped here, never thrown on.
  const ids = (of: ((doc: never) => string[]) | undefined) => documents.flatMap((d) => {
    try {
      return (of?.(d as never) ?? []).filter((id) => typeof id === 'string' && UUID.test(id));
    } catch {
      return [];
    }
  });
  const students = new Set(ids(collection.studentsOf));
  const households = [...new Set(ids(collection.householdsOf))];
  if (households.length > 0) {
    const members = await store.query<{ id: string }>(
      `SELECT s.id FROM household_members hm JOIN students s ON s.district_id = hm.district_id AND s.person_id = hm.person_id
        WHERE hm.district_id = $1 AND hm.household_id = ANY($2::uuid[]) AND hm.role = 'student' AND NOT hm.deleted`,
      [principal.districtId, households],
    );
    for (const { id } of members) students.add(id);
  }
  await logStudentRecords(store, { districtId: principal.districtId, accountId: principal.accountId, event, ip: clientAddress(c), userAgent: userAgent(c), recordType: collection.name }, students, clock());
}

/** Applies an RxDB push batch; answers with the conflicting master states, as RxDB expects. */
async function push(c: Context<AppEnv>, collection: SyncCollection) {
  if (c.req.query('v') !== String(collection.version)) throw new ApiError(426, 'client_outdated');
  const rows = await readJson(c);
  if (!Array.isArray(rows) || rows.length > MAX_PUSH_ROWS) throw new ApiError(400, 'validation_failed', { reason: `expected an array of at most ${MAX_PUSH_ROWS} rows` });
  const { store, clock } = c.get('deps');
  const principal = c.get('principal');
  const now = clock();
  const result = await collection.push!(store, principal, now.toISOString().slice(0, 10), rows, now);
  // What the pusher wrote, not every row it did not refuse: a malformed row it dropped may name a student that does not exist.
  await logRecords(c, collection, 'record.write', result.written);
  // The server's state sent back in a conflict is a read like any pull.
  await logRecords(c, collection, 'record.read', result.conflicts.filter((d) => !d._deleted));
  return c.json(result.conflicts);
}

/** A stream lives at most as long as an access token; the device reconnects with a fresh one. */
const STREAM_MS = 15 * 60_000;
const HEARTBEAT_MS = 25_000;
const DEBOUNCE_MS = 150;

function readCheckpoint(seq: string | undefined, id: string | undefined, base: string | undefined): SyncCheckpoint | null {
  if (seq === undefined && id === undefined) {
    if (base !== undefined) throw new ApiError(400, 'validation_failed', { fields: ['base'] });
    return null;
  }
  if (!seq || !/^\d{1,15}$/.test(seq) || !id || !UUID.test(id)) throw new ApiError(400, 'validation_failed', { fields: ['seq', 'id'] });
  if (base !== undefined && !/^\d{1,15}$/.test(base)) throw new ApiError(400, 'validation_failed', { fields: ['base'] });
  // A device's own base only ever hides tombstones from itself (pager.ts).
  return base === undefined || base === '0' ? { seq: Number(seq), id } : { seq: Number(seq), id, base: Number(base) };
}

/**
 * RxDB replication over HTTP, for every collection in the registry:
 * `GET /api/sync/:collection/pull?v=<schema version>&seq=&id=&base=&limit=`, where users may
 * write `POST /api/sync/:collection/push?v=<schema version>`, and for a device proving it holds
 * its scope `GET /api/sync/:collection/check?v=` and `POST /api/sync/:collection/repaired`.
 */
export function syncRoutes() {
  const app = new Hono<AppEnv>();
  // Who is asking is remembered between pulls where the gate's answers are (principal-memory.ts).
  let memory: Promise<PrincipalMemory | null> | undefined;
  const principals = (deps: AppEnv['Variables']['deps']) => () =>
    (memory ??= deps.gateMemory().then(async (gate) => {
      if (!gate) return null;
      const remembered = new PrincipalMemory();
      (await deps.changeFeed()).watch(remembered);
      return remembered;
    }));

  for (const collection of SYNC_COLLECTIONS) {
    // The pull checks the session itself: an in-sync pull costs one statement (pull-gate.ts).
    app.get(`/${collection.name}/pull`, (c) => pull(c, collection, principals(c.get('deps'))));
    app.get(`/${collection.name}/check`, requireAuth, (c) => check(c, collection));
    app.post(`/${collection.name}/repaired`, requireAuth, (c) => repaired(c, collection));
    if (collection.push) app.post(`/${collection.name}/push`, requireAuth, (c) => push(c, collection));
  }

  /**
   * One Server-Sent Events stream per signed-in device (not one per collection: HTTP/1.1 allows
   * six connections per host). `resync` on every (re)connect; `change` names the collections
   * to pull. Events say only "pull now", never what changed, so they leak nothing.
   */
  app.get('/stream', requireAuth, async (c) => {
    const principal = c.get('principal');
    const sessionId = c.get('sessionId');
    const { store, clock } = c.get('deps');
    const feed = await c.get('deps').changeFeed();
    // The stream ends with its session: when it is revoked or its account disabled (notified at
    // commit, on every instance), and at the latest when it would expire (a kiosk's idle limit).
    const sessionLeftMs = c.get('sessionExpiresAt').getTime() - clock().getTime();
    // Only changes about students in the person's scope are passed on (server/access/stream-scope.ts),
    // and the scope is read again only when her own grants change.
    let scope = streamStudents(principal);
    let rescoping: Promise<void> | null = null;
    const rescope = (end: () => void) => {
      rescoping ??= (async () => {
        const today = clock().toISOString().slice(0, 10);
        const now = await loadPrincipal(store, principal.districtId, principal.accountId, today);
        if (!now) return end();
        scope = streamStudents(now);
      })()
        .catch(() => {})
        .finally(() => (rescoping = null));
    };
    return streamSSE(c, async (stream) => {
      const pending = new Set<string>();
      let timer: ReturnType<typeof setTimeout> | null = null;
      const flush = () => {
        timer = null;
        const collections = [...pending];
        pending.clear();
        if (collections.length > 0) void stream.writeSSE({ event: 'change', data: JSON.stringify({ collections }) });
      };
      let ended = false;
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const wake = (table: string, students: readonly string[] | null) => {
        if (ended || (students && scope && !students.some((id) => scope!.has(id)))) return; // about students this person does not reach
        for (const collection of collectionsForTable(table)) pending.add(collection);
        if (pending.size > 0 && !timer) timer = setTimeout(flush, DEBOUNCE_MS);
      };
      const unsubscribe = feed.subscribe(principal.districtId, (table, named) => {
        // The commit that changed her grants may change other tables too: those events wait for her new scope.
        if (table !== 'access_grants') return rescoping ? void rescoping.then(() => wake(table, named)) : wake(table, named);
        if (named && !named.includes(principal.personId)) return; // someone else's grants (migration 0020)
        rescope(finish);
        wake(table, null);
      });
      const heartbeat = setInterval(() => void stream.writeSSE({ event: 'ping', data: '' }), HEARTBEAT_MS);
      const lifetime = setTimeout(finish, Math.max(0, Math.min(STREAM_MS, sessionLeftMs)));
      const stopFollowing = feed.onSessionEnd({ districtId: principal.districtId, sessionId, accountId: principal.accountId }, finish);
      stream.onAbort(finish);
      await stream.writeSSE({ event: 'resync', data: '' });
      await finished;
      ended = true;
      stopFollowing();
      unsubscribe();
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      if (timer) clearTimeout(timer);
    });
  });

  return app;
}
