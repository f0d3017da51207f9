/**
 * The sync core tried as an attacker would (issue 12): pulls that reached past the policy,
 * tombstones that kept a child's dates and places, a push that rewrote another teacher's mark,
 * a push that threw, reads missing from the access log, and change streams that outlived their
 * session or told every device about every class. Each test failed before its fix.
 */
import { randomUUID } from 'node:crypto';
import { getValidator } from 'rxdb/plugins/validate-ajv';
import { getComposedPrimaryKeyOfDocumentData } from 'rxdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentSchema, ASSIGNMENTS_SCHEMA_VERSION } from '../contract/sync/assignments.ts';
import { attendanceSchema, ATTENDANCE_SCHEMA_VERSION, type AttendanceDocument } from '../contract/sync/attendance.ts';
import { feeSchema, FEES_SCHEMA_VERSION } from '../contract/sync/fees.ts';
import { gradeSchema, GRADES_SCHEMA_VERSION } from '../contract/sync/grades.ts';
import { healthSchema, HEALTH_SCHEMA_VERSION } from '../contract/sync/health.ts';
import { messageSchema, MESSAGES_SCHEMA_VERSION } from '../contract/sync/messages.ts';
import { profileSchema, PROFILE_SCHEMA_VERSION, type ProfileDocument } from '../contract/sync/profile.ts';
import { requestSchema, REQUESTS_SCHEMA_VERSION, type RequestDocument } from '../contract/sync/requests.ts';
import { scoreSchema, SCORES_SCHEMA_VERSION } from '../contract/sync/scores.ts';
import { sectionSchema, SECTIONS_SCHEMA_VERSION } from '../contract/sync/sections.ts';
import { studentSchema, STUDENTS_SCHEMA_VERSION, type SyncCheckpoint } from '../contract/sync/students.ts';
import { call, servedAppFixture, signIn, type ServedAppFixture } from '../test/app-fixture.ts';
import { openStream } from '../test/event-stream.ts';
import { childrenOf, demoFatherAccount, setPortalAccess, studentsAllowed } from '../test/family-accounts.ts';
import { pushRows } from '../test/rx-device.ts';
import { dayFor } from '../test/test-day.ts';

const COLLECTIONS = {
  students: { schema: studentSchema, version: STUDENTS_SCHEMA_VERSION },
  sections: { schema: sectionSchema, version: SECTIONS_SCHEMA_VERSION },
  attendance: { schema: attendanceSchema, version: ATTENDANCE_SCHEMA_VERSION },
  assignments: { schema: assignmentSchema, version: ASSIGNMENTS_SCHEMA_VERSION },
  scores: { schema: scoreSchema, version: SCORES_SCHEMA_VERSION },
  grades: { schema: gradeSchema, version: GRADES_SCHEMA_VERSION },
  health: { schema: healthSchema, version: HEALTH_SCHEMA_VERSION },
  fees: { schema: feeSchema, version: FEES_SCHEMA_VERSION },
  messages: { schema: messageSchema, version: MESSAGES_SCHEMA_VERSION },
  requests: { schema: requestSchema, version: REQUESTS_SCHEMA_VERSION },
  profile: { schema: profileSchema, version: PROFILE_SCHEMA_VERSION },
} as const;
type Name = keyof typeof COLLECTIONS;
type Pulled = Record<string, unknown> & { id: string; _deleted: boolean };

let f: ServedAppFixture;
let today: string;

beforeAll(async () => {
  // Marks are pushed for today: a school day, so the term and the rosters are in force.
  today = dayFor('school-day');
  f = await servedAppFixture({ students: 150, today });
});
afterAll(() => f.close());

/** Pulls one collection from `checkpoint` to the end, as a device would page through it. */
async function pullAll(token: string, name: Name, from: SyncCheckpoint | null = null): Promise<{ documents: Pulled[]; checkpoint: SyncCheckpoint | null }> {
  const documents: Pulled[] = [];
  let checkpoint = from;
  for (;;) {
    const query = new URLSearchParams({ v: String(COLLECTIONS[name].version), limit: '1000' });
    if (checkpoint) query.set('seq', String(checkpoint.seq)), query.set('id', checkpoint.id);
    const response = await fetch(`${f.base}/api/sync/${name}/pull?${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status, `pull ${name}`).toBe(200);
    const page = (await response.json()) as { documents: Pulled[]; checkpoint: SyncCheckpoint | null };
    // As a device stores them: a composite key (scores') composed from the ids it is made of.
    const key = COLLECTIONS[name].schema.primaryKey;
    documents.push(...page.documents.map((d) => (typeof key === 'string' ? d : { ...d, id: getComposedPrimaryKeyOfDocumentData(COLLECTIONS[name].schema as never, d) })));
    if (page.documents.length === 0) return { documents, checkpoint };
    checkpoint = page.checkpoint;
  }
}

async function live(token: string, name: Name): Promise<Pulled[]> {
  return (await pullAll(token, name)).documents.filter((d) => !d._deleted);
}

describe('pulls hold to the policy', () => {
  it('sends the principal no fees without the fees right, and the office exactly the fees her right covers', async () => {
    const principal = await signIn(f.app, 'demo-principal');
    expect(await live(principal.token, 'fees')).toEqual([]);
    expect(await studentsAllowed(f.store, 'demo-principal', 'fees', today)).toEqual([]);

    const office = await signIn(f.app, 'demo-office');
    const fees = await live(office.token, 'fees');
    expect(fees.length).toBeGreaterThan(0);
    const allowed = new Set(await studentsAllowed(f.store, 'demo-office', 'fees', today));
    expect(fees.every((fee) => allowed.has(fee.studentId as string))).toBe(true);
  });

  it('sends the district administrator the district directory (every student and section) and no fees without a district-wide right', async () => {
    const admin = await signIn(f.app, 'demo-admin');
    expect(await live(admin.token, 'fees')).toEqual([]);
    const students = await live(admin.token, 'students');
    const [{ n: studentCount }] = (await f.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM students WHERE district_id = $1 AND NOT deleted`, [f.district.districtId])) as [{ n: number }];
    expect(students).toHaveLength(studentCount);
    const sections = await live(admin.token, 'sections');
    const [{ n: sectionCount }] = (await f.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM sections WHERE district_id = $1 AND NOT deleted`, [f.district.districtId])) as [{ n: number }];
    expect(sections).toHaveLength(sectionCount);
  });
});

/** Every value but the id (and the ids a composite key is made of) is blank: no date, name, place, time or other id of the child. */
function personalValues(document: Pulled, keyFields: readonly string[] = []): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (value === null || value === false || value === 0 || value === 1 || value === '') return;
    if (typeof value === 'string') {
      // An enum's first value is a neutral word; anything with a digit, a capital or a space is not.
      if (!/^[a-z_]+$/.test(value)) found.push(`${path}=${value}`);
      return;
    }
    if (Array.isArray(value)) return value.forEach((item, i) => walk(item, `${path}[${i}]`));
    if (typeof value === 'object') return Object.entries(value).forEach(([key, item]) => walk(item, `${path}.${key}`));
    found.push(`${path}=${String(value)}`);
  };
  const { id: _id, _deleted, ...rest } = document;
  for (const field of keyFields) delete rest[field];
  walk(rest, '');
  return found;
}

describe('tombstones keep ids only', () => {
  it('forgets a child whose portal access ends with schema-valid tombstones holding no date, name, place or time', async () => {
    const [child] = await childrenOf(f.store, 'demo-guardian');
    const { token } = await signIn(f.app, 'demo-guardian');
    const checkpoints = new Map<Name, SyncCheckpoint | null>();
    const held = new Map<Name, Pulled[]>();
    for (const name of Object.keys(COLLECTIONS) as Name[]) {
      const { documents, checkpoint } = await pullAll(token, name);
      checkpoints.set(name, checkpoint);
      held.set(name, documents.filter((d) => !d._deleted));
    }
    await setPortalAccess(f.store, 'demo-guardian', child!, false);
    try {
      const seen = new Set<Name>();
      for (const name of Object.keys(COLLECTIONS) as Name[]) {
        const validate = getValidator(COLLECTIONS[name].schema as never);
        const { documents } = await pullAll(token, name, checkpoints.get(name)!);
        for (const tombstone of documents.filter((d) => d._deleted)) {
          seen.add(name);
          const { _deleted, ...document } = tombstone;
          expect(validate(document), `${name} tombstone is schema-valid`).toEqual([]);
          const key = COLLECTIONS[name].schema.primaryKey;
          expect(personalValues(tombstone, typeof key === 'string' ? [] : key.fields), `${name} tombstone ${tombstone.id}`).toEqual([]);
        }
      }
      // The child's records were there to lose, in every kind a family holds.
      for (const name of ['students', 'sections', 'attendance', 'scores', 'grades', 'health'] as const) {
        expect(held.get(name)!.length, `${name} held before`).toBeGreaterThan(0);
        expect(seen, `${name} sends tombstones`).toContain(name);
      }
    } finally {
      await setPortalAccess(f.store, 'demo-guardian', child!, true);
    }
  });
});

describe('pushes are checked against the stored record', () => {
  /** A section demo-teacher teaches today, a student on its roster, and that student's other marks' places. */
  async function teacherAndAnotherClass() {
    const [row] = await f.store.query<{ section_id: string; student_id: string; school_id: string; other_section_id: string }>(
      `SELECT ss.section_id, r.student_id, x.school_id, r2.section_id AS other_section_id
         FROM accounts a JOIN staff t ON t.district_id = a.district_id AND t.person_id = a.person_id
         JOIN section_staff ss ON ss.district_id = t.district_id AND ss.staff_id = t.id AND NOT ss.deleted
         JOIN sections x ON x.district_id = ss.district_id AND x.id = ss.section_id
         JOIN terms tm ON tm.district_id = x.district_id AND tm.id = x.term_id AND tm.start_date <= $1 AND tm.end_date >= $1
         JOIN section_enrollments r ON r.district_id = ss.district_id AND r.section_id = ss.section_id AND NOT r.deleted
              AND r.start_date <= $1 AND (r.end_date IS NULL OR r.end_date >= $1)
         JOIN section_enrollments r2 ON r2.district_id = r.district_id AND r2.student_id = r.student_id AND r2.section_id <> r.section_id AND NOT r2.deleted
        WHERE a.username = 'demo-teacher'
          AND NOT EXISTS (SELECT 1 FROM section_staff o WHERE o.district_id = r2.district_id AND o.section_id = r2.section_id AND o.staff_id = t.id)
        ORDER BY r.student_id LIMIT 1`,
      [today],
    );
    return row!;
  }

  it('refuses a teacher who pushes the id of another teacher’s mark, or of the office’s daily mark, under her own section, and shows her neither', async () => {
    const setting = await teacherAndAnotherClass();
    const { token } = await signIn(f.app, 'demo-teacher');
    for (const storedSection of [setting.other_section_id, null]) {
      const secret = `Seen by the nurse ${randomUUID().slice(0, 8)}`;
      const id = randomUUID();
      await f.store.query(`DELETE FROM attendance WHERE district_id = $1 AND student_id = $2 AND date = $3`, [f.district.districtId, setting.student_id, today]);
      await f.store.query(
        `INSERT INTO attendance (district_id, id, student_id, school_id, date, section_id, period_id, status, excuse, comment)
         VALUES ($1, $2, $3, $4, $5, $6, (SELECT period_id FROM sections WHERE district_id = $1 AND id = $6), 'absent', 'excused', $7)`,
        [f.district.districtId, id, setting.student_id, setting.school_id, today, storedSection, secret],
      );
      const forged: AttendanceDocument & { _deleted: boolean } = {
        id, studentId: setting.student_id, schoolId: setting.school_id, date: today, sectionId: setting.section_id, periodId: null,
        status: 'present', excuse: 'excused', reasonCode: null, minutes: null, comment: '', syncError: null, _deleted: false,
      };
      // First without an assumption (to fish for the stored mark), then with the stored mark as she would copy it from an answer.
      const stored = { ...forged, sectionId: storedSection, status: 'absent' as const, comment: secret };
      for (const assumedMasterState of [undefined, stored]) {
        const answer = await pushRows<AttendanceDocument>(f.base, 'attendance', ATTENDANCE_SCHEMA_VERSION, token, [{ newDocumentState: forged, assumedMasterState }]);
        expect(answer).toHaveLength(1);
        expect(answer[0]!.syncError).toBe('not_allowed');
        expect(JSON.stringify(answer)).not.toContain(secret);
        if (storedSection) expect(JSON.stringify(answer)).not.toContain(storedSection);
      }
      const [after] = await f.store.query<{ status: string; comment: string; section_id: string | null }>(`SELECT status, comment, section_id FROM attendance WHERE district_id = $1 AND id = $2`, [f.district.districtId, id]);
      expect(after).toEqual({ status: 'absent', comment: secret, section_id: storedSection });
    }
  });

  it('answers a profile push whose assumed state is not a household with a refusal, never a 500, and changes nothing', async () => {
    const { token } = await signIn(f.app, 'demo-guardian');
    const [household] = (await live(token, 'profile')) as unknown as Array<ProfileDocument & { _deleted: boolean }>;
    const before = await f.store.query(`SELECT purpose, voice, sms, email FROM contact_preferences WHERE district_id = $1 ORDER BY id`, [f.district.districtId]);
    const next = { ...household!, contactPreferences: household!.contactPreferences.map((c) => ({ ...c, sms: !c.sms })) };
    for (const assumedMasterState of [{}, 'x', 5, [], { ...household, members: null }, { ...household, contactPreferences: 'none' }, { _deleted: false }]) {
      const response = await fetch(`${f.base}/api/sync/profile/push?v=${PROFILE_SCHEMA_VERSION}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify([{ newDocumentState: next, assumedMasterState }]),
      });
      expect(response.status, JSON.stringify(assumedMasterState)).toBe(200);
      const answer = (await response.json()) as Array<{ id: string; syncError: string | null }>;
      expect(answer.map((d) => [d.id, d.syncError])).toEqual([[household!.id, 'invalid']]);
    }
    expect(await f.store.query(`SELECT purpose, voice, sms, email FROM contact_preferences WHERE district_id = $1 ORDER BY id`, [f.district.districtId])).toEqual(before);
  });
});

describe('the access log', () => {
  it('records the office reading household-change requests (addresses, phones) as reads of each student in the household', async () => {
    const office = await signIn(f.app, 'demo-office');
    const requests = (await live(office.token, 'requests')) as unknown as RequestDocument[];
    const households = [...new Set(requests.flatMap((r) => (r.householdId ? [r.householdId] : [])))];
    expect(households.length, 'the office has household changes to decide').toBeGreaterThan(0);
    const students = await f.store.query<{ id: string }>(
      `SELECT s.id FROM household_members hm JOIN students s ON s.district_id = hm.district_id AND s.person_id = hm.person_id
        WHERE hm.district_id = $1 AND hm.household_id = ANY($2::uuid[]) AND hm.role = 'student' AND NOT hm.deleted`,
      [f.district.districtId, households],
    );
    expect(students.length).toBeGreaterThan(0);
    const logged = await f.store.query<{ student_id: string }>(
      `SELECT DISTINCT l.student_id FROM access_log l JOIN accounts a ON a.district_id = l.district_id AND a.id = l.account_id
        WHERE a.username = 'demo-office' AND l.event = 'record.read' AND l.record_type = 'requests'`,
    );
    const loggedIds = new Set(logged.map((r) => r.student_id));
    for (const { id } of students) expect(loggedIds, `read of student ${id} logged`).toContain(id);
  });
});

describe('the change stream follows its session and its scope', () => {
  it('closes every stream of the account when she signs out everywhere, and one stream when its session signs out; another account’s stays', async () => {
    const sessions = await Promise.all([1, 2, 3].map(() => signIn(f.app, 'demo-guardian')));
    const streams = await Promise.all(sessions.map((s) => openStream(f.base, s.token)));
    const father = await demoFatherAccount(f.store);
    const [fatherName] = await f.store.query<{ username: string }>(`SELECT username FROM accounts WHERE id = $1`, [father]);
    await f.store.query(`UPDATE accounts SET password_hash = (SELECT password_hash FROM accounts WHERE username = 'demo-guardian') WHERE id = $1`, [father]);
    const other = await openStream(f.base, (await signIn(f.app, fatherName!.username)).token);
    try {
      for (const stream of [...streams, other]) expect(await stream.waitFor((e) => e.event === 'resync')).not.toBeNull();
      // One session signs out: its stream ends, the others go on.
      expect((await call(f.app, 'POST', '/api/auth/logout', { refresh: sessions[0]!.refresh })).status).toBeLessThan(300);
      expect(await streams[0]!.endsWithin(1500)).toBe(true);
      expect(await streams[1]!.endsWithin(200)).toBe(false);
      // Sign out everywhere: every stream of hers ends; his does not.
      expect((await call(f.app, 'POST', '/api/auth/logout-all', { token: sessions[1]!.token })).status).toBeLessThan(300);
      expect(await streams[1]!.endsWithin(1500)).toBe(true);
      expect(await streams[2]!.endsWithin(1500)).toBe(true);
      expect(await other.endsWithin(300)).toBe(false);
      // A disabled account's stream ends too.
      await f.store.query(`UPDATE accounts SET status = 'disabled', disabled_reason = 'staff' WHERE id = $1`, [father]);
      expect(await other.endsWithin(1500)).toBe(true);
    } finally {
      await f.store.query(`UPDATE accounts SET status = 'active', disabled_reason = NULL WHERE id = $1`, [father]);
      for (const stream of [...streams, other]) stream.close();
    }
  });

  it('tells a family’s device about marks of its own children, not about another family’s', async () => {
    const { token } = await signIn(f.app, 'demo-guardian');
    const mine = await childrenOf(f.store, 'demo-guardian');
    const [stranger] = await f.store.query<{ id: string; school_id: string }>(
      `SELECT s.id, e.school_id FROM students s JOIN enrollments e ON e.district_id = s.district_id AND e.student_id = s.id AND NOT e.deleted
        WHERE s.district_id = $1 AND NOT (s.id = ANY($2::uuid[])) ORDER BY s.id LIMIT 1`,
      [f.district.districtId, mine],
    );
    const [child] = await f.store.query<{ id: string; school_id: string }>(
      `SELECT s.id, e.school_id FROM students s JOIN enrollments e ON e.district_id = s.district_id AND e.student_id = s.id AND NOT e.deleted
        WHERE s.district_id = $1 AND s.id = $2 LIMIT 1`,
      [f.district.districtId, mine[0]!],
    );
    const stream = await openStream(f.base, token);
    const mark = async (student: { id: string; school_id: string }, date: string) => {
      await f.store.query(`DELETE FROM attendance WHERE district_id = $1 AND student_id = $2 AND date = $3`, [f.district.districtId, student.id, date]);
      await f.store.query(
        `INSERT INTO attendance (district_id, id, student_id, school_id, date, section_id, status, excuse, comment) VALUES ($1, $2, $3, $4, $5, NULL, 'tardy', 'unknown', '')`,
        [f.district.districtId, randomUUID(), student.id, student.school_id, date],
      );
    };
    try {
      expect(await stream.waitFor((e) => e.event === 'resync')).not.toBeNull();
      await mark(stranger!, '2026-09-01');
      expect(await stream.waitFor((e) => e.event === 'change', 800)).toBeNull();
      await mark(child!, '2026-09-01');
      const change = await stream.waitFor((e) => e.event === 'change');
      expect(JSON.parse(change!.data).collections).toEqual(['attendance']);
    } finally {
      stream.close();
    }
  });
});
