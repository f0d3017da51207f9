/**
 * Every push endpoint fuzzed with 10,000 rows built from its collection's schema and from real
 * documents (the pusher's own, and other people's): wrong types, missing and extra fields,
 * ids of records out of scope, hostile `assumedMasterState`s, garbage rows and bodies. The server
 * must answer each with a 4xx or a refusal, never a 5xx, and write nothing outside the pusher's
 * scope (issue 12). Deterministic: the rows come from a seeded generator.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTENDANCE_SCHEMA_VERSION } from '../contract/sync/attendance.ts';
import { MESSAGES_SCHEMA_VERSION } from '../contract/sync/messages.ts';
import { PROFILE_SCHEMA_VERSION } from '../contract/sync/profile.ts';
import { REQUESTS_SCHEMA_VERSION } from '../contract/sync/requests.ts';
import { scoreId, SCORES_SCHEMA_VERSION } from '../contract/sync/scores.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import { Random } from '../seed/random.ts';
import { servedAppFixture, signIn, type ServedAppFixture } from '../test/app-fixture.ts';
import { guardianOfAnotherFamily, useDemoPassword } from '../test/family-accounts.ts';
import { dayFor } from '../test/test-day.ts';

type Doc = Record<string, unknown> & { id: string };

let f: ServedAppFixture;
let otherFamily: string;

beforeAll(async () => {
  f = await servedAppFixture({ students: 120, today: dayFor('school-day') });
  otherFamily = await guardianOfAnotherFamily(f.store);
  await useDemoPassword(f.store, [otherFamily]);
});
afterAll(() => f.close());

async function pullAll(token: string, name: string, version: number, options: { tombstones?: boolean } = {}): Promise<Doc[]> {
  const documents: Doc[] = [];
  // With tombstones: as a device that has held everything since seq 0 (no first-sync base), so every
  // record the user's grants reach comes back, hidden ones as tombstones (server/sync/pager.ts).
  let checkpoint: SyncCheckpoint | null = options.tombstones ? { seq: 0, id: '00000000-0000-0000-0000-000000000000' } : null;
  for (;;) {
    const query = new URLSearchParams({ v: String(version), limit: '1000' });
    if (checkpoint) query.set('seq', String(checkpoint.seq)), query.set('id', checkpoint.id);
    const response = await fetch(`${f.base}/api/sync/${name}/pull?${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const page = (await response.json()) as { documents: Array<Doc & { _deleted: boolean }>; checkpoint: SyncCheckpoint | null };
    // A score's key is composed on the device from the ids it is made of (the pull leaves it out).
    documents.push(...page.documents.filter((d) => options.tombstones || !d._deleted).map((d) => (name === 'scores' ? { ...d, id: scoreId(String(d.assignmentId), String(d.studentId)) } : d)));
    if (page.documents.length === 0) return documents;
    checkpoint = page.checkpoint;
  }
}

const HOSTILE: readonly unknown[] = [
  null, undefined, 0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, 3.5, true, false, '', 'x', ' ', '\u0000', '2026-02-30', '9999-12-31', '1900-01-01',
  'not-a-uuid', '00000000-0000-0000-0000-000000000000', 'x'.repeat(5000), [], [1, 2], {}, { __proto__: { polluted: true } }, { constructor: { prototype: {} } },
  '<script>alert(1)</script>', "'; DROP TABLE attendance; --", { $ne: null },
];

/** One hostile variation of a real document: a field wrong, missing or extra, an id from elsewhere. */
function mutate(random: Random, doc: Doc, foreign: readonly Doc[]): unknown {
  const next: Record<string, unknown> = structuredClone(doc);
  const keys = Object.keys(next);
  const key = random.pick(keys);
  const other = foreign.length > 0 ? random.pick(foreign) : undefined;
  switch (random.int(0, 8)) {
    case 0:
      next[key] = random.pick(HOSTILE);
      break;
    case 1:
      delete next[key];
      break;
    case 2:
      next[random.pick(['extra', '__proto__', 'constructor', '_rev', '_meta', 'district_id'])] = random.pick(HOSTILE);
      break;
    case 3:
      // Another person's record under this id, or this record's id on another's content.
      if (other) Object.assign(next, random.chance(0.5) ? { id: other.id } : { ...structuredClone(other), id: doc.id });
      break;
    case 4:
      // A reference swapped for one out of scope (student, section, household, assignment).
      for (const field of keys.filter((k) => /Id$/.test(k))) if (other && random.chance(0.6)) next[field] = other[field] ?? randomUUID();
      break;
    case 5:
      next.id = random.chance(0.5) ? randomUUID() : random.pick(HOSTILE);
      break;
    case 6:
      // Nested garbage: lists and objects inside the document.
      for (const field of keys.filter((k) => typeof next[k] === 'object' && next[k] !== null)) next[field] = random.chance(0.5) ? [random.pick(HOSTILE)] : { nested: random.pick(HOSTILE) };
      break;
    case 7:
      next._deleted = random.pick([true, false, 'yes', null]);
      break;
    default:
      // Plausible edits: flip booleans, change strings and numbers within reason.
      for (const field of keys) {
        const value = next[field];
        if (typeof value === 'boolean' && random.chance(0.3)) next[field] = !value;
        else if (typeof value === 'number' && random.chance(0.3)) next[field] = value + random.int(-3, 3);
        else if (typeof value === 'string' && field !== 'id' && !/Id$/.test(field) && random.chance(0.2)) next[field] = `${value} fuzz`;
      }
  }
  return next;
}

function row(random: Random, own: readonly Doc[], foreign: readonly Doc[]): unknown {
  const roll = random.next();
  if (roll < 0.03) return random.pick(HOSTILE);
  const base = own.length > 0 && (foreign.length === 0 || random.chance(0.7)) ? random.pick(own) : random.pick(foreign);
  const newDocumentState = random.chance(0.05) ? random.pick(HOSTILE) : { _deleted: false, ...mutate(random, { ...base, _deleted: false } as Doc, foreign) as object };
  const assumed = random.weighted<unknown>([
    [undefined, 3],
    [{ ...base, _deleted: false }, 3],
    [mutate(random, { ...base, _deleted: false } as Doc, foreign), 2],
    [random.pick(HOSTILE), 2],
  ]);
  return assumed === undefined ? { newDocumentState } : { newDocumentState, assumedMasterState: assumed };
}

/** Rows of the pusher's scope tables, by id, with their seq: what changed is compared after. */
async function snapshot(): Promise<Map<string, string>> {
  const rows = await f.store.query<{ key: string; seq: string }>(
    `SELECT 'attendance:' || id AS key, seq::text FROM attendance UNION ALL
     SELECT 'scores:' || assignment_id || '|' || student_id, seq::text FROM scores UNION ALL
     SELECT 'requests:' || id, seq::text FROM requests UNION ALL
     SELECT 'contact_preferences:' || person_id || ':' || purpose, seq::text FROM contact_preferences UNION ALL
     SELECT 'people:' || id, seq::text FROM people UNION ALL
     SELECT 'addresses:' || id, seq::text FROM addresses UNION ALL
     SELECT 'phones:' || id, seq::text FROM phones UNION ALL
     SELECT 'term_grades:' || id, seq::text FROM term_grades UNION ALL
     SELECT 'message_recipients:' || message_id || ':' || person_id, seq::text FROM message_recipients`,
  );
  return new Map(rows.map((r) => [r.key, r.seq]));
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([key, seq]) => before.get(key) !== seq).map(([key]) => key);
}

const ENDPOINTS = [
  { user: 'demo-teacher', name: 'attendance', version: ATTENDANCE_SCHEMA_VERSION, foreignUser: 'demo-office', rows: 1500 },
  { user: 'demo-teacher', name: 'scores', version: SCORES_SCHEMA_VERSION, foreignUser: 'demo-guardian', rows: 1500 },
  { user: 'demo-office', name: 'attendance', version: ATTENDANCE_SCHEMA_VERSION, foreignUser: 'demo-guardian', rows: 1400 },
  { user: 'demo-office', name: 'requests', version: REQUESTS_SCHEMA_VERSION, foreignUser: 'demo-guardian', rows: 1400 },
  { user: 'demo-guardian', name: 'requests', version: REQUESTS_SCHEMA_VERSION, foreignUser: 'other-family', rows: 1400 },
  { user: 'demo-guardian', name: 'profile', version: PROFILE_SCHEMA_VERSION, foreignUser: 'other-family', rows: 1400 },
  { user: 'demo-guardian', name: 'messages', version: MESSAGES_SCHEMA_VERSION, foreignUser: 'other-family', rows: 1400 },
] as const;

describe('every push endpoint, fuzzed', () => {
  it('answers 10,000 hostile rows and bodies with no 5xx, and writes nothing outside the pusher’s scope', async () => {
    expect(ENDPOINTS.reduce((n, e) => n + e.rows, 0)).toBe(10_000);
    const random = new Random(12, 'push-fuzz');
    const statuses = new Map<number, number>();
    for (const endpoint of ENDPOINTS) {
      const { token, me } = await signIn(f.app, endpoint.user);
      const foreignName = endpoint.foreignUser === 'other-family' ? otherFamily : endpoint.foreignUser;
      const own = await pullAll(token, endpoint.name, endpoint.version);
      const foreign = await pullAll((await signIn(f.app, foreignName)).token, endpoint.name, endpoint.version);
      const url = `${f.base}/api/sync/${endpoint.name}/push?v=${endpoint.version}`;
      const send = async (body: string) => {
        const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status, `${endpoint.user} ${endpoint.name}: ${body.slice(0, 300)}`).toBeLessThan(500);
        return response.status;
      };
      const before = await snapshot();
      // Bodies that are not a batch at all.
      for (const body of ['', 'x', '{', 'null', '{}', '"rows"', '5', JSON.stringify(Array(201).fill({}))]) expect(await send(body)).toBeGreaterThanOrEqual(400);
      // A batch over the server's body limit is refused whole (413): it goes again in halves.
      const sendRows = async (rows: unknown[]): Promise<void> => {
        const status = await send(JSON.stringify(rows));
        if (status === 413 && rows.length > 1) {
          await sendRows(rows.slice(0, rows.length / 2));
          await sendRows(rows.slice(rows.length / 2));
        } else expect(status).toBe(rows.length === 1 && status === 413 ? 413 : 200);
      };
      for (let sent = 0; sent < endpoint.rows; sent += 50) {
        await sendRows(Array.from({ length: Math.min(50, endpoint.rows - sent) }, () => row(random, own, foreign)));
      }
      // What changed is in the pusher's scope: records her own pull now holds (removed ones as tombstones), her own preferences.
      const after = await snapshot();
      const visible = new Set((await pullAll(token, endpoint.name, endpoint.version, { tombstones: true })).map((d) => `${endpoint.name}:${d.id}`));
      const [person] = await f.store.query<{ person_id: string }>(`SELECT person_id FROM accounts WHERE username = $1`, [endpoint.user]);
      const outside = changed(before, after).filter((key) => {
        if (key.startsWith('contact_preferences:')) return endpoint.name !== 'profile' || !key.startsWith(`contact_preferences:${person!.person_id}:`);
        // A read mark: her own, on a message her pull holds.
        if (key.startsWith('message_recipients:')) {
          const [, messageId, personId] = key.split(':');
          return endpoint.name !== 'messages' || personId !== person!.person_id || !visible.has(`messages:${messageId}`);
        }
        // A score pushed recomputes the student's in-progress grade in the teacher's section.
        if (key.startsWith('term_grades:')) return endpoint.name !== 'scores';
        return !visible.has(key);
      });
      expect(outside, `${endpoint.user} ${endpoint.name} wrote outside her scope (me: ${me.students.length} students)`).toEqual([]);
    }
    console.log(`push fuzz answers by status: ${JSON.stringify(Object.fromEntries(statuses))}`);
  }, 600_000);
});
