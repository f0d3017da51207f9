import { randomUUID } from 'node:crypto';
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceSchema, ATTENDANCE_SCHEMA_VERSION, type AttendanceDocument } from '../contract/sync/attendance.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import { servedAppFixture, signIn, type ServedAppFixture } from '../test/app-fixture.ts';

const TODAY = '2026-11-24';
let f: ServedAppFixture;
let pushes = 0;

beforeAll(async () => {
  f = await servedAppFixture({ students: 120, today: TODAY });
});
afterAll(() => f.close());

type Doc = AttendanceDocument & { _deleted: boolean };

async function device(username: string) {
  const { token } = await signIn(f.app, username);
  const db: RxDatabase = await createRxDatabase({ name: `device-${randomUUID()}`, storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }) });
  const { attendance } = await db.addCollections({ attendance: { schema: attendanceSchema } });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const replication = replicateRxCollection<AttendanceDocument, SyncCheckpoint>({
    collection: attendance as RxCollection<AttendanceDocument>,
    replicationIdentifier: `attendance-${f.base}`,
    live: true,
    retryTime: 60_000,
    pull: {
      batchSize: 200,
      async handler(checkpoint, limit) {
        const query = new URLSearchParams({ v: String(ATTENDANCE_SCHEMA_VERSION), limit: String(limit) });
        if (checkpoint) query.set('seq', String(checkpoint.seq)), query.set('id', checkpoint.id);
        const response = await fetch(`${f.base}/api/sync/attendance/pull?${query}`, { headers });
        if (!response.ok) throw new Error(`pull ${response.status}`);
        return response.json();
      },
    },
    push: {
      async handler(rows) {
        pushes += 1;
        const response = await fetch(`${f.base}/api/sync/attendance/push?v=${ATTENDANCE_SCHEMA_VERSION}`, { method: 'POST', headers, body: JSON.stringify(rows) });
        if (!response.ok) throw new Error(`push ${response.status}`);
        return response.json();
      },
    },
  });
  await replication.awaitInitialReplication();
  return {
    token,
    attendance: attendance as RxCollection<AttendanceDocument>,
    replication,
    async sync() {
      replication.reSync();
      await replication.awaitInSync();
    },
    async close() {
      await replication.cancel();
      await db.remove();
    },
  };
}

async function push(token: string, rows: unknown[]): Promise<Doc[]> {
  const response = await fetch(`${f.base}/api/sync/attendance/push?v=${ATTENDANCE_SCHEMA_VERSION}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(rows),
  });
  expect(response.status).toBe(200);
  return response.json() as Promise<Doc[]>;
}

/** One section of demo-teacher today, a student in it, and a student of the school not in it. */
async function teacherSetting() {
  const [section] = await f.store.query<{ section_id: string; school_id: string; student_id: string }>(
    `SELECT ss.section_id, x.school_id, r.student_id FROM section_staff ss
       JOIN staff t ON t.id = ss.staff_id JOIN accounts a ON a.person_id = t.person_id AND a.username = 'demo-teacher'
       JOIN sections x ON x.id = ss.section_id JOIN terms tm ON tm.id = x.term_id AND tm.start_date <= $1 AND tm.end_date >= $1
       JOIN section_enrollments r ON r.section_id = x.id
      ORDER BY x.section_number, r.student_id LIMIT 1`,
    [TODAY],
  );
  const [other] = await f.store.query<{ id: string }>(
    `SELECT s.id FROM students s JOIN enrollments e ON e.student_id = s.id AND e.school_id = $1
      WHERE NOT EXISTS (SELECT 1 FROM section_enrollments r WHERE r.student_id = s.id AND r.section_id = $2) LIMIT 1`,
    [section!.school_id, section!.section_id],
  );
  return { sectionId: section!.section_id, schoolId: section!.school_id, studentId: section!.student_id, otherStudentId: other!.id };
}

class Rollback extends Error {}

function mark(setting: { sectionId: string | null; schoolId: string; studentId: string }, fields: Partial<Doc> = {}): Doc {
  return {
    id: randomUUID(), studentId: setting.studentId, schoolId: setting.schoolId, date: TODAY, sectionId: setting.sectionId, periodId: null,
    status: 'absent', excuse: 'unknown', reasonCode: null, minutes: null, comment: '', syncError: null, _deleted: false, ...fields,
  };
}

describe('attendance sync', () => {
  it('gives a guardian every mark of her children, and a teacher only the marks of her sections', async () => {
    const guardian = await device('demo-guardian');
    const teacher = await device('demo-teacher');
    try {
      const [expectedFamily] = await f.store.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM attendance a JOIN guardianships g ON g.student_id = a.student_id JOIN accounts u ON u.person_id = g.guardian_person_id
          WHERE u.username = 'demo-guardian' AND g.portal_access AND NOT a.deleted`,
      );
      expect(await guardian.attendance.count().exec()).toBe(expectedFamily!.n);
      const docs = await teacher.attendance.find().exec();
      const [{ sections }] = (await f.store.query<{ sections: string[] }>(
        `SELECT array_agg(ss.section_id::text) AS sections FROM section_staff ss JOIN staff t ON t.id = ss.staff_id JOIN accounts a ON a.person_id = t.person_id WHERE a.username = 'demo-teacher'`,
      )) as [{ sections: string[] }];
      expect(docs.length).toBeGreaterThan(0);
      expect(docs.every((d) => d.sectionId !== null && sections.includes(d.sectionId))).toBe(true);
    } finally {
      await guardian.close();
      await teacher.close();
    }
  });

  it('takes a teacher’s offline marks when she reconnects, and the office and the family then see them', async () => {
    const setting = await teacherSetting();
    const teacher = await device('demo-teacher');
    const office = await device('demo-office');
    try {
      await teacher.replication.pause();
      const absent = mark(setting, { comment: 'Left a message with the family.' });
      const { _deleted, ...insert } = absent;
      void _deleted;
      await teacher.attendance.insert(insert);
      const [before] = await f.store.query(`SELECT 1 FROM attendance WHERE id = $1`, [absent.id]);
      expect(before).toBeUndefined();
      await teacher.replication.start();
      await teacher.sync();
      const [stored] = await f.store.query<{ status: string; recorded_by_staff_id: string | null; period_id: string | null }>(`SELECT status, recorded_by_staff_id, period_id FROM attendance WHERE id = $1`, [absent.id]);
      expect(stored).toMatchObject({ status: 'absent' });
      expect(stored!.recorded_by_staff_id).not.toBeNull();
      expect(stored!.period_id).not.toBeNull();
      await office.sync();
      expect((await office.attendance.findOne(absent.id).exec())?.status).toBe('absent');
    } finally {
      await teacher.close();
      await office.close();
    }
  });

  it('refuses a mark for a student outside the teacher’s sections with its reason, once, without a retry loop', async () => {
    const setting = await teacherSetting();
    const teacher = await device('demo-teacher');
    try {
      const forbidden = mark({ ...setting, studentId: setting.otherStudentId });
      const { _deleted, ...insert } = forbidden;
      void _deleted;
      const pushesBefore = pushes;
      await teacher.attendance.insert(insert);
      await teacher.sync();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await teacher.sync();
      expect(pushes - pushesBefore).toBe(1);
      expect(await f.store.query(`SELECT 1 FROM attendance WHERE id = $1`, [forbidden.id])).toEqual([]);
      // The device keeps no mark the server refused; the refusal reason came back with it.
      expect(await teacher.attendance.findOne(forbidden.id).exec()).toBeNull();
      const refused = await push(teacher.token, [{ newDocumentState: forbidden }]);
      expect(refused).toEqual([expect.objectContaining({ id: forbidden.id, _deleted: true, syncError: 'not_allowed' })]);
    } finally {
      await teacher.close();
    }
  });

  it('applies business rules: no future dates, no excuse decisions by teachers, no strangers’ students', async () => {
    const setting = await teacherSetting();
    const { token } = await signIn(f.app, 'demo-teacher');
    const cases: Array<[Doc, string]> = [
      [mark(setting, { date: '2026-12-01' }), 'future_date'],
      [mark(setting, { date: '2026-11-19', excuse: 'excused', reasonCode: 'ILL' }), 'excuse_needs_office'],
      [mark({ ...setting, studentId: setting.otherStudentId }), 'not_allowed'],
      [{ ...mark(setting, { date: '2026-11-18' }), status: 'sleeping' } as unknown as Doc, 'invalid'],
      // PostgreSQL text cannot hold NUL: refused as invalid, never a 500 that RxDB would retry forever.
      [mark(setting, { date: '2026-11-18', comment: 'late\u0000' }), 'invalid'],
    ];
    for (const [doc, reason] of cases) {
      const [conflict] = await push(token, [{ newDocumentState: doc }]);
      expect(conflict?.syncError, reason).toBe(reason);
    }
    const guardian = await signIn(f.app, 'demo-guardian');
    const [fromParent] = await push(guardian.token, [{ newDocumentState: mark(setting, { date: '2026-11-17' }) }]);
    expect(fromParent?.syncError).toBe('not_allowed');
  });

  it('returns the server’s state for a stale assumption, and treats the same push twice as done', async () => {
    const setting = await teacherSetting();
    const { token } = await signIn(f.app, 'demo-teacher');
    const first = mark(setting, { date: '2026-11-23', status: 'tardy', minutes: 5 });
    expect(await push(token, [{ newDocumentState: first }])).toEqual([]);
    const [{ seq }] = (await f.store.query<{ seq: number }>(`SELECT seq FROM attendance WHERE id = $1`, [first.id])) as [{ seq: number }];
    // A retry after a lost response: nothing changes, not even seq.
    expect(await push(token, [{ newDocumentState: first }])).toEqual([]);
    expect((await f.store.query<{ seq: number }>(`SELECT seq FROM attendance WHERE id = $1`, [first.id]))[0]!.seq).toBe(seq);
    // Device A changes it; device B, still assuming the first version, loses and gets A's version.
    expect(await push(token, [{ assumedMasterState: first, newDocumentState: { ...first, minutes: 12 } }])).toEqual([]);
    const [conflict] = await push(token, [{ assumedMasterState: first, newDocumentState: { ...first, status: 'absent', minutes: null } }]);
    expect(conflict).toMatchObject({ id: first.id, status: 'tardy', minutes: 12, syncError: null });

    // A second device marked the same student, day and section under its own id: its copy comes
    // back deleted under that id (RxDB matches by id) with the reason, and the stored mark stays.
    const twin = { ...mark(setting, { date: '2026-11-23', status: 'absent', minutes: null }), id: randomUUID() };
    const [answer] = await push(token, [{ newDocumentState: twin }]);
    expect(answer).toMatchObject({ id: twin.id, _deleted: true, syncError: 'changed_elsewhere' });
    const stored = await f.store.query<{ id: string; status: string }>(`SELECT id, status FROM attendance WHERE student_id = $1 AND date = '2026-11-23' AND section_id = $2`, [setting.studentId, setting.sectionId]);
    expect(stored).toEqual([{ id: first.id, status: 'tardy' }]);
  });

  it('lets the office excuse an absence, which the family then sees', async () => {
    const setting = await teacherSetting();
    const teacher = await signIn(f.app, 'demo-teacher');
    const absence = mark(setting, { date: '2026-11-20' });
    expect(await push(teacher.token, [{ newDocumentState: absence }])).toEqual([]);
    const office = await signIn(f.app, 'demo-office');
    expect(await push(office.token, [{ assumedMasterState: absence, newDocumentState: { ...absence, excuse: 'excused', reasonCode: 'ILL' } }])).toEqual([]);
    const [row] = await f.store.query<{ excuse: string }>(`SELECT excuse FROM attendance WHERE id = $1`, [absence.id]);
    expect(row!.excuse).toBe('excused');
  });

  it('refuses a new mark on a day without school (a Saturday, a holiday of the calendar) with not_school_day; a weekday of the calendar is taken', async () => {
    const setting = await teacherSetting();
    const { token } = await signIn(f.app, 'demo-teacher');
    // 2026-11-21 is a Saturday; 2026-10-22 a Thursday off (the teachers' workshop) in the demo calendar; 2026-11-13 a Friday with school.
    const [saturday, holiday, weekday] = ['2026-11-21', '2026-10-22', '2026-11-13'];
    await f.store.query(`DELETE FROM attendance WHERE student_id = $1 AND section_id = $2 AND date = ANY($3::date[])`, [setting.studentId, setting.sectionId, [saturday, holiday, weekday]]);
    for (const date of [saturday, holiday]) {
      const refused = mark(setting, { date });
      expect(await push(token, [{ newDocumentState: refused }]), date).toEqual([expect.objectContaining({ id: refused.id, _deleted: true, syncError: 'not_school_day' })]);
      expect(await f.store.query(`SELECT 1 FROM attendance WHERE id = $1`, [refused.id])).toEqual([]);
    }
    const taken = mark(setting, { date: weekday });
    expect(await push(token, [{ newDocumentState: taken }])).toEqual([]);
    expect(await f.store.query(`SELECT status FROM attendance WHERE id = $1`, [taken.id])).toEqual([{ status: 'absent' }]);
  });

  it('still takes a change to a mark stored on a day without school: the office corrects old records', async () => {
    const setting = await teacherSetting();
    const saturday = '2026-11-14';
    const old = mark(setting, { date: saturday });
    await f.store.query(
      `INSERT INTO attendance (district_id, id, student_id, school_id, date, section_id, period_id, status)
       SELECT district_id, $1, $2, $3, $4, id, period_id, 'absent' FROM sections WHERE id = $5`,
      [old.id, setting.studentId, setting.schoolId, saturday, setting.sectionId],
    );
    const [stored] = await f.store.query<{ period_id: string | null }>(`SELECT period_id FROM attendance WHERE id = $1`, [old.id]);
    const master = { ...old, periodId: stored!.period_id };
    const office = await signIn(f.app, 'demo-office');
    expect(await push(office.token, [{ assumedMasterState: master, newDocumentState: { ...master, status: 'present' } }])).toEqual([]);
    expect(await f.store.query(`SELECT status FROM attendance WHERE id = $1`, [old.id])).toEqual([{ status: 'present' }]);
  });

  it('decides school days by the school’s calendar within its range, and by the weekday outside it or without a calendar', async () => {
    const { schoolId } = await teacherSetting();
    const { districtId } = f.district;
    const isSchoolDay = async (school: string, date: string) =>
      (await f.store.query<{ yes: boolean }>(`SELECT is_school_day($1, $2, $3::date) AS yes`, [districtId, school, date]))[0]!.yes;
    expect(await isSchoolDay(schoolId, '2026-11-24')).toBe(true); // a Tuesday of the calendar
    expect(await isSchoolDay(schoolId, '2026-11-28')).toBe(false); // a Saturday
    expect(await isSchoolDay(schoolId, '2026-11-26')).toBe(false); // Thanksgiving, a Thursday
    expect(await isSchoolDay(schoolId, '2026-12-23')).toBe(false); // winter break
    expect(await isSchoolDay(schoolId, '2027-07-14')).toBe(true); // a Wednesday after the calendar's last day
    expect(await isSchoolDay(schoolId, '2027-07-17')).toBe(false); // a Saturday after it
    const [bare] = await f.store.query<{ id: string }>(`SELECT id FROM schools WHERE district_id = $1 AND id <> $2 LIMIT 1`, [districtId, schoolId]);
    await f.store.transaction(async (tx) => {
      await tx.query(`DELETE FROM school_days WHERE district_id = $1 AND school_id = $2`, [districtId, bare!.id]);
      const [{ thursday, saturday }] = (await tx.query<{ thursday: boolean; saturday: boolean }>(
        `SELECT is_school_day($1, $2, '2026-11-26') AS thursday, is_school_day($1, $2, '2026-11-28') AS saturday`, [districtId, bare!.id],
      )) as [{ thursday: boolean; saturday: boolean }];
      expect({ thursday, saturday }).toEqual({ thursday: true, saturday: false });
      throw new Rollback();
    }).catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  });

  it('answers a family’s device pushing a mark it holds as stored with nothing to do, and without a stated state with the stored mark to merge (a schema upgrade), logging that read once', async () => {
    const { token } = await signIn(f.app, 'demo-guardian');
    const response = await fetch(`${f.base}/api/sync/attendance/pull?v=${ATTENDANCE_SCHEMA_VERSION}&limit=1000`, { headers: { authorization: `Bearer ${token}` } });
    const held = ((await response.json()) as { documents: Doc[] }).documents.find((d) => !d._deleted)!;
    expect(held).toBeDefined();
    expect(await push(token, [{ newDocumentState: held, assumedMasterState: held }])).toEqual([]);
    const reads = async () => (await f.store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM access_log l JOIN accounts a ON a.id = l.account_id
        WHERE a.username = 'demo-guardian' AND l.event = 'record.read' AND l.record_type = 'attendance' AND l.student_id = $1`, [held.studentId],
    ))[0]!.n;
    const before = await reads();
    expect(await push(token, [{ newDocumentState: held }])).toEqual([]);
    expect(await push(token, [{ newDocumentState: { ...held, comment: 'mine' } }])).toEqual([{ ...held, syncError: null }]);
    expect(await reads()).toBe(before + 1);
    // What she then still wants comes with the state she now knows, and is refused: families only read marks.
    const [refused] = await push(token, [{ newDocumentState: { ...held, comment: 'mine' }, assumedMasterState: held }]);
    expect(refused).toEqual({ ...held, syncError: 'not_allowed' });
  });

  it('tells nobody whether a student out of her reach has a mark on a day: the answer is the same refusal whether the slot holds one or not', async () => {
    const setting = await teacherSetting();
    const { token } = await signIn(f.app, 'demo-guardian');
    const [stored] = await f.store.query<{ student_id: string; school_id: string; date: string; section_id: string | null }>(
      `SELECT a.student_id, a.school_id, to_char(a.date, 'YYYY-MM-DD') AS date, a.section_id FROM attendance a
        WHERE NOT EXISTS (SELECT 1 FROM guardianships g JOIN accounts u ON u.person_id = g.guardian_person_id AND u.username = 'demo-guardian' WHERE g.student_id = a.student_id)
          AND NOT a.deleted AND a.date <= $1 ORDER BY a.id LIMIT 1`,
      [TODAY],
    );
    const slot = { studentId: stored!.student_id, schoolId: stored!.school_id, sectionId: stored!.section_id };
    const [taken] = await push(token, [{ newDocumentState: mark(slot, { date: stored!.date }) }]);
    expect(taken).toMatchObject({ _deleted: true, syncError: 'not_allowed' });
    const teacher = await signIn(f.app, 'demo-teacher');
    const [daily] = await f.store.query<{ date: string }>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date FROM attendance WHERE student_id = $1 AND section_id IS NULL AND NOT deleted AND date <= $2 LIMIT 1`,
      [setting.studentId, TODAY],
    );
    if (daily) {
      // The office's daily mark of a child she teaches is not hers to write, and not hers to learn of.
      const [office] = await push(teacher.token, [{ newDocumentState: mark({ ...setting, sectionId: null }, { date: daily.date }) }]);
      expect(office).toMatchObject({ _deleted: true, syncError: 'not_allowed' });
    }
  });

  it('answers bad bodies with 400 and outdated clients with 426', async () => {
    const { token } = await signIn(f.app, 'demo-teacher');
    const post = (query: string, body: string) => fetch(`${f.base}/api/sync/attendance/push?${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    expect((await post(`v=${ATTENDANCE_SCHEMA_VERSION}`, '{"not":"an array"}')).status).toBe(400);
    expect((await post(`v=${ATTENDANCE_SCHEMA_VERSION}`, 'nope')).status).toBe(400);
    expect((await post(`v=${ATTENDANCE_SCHEMA_VERSION}`, JSON.stringify(Array(201).fill({})))).status).toBe(400);
    expect((await post('v=42', '[]')).status).toBe(426);
  });
});
