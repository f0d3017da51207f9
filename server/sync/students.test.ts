import { randomUUID } from 'node:crypto';
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrincipal } from '../access/principal.ts';
import { canAccessStudent } from '../access/policy.ts';
import { studentSchema, STUDENTS_SCHEMA_VERSION, type StudentDocument, type SyncCheckpoint } from '../contract/sync/students.ts';
import { loadStudentResource } from '../routes/students.ts';
import { servedAppFixture, signIn, type ServedAppFixture } from '../test/app-fixture.ts';

const TODAY = '2026-11-24';
let f: ServedAppFixture;
let pulls = 0;

beforeAll(async () => {
  f = await servedAppFixture({ students: 150, today: TODAY });
});
afterAll(() => f.close());

/** A device: the real RxDB client (memory storage, schema-validated) replicating over HTTP. */
async function device(username: string, batchSize = 100) {
  const { token } = await signIn(f.app, username);
  const db: RxDatabase = await createRxDatabase({ name: `device-${randomUUID()}`, storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }) });
  const { students } = await db.addCollections({ students: { schema: studentSchema } });
  const replication = replicateRxCollection<StudentDocument, SyncCheckpoint>({
    collection: students as RxCollection<StudentDocument>,
    replicationIdentifier: `students-${f.base}`,
    live: true,
    retryTime: 60_000,
    pull: {
      batchSize,
      async handler(checkpoint, limit) {
        pulls += 1;
        const query = new URLSearchParams({ v: String(STUDENTS_SCHEMA_VERSION), limit: String(limit) });
        if (checkpoint) query.set('seq', String(checkpoint.seq)), query.set('id', checkpoint.id);
        const response = await fetch(`${f.base}/api/sync/students/pull?${query}`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': `198.51.100.${(pulls % 200) + 1}` } });
        if (!response.ok) throw new Error(`pull ${response.status}`);
        return response.json();
      },
    },
  });
  const errors: unknown[] = [];
  replication.error$.subscribe((error) => errors.push(error));
  await replication.awaitInitialReplication();
  const sync = async () => {
    replication.reSync();
    await replication.awaitInSync();
  };
  const ids = async () => (await students.find().exec()).map((d) => d.id).sort();
  const close = async () => {
    await replication.cancel();
    await db.remove();
  };
  return { students: students as RxCollection<StudentDocument>, sync, ids, close, errors };
}

async function expectedIds(username: string): Promise<string[]> {
  const [account] = await f.store.query<{ id: string; district_id: string }>('SELECT id, district_id FROM accounts WHERE username = $1', [username]);
  const principal = (await loadPrincipal(f.store, account!.district_id, account!.id, TODAY))!;
  const all = await f.store.query<{ id: string }>('SELECT id FROM students WHERE district_id = $1', [account!.district_id]);
  const allowed: string[] = [];
  for (const { id } of all) {
    if (canAccessStudent(principal, 'read', 'profile', (await loadStudentResource(f.store, account!.district_id, id))!)) allowed.push(id);
  }
  return allowed.sort();
}

describe('students sync with the real RxDB client', () => {
  it('gives each user exactly the students the access policy lets them read', async () => {
    for (const username of ['demo-guardian', 'demo-student', 'demo-teacher', 'demo-office', 'demo-principal']) {
      const phone = await device(username, 25);
      try {
        const expected = await expectedIds(username);
        expect(expected.length, username).toBeGreaterThan(0);
        expect(await phone.ids(), username).toEqual(expected);
        expect(phone.errors, username).toEqual([]);
      } finally {
        await phone.close();
      }
    }
  });

  it('sends a guardian her three children, with names and schools', async () => {
    const phone = await device('demo-guardian');
    try {
      const docs = await phone.students.find({ sort: [{ gradeLevel: 'asc' }] }).exec();
      expect(docs.map((d) => [d.gradeLevel, d.relation])).toEqual([[3, 'guardian'], [7, 'guardian'], [10, 'guardian']]);
      expect(docs.every((d) => d.firstName.length > 0 && d.schoolName.length > 0)).toBe(true);
    } finally {
      await phone.close();
    }
  });

  it('forgets a child when portal access is removed (a tombstone with no personal field), and brings the record back when it returns', async () => {
    const phone = await device('demo-guardian');
    try {
      const before = await phone.ids();
      const [account] = await f.store.query<{ person_id: string }>(`SELECT person_id FROM accounts WHERE username = 'demo-guardian'`);
      const child = before[0]!;
      await f.store.query(`UPDATE guardianships SET portal_access = false WHERE guardian_person_id = $1 AND student_id = $2`, [account!.person_id, child]);
      await phone.sync();
      expect(await phone.ids()).toEqual(before.filter((id) => id !== child));
      const stored = await phone.students.storageInstance.findDocumentsById([child], true);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ _deleted: true, firstName: '', lastName: '', studentNumber: '', birthDate: null, schoolName: '' });

      await f.store.query(`UPDATE guardianships SET portal_access = true WHERE guardian_person_id = $1 AND student_id = $2`, [account!.person_id, child]);
      await phone.sync();
      expect(await phone.ids()).toEqual(before);
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('pages through documents that share one order key (a renamed school) without skipping or repeating', async () => {
    const { token } = await signIn(f.app, 'demo-office');
    const page = async (checkpoint: SyncCheckpoint | null) => {
      const query = new URLSearchParams({ v: String(STUDENTS_SCHEMA_VERSION), limit: '7' });
      if (checkpoint) query.set('seq', String(checkpoint.seq)), query.set('id', checkpoint.id);
      const response = await fetch(`${f.base}/api/sync/students/pull?${query}`, { headers: { authorization: `Bearer ${token}` } });
      return (await response.json()) as { documents: Array<{ id: string; schoolId: string }>; checkpoint: SyncCheckpoint | null };
    };
    let checkpoint: SyncCheckpoint | null = null;
    const [{ school_id: schoolId }] = (await f.store.query<{ school_id: string }>(
      `SELECT l.school_id FROM staff_locations l JOIN staff t ON t.id = l.staff_id JOIN accounts a ON a.person_id = t.person_id WHERE a.username = 'demo-office'`,
    )) as [{ school_id: string }];
    const atSchool: string[] = [];
    for (let first = await page(null); first.documents.length > 0; first = await page(checkpoint)) {
      atSchool.push(...first.documents.filter((d) => d.schoolId === schoolId).map((d) => d.id));
      checkpoint = first.checkpoint;
    }
    // Renaming the office's school gives every student there the same, newest order key (each grant has its own seq).
    await f.store.query(`UPDATE schools SET name = name || ' School' WHERE id = $1`, [schoolId]);
    const ids: string[] = [];
    const keys = new Set<number>();
    for (let next = await page(checkpoint); next.documents.length > 0; next = await page(checkpoint)) {
      ids.push(...next.documents.map((d) => d.id));
      keys.add(next.checkpoint!.seq);
      checkpoint = next.checkpoint;
    }
    expect(ids.length).toBeGreaterThan(14); // several pages
    expect(keys.size).toBe(1); // all of them tied on one order key
    expect(new Set(ids).size).toBe(ids.length); // none repeated
    expect([...ids].sort()).toEqual(atSchool.sort()); // none skipped
  });

  it('pulls only what changed since the checkpoint', async () => {
    const phone = await device('demo-teacher');
    try {
      const pullsBefore = pulls;
      await phone.sync();
      expect(pulls - pullsBefore).toBe(1); // one empty pull: nothing changed
      const [one] = await phone.ids();
      await f.store.query(`UPDATE people SET preferred_name = 'Lu' WHERE id = (SELECT person_id FROM students WHERE id = $1)`, [one]);
      await phone.sync();
      expect((await phone.students.findOne(one!).exec())!.preferredName).toBe('Lu');
    } finally {
      await phone.close();
    }
  });

  it('answers an outdated client with 426 and bad checkpoints with 400', async () => {
    const { token } = await signIn(f.app, 'demo-guardian');
    const get = (query: string) => fetch(`${f.base}/api/sync/students/pull?${query}`, { headers: { authorization: `Bearer ${token}` } });
    const outdated = await get('v=99');
    expect(outdated.status).toBe(426);
    expect(((await outdated.json()) as { error: { code: string } }).error.code).toBe('client_outdated');
    expect((await get(`v=${STUDENTS_SCHEMA_VERSION}&seq=abc&id=x`)).status).toBe(400);
    expect((await get(`v=${STUDENTS_SCHEMA_VERSION}&limit=100000`)).status).toBe(400);
    expect((await fetch(`${f.base}/api/sync/students/pull?v=${STUDENTS_SCHEMA_VERSION}`)).status).toBe(401);
  });

  it('compresses pulls on the wire, but never the event stream', async () => {
    const { token } = await signIn(f.app, 'demo-office');
    const pull = await fetch(`${f.base}/api/sync/students/pull?v=${STUDENTS_SCHEMA_VERSION}&limit=200`, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' } });
    expect(pull.headers.get('content-encoding')).toBe('gzip');
    expect(((await pull.json()) as { documents: unknown[] }).documents.length).toBeGreaterThan(10);
    const controller = new AbortController();
    const stream = await fetch(`${f.base}/api/sync/stream`, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' }, signal: controller.signal });
    expect(stream.headers.get('content-encoding')).toBeNull();
    controller.abort();
  });

  it('answers brotli to a browser that accepts it, gzip to one that does not, and a small answer as it is', async () => {
    const { token } = await signIn(f.app, 'demo-office');
    const path = `${f.base}/api/sync/students/pull?v=${STUDENTS_SCHEMA_VERSION}&limit=200`;
    const as = async (encoding: string) => {
      const response = await fetch(path, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': encoding } });
      return { encoding: response.headers.get('content-encoding'), vary: response.headers.get('vary'), length: Number(response.headers.get('content-length')), documents: ((await response.json()) as { documents: unknown[] }).documents.length };
    };
    const br = await as('gzip, deflate, br');
    const gzip = await as('gzip, deflate, br;q=0');
    const identity = await as('identity');
    expect([br.encoding, gzip.encoding, identity.encoding]).toEqual(['br', 'gzip', null]);
    expect(br.documents).toBeGreaterThan(10);
    expect([gzip.documents, identity.documents]).toEqual([br.documents, br.documents]);
    expect(br.length).toBeLessThan(gzip.length);
    expect(gzip.length).toBeLessThan(identity.length);
    expect(br.vary).toMatch(/accept-encoding/i);
    // An in-sync pull's answer is smaller than its headers: sent as it is, with its length.
    const end = (await (await fetch(`${path.replace('limit=200', 'limit=1000')}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { checkpoint: { seq: number; id: string; base?: number } };
    const again = await fetch(`${path}&seq=${end.checkpoint.seq}&id=${end.checkpoint.id}&base=${end.checkpoint.base ?? 0}`, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip, br' } });
    expect(again.headers.get('content-encoding')).toBeNull();
    expect(Number(again.headers.get('content-length'))).toBe((await again.text()).length);
  });

  it('takes a removed student record off a district administrator\'s device, and brings it back when restored', async () => {
    const laptop = await device('demo-admin', 1000);
    try {
      const before = await laptop.ids();
      const removed = before[0]!;
      await f.store.query('UPDATE students SET deleted = true WHERE id = $1', [removed]);
      await laptop.sync();
      expect(await laptop.ids()).toEqual(before.filter((id) => id !== removed));
      await f.store.query('UPDATE students SET deleted = false WHERE id = $1', [removed]);
      await laptop.sync();
      expect(await laptop.ids()).toEqual(before);
    } finally {
      await f.store.query('UPDATE students SET deleted = false WHERE deleted');
      await laptop.close();
    }
  });

  it('sends nothing when the read cannot be logged: the answer waits for its access-log entries', async () => {
    // The entries are written while the answer is compressed (routes.ts): a failed write must still stop it.
    await f.store.exec(`CREATE FUNCTION refuse_this_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'access log refused'; END $$;
      CREATE TRIGGER refuse_this_log BEFORE INSERT ON access_log FOR EACH ROW WHEN (NEW.user_agent = 'log-refused') EXECUTE FUNCTION refuse_this_log()`);
    try {
      const { token } = await signIn(f.app, 'demo-guardian');
      const response = await fetch(`${f.base}/api/sync/students/pull?v=${STUDENTS_SCHEMA_VERSION}&limit=100`, { headers: { authorization: `Bearer ${token}`, 'user-agent': 'log-refused' } });
      const body = await response.text();
      expect(response.status).toBe(500);
      expect(body).not.toContain('"documents"');
    } finally {
      await f.store.exec('DROP TRIGGER refuse_this_log ON access_log; DROP FUNCTION refuse_this_log()');
    }
  });

  it('logs every student record it sends as a read', async () => {
    const phone = await device('demo-guardian');
    try {
      const rows = await f.store.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM access_log l JOIN accounts a ON a.id = l.account_id WHERE a.username = 'demo-guardian' AND l.event = 'record.read' AND l.record_type = 'students'`,
      );
      expect(rows[0]!.n).toBeGreaterThanOrEqual(3);
    } finally {
      await phone.close();
    }
  });
});
