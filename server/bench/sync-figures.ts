/**
 * Sync figures for `npm run bench`: demo-guardian's first sync of every collection, what she
 * pulls the morning after one simulated school day, and how many incremental pulls per second
 * the server answers for 500 devices in sync (autocannon, in its own worker thread so the load
 * does not run on the server's event loop).
 */
import { PULL_BATCH_SIZE } from '../contract/sync/paging.ts';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { createApp } from '../app.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Store } from '../db/store.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { defaultSeedOptions, demoTotpCode } from '../seed/generate.ts';
import { ChangeFeed } from '../sync/changes.ts';
import { SYNC_COLLECTIONS } from '../sync/registry.ts';
import { wireCounter } from './pouch-wire.ts';

type Record = (what: string, figure: string, note?: string) => void;
type Checkpoints = Map<string, SyncCheckpoint | null>;

const PAGE = PULL_BATCH_SIZE;

/** Pulls every collection from the checkpoints to the end, as a device does; counts the wire. */
export async function pullEverything(base: string, token: string, from: Checkpoints): Promise<{ documents: number; bytes: number; requests: number; seconds: number; checkpoints: Checkpoints; perCollection: Map<string, number> }> {
  const counter = wireCounter();
  const checkpoints: Checkpoints = new Map();
  const perCollection = new Map<string, number>();
  let documents = 0;
  const started = performance.now();
  try {
    // A device pulls its collections side by side, as RxDB's replications do.
    await Promise.all(SYNC_COLLECTIONS.map(async (collection) => {
      let checkpoint = from.get(collection.name) ?? null;
      for (;;) {
        // The compact form, as the app asks for it (server/contract/sync/paging.ts).
        const query = new URLSearchParams({ v: String(collection.version), limit: String(PAGE), wire: 'compact' });
        if (checkpoint) {
          query.set('seq', String(checkpoint.seq));
          query.set('id', checkpoint.id);
          // As the app does: the first pull's base rides on (server/sync/pager.ts).
          if (checkpoint.base) query.set('base', String(checkpoint.base));
        }
        const response = await counter.fetch(`${base}/api/sync/${collection.name}/pull?${query}`, { headers: { authorization: `Bearer ${token}` } });
        if (!response.ok) throw new Error(`pull ${collection.name}: ${response.status}`);
        const page = (await response.json()) as { documents: unknown[]; checkpoint: SyncCheckpoint | null };
        documents += page.documents.length;
        perCollection.set(collection.name, (perCollection.get(collection.name) ?? 0) + page.documents.length);
        checkpoint = page.checkpoint ?? checkpoint;
        if (page.documents.length < PAGE) break;
      }
      checkpoints.set(collection.name, checkpoint);
    }));
    const seconds = (performance.now() - started) / 1000;
    const traffic = counter.traffic();
    return { documents, bytes: traffic.bodyBytes, requests: traffic.requests, seconds, checkpoints, perCollection };
  } finally {
    counter.close();
  }
}

/**
 * One school day across the district, written as the school's staff would: every section
 * takes attendance (about 6% absent, 3% tardy), every teacher grades one new assignment for
 * the whole roster and the in-progress grades move, and one teacher in ten writes to the
 * families of a section.
 */
async function simulateSchoolDay(store: Store, districtId: string, day: string): Promise<number> {
  let rows = 0;
  await store.transaction(async (tx) => {
    const marks = await tx.query(
      `INSERT INTO attendance (district_id, id, student_id, school_id, date, section_id, period_id, status, excuse, minutes, comment)
       SELECT r.district_id, gen_random_uuid(), r.student_id, x.school_id, $2::date, x.id, x.period_id,
              CASE WHEN h < 0.06 THEN 'absent' ELSE 'tardy' END, 'unknown', CASE WHEN h < 0.06 THEN NULL ELSE 7 END, ''
         FROM (SELECT r.*, abs(hashtext(r.student_id::text || x.id::text || $2)) % 1000 / 1000.0 AS h
                 FROM section_enrollments r JOIN sections x ON x.district_id = r.district_id AND x.id = r.section_id
                 JOIN terms t ON t.district_id = x.district_id AND t.id = x.term_id AND t.start_date <= $2::date AND t.end_date >= $2::date
                WHERE r.district_id = $1 AND NOT r.deleted AND r.end_date IS NULL) r
         JOIN sections x ON x.district_id = r.district_id AND x.id = r.section_id
        WHERE r.h < 0.09
       ON CONFLICT DO NOTHING RETURNING id`,
      [districtId, day],
    );
    rows += marks.length;
    const assignments = await tx.query<{ id: string }>(
      `INSERT INTO assignments (district_id, id, section_id, category_id, grading_period_id, name, points_possible, assigned_on, due_on)
       SELECT DISTINCT ON (x.id) x.district_id, gen_random_uuid(), x.id, c.id, p.id, 'Exit ticket ' || $2, 10, $2::date, $2::date
         FROM sections x JOIN terms t ON t.district_id = x.district_id AND t.id = x.term_id AND t.start_date <= $2::date AND t.end_date >= $2::date
         JOIN grading_periods p ON p.district_id = x.district_id AND p.term_id = x.term_id AND p.start_date <= $2::date AND p.end_date >= $2::date
         JOIN assignment_categories c ON c.district_id = x.district_id AND c.section_id = x.id AND NOT c.deleted
        WHERE x.district_id = $1 AND NOT x.deleted
        ORDER BY x.id, c.name RETURNING id`,
      [districtId, day],
    );
    rows += assignments.length;
    const scores = await tx.query(
      `INSERT INTO scores (district_id, id, assignment_id, student_id, points)
       SELECT a.district_id, gen_random_uuid(), a.id, r.student_id, 5 + abs(hashtext(r.student_id::text || a.id::text)) % 6
         FROM assignments a JOIN section_enrollments r ON r.district_id = a.district_id AND r.section_id = a.section_id AND NOT r.deleted AND r.end_date IS NULL
        WHERE a.district_id = $1 AND a.id = ANY($2::uuid[]) RETURNING id`,
      [districtId, assignments.map((a) => a.id)],
    );
    rows += scores.length;
    // The in-progress grades the new scores move (the calculation itself is measured elsewhere).
    const grades = await tx.query(
      `UPDATE term_grades g SET percent = least(100, coalesce(g.percent, 80) + 0.1)
         FROM assignments a, section_enrollments r
        WHERE a.district_id = $1 AND a.id = ANY($2::uuid[]) AND g.district_id = a.district_id AND g.section_id = a.section_id
          AND g.grading_period_id = a.grading_period_id AND g.status = 'in_progress' AND r.district_id = a.district_id
          AND r.section_id = a.section_id AND r.student_id = g.student_id AND NOT g.deleted
       RETURNING g.id`,
      [districtId, assignments.map((a) => a.id)],
    );
    rows += grades.length;
    const messages = await tx.query<{ id: string; section_id: string }>(
      `INSERT INTO messages (district_id, id, sender_person_id, section_id, subject, body, sent_at)
       SELECT x.district_id, gen_random_uuid(), s.person_id, x.id, 'Today in class', 'We started the new unit today. Please ask your child about it.', ($2::date + time '15:30')::timestamptz
         FROM sections x JOIN section_staff ss ON ss.district_id = x.district_id AND ss.section_id = x.id AND NOT ss.deleted AND ss.start_date <= $2::date AND (ss.end_date IS NULL OR ss.end_date >= $2::date)
         JOIN staff s ON s.district_id = ss.district_id AND s.id = ss.staff_id
        WHERE x.district_id = $1 AND abs(hashtext(x.id::text)) % 10 = 0 RETURNING id, section_id`,
      [districtId, day],
    );
    for (const message of messages) {
      const recipients = await tx.query(
        `INSERT INTO message_recipients (district_id, id, message_id, person_id)
         SELECT DISTINCT ON (g.guardian_person_id) $1::uuid, gen_random_uuid(), $2::uuid, g.guardian_person_id
           FROM section_enrollments r JOIN guardianships g ON g.district_id = r.district_id AND g.student_id = r.student_id AND g.portal_access AND NOT g.deleted
          WHERE r.district_id = $1 AND r.section_id = $3 AND NOT r.deleted AND r.end_date IS NULL RETURNING id`,
        [districtId, message.id, message.section_id],
      );
      rows += 1 + recipients.length;
    }
  });
  return rows;
}

/** Signs a demo account in; demo staff answer their second factor with the code their seeded secret gives at `at` (the app's clock). */
export async function login(base: string, username: string, at: Date): Promise<string> {
  const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  let response = await post('/api/auth/login', { username, password: 'homeroom-demo' });
  if (!response.ok) throw new Error(`sign-in ${username}: ${response.status}`);
  let body = (await response.json()) as { accessToken?: string; challenge?: string };
  if (body.challenge) {
    response = await post('/api/auth/second-factor/verify', { challenge: body.challenge, code: demoTotpCode(defaultSeedOptions(at.toISOString().slice(0, 10)), username, at) });
    if (!response.ok) throw new Error(`second factor of ${username}: ${response.status}`);
    body = (await response.json()) as { accessToken?: string };
  }
  return body.accessToken!;
}

export async function syncFigures(options: { label: string; store: Store; today: string; record: Record; devices?: number; seconds?: number }): Promise<void> {
  const { label, store, today, record } = options;
  const now = { value: new Date(`${today}T06:00:00Z`) };
  // Its own change feed, as main.ts: a feed the app started itself would hold two of PostgreSQL's
  // pooled connections (LISTEN) and keep the store from closing after the run.
  const changes = await ChangeFeed.start(store);
  const app = createApp({ store, changes, clock: () => now.value, mailer: memoryMailer(), config: { rememberPulls: true } });
  // Requests still running when the load stops must finish before the store closes.
  let inFlight = 0;
  const handle = async (request: Request) => {
    inFlight += 1;
    try {
      return await app.fetch(request);
    } finally {
      inFlight -= 1;
    }
  };
  const server = serve({ fetch: handle, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const guardian = await login(base, 'demo-guardian', now.value);
    const first = await pullEverything(base, guardian, new Map());
    record(
      `first sync of demo-guardian, ${label}`,
      `${first.documents.toLocaleString('en-US')} documents, ${(first.bytes / 1024).toFixed(1)} KiB on the wire, ${first.seconds.toFixed(2)} s`,
      `all ${SYNC_COLLECTIONS.length} collections side by side, pages of ${PAGE}, ${first.requests} requests; response bodies as received (brotli, as a browser over HTTPS is answered)`,
    );

    // The evening: the district's school day is written; the morning after, her phone catches up.
    const [{ id: districtId }] = (await store.query<{ id: string }>(`SELECT id FROM districts ORDER BY name LIMIT 1`)) as [{ id: string }];
    const written = await simulateSchoolDay(store, districtId, today);
    now.value = new Date(`${today}T23:00:00Z`);
    const evening = await login(base, 'demo-guardian', now.value);
    const day = await pullEverything(base, evening, first.checkpoints);
    record(
      `one school day's incremental sync of demo-guardian, ${label}`,
      `${day.documents.toLocaleString('en-US')} documents, ${(day.bytes / 1024).toFixed(1)} KiB on the wire, ${day.seconds.toFixed(2)} s`,
      `after ${written.toLocaleString('en-US')} rows of one district-wide school day (attendance, a graded assignment per section, grades, messages); ${day.requests} requests`,
    );

    // 500 devices in sync asking "anything new?" about attendance: the steady state of a school day.
    const users = ['demo-guardian', 'demo-student', 'demo-teacher', 'demo-office'];
    const requests = [];
    for (const username of users) {
      const token = await login(base, username, now.value);
      const { checkpoints } = await pullEverything(base, token, new Map());
      const checkpoint = checkpoints.get('attendance');
      const query = new URLSearchParams({ v: '0', limit: '100', ...(checkpoint ? { seq: String(checkpoint.seq), id: checkpoint.id } : {}) });
      requests.push({ method: 'GET' as const, path: `/api/sync/attendance/pull?${query}`, headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' } });
    }
    const devices = options.devices ?? 500;
    const seconds = options.seconds ?? 10;
    // The steady state is measured after the same load has run for a few seconds: a server that
    // has just started compiles its hot paths and fills its memory of who is asking, and in the
    // first seconds the 1% slowest pulls took 0.4-1.3 s on this machine. The warm-up's own
    // figures are recorded beside the measured run's, so a slow start stays visible.
    const warmupSeconds = 3;
    // `warmup` is autocannon's own option (lib/init.js), missing from its types.
    const load: autocannon.Options & { warmup: { connections: number; duration: number } } = { url: base, connections: devices, duration: seconds, requests, workers: 1, warmup: { connections: devices, duration: warmupSeconds } };
    const result = (await autocannon(load)) as autocannon.Result & { warmup?: autocannon.Result };
    const warm = result.warmup;
    record(
      `pulls per second, ${label}`,
      `${Math.round(result.requests.average).toLocaleString('en-US')} /s (p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms)`,
      `autocannon in a worker thread: ${devices} connections for ${seconds} s, incremental attendance pulls of 4 demo users, after a ${warmupSeconds} s warm-up of the same load on connections of its own (the warm-up: ${warm ? `${Math.round(warm.requests.average).toLocaleString('en-US')} /s, p50 ${warm.latency.p50} ms, p99 ${warm.latency.p99} ms` : 'not reported'}); ${result.non2xx} non-2xx, ${result.errors} errors`,
    );
  } finally {
    (server as import('node:http').Server).closeAllConnections();
    server.close();
    while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    await changes.close();
  }
}
