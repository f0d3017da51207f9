/**
 * Staff devices hold what the job needs (issue 15): the windows of server/access/sync-windows.ts
 * held against what the pulls send, computed independently (the policy for who, the school
 * calendar for which days), on the first sync and after the clock moves 40 school days; and the
 * records outside the windows read online, checked by the same policy and access-logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECENT_SCHOOL_DAYS, SYNC_WINDOWS } from '../access/sync-windows.ts';
import type { AttendanceHistoryRow, GradeHistoryRow, ScoreHistoryRow, StudentRecordsResponse } from '../contract/student-records.ts';
import { ATTENDANCE_SCHEMA_VERSION } from '../contract/sync/attendance.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import { schoolCalendar } from '../seed/calendar.ts';
import { call, servedAppFixture, signIn, type ServedAppFixture } from '../test/app-fixture.ts';
import { childrenOf, guardianOfAnotherFamily, setPortalAccess, studentsAllowed, useDemoPassword } from '../test/family-accounts.ts';
import { dayFor, morningOf } from '../test/test-day.ts';
import { runDateWindows } from './date-windows.ts';
import { SYNC_COLLECTIONS } from './registry.ts';

type Pulled = Record<string, unknown> & { id: string; _deleted: boolean };

let f: ServedAppFixture;
/** A school day with 40 more school days after it in the same year, and the 40th of them. */
let today: string;
let later: string;
let schoolDays: string[];

beforeAll(async () => {
  const run = dayFor('school-day');
  schoolDays = schoolCalendar(run).schoolDays;
  let index = schoolDays.indexOf(run);
  if (index + 40 >= schoolDays.length) index = schoolDays.length - 41;
  today = schoolDays[index]!;
  later = schoolDays[index + 40]!;
  f = await servedAppFixture({ students: 150, today });
});
afterAll(() => f.close());

/** The first day of the last RECENT_SCHOOL_DAYS school days up to `day` (the demo schools share one calendar). */
function windowStart(day: string): string {
  const past = schoolDays.filter((d) => d <= day);
  return past[Math.max(0, past.length - RECENT_SCHOOL_DAYS)]!;
}

const version = (name: string) => SYNC_COLLECTIONS.find((c) => c.name === name)!.version;

/** Pulls one collection from `from` to the end, as a device pages through it. */
async function pullAll(token: string, name: string, from: SyncCheckpoint | null = null, limit = 500): Promise<{ documents: Pulled[]; checkpoint: SyncCheckpoint | null }> {
  const documents: Pulled[] = [];
  let checkpoint = from;
  for (;;) {
    const query = new URLSearchParams({ v: String(version(name)), limit: String(limit) });
    if (checkpoint) {
      query.set('seq', String(checkpoint.seq));
      query.set('id', checkpoint.id);
      if (checkpoint.base) query.set('base', String(checkpoint.base));
    }
    const response = await fetch(`${f.base}/api/sync/${name}/pull?${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status, `pull ${name}`).toBe(200);
    const page = (await response.json()) as { documents: Pulled[]; checkpoint: SyncCheckpoint | null };
    documents.push(...page.documents);
    if (page.documents.length < limit) return { documents, checkpoint: page.checkpoint ?? checkpoint };
    checkpoint = page.checkpoint;
  }
}

/** The marks (not removed) of these students dated on or after `since`. */
async function marksSince(students: readonly string[], since: string): Promise<string[]> {
  const rows = await f.store.query<{ id: string }>(
    `SELECT id FROM attendance WHERE district_id = $1 AND student_id = ANY($2::uuid[]) AND date >= $3::date AND NOT deleted ORDER BY id`,
    [f.district.districtId, students, since],
  );
  return rows.map((r) => r.id);
}

describe('the rule table', () => {
  it('gives recent windows to dated records only (attendance, requests), and families are not in it (they hold everything)', () => {
    for (const windows of Object.values(SYNC_WINDOWS)) {
      for (const [collection, window] of Object.entries(windows)) if (window === 'recent') expect(['attendance', 'requests']).toContain(collection);
    }
    expect(Object.keys(SYNC_WINDOWS)).not.toContain('guardian');
  });
});

describe('first syncs of school-wide staff', () => {
  it('send the office and the principal no scores or assignments, the office no grades, the principal her school’s grades', async () => {
    const office = await signIn(f.app, 'demo-office');
    const principal = await signIn(f.app, 'demo-principal');
    for (const { token } of [office, principal]) {
      expect((await pullAll(token, 'scores')).documents).toEqual([]);
      expect((await pullAll(token, 'assignments')).documents).toEqual([]);
    }
    expect((await pullAll(office.token, 'grades')).documents).toEqual([]);
    const grades = (await pullAll(principal.token, 'grades')).documents;
    expect(grades.length).toBeGreaterThan(0);
    const allowed = new Set(await studentsAllowed(f.store, 'demo-principal', 'grades', today));
    expect(grades.every((g) => !g._deleted && allowed.has(g.studentId as string))).toBe(true);
  });

  it('send the office exactly her students’ marks of the last 30 school days, and no tombstones', async () => {
    const office = await signIn(f.app, 'demo-office');
    const { documents } = await pullAll(office.token, 'attendance');
    expect(documents.filter((d) => d._deleted)).toEqual([]);
    const allowed = await studentsAllowed(f.store, 'demo-office', 'attendance', today);
    const expected = await marksSince(allowed, windowStart(today));
    expect(expected.length).toBeGreaterThan(0);
    expect(documents.map((d) => d.id).sort()).toEqual(expected);
    // The window really leaves something out: older marks of the same students exist.
    const older = await marksSince(allowed, schoolDays[0]!);
    expect(older.length).toBeGreaterThan(expected.length);
  });

  it('send each demo account the attendance its relation and window allow: families all, school staff the window, the administrator none', async () => {
    const since = windowStart(today);
    const cases: Array<[string, 'all' | 'window' | 'none']> = [['demo-guardian', 'all'], ['demo-student', 'all'], ['demo-office', 'window'], ['demo-principal', 'window'], ['demo-admin', 'none']];
    for (const [username, scope] of cases) {
      const { token } = await signIn(f.app, username);
      const held = (await pullAll(token, 'attendance')).documents;
      expect(held.filter((d) => d._deleted), username).toEqual([]);
      const allowed = await studentsAllowed(f.store, username, 'attendance', today);
      const expected = scope === 'none' ? [] : await marksSince(allowed, scope === 'all' ? '1900-01-01' : since);
      expect(held.map((d) => d.id).sort(), username).toEqual(expected);
      if (scope !== 'none') expect(expected.length, username).toBeGreaterThan(0);
    }
  });

  it('still send a teacher every mark of her current sections this year', async () => {
    const teacher = await signIn(f.app, 'demo-teacher');
    const { documents } = await pullAll(teacher.token, 'attendance');
    const rows = await f.store.query<{ id: string }>(
      `SELECT DISTINCT a.id FROM attendance a
         JOIN section_staff ss ON ss.district_id = a.district_id AND ss.section_id = a.section_id AND NOT ss.deleted AND ss.start_date <= $3 AND (ss.end_date IS NULL OR ss.end_date >= $3)
         JOIN accounts ac ON ac.username = 'demo-teacher' JOIN staff t ON t.person_id = ac.person_id AND t.id = ss.staff_id
         JOIN section_enrollments r ON r.district_id = a.district_id AND r.section_id = a.section_id AND r.student_id = a.student_id
                                   AND NOT r.deleted AND r.start_date <= $3 AND (r.end_date IS NULL OR r.end_date >= $3)
        WHERE a.district_id = $1 AND NOT a.deleted AND a.date >= $2 ORDER BY a.id`,
      [f.district.districtId, schoolDays[0]!, today],
    );
    expect(documents.filter((d) => !d._deleted).map((d) => d.id).sort()).toEqual(rows.map((r) => r.id));
    expect(rows.some((r) => r.id)).toBe(true);
  });
});

describe('the window moves with the calendar', () => {
  it('40 school days later, the office device has forgotten the marks that left it (ids-only tombstones) and holds the new window', async () => {
    const first = await signIn(f.app, 'demo-office');
    const device = new Map<string, Pulled>();
    const apply = (documents: Pulled[]) => {
      for (const d of documents) d._deleted ? device.delete(d.id) : device.set(d.id, d);
    };
    const start = await pullAll(first.token, 'attendance');
    apply(start.documents);
    const before = [...device.keys()];

    f.now.value = morningOf(later);
    await runDateWindows(f.store, later);
    const again = await signIn(f.app, 'demo-office');
    const moved = await pullAll(again.token, 'attendance', start.checkpoint);
    const tombstones = moved.documents.filter((d) => d._deleted);
    expect(tombstones.length).toBeGreaterThan(0);
    // A tombstone names the mark and nothing else of the child's day.
    for (const tombstone of tombstones) expect(tombstone.date === '' || tombstone.date === undefined || tombstone.date === null).toBe(true);
    apply(moved.documents);

    const allowed = await studentsAllowed(f.store, 'demo-office', 'attendance', later);
    const expected = await marksSince(allowed, windowStart(later));
    expect([...device.keys()].sort()).toEqual(expected);
    // What left: the marks before the new window that the device held.
    const left = before.filter((id) => !device.has(id));
    expect(left.length).toBeGreaterThan(0);
    const dates = await f.store.query<{ date: string }>(`SELECT to_char(date, 'YYYY-MM-DD') AS date FROM attendance WHERE district_id = $1 AND id = ANY($2::uuid[])`, [f.district.districtId, left]);
    expect(dates.every((d) => d.date < windowStart(later))).toBe(true);
    f.now.value = morningOf(today);
  });
});

describe('requests in the office window', () => {
  it('holds open requests and those decided in the last 30 school days; 40 school days later a decision leaves, an open one stays', async () => {
    const office = await signIn(f.app, 'demo-office');
    const first = await pullAll(office.token, 'requests');
    expect(first.documents.filter((d) => d._deleted)).toEqual([]);
    const held = new Map(first.documents.map((d) => [d.id, d]));
    const pending = first.documents.filter((d) => d.status === 'pending');
    expect(pending.length).toBeGreaterThan(0);
    // One of them decided today by the office: still held (recent), until its decision leaves the window.
    const decided = pending[0]!;
    await f.store.query(`UPDATE requests SET status = 'rejected', decided_at = $3, decision_note = 'Test' WHERE district_id = $1 AND id = $2`, [f.district.districtId, decided.id, morningOf(today)]);
    const afterDecision = await pullAll(office.token, 'requests', first.checkpoint);
    expect(afterDecision.documents.find((d) => d.id === decided.id)).toMatchObject({ status: 'rejected', _deleted: false });
    // And a request decided long ago is not held at all (no tombstone on a first sync either).
    const [old] = await f.store.query<{ id: string }>(
      `SELECT q.id FROM requests q WHERE q.district_id = $1 AND q.status <> 'pending' AND (q.decided_at AT TIME ZONE 'UTC')::date < $2::date ORDER BY q.id LIMIT 1`,
      [f.district.districtId, windowStart(today)],
    );
    if (old) expect(held.has(old.id)).toBe(false);

    f.now.value = morningOf(later);
    try {
      // The job last ran for today (an earlier test of this file moved it on and back).
      await f.store.query(`UPDATE daily_jobs SET last_date = $2 WHERE district_id = $1 AND job = 'date_windows'`, [f.district.districtId, today]);
      await runDateWindows(f.store, later);
      const again = await signIn(f.app, 'demo-office');
      const moved = await pullAll(again.token, 'requests', afterDecision.checkpoint ?? first.checkpoint);
      expect(moved.documents.find((d) => d.id === decided.id)).toMatchObject({ _deleted: true });
      const stillOpen = pending.slice(1).map((d) => d.id);
      const fresh = await pullAll(again.token, 'requests');
      const freshIds = new Set(fresh.documents.map((d) => d.id));
      for (const id of stillOpen) expect(freshIds.has(id), 'an open request stays').toBe(true);
      expect(freshIds.has(decided.id)).toBe(false);
    } finally {
      f.now.value = morningOf(today);
      await f.store.query(`UPDATE requests SET status = 'pending', decided_at = NULL, decision_note = '' WHERE district_id = $1 AND id = $2`, [f.district.districtId, decided.id]);
    }
  });
});

describe('records outside the windows, online', () => {
  it('the office reads a student’s whole attendance history, logged as a read', async () => {
    const office = await signIn(f.app, 'demo-office');
    const student = (await studentsAllowed(f.store, 'demo-office', 'attendance', today))[0]!;
    const reply = await call<StudentRecordsResponse<AttendanceHistoryRow>>(f.app, 'GET', `/api/students/${student}/attendance`, { token: office.token });
    expect(reply.status).toBe(200);
    expect(reply.body.rows.map((r) => r.id).sort()).toEqual(await marksSince([student], '1900-01-01'));
    const logged = await f.store.query(`SELECT 1 FROM access_log WHERE district_id = $1 AND student_id = $2 AND event = 'record.read' AND record_type = 'attendance'`, [f.district.districtId, student]);
    expect(logged.length).toBeGreaterThan(0);
  });

  it('the principal reads every score and grade of a student across classes; families only their own children’s published work', async () => {
    const principal = await signIn(f.app, 'demo-principal');
    const student = (await studentsAllowed(f.store, 'demo-principal', 'grades', today))[0]!;
    const scores = await call<StudentRecordsResponse<ScoreHistoryRow>>(f.app, 'GET', `/api/students/${student}/scores`, { token: principal.token });
    expect(scores.status).toBe(200);
    const [{ n }] = (await f.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM scores s JOIN assignments a ON a.district_id = s.district_id AND a.id = s.assignment_id AND NOT a.deleted WHERE s.district_id = $1 AND s.student_id = $2 AND NOT s.deleted`, [f.district.districtId, student])) as [{ n: number }];
    expect(scores.body.rows).toHaveLength(n);
    const grades = await call<StudentRecordsResponse<GradeHistoryRow>>(f.app, 'GET', `/api/students/${student}/grades`, { token: principal.token });
    expect(grades.status).toBe(200);
    expect(grades.body.rows.length).toBeGreaterThan(0);
    expect(grades.body.rows.every((g) => g.courseName.length > 0 && g.schoolYearName.length > 0)).toBe(true);

    const guardian = await signIn(f.app, 'demo-guardian');
    const child = (await childrenOf(f.store, 'demo-guardian'))[0]!;
    const own = await call<StudentRecordsResponse<ScoreHistoryRow>>(f.app, 'GET', `/api/students/${child}/scores`, { token: guardian.token });
    expect(own.status).toBe(200);
    const unpublished = await f.store.query<{ id: string }>(
      `SELECT s.id FROM scores s JOIN assignments a ON a.district_id = s.district_id AND a.id = s.assignment_id WHERE s.district_id = $1 AND s.student_id = $2 AND NOT a.published`,
      [f.district.districtId, child],
    );
    const shown = new Set(own.body.rows.map((r) => r.id));
    expect(unpublished.every((u) => !shown.has(u.id))).toBe(true);
  });

  it('answers 404 to a guardian of another family, a teacher outside the student’s classes and an unknown id, and logs nothing', async () => {
    const child = (await childrenOf(f.store, 'demo-guardian'))[0]!;
    const strangerName = await guardianOfAnotherFamily(f.store);
    await useDemoPassword(f.store, [strangerName]);
    const stranger = await signIn(f.app, strangerName);
    const teacher = await signIn(f.app, 'demo-teacher');
    const taught = new Set(await studentsAllowed(f.store, 'demo-teacher', 'attendance', today));
    const [outside] = (await studentsAllowed(f.store, 'demo-office', 'attendance', today)).filter((id) => !taught.has(id));
    const [{ n: logBefore }] = (await f.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM access_log WHERE district_id = $1 AND event = 'record.read'`, [f.district.districtId])) as [{ n: number }];
    for (const kind of ['attendance', 'scores', 'grades']) {
      expect((await call(f.app, 'GET', `/api/students/${child}/${kind}`, { token: stranger.token })).status).toBe(404);
      expect((await call(f.app, 'GET', `/api/students/${outside}/${kind}`, { token: teacher.token })).status).toBe(404);
      expect((await call(f.app, 'GET', `/api/students/00000000-0000-4000-8000-000000000000/${kind}`, { token: teacher.token })).status).toBe(404);
      expect((await call(f.app, 'GET', `/api/students/not-an-id/${kind}`, { token: teacher.token })).status).toBe(404);
      expect((await call(f.app, 'GET', `/api/students/${child}/${kind}`)).status).toBe(401);
    }
    const [{ n: logAfter }] = (await f.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM access_log WHERE district_id = $1 AND event = 'record.read'`, [f.district.districtId])) as [{ n: number }];
    expect(logAfter).toBe(logBefore);
  });
});

describe('the pull base', () => {
  it('keeps a first sync free of tombstones of what was hidden before it began, page after page, and still sends those of what is hidden after', async () => {
    const children = await childrenOf(f.store, 'demo-guardian');
    expect(children.length).toBeGreaterThanOrEqual(2);
    const [hidden, later] = children as [string, string];
    await setPortalAccess(f.store, 'demo-guardian', hidden, false);
    try {
      const guardian = await signIn(f.app, 'demo-guardian');
      // Pages of 7: the base rides on every checkpoint of the first sync.
      const first = await pullAll(guardian.token, 'attendance', null, 7);
      expect(first.checkpoint?.base).toBeGreaterThan(0);
      expect(first.documents.filter((d) => d._deleted)).toEqual([]);
      expect(first.documents.some((d) => d.studentId === hidden)).toBe(false);
      const held = first.documents.filter((d) => d.studentId === later).map((d) => d.id).sort();
      expect(held.length).toBeGreaterThan(0);

      await setPortalAccess(f.store, 'demo-guardian', later, false);
      const next = await pullAll(guardian.token, 'attendance', first.checkpoint, 7);
      expect(next.documents.filter((d) => d._deleted).map((d) => d.id).sort()).toEqual(held);
    } finally {
      await setPortalAccess(f.store, 'demo-guardian', hidden, true);
      await setPortalAccess(f.store, 'demo-guardian', later, true);
    }
  });

  it('refuses a malformed base, or a base without a checkpoint, with 400', async () => {
    const guardian = await signIn(f.app, 'demo-guardian');
    const v = version('attendance');
    const id = '00000000-0000-4000-8000-000000000000';
    for (const query of [`v=${v}&seq=1&id=${id}&base=-1`, `v=${v}&seq=1&id=${id}&base=x`, `v=${v}&base=5`, `v=${v}&seq=1&id=${id}&base=1234567890123456`]) {
      const reply = await call<{ error: { code: string } }>(f.app, 'GET', `/api/sync/attendance/pull?${query}`, { token: guardian.token });
      expect(reply.status, query).toBe(400);
      expect(reply.body.error.code).toBe('validation_failed');
    }
  });
});
