import { randomUUID } from 'node:crypto';
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceSchema, ATTENDANCE_SCHEMA_VERSION } from '../contract/sync/attendance.ts';
import { sectionSchema, SECTIONS_SCHEMA_VERSION } from '../contract/sync/sections.ts';
import { studentSchema, STUDENTS_SCHEMA_VERSION } from '../contract/sync/students.ts';
import { loadPrincipal, type Principal } from '../access/principal.ts';
import { canAccessStudent, type StudentResource } from '../access/policy.ts';
import { RECENT_SCHOOL_DAYS, windowOf, type WindowedCollection } from '../access/sync-windows.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import { loadStudentResource } from '../routes/students.ts';
import { pullAttendance } from './attendance.ts';
import { pullMessages } from './messages.ts';
import { pullRequests } from './requests.ts';
import { Random } from '../seed/random.ts';
import { servedAppFixture, signIn, type ServedAppFixture } from '../test/app-fixture.ts';
import { freshCollection } from '../test/rx-collection.ts';

const COLLECTIONS = {
  students: { schema: studentSchema, version: STUDENTS_SCHEMA_VERSION },
  sections: { schema: sectionSchema, version: SECTIONS_SCHEMA_VERSION },
  attendance: { schema: attendanceSchema, version: ATTENDANCE_SCHEMA_VERSION },
} as const;
type Name = keyof typeof COLLECTIONS;

let f: ServedAppFixture;

beforeAll(async () => {
  f = await servedAppFixture({ students: 100 });
});
afterAll(() => f.close());

interface Device {
  username: string;
  db: RxDatabase;
  replications: Array<RxReplicationState<any, any>>;
  sync(): Promise<void>;
  snapshot(): Promise<Record<Name, Record<string, unknown>>>;
  close(): Promise<void>;
}

async function device(username: string, token: string): Promise<Device> {
  const db: RxDatabase = await createRxDatabase({ name: `device-${randomUUID()}`, storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }) });
  const collections = await db.addCollections(Object.fromEntries(Object.entries(COLLECTIONS).map(([name, c]) => [name, freshCollection(c.schema)])) as never);
  const replications = (Object.keys(COLLECTIONS) as Name[]).map((name) =>
    replicateRxCollection<any, any>({
      collection: (collections as Record<string, RxCollection>)[name]!,
      replicationIdentifier: `${name}-${f.base}`,
      live: true,
      retryTime: 60_000,
      pull: {
        batchSize: 40,
        async handler(checkpoint, limit) {
          const query = new URLSearchParams({ v: String(COLLECTIONS[name].version), limit: String(limit) });
          if (checkpoint) query.set('seq', String(checkpoint.seq)), query.set('id', checkpoint.id);
          const response = await fetch(`${f.base}/api/sync/${name}/pull?${query}`, { headers: { authorization: `Bearer ${token}` } });
          if (!response.ok) throw new Error(`pull ${name} ${response.status}`);
          return response.json();
        },
      },
    }),
  );
  await Promise.all(replications.map((r) => r.awaitInitialReplication()));
  return {
    username, db, replications,
    async sync() {
      for (const r of replications) r.reSync();
      await Promise.all(replications.map((r) => r.awaitInSync()));
    },
    async snapshot() {
      const out = {} as Record<Name, Record<string, unknown>>;
      for (const name of Object.keys(COLLECTIONS) as Name[]) {
        const docs = await (collections as Record<string, RxCollection>)[name]!.find().exec();
        out[name] = Object.fromEntries(docs.map((d) => [d.primary, d.toJSON()]));
      }
      return out;
    },
    async close() {
      await Promise.all(replications.map((r) => r.cancel()));
      await db.remove();
    },
  };
}

/** Who `username` may read now, by the policy (server/access/), computed apart from the pulls. */
async function policyOf(username: string): Promise<{ students: string[]; attendance: Set<string>; sections: Set<string>; attendanceWithMarks: number }> {
  const [account] = await f.store.query<{ id: string; district_id: string }>('SELECT id, district_id FROM accounts WHERE username = $1', [username]);
  const principal = (await loadPrincipal(f.store, account!.district_id, account!.id, f.today))!;
  const all = await f.store.query<{ id: string; marked: boolean }>(
    'SELECT s.id, EXISTS (SELECT 1 FROM attendance a WHERE a.student_id = s.id AND NOT a.deleted) AS marked FROM students s WHERE s.district_id = $1',
    [account!.district_id],
  );
  const students: string[] = [];
  const attendance = new Set<string>();
  let attendanceWithMarks = 0;
  for (const { id, marked } of all) {
    const resource = (await loadStudentResource(f.store, account!.district_id, id))!;
    if (canAccessStudent(principal, 'read', 'profile', resource)) students.push(id);
    if (canAccessStudent(principal, 'read', 'attendance', resource)) {
      attendance.add(id);
      if (marked) attendanceWithMarks++;
    }
  }
  return { students: students.sort(), attendance, sections: principal.sectionIds, attendanceWithMarks };
}

/** Every live document a device starting from nothing gets, by calling the puller as the route does. */
async function pulledIds<Doc extends { id: string; _deleted: boolean }>(
  pull: (db: typeof f.store, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number) => Promise<{ documents: Doc[]; checkpoint: SyncCheckpoint | null }>,
  principal: Principal,
): Promise<Doc[]> {
  const live: Doc[] = [];
  let checkpoint: SyncCheckpoint | null = null;
  for (;;) {
    const page = await pull(f.store, principal, f.today, checkpoint, 1000);
    live.push(...page.documents.filter((d) => !d._deleted));
    if (page.documents.length < 1000) return live;
    checkpoint = page.checkpoint;
  }
}

/**
 * What the policy gives `principal` of a collection with staff windows: a family grant reads every
 * record, a section grant its section's (`sections`: section|student pairs of the person's section
 * chains in force, recomputed from the sources), a relation with a recent window the records of its
 * window (`recent(schoolId)`: whether the record is in the window of that school), no other.
 */
function held(
  principal: Principal, sections: ReadonlySet<string>, collection: WindowedCollection, studentId: string,
  record: { sectionId?: string | null; recent: (schoolId: string) => boolean; schools: readonly string[] }, staffOnly = false,
): boolean {
  return (principal.grants.get(studentId) ?? []).some((grant) => {
    if (!grant.reads.includes(collection === 'attendance' ? 'attendance' : 'requests')) return false;
    if (grant.via === 'guardian' || grant.via === 'self') return !staffOnly;
    const window = windowOf(grant.via, collection);
    if (window === 'none') return false;
    if (grant.via === 'section') return window === 'all' && sections.has(`${record.sectionId}|${studentId}`);
    if (window === 'all') return true;
    // A school role's window is its school's, where the student is enrolled; a caseload's any of the student's.
    const schools = grant.via === 'caseload' ? record.schools : principal.locations.filter((l) => l.role === grant.via && l.schoolId !== null && record.schools.includes(l.schoolId)).map((l) => l.schoolId!);
    return schools.some((school) => record.recent(school));
  });
}

/** For every account of the district: the attendance, requests and messages a fresh device pulls, against what the policy allows. */
async function expectEveryAccountPullsThePolicy(step: string): Promise<void> {
  const d = f.district.districtId;
  const since = new Map((await f.store.query<{ id: string; since: string }>(
    `SELECT id, to_char(recent_school_days_start($1, id, $2::date, ${RECENT_SCHOOL_DAYS}), 'YYYY-MM-DD') AS since FROM schools WHERE district_id = $1`, [d, f.today],
  )).map((r) => [r.id, r.since]));
  const resources = new Map<string, StudentResource>();
  for (const { id } of await f.store.query<{ id: string }>('SELECT id FROM students WHERE district_id = $1', [d])) resources.set(id, (await loadStudentResource(f.store, d, id))!);
  const marks = await f.store.query<{ id: string; student_id: string; school_id: string; section_id: string | null; date: string }>(
    `SELECT id, student_id, school_id, section_id, to_char(date, 'YYYY-MM-DD') AS date FROM attendance WHERE district_id = $1 AND NOT deleted`, [d]);
  const requests = await f.store.query<{ id: string; kind: string; student_id: string | null; household_id: string | null; pending: boolean; decided: string | null }>(
    `SELECT id, kind, student_id, household_id, status = 'pending' AS pending, to_char((decided_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS decided FROM requests WHERE district_id = $1 AND NOT deleted`, [d]);
  const members = await f.store.query<{ household_id: string; person_id: string; role: string; student_id: string | null }>(
    `SELECT hm.household_id, hm.person_id, hm.role, s.id AS student_id FROM household_members hm
       LEFT JOIN students s ON s.district_id = hm.district_id AND s.person_id = hm.person_id AND NOT s.deleted
      WHERE hm.district_id = $1 AND NOT hm.deleted`, [d]);
  const accounts = await f.store.query<{ id: string }>(`SELECT id FROM accounts WHERE district_id = $1 AND status = 'active' ORDER BY id`, [d]);
  let compared = 0;
  for (const account of accounts) {
    const principal = await loadPrincipal(f.store, d, account.id, f.today);
    if (!principal) continue;
    const who = `${step}: ${principal.username}`;
    const sections = new Set((await f.store.query<{ pair: string }>(
      `SELECT c.section_id || '|' || c.student_id AS pair FROM access_grant_chains($1) c
        WHERE c.person_id = $2 AND c.via = 'section' AND (c.start_date IS NULL OR c.start_date <= $3::date) AND (c.end_date IS NULL OR c.end_date >= $3::date)`,
      [d, principal.personId, f.today],
    )).map((r) => r.pair));
    const attendance = (await pulledIds(pullAttendance, principal)).map((m) => m.id).sort();
    // A mark's window is its own school's.
    const allowedMarks = marks.filter((m) => held(principal, sections, 'attendance', m.student_id, {
      sectionId: m.section_id, schools: [m.school_id], recent: () => m.date >= since.get(m.school_id)!,
    })).map((m) => m.id).sort();
    expect(attendance, `${who} attendance`).toEqual(allowedMarks);
    const pulledRequests = (await pulledIds(pullRequests, principal)).map((q) => q.id).sort();
    const recentRequest = (q: (typeof requests)[number]) => (school: string) => q.pending || (q.decided !== null && q.decided >= since.get(school)!);
    const allowedRequests = requests.filter((q) => {
      if (q.student_id && (q.student_id === principal.selfStudentId || held(principal, sections, 'requests', q.student_id, { schools: resources.get(q.student_id)?.schoolIds ?? [], recent: q.kind === 'absence_note' ? recentRequest(q) : () => false }))) return true;
      if (!q.household_id) return false;
      const household = members.filter((m) => m.household_id === q.household_id);
      if (household.some((m) => m.role === 'guardian' && m.person_id === principal.personId)) return true;
      // A household change, through a staff window over one of the household's students.
      return household.some((m) => m.role === 'student' && m.student_id !== null
        && held(principal, sections, 'requests', m.student_id, { schools: resources.get(m.student_id)?.schoolIds ?? [], recent: recentRequest(q) }, true));
    }).map((q) => q.id).sort();
    expect(pulledRequests, `${who} requests`).toEqual(allowedRequests);
    const inbox = (await pulledIds(pullMessages, principal)).filter((m) => m.kind === 'message' && m.folder === 'inbox');
    const family = new Set([...principal.guardianOf, ...(principal.selfStudentId ? [principal.selfStudentId] : [])]);
    const received = await f.store.query<{ id: string; about: string | null }>(
      `SELECT m.id, m.about_student_id AS about FROM message_recipients mr JOIN messages m ON m.district_id = mr.district_id AND m.id = mr.message_id
        WHERE mr.district_id = $1 AND mr.person_id = $2 AND NOT mr.deleted AND NOT m.deleted`, [d, principal.personId]);
    expect(inbox.map((m) => m.id).sort(), `${who} messages received`).toEqual(received.filter((m) => m.about === null || family.has(m.about)).map((m) => m.id).sort());
    compared += attendance.length + pulledRequests.length + inbox.length;
  }
  expect(compared, 'the comparison is not vacuous').toBeGreaterThan(1000);
}

describe('property: random changes, devices syncing at random times', () => {
  it('after 1,000 operations every device holds exactly what a fresh device of its user gets from the server, and that is what the policy allows', async () => {
    const random = new Random(4242, 'sync-property');
    const [other] = await f.store.query<{ username: string }>(
      `SELECT a.username FROM accounts a JOIN guardianships g ON g.guardian_person_id = a.person_id WHERE a.status = 'active' AND a.username NOT LIKE 'demo-%' LIMIT 1`,
    );
    // Four devices × three collections stays under RxDB's 13 open collections per process.
    const usernames = ['demo-guardian', 'demo-guardian', 'demo-teacher', other!.username];
    const tokens = new Map<string, string>();
    for (const username of new Set(usernames)) {
      if (username === other!.username) {
        const { hashPassword } = await import('../access/passwords.ts');
        await f.store.query('UPDATE accounts SET password_hash = $2 WHERE username = $1', [username, await hashPassword('property test pw')]);
        tokens.set(username, (await signIn(f.app, username, 'property test pw')).token);
      } else tokens.set(username, (await signIn(f.app, username)).token);
    }
    const devices: Device[] = [];
    for (const username of usernames) devices.push(await device(username, tokens.get(username)!));

    const guardianships = await f.store.query<{ id: string }>(
      `SELECT g.id FROM guardianships g JOIN accounts a ON a.person_id = g.guardian_person_id WHERE a.username = ANY($1::text[])`,
      [usernames],
    );
    const teacherRows = await f.store.query<{ id: string }>(`SELECT ss.id FROM section_staff ss JOIN staff t ON t.id = ss.staff_id JOIN accounts a ON a.person_id = t.person_id WHERE a.username = 'demo-teacher'`);
    const roster = await f.store.query<{ id: string; section_id: string; student_id: string; school_id: string }>(
      `SELECT r.id, r.section_id, r.student_id, x.school_id FROM section_enrollments r JOIN sections x ON x.id = r.section_id
        WHERE r.section_id IN (SELECT ss.section_id FROM section_staff ss JOIN staff t ON t.id = ss.staff_id JOIN accounts a ON a.person_id = t.person_id WHERE a.username = 'demo-teacher')
           OR r.student_id IN (SELECT g.student_id FROM guardianships g JOIN accounts a ON a.person_id = g.guardian_person_id WHERE a.username = ANY($1::text[]))`,
      [usernames],
    );
    const people = await f.store.query<{ id: string }>(`SELECT person_id AS id FROM students ORDER BY student_number LIMIT 60`);
    const teacherToken = tokens.get('demo-teacher')!;
    const days = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-23', '2026-11-24'];

    let operations = 0;
    for (; operations < 1000; operations++) {
      const roll = random.next();
      if (roll < 0.12) {
        await f.store.query(`UPDATE guardianships SET portal_access = NOT portal_access WHERE id = $1`, [random.pick(guardianships).id]);
      } else if (roll < 0.2) {
        await f.store.query(`UPDATE section_staff SET end_date = CASE WHEN end_date IS NULL OR end_date >= '2026-11-24' THEN '2026-11-01'::date ELSE NULL END WHERE id = $1`, [random.pick(teacherRows).id]);
      } else if (roll < 0.3) {
        await f.store.query(`UPDATE section_enrollments SET end_date = CASE WHEN end_date IS NULL OR end_date >= '2026-11-24' THEN '2026-11-01'::date ELSE NULL END WHERE id = $1`, [random.pick(roster).id]);
      } else if (roll < 0.45) {
        await f.store.query(`UPDATE people SET preferred_name = $2 WHERE id = $1`, [random.pick(people).id, random.chance(0.3) ? null : `N${operations}`]);
      } else if (roll < 0.8) {
        const seat = random.pick(roster);
        const doc = {
          id: randomUUID(), studentId: seat.student_id, schoolId: seat.school_id, date: random.pick(days), sectionId: seat.section_id, periodId: null,
          status: random.pick(['absent', 'tardy', 'present'] as const), excuse: 'unknown', reasonCode: null, minutes: null, comment: `op ${operations}`, syncError: null, _deleted: false,
        };
        // Pushed like a device would; refusals (moved students, past sections) are part of the game.
        await fetch(`${f.base}/api/sync/attendance/push?v=${ATTENDANCE_SCHEMA_VERSION}`, {
          method: 'POST', headers: { authorization: `Bearer ${teacherToken}`, 'content-type': 'application/json' }, body: JSON.stringify([{ newDocumentState: doc }]),
        });
      } else {
        await f.store.query(
          `UPDATE attendance SET deleted = NOT deleted WHERE id = (SELECT id FROM attendance WHERE student_id = $1 ORDER BY id LIMIT 1)`,
          [random.pick(roster).student_id],
        );
      }
      if (random.chance(0.06)) await random.pick(devices).sync();
    }
    expect(operations).toBe(1000);

    for (const d of devices) await d.sync();
    const held = [];
    for (const d of devices) held.push({ username: d.username, snapshot: await d.snapshot() });
    for (const d of devices) await d.close();
    for (const { username, snapshot } of held) {
      const fresh = await device(username, tokens.get(username)!);
      try {
        const truth = await fresh.snapshot();
        for (const name of Object.keys(COLLECTIONS) as Name[]) {
          expect(Object.keys(snapshot[name]).sort(), `${username} ${name}`).toEqual(Object.keys(truth[name]).sort());
          expect(snapshot[name], `${username} ${name}`).toEqual(truth[name]);
        }
        if (username === 'demo-guardian') expect(Object.keys(truth.attendance).length, 'the comparison is not vacuous').toBeGreaterThan(0);
        // And what they converged on is what the policy allows after all those grant changes.
        const policy = await policyOf(username);
        expect(Object.keys(truth.students).sort(), `${username} students against the policy`).toEqual(policy.students);
        const marks = Object.values(truth.attendance) as Array<{ studentId: string; sectionId: string | null }>;
        expect(marks.filter((m) => !policy.attendance.has(m.studentId)), `${username} marks of students the policy does not allow`).toEqual([]);
        if (username === 'demo-teacher') expect(marks.filter((m) => m.sectionId === null || !policy.sections.has(m.sectionId)), 'marks outside the sections she teaches').toEqual([]);
        else expect(new Set(marks.map((m) => m.studentId)).size, `${username} marks of every child allowed`).toBe(policy.attendanceWithMarks);
      } finally {
        await fresh.close();
      }
    }
  }, 240_000);
});

describe('property: every account of the demo district', () => {
  it('pulls the attendance, requests and received messages the policy allows, on the seeded day and after random changes to the grants’ sources', async () => {
    await expectEveryAccountPullsThePolicy('seeded');
    const random = new Random(1207, 'pulls-against-policy');
    const d = f.district.districtId;
    const pick = async (sql: string) => random.pick(await f.store.query<{ id: string }>(sql, [d])).id;
    for (let step = 0; step < 30; step++) {
      const roll = random.int(0, 5);
      if (roll === 0) await f.store.query('UPDATE guardianships SET portal_access = NOT portal_access WHERE id = $1', [await pick('SELECT id FROM guardianships WHERE district_id = $1 ORDER BY id')]);
      else if (roll === 1) await f.store.query(`UPDATE section_enrollments SET end_date = CASE WHEN end_date IS NULL THEN start_date END WHERE id = $1`, [await pick('SELECT id FROM section_enrollments WHERE district_id = $1 ORDER BY id')]);
      else if (roll === 2) await f.store.query(`UPDATE enrollments SET end_date = CASE WHEN end_date IS NULL THEN start_date END WHERE id = $1`, [await pick('SELECT id FROM enrollments WHERE district_id = $1 ORDER BY id')]);
      else if (roll === 3) await f.store.query('UPDATE staff_locations SET deleted = NOT deleted WHERE id = $1', [await pick(`SELECT id FROM staff_locations WHERE district_id = $1 AND role <> 'teacher' ORDER BY id`)]);
      else if (roll === 4) await f.store.query('UPDATE counselor_caseloads SET deleted = NOT deleted WHERE id = $1', [await pick('SELECT id FROM counselor_caseloads WHERE district_id = $1 ORDER BY id')]);
      else await f.store.query('UPDATE students SET deleted = NOT deleted WHERE id = $1', [await pick('SELECT id FROM students WHERE district_id = $1 ORDER BY id')]);
    }
    await expectEveryAccountPullsThePolicy('after 30 changes');
  }, 600_000);
});
