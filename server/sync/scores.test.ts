import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app.ts';
import { scoreConflictHandler, scoreId, scoreSchema, SCORES_SCHEMA_VERSION, type ScoreDocument } from '../contract/sync/scores.ts';
import { documentFromWire } from '../contract/sync/wire.ts';
import type { Store } from '../db/store.ts';
import { recomputeTermGrade } from '../gradebook/in-progress-grade.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { defaultSeedOptions, seedDistrict } from '../seed/generate.ts';
import { listen, servedAppFixture, signIn, type ServedAppFixture } from '../test/app-fixture.ts';
import { freshPostgres, postgresReachable, type TestDatabase } from '../test/stores.ts';
import { syncDevice } from '../test/sync-device.ts';

const TODAY = '2026-11-24';
type Doc = ScoreDocument & { _deleted: boolean };

/** The stored row of a score's key (`assignmentId|studentId`), bound as `$1`. */
const BY_KEY = `assignment_id = split_part($1, '|', 1)::uuid AND student_id = split_part($1, '|', 2)::uuid`;
/** A score's key in SQL, from `scores s`. */
const KEY = `s.assignment_id::text || '|' || s.student_id::text`;

async function device(app: App, base: string, username: string) {
  const { token } = await signIn(app, username);
  return syncDevice<ScoreDocument>({ base, token, name: 'scores', schema: scoreSchema, version: SCORES_SCHEMA_VERSION, conflictHandler: scoreConflictHandler });
}

async function push(base: string, token: string, rows: unknown[]): Promise<Doc[]> {
  const response = await fetch(`${base}/api/sync/scores/push?v=${SCORES_SCHEMA_VERSION}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(rows),
  });
  expect(response.status).toBe(200);
  return response.json() as Promise<Doc[]>;
}

interface Setting {
  sectionId: string;
  studentId: string;
  /** A scored assignment of the open grading period (in a category that drops nothing), and its score's key. */
  openScoreId: string;
  openAssignmentId: string;
  /** A scored assignment of the grading period whose term grade is posted. */
  postedScoreId: string;
}

/**
 * demo-teacher's ENG-10 section this term and demo-student (demo-guardian's tenth-grader) in it:
 * a score in the quarter still in progress, and one in the quarter already posted.
 */
async function teacherSetting(store: Store): Promise<Setting> {
  const [section] = await store.query<{ section_id: string; student_id: string }>(
    `SELECT r.section_id, r.student_id FROM accounts u JOIN students s ON s.person_id = u.person_id
       JOIN section_enrollments r ON r.student_id = s.id AND r.start_date <= $1
       JOIN section_staff ss ON ss.section_id = r.section_id JOIN staff t ON t.id = ss.staff_id
       JOIN accounts ta ON ta.person_id = t.person_id AND ta.username = 'demo-teacher'
      WHERE u.username = 'demo-student' LIMIT 1`,
    [TODAY],
  );
  const scoreIn = async (status: string) => {
    const [row] = await store.query<{ score_id: string; assignment_id: string }>(
      `SELECT ${KEY} AS score_id, a.id AS assignment_id FROM scores s JOIN assignments a ON a.id = s.assignment_id
         JOIN term_grades g ON g.section_id = a.section_id AND g.student_id = s.student_id AND g.grading_period_id = a.grading_period_id AND g.status = $3
         JOIN assignment_categories k ON k.id = a.category_id AND k.drop_lowest = 0
        WHERE a.section_id = $1 AND s.student_id = $2 AND s.points IS NOT NULL AND a.points_possible >= 10 ORDER BY a.due_on, a.id LIMIT 1`,
      [section!.section_id, section!.student_id, status],
    );
    return row!;
  };
  const open = await scoreIn('in_progress');
  const posted = await scoreIn('posted');
  return { sectionId: section!.section_id, studentId: section!.student_id, openScoreId: open.score_id, openAssignmentId: open.assignment_id, postedScoreId: posted.score_id };
}

async function storedScore(store: Store, id: string) {
  const [row] = await store.query<{ points: string | null; comment: string; seq: number; entered_by_staff_id: string | null; deleted: boolean }>(
    `SELECT points::text AS points, comment, seq, entered_by_staff_id, deleted FROM scores WHERE ${BY_KEY}`,
    [id],
  );
  return row!;
}

async function inProgressGrade(store: Store, setting: Setting) {
  const [row] = await store.query<{ percent: string | null; mark: string | null; seq: number }>(
    `SELECT g.percent::text AS percent, g.mark, g.seq FROM term_grades g JOIN assignments a ON a.grading_period_id = g.grading_period_id AND a.id = $3
      WHERE g.section_id = $1 AND g.student_id = $2`,
    [setting.sectionId, setting.studentId, setting.openAssignmentId],
  );
  return row!;
}

/**
 * The proof, on any store: two devices of one teacher edit the same score offline and
 * push; exactly one conflict comes back, the handler merges, and the server and both devices
 * end with both edits (different fields) or the later one (same field), in a bounded number of pushes.
 */
async function twoDevicesEditOneScore(app: App, base: string, store: Store) {
  const setting = await teacherSetting(store);
  const id = setting.openScoreId;
  const original = await storedScore(store, id);
  const a = await device(app, base, 'demo-teacher');
  const b = await device(app, base, 'demo-teacher');
  try {
    const edit = async (phone: typeof a, patch: Partial<ScoreDocument>) => {
      await phone.replication.pause();
      await (await phone.collection.findOne(id).exec())!.incrementalPatch(patch);
    };
    const pushesBefore = { a: a.traffic.pushes, b: b.traffic.pushes };
    // Different fields: A grades, B comments; A reconnects first.
    await edit(a, { points: 7.5 });
    await edit(b, { comment: 'Strong thesis; cite your sources.' });
    await a.replication.start();
    await a.sync();
    await b.replication.start();
    await b.sync();
    await a.sync();
    expect(a.traffic.conflicts.length + b.traffic.conflicts.length).toBe(1);
    expect(b.traffic.conflicts[0]).toMatchObject({ id, points: 7.5, syncError: null });
    expect(await storedScore(store, id)).toMatchObject({ points: '7.50', comment: 'Strong thesis; cite your sources.' });
    for (const phone of [a, b]) expect(await phone.collection.findOne(id).exec()).toMatchObject({ points: 7.5, comment: 'Strong thesis; cite your sources.', syncError: null });
    // A's write, B's conflicting write, B's merged write: three pushes, then quiet.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await a.sync();
    await b.sync();
    expect(a.traffic.pushes - pushesBefore.a + (b.traffic.pushes - pushesBefore.b)).toBe(3);

    // Same field: both change the points; the later push wins everywhere.
    await edit(a, { points: 6 });
    await edit(b, { points: 9.25 });
    await a.replication.start();
    await a.sync();
    await b.replication.start();
    await b.sync();
    await a.sync();
    expect(a.traffic.conflicts.length + b.traffic.conflicts.length).toBe(2);
    expect((await storedScore(store, id)).points).toBe('9.25');
    for (const phone of [a, b]) expect((await phone.collection.findOne(id).exec())?.points).toBe(9.25);
    expect(a.traffic.pushes - pushesBefore.a + (b.traffic.pushes - pushesBefore.b)).toBe(6);
    expect([...a.errors, ...b.errors]).toEqual([]);
    const [teacher] = await store.query<{ id: string }>(`SELECT t.id FROM staff t JOIN accounts u ON u.person_id = t.person_id WHERE u.username = 'demo-teacher'`);
    expect((await storedScore(store, id)).entered_by_staff_id).toBe(teacher!.id);
  } finally {
    await a.close();
    await b.close();
    // Put the score and the grade it moved back, so later cases start from the seeded gradebook.
    await store.transaction(async (tx) => {
      await tx.query(`UPDATE scores SET points = $2, comment = $3 WHERE ${BY_KEY}`, [id, original.points, original.comment]);
      const [key] = await tx.query<{ district_id: string; grading_period_id: string }>(`SELECT district_id, grading_period_id FROM assignments WHERE id = $1`, [setting.openAssignmentId]);
      await recomputeTermGrade(tx, key!.district_id, { sectionId: setting.sectionId, studentId: setting.studentId, gradingPeriodId: key!.grading_period_id });
    });
  }
}

describe('scoreConflictHandler', () => {
  const base: Doc = { id: randomUUID(), assignmentId: randomUUID(), studentId: randomUUID(), sectionId: randomUUID(), points: 7, missing: false, late: false, exempt: false, incomplete: false, dropped: false, comment: '', gradedAt: '2026-11-20T21:10:00.000Z', syncError: null, _deleted: false };

  it('sees no difference in syncError alone, so a refused row is not pushed again', () => {
    expect(scoreConflictHandler.isEqual(base, { ...base, syncError: 'not_allowed' }, 'test')).toBe(true);
    expect(scoreConflictHandler.isEqual(base, { ...base, late: true }, 'test')).toBe(false);
    expect(scoreConflictHandler.isEqual(base, { ...base, _deleted: true }, 'test')).toBe(false);
  });

  it('keeps a refusal as the server sent it, merges by field otherwise, and lets the device win without a known base', async () => {
    const refused = { ...base, syncError: 'grades_posted' as const };
    expect(await scoreConflictHandler.resolve({ assumedMasterState: base, realMasterState: refused, newDocumentState: { ...base, points: 1 } }, 'test')).toEqual(refused);
    const merged = await scoreConflictHandler.resolve({ assumedMasterState: base, realMasterState: { ...base, points: 8, late: true }, newDocumentState: { ...base, comment: 'Nice', late: false } }, 'test');
    expect(merged).toEqual({ ...base, points: 8, late: true, comment: 'Nice' });
    const created = await scoreConflictHandler.resolve({ realMasterState: { ...base, points: 8, comment: 'First' }, newDocumentState: { ...base, points: 9 } }, 'test');
    expect(created).toEqual({ ...base, points: 9, comment: '' });
  });

  it('takes gradedAt from the server only: a pulled time replaces the device’s, a device’s time is never merged', async () => {
    const regraded = { ...base, points: 9, gradedAt: '2026-11-23T20:00:00.000Z' };
    // A pulled document differing only in gradedAt (the device pushed the points, the server timed them) replaces the device's.
    expect(scoreConflictHandler.isEqual({ ...regraded, gradedAt: base.gradedAt }, regraded, 'test')).toBe(false);
    // A device that migrated its copy (gradedAt null) and edited it keeps its edit and takes the server's time.
    const merged = await scoreConflictHandler.resolve({ realMasterState: regraded, newDocumentState: { ...base, gradedAt: null, comment: 'Nice' } }, 'test');
    expect(merged).toEqual({ ...regraded, points: 7, comment: 'Nice' });
    const faked = await scoreConflictHandler.resolve({ assumedMasterState: base, realMasterState: regraded, newDocumentState: { ...base, gradedAt: '2020-01-01T00:00:00.000Z' } }, 'test');
    expect(faked.gradedAt).toBe(regraded.gradedAt);
  });
});

describe('scores sync (PGlite)', () => {
  let f: ServedAppFixture;

  beforeAll(async () => {
    // Its dates are written out for this day (TODAY): the open and the posted quarter of the term.
    f = await servedAppFixture({ students: 120, today: TODAY });
  });
  afterAll(() => f.close());

  it('gives a guardian her children’s scores on published work only, and a teacher her sections’ current rosters', async () => {
    const setting = await teacherSetting(f.store);
    const [draft] = await f.store.query<{ id: string }>(
      `SELECT a.id FROM assignments a WHERE a.section_id = $1 AND EXISTS (SELECT 1 FROM scores s WHERE s.assignment_id = a.id AND s.student_id = $2) ORDER BY a.due_on DESC LIMIT 1`,
      [setting.sectionId, setting.studentId],
    );
    await f.store.query(`UPDATE assignments SET published = false WHERE id = $1`, [draft!.id]);
    const guardian = await device(f.app, f.base, 'demo-guardian');
    const teacher = await device(f.app, f.base, 'demo-teacher');
    try {
      const family = await f.store.query<{ id: string }>(
        `SELECT DISTINCT ${KEY} AS id FROM accounts u JOIN guardianships g ON g.guardian_person_id = u.person_id AND g.portal_access AND NOT g.deleted
           JOIN section_enrollments r ON r.student_id = g.student_id AND NOT r.deleted AND r.start_date <= $1 AND (r.end_date IS NULL OR r.end_date >= $1)
           JOIN assignments a ON a.section_id = r.section_id AND a.published AND NOT a.deleted
           JOIN scores s ON s.assignment_id = a.id AND s.student_id = g.student_id AND NOT s.deleted
          WHERE u.username = 'demo-guardian' ORDER BY id`,
        [TODAY],
      );
      expect(family.length).toBeGreaterThan(50);
      const visible = async (phone: typeof guardian) => (await phone.collection.find().exec()).map((d) => d.id).sort();
      expect(await visible(guardian)).toEqual(family.map((r) => r.id));
      const children = new Set((await f.store.query<{ student_id: string }>(
        `SELECT g.student_id FROM guardianships g JOIN accounts u ON u.person_id = g.guardian_person_id WHERE u.username = 'demo-guardian'`,
      )).map((r) => r.student_id));
      expect((await guardian.collection.find().exec()).every((d) => children.has(d.studentId))).toBe(true);
      const taught = await f.store.query<{ id: string }>(
        `SELECT ${KEY} AS id FROM accounts u JOIN staff t ON t.person_id = u.person_id JOIN section_staff ss ON ss.staff_id = t.id
           JOIN section_enrollments r ON r.section_id = ss.section_id AND NOT r.deleted AND r.start_date <= $1 AND (r.end_date IS NULL OR r.end_date >= $1)
           JOIN assignments a ON a.section_id = ss.section_id JOIN scores s ON s.assignment_id = a.id AND s.student_id = r.student_id
          WHERE u.username = 'demo-teacher' ORDER BY id`,
        [TODAY],
      );
      expect(await visible(teacher)).toEqual(taught.map((r) => r.id));
      expect((await teacher.collection.find({ selector: { assignmentId: draft!.id } }).exec()).length).toBeGreaterThan(0);
      expect(await guardian.collection.find({ selector: { assignmentId: draft!.id } }).exec()).toEqual([]);
      expect([...guardian.errors, ...teacher.errors]).toEqual([]);
    } finally {
      await f.store.query(`UPDATE assignments SET published = true WHERE id = $1`, [draft!.id]);
      await guardian.close();
      await teacher.close();
    }
  });

  it('keys a score by its assignment and student: the pull sends no id of its own, tombstones included, and the device composes the key', async () => {
    const setting = await teacherSetting(f.store);
    const { token } = await signIn(f.app, 'demo-guardian');
    const response = await fetch(`${f.base}/api/sync/scores/pull?v=${SCORES_SCHEMA_VERSION}&limit=1000`, { headers: { authorization: `Bearer ${token}` } });
    const { documents } = (await response.json()) as { documents: Array<Record<string, unknown>> };
    expect(documents.length).toBeGreaterThan(50);
    expect(documents.filter((d) => 'id' in d)).toEqual([]);
    // The stored rows' own ids stay on the server (but for the checkpoint's, one per page).
    const text = JSON.stringify(documents);
    const rows = await f.store.query<{ id: string }>(`SELECT id FROM scores WHERE student_id = $1`, [setting.studentId]);
    expect(rows.filter((row) => text.includes(row.id))).toEqual([]);
    const guardian = await device(f.app, f.base, 'demo-guardian');
    try {
      expect((await guardian.collection.findOne(setting.openScoreId).exec())?.toJSON()).toMatchObject({ id: setting.openScoreId, assignmentId: setting.openAssignmentId, studentId: setting.studentId });
    } finally {
      await guardian.close();
    }
  });

  it('sends a device that asks the compact form (no key, no blank fields, ids in 22 characters), which it reads back whole', async () => {
    const { token } = await signIn(f.app, 'demo-guardian');
    const pull = async (query: string) => {
      const response = await fetch(`${f.base}/api/sync/scores/pull?v=${SCORES_SCHEMA_VERSION}&limit=1000${query}`, { headers: { authorization: `Bearer ${token}` } });
      return ((await response.json()) as { documents: Array<Record<string, unknown>> }).documents;
    };
    const full = await pull('');
    const compact = await pull('&wire=compact');
    expect(compact.length).toBe(full.length);
    expect(full.filter((d) => d.late === false && d.comment === '' && d.syncError === null).length).toBeGreaterThan(50);
    expect(compact.filter((d) => 'id' in d || 'syncError' in d || d.late === false || d.exempt === false || d.comment === '')).toEqual([]);
    for (const d of compact.filter((d) => !d._deleted)) {
      for (const field of ['assignmentId', 'studentId', 'sectionId']) expect(d[field]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
    // The device's document is the one the full form names, every field filled (its key composed).
    const stored = compact.map(documentFromWire(scoreSchema));
    expect(stored).toEqual(full.map((d) => ({ ...d, id: scoreId(d.assignmentId as string, d.studentId as string) })));
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(full).length * 0.6);
  });

  it('two devices editing the same score → one conflict, resolved, no lost write', async () => {
    await twoDevicesEditOneScore(f.app, f.base, f.store);
  });

  it('refuses a guardian’s edit with not_allowed, returns the server’s state, and pushes it once', async () => {
    const setting = await teacherSetting(f.store);
    const guardian = await device(f.app, f.base, 'demo-guardian');
    try {
      const before = await storedScore(f.store, setting.openScoreId);
      const pushes = guardian.traffic.pushes;
      await (await guardian.collection.findOne(setting.openScoreId).exec())!.incrementalPatch({ points: 10, comment: 'Looks fine to me.' });
      await guardian.sync();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await guardian.sync();
      expect(guardian.traffic.pushes - pushes).toBe(1);
      expect(await storedScore(f.store, setting.openScoreId)).toEqual(before);
      expect(await guardian.collection.findOne(setting.openScoreId).exec()).toMatchObject({ points: Number(before.points), comment: before.comment, syncError: 'not_allowed' });
      // A score she could never read comes back as a blank tombstone under the key she sent.
      const strangerId = randomUUID();
      const stranger = { id: scoreId(setting.openAssignmentId, strangerId), assignmentId: setting.openAssignmentId, studentId: strangerId, sectionId: setting.sectionId, points: 1, missing: false, late: false, exempt: false, incomplete: false, dropped: false, comment: 'x', gradedAt: null, syncError: null, _deleted: false };
      expect(await push(f.base, guardian.token, [{ newDocumentState: stranger }])).toEqual([
        { id: stranger.id, assignmentId: setting.openAssignmentId, studentId: strangerId, sectionId: '', points: null, missing: false, late: false, exempt: false, incomplete: false, dropped: false, comment: '', gradedAt: null, syncError: 'not_allowed', _deleted: true },
      ]);
      expect(guardian.errors).toEqual([]);
    } finally {
      await guardian.close();
    }
  });

  it('treats the same push twice as one write (seq unchanged), and moves the family’s in-progress grade in the same commit', async () => {
    const setting = await teacherSetting(f.store);
    const { token } = await signIn(f.app, 'demo-teacher');
    const teacher = await device(f.app, f.base, 'demo-teacher');
    const current = (await teacher.collection.findOne(setting.openScoreId).exec())!.toJSON() as ScoreDocument;
    await teacher.close();
    const master: Doc = { ...current, _deleted: false };
    const gradeBefore = await inProgressGrade(f.store, setting);
    // A comment changes no number: the recomputed grade equals the seeded one, so the grade row is not rewritten.
    const commented = { ...master, comment: 'Revised draft received.' };
    expect(await push(f.base, token, [{ assumedMasterState: master, newDocumentState: commented }])).toEqual([]);
    expect(await inProgressGrade(f.store, setting)).toEqual(gradeBefore);
    const { seq } = await storedScore(f.store, setting.openScoreId);
    expect(await push(f.base, token, [{ assumedMasterState: master, newDocumentState: commented }])).toEqual([]);
    expect((await storedScore(f.store, setting.openScoreId)).seq).toBe(seq);
    // A zero on the assignment lowers the in-progress grade, in the same transaction.
    const zero = { ...commented, points: 0, missing: true };
    expect(await push(f.base, token, [{ assumedMasterState: commented, newDocumentState: zero }])).toEqual([]);
    const gradeAfter = await inProgressGrade(f.store, setting);
    expect(Number(gradeAfter.percent)).toBeLessThan(Number(gradeBefore.percent));
    expect(gradeAfter.seq).toBeGreaterThan(gradeBefore.seq);
    // Putting the score back restores the grade exactly.
    expect(await push(f.base, token, [{ assumedMasterState: zero, newDocumentState: master }])).toEqual([]);
    expect((await inProgressGrade(f.store, setting)).percent).toBe(gradeBefore.percent);
    // A stale assumption gets the server's state back, not an overwrite.
    const [conflict] = await push(f.base, token, [{ assumedMasterState: zero, newDocumentState: { ...zero, points: 1 } }]);
    expect(conflict).toMatchObject({ id: setting.openScoreId, points: master.points, comment: master.comment, syncError: null });
  });

  it('times a score when it gets or changes its result (a mark of missing too), not for a comment; clears the time with the result; takes no gradedAt from a push; pulls it', async () => {
    const setting = await teacherSetting(f.store);
    const { token } = await signIn(f.app, 'demo-teacher');
    const teacher = await device(f.app, f.base, 'demo-teacher');
    const held: Doc = { ...((await teacher.collection.findOne(setting.openScoreId).exec())!.toJSON() as ScoreDocument), _deleted: false };
    await teacher.close();
    // The seed timed its graded scores: on or after the due date, never after today.
    const [{ due_on: due }] = await f.store.query<{ due_on: string }>(`SELECT due_on::text FROM assignments WHERE id = $1`, [held.assignmentId]) as [{ due_on: string }];
    expect(held.gradedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(held.gradedAt!.slice(0, 10) >= due && held.gradedAt!.slice(0, 10) <= TODAY, `${held.gradedAt} for work due ${due}`).toBe(true);
    const stored = async () => (await f.store.query<{ graded_at: string | null; seq: number }>(
      `SELECT to_char(graded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS graded_at, seq FROM scores WHERE ${BY_KEY}`, [held.id],
    ))[0]!;
    // Minutes apart: the tokens signed in at the clock's start stay valid.
    const at = (time: string) => {
      f.now.value = new Date(`${TODAY}T${time}:00.000Z`);
      return `${TODAY}T${time}:00.000Z`;
    };
    const clock = f.now.value;
    try {
      // A comment alone changes no result: the time stays.
      at('15:01');
      const commented = { ...held, comment: 'See the rubric.' };
      expect(await push(f.base, token, [{ assumedMasterState: held, newDocumentState: commented }])).toEqual([]);
      expect((await stored()).graded_at).toBe(held.gradedAt);
      // New points, pushed with a time of the device's own: the server's clock times them.
      const regradedAt = at('15:02');
      const regraded = { ...commented, points: held.points === 0 ? 1 : 0, gradedAt: '2020-01-01T00:00:00.000Z' };
      expect(await push(f.base, token, [{ assumedMasterState: commented, newDocumentState: regraded }])).toEqual([]);
      expect((await stored()).graded_at).toBe(regradedAt);
      // Marked missing, no points: graded, as a family reads it.
      const missingAt = at('15:03');
      const missing = { ...regraded, points: null, missing: true, exempt: false, incomplete: false };
      expect(await push(f.base, token, [{ assumedMasterState: regraded, newDocumentState: missing }])).toEqual([]);
      expect((await stored()).graded_at).toBe(missingAt);
      // The result taken away: no time.
      at('15:04');
      const blank = { ...missing, missing: false };
      expect(await push(f.base, token, [{ assumedMasterState: missing, newDocumentState: blank }])).toEqual([]);
      expect((await stored()).graded_at).toBe(null);
      // A pushed gradedAt alone is no change: nothing written.
      const { seq } = await stored();
      expect(await push(f.base, token, [{ assumedMasterState: blank, newDocumentState: { ...blank, gradedAt: '2026-11-01T00:00:00.000Z' } }])).toEqual([]);
      expect(await stored()).toEqual({ graded_at: null, seq });
      // Graded again; the pull sends the server's time.
      const againAt = at('15:05');
      expect(await push(f.base, token, [{ assumedMasterState: blank, newDocumentState: { ...held, gradedAt: null } }])).toEqual([]);
      const phone = await device(f.app, f.base, 'demo-teacher');
      const pulled: Doc = { ...((await phone.collection.findOne(held.id).exec())!.toJSON() as ScoreDocument), _deleted: false };
      await phone.close();
      expect(pulled).toEqual({ ...held, gradedAt: againAt });
      // A device that holds the score without the server's time and states no assumed state (its first push
      // after the version 1 upgrade) gets the stored score back to merge: the teacher, and the family, never refused.
      expect(await push(f.base, token, [{ newDocumentState: { ...pulled, gradedAt: null } }])).toEqual([pulled]);
      const { token: family } = await signIn(f.app, 'demo-guardian');
      expect(await push(f.base, family, [{ newDocumentState: { ...pulled, gradedAt: null } }])).toEqual([pulled]);
      // Her device then pushes the merged state (RxDB sends a resolved conflict once more): nothing to do, no refusal.
      expect(await push(f.base, family, [{ assumedMasterState: pulled, newDocumentState: pulled }])).toEqual([]);
      expect((await stored()).graded_at).toBe(againAt);
    } finally {
      f.now.value = clock;
      await f.store.transaction(async (tx) => {
        await tx.query(`UPDATE scores SET points = $2, missing = $3, comment = $4, graded_at = $5 WHERE ${BY_KEY}`, [held.id, held.points, held.missing, held.comment, held.gradedAt]);
        const [key] = await tx.query<{ district_id: string; grading_period_id: string }>(`SELECT district_id, grading_period_id FROM assignments WHERE id = $1`, [held.assignmentId]);
        await recomputeTermGrade(tx, key!.district_id, { sectionId: setting.sectionId, studentId: setting.studentId, gradingPeriodId: key!.grading_period_id });
      });
    }
  });

  it('applies the rules: posted grading periods, roster, other sections, point range, decimals, comment length', async () => {
    const setting = await teacherSetting(f.store);
    const { token } = await signIn(f.app, 'demo-teacher');
    const teacher = await device(f.app, f.base, 'demo-teacher');
    const docOf = async (id: string) => ({ ...((await teacher.collection.findOne(id).exec())!.toJSON() as ScoreDocument), _deleted: false });
    const posted = await docOf(setting.postedScoreId);
    const open = await docOf(setting.openScoreId);
    await teacher.close();
    const [possible] = await f.store.query<{ p: string }>(`SELECT points_possible::text AS p FROM assignments WHERE id = $1`, [open.assignmentId]);
    const max = Number(possible!.p) * 2;
    const [elsewhere] = await f.store.query<{ assignment_id: string; section_id: string; student_id: string }>(
      `SELECT a.id AS assignment_id, a.section_id, r.student_id FROM assignments a JOIN section_enrollments r ON r.section_id = a.section_id
        WHERE NOT EXISTS (SELECT 1 FROM section_staff ss JOIN staff t ON t.id = ss.staff_id JOIN accounts u ON u.person_id = t.person_id AND u.username = 'demo-teacher' WHERE ss.section_id = a.section_id)
          AND NOT EXISTS (SELECT 1 FROM scores s WHERE s.assignment_id = a.id AND s.student_id = r.student_id) LIMIT 1`,
    );
    const fresh = (fields: Partial<Doc>): Doc => ({ id: scoreId(elsewhere!.assignment_id, elsewhere!.student_id), assignmentId: elsewhere!.assignment_id, studentId: elsewhere!.student_id, sectionId: elsewhere!.section_id, points: 5, missing: false, late: false, exempt: false, incomplete: false, dropped: false, comment: '', gradedAt: null, syncError: null, _deleted: false, ...fields });
    const cases: Array<[unknown, string]> = [
      [{ assumedMasterState: posted, newDocumentState: { ...posted, points: 0 } }, 'grades_posted'],
      [{ newDocumentState: fresh({}) }, 'not_allowed'],
      [{ assumedMasterState: open, newDocumentState: { ...open, points: max + 0.5 } }, 'points_out_of_range'],
      [{ assumedMasterState: open, newDocumentState: { ...open, points: -1 } }, 'points_out_of_range'],
      [{ assumedMasterState: open, newDocumentState: { ...open, points: 1.125 } }, 'invalid'],
      [{ assumedMasterState: open, newDocumentState: { ...open, comment: 'x'.repeat(2001) } }, 'invalid'],
      [{ assumedMasterState: open, newDocumentState: { ...open, comment: 'nul\u0000' } }, 'invalid'],
      [{ assumedMasterState: open, newDocumentState: { ...open, sectionId: elsewhere!.section_id } }, 'invalid'],
    ];
    const before = { posted: await storedScore(f.store, posted.id), open: await storedScore(f.store, open.id) };
    for (const [row, reason] of cases) {
      const [conflict] = await push(f.base, token, [row]);
      expect(conflict?.syncError, reason).toBe(reason);
    }
    expect(await storedScore(f.store, posted.id)).toEqual(before.posted);
    expect(await storedScore(f.store, open.id)).toEqual(before.open);
    // Extra credit up to twice the points possible is taken.
    expect(await push(f.base, token, [{ assumedMasterState: open, newDocumentState: { ...open, points: max } }])).toEqual([]);
    expect(await push(f.base, token, [{ assumedMasterState: { ...open, points: max }, newDocumentState: open }])).toEqual([]);
  });

  it('sends the teacher blank tombstones of a student who left her section, and refuses new scores for him', async () => {
    const setting = await teacherSetting(f.store);
    const teacher = await device(f.app, f.base, 'demo-teacher');
    try {
      const his = (await teacher.collection.find({ selector: { studentId: setting.studentId, sectionId: setting.sectionId } }).exec()).map((d) => d.id);
      expect(his.length).toBeGreaterThan(5);
      await f.store.query(`UPDATE scores SET comment = 'Please see me after class.' WHERE ${BY_KEY}`, [setting.openScoreId]);
      await teacher.sync();
      await f.store.query(`UPDATE section_enrollments SET end_date = '2026-11-23' WHERE section_id = $1 AND student_id = $2`, [setting.sectionId, setting.studentId]);
      await teacher.sync();
      expect(await teacher.collection.find({ selector: { studentId: setting.studentId, sectionId: setting.sectionId } }).exec()).toEqual([]);
      // The tombstones passed the ajv-validated storage: ids only (the two its key is made of), nothing about the child.
      const tombstone = await teacher.stored(setting.openScoreId);
      expect(tombstone).toMatchObject({ _deleted: true, comment: '', points: null, missing: false, gradedAt: null, sectionId: '', studentId: setting.studentId, assignmentId: setting.openAssignmentId });
      const newScore: Doc = { ...tombstone!, id: setting.openScoreId, assignmentId: setting.openAssignmentId, studentId: setting.studentId, sectionId: setting.sectionId, points: 3, _deleted: false, syncError: null };
      const [refused] = await push(f.base, teacher.token, [{ newDocumentState: newScore }]);
      expect(refused).toMatchObject({ id: newScore.id, _deleted: true, comment: '' });
      expect(['not_allowed', 'not_enrolled']).toContain(refused!.syncError);
      expect(teacher.errors).toEqual([]);
    } finally {
      await f.store.query(`UPDATE section_enrollments SET end_date = NULL WHERE section_id = $1 AND student_id = $2`, [setting.sectionId, setting.studentId]);
      await teacher.close();
    }
  });

  it('lets a teacher add a missing score offline; the family then sees it', async () => {
    const setting = await teacherSetting(f.store);
    const [ungraded] = await f.store.query<{ id: string }>(
      `SELECT a.id FROM assignments a JOIN term_grades g ON g.section_id = a.section_id AND g.grading_period_id = a.grading_period_id AND g.student_id = $2 AND g.status = 'in_progress'
        WHERE a.section_id = $1 AND a.published AND NOT EXISTS (SELECT 1 FROM scores s WHERE s.assignment_id = a.id AND s.student_id = $2) ORDER BY a.due_on LIMIT 1`,
      [setting.sectionId, setting.studentId],
    );
    const teacher = await device(f.app, f.base, 'demo-teacher');
    const guardian = await device(f.app, f.base, 'demo-guardian');
    try {
      await teacher.replication.pause();
      const id = scoreId(ungraded!.id, setting.studentId);
      await teacher.collection.insert({ id, assignmentId: ungraded!.id, studentId: setting.studentId, sectionId: setting.sectionId, points: 8, missing: false, late: true, exempt: false, incomplete: false, dropped: false, comment: '', gradedAt: null, syncError: null });
      expect(await f.store.query(`SELECT 1 FROM scores WHERE ${BY_KEY}`, [id])).toEqual([]);
      await teacher.replication.start();
      await teacher.sync();
      expect(await storedScore(f.store, id)).toMatchObject({ points: '8.00' });
      const [{ row }] = (await f.store.query<{ row: string }>(`SELECT id AS row FROM scores WHERE ${BY_KEY}`, [id])) as [{ row: string }];
      await guardian.sync();
      expect(await guardian.collection.findOne(id).exec()).toMatchObject({ points: 8, late: true });
      // A second device that created the same cell offline (the same key) gets the stored score back to merge, never a second row.
      const { token } = await signIn(f.app, 'demo-teacher');
      const duplicate = { id, assignmentId: ungraded!.id, studentId: setting.studentId, sectionId: setting.sectionId, points: 9, missing: false, late: false, exempt: false, incomplete: false, dropped: false, comment: '', gradedAt: null, syncError: null, _deleted: false };
      expect(await push(f.base, token, [{ newDocumentState: duplicate }])).toEqual([expect.objectContaining({ id, points: 8, late: true, _deleted: false, syncError: null })]);
      expect(teacher.errors).toEqual([]);
      // Once that score is removed, a device that never saw it go and enters the cell again gets the tombstone (with
      // its section, so the merge stays valid) to merge, then writes over it: the same row, the pair's only one.
      const removed = (await teacher.collection.findOne(id).exec())!;
      await removed.remove();
      await teacher.sync();
      expect(await storedScore(f.store, id)).toMatchObject({ deleted: true });
      const again = { ...duplicate, points: 6 };
      const [gone] = await push(f.base, token, [{ newDocumentState: again }]);
      expect(gone).toMatchObject({ id, _deleted: true, points: null, comment: '', sectionId: setting.sectionId, syncError: null });
      const merged = await scoreConflictHandler.resolve({ realMasterState: gone!, newDocumentState: again }, 'test');
      expect(merged).toMatchObject({ id, _deleted: false, points: 6, sectionId: setting.sectionId });
      expect(await push(f.base, token, [{ assumedMasterState: gone, newDocumentState: merged }])).toEqual([]);
      expect(await storedScore(f.store, id)).toMatchObject({ points: '6.00', deleted: false });
      expect(await f.store.query(`SELECT id AS row FROM scores WHERE ${BY_KEY}`, [id])).toEqual([{ row }]);
    } finally {
      await teacher.close();
      await guardian.close();
    }
  });

  it('answers 400 score_key_required, in the caller’s language, to a push naming every score by a bare id (not assignmentId|studentId), and writes nothing; a mixed batch still takes its keyed rows', async () => {
    const setting = await teacherSetting(f.store);
    const teacher = await device(f.app, f.base, 'demo-teacher');
    const current = (await teacher.collection.findOne(setting.openScoreId).exec())!.toJSON() as ScoreDocument;
    await teacher.close();
    const master: Doc = { ...current, _deleted: false };
    const [{ row }] = (await f.store.query<{ row: string }>(`SELECT id AS row FROM scores WHERE ${BY_KEY}`, [setting.openScoreId])) as [{ row: string }];
    const before = await storedScore(f.store, setting.openScoreId);
    const { token } = await signIn(f.app, 'demo-teacher');
    const send = (rows: unknown[], language = 'en') =>
      fetch(`${f.base}/api/sync/scores/push?v=${SCORES_SCHEMA_VERSION}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': language },
        body: JSON.stringify(rows),
      });
    // The stored row's own id, as a staff API caller might send it, and a key in the wrong case: nothing is saved, and she is told so.
    const bare = { assumedMasterState: { ...master, id: row }, newDocumentState: { ...master, id: row, points: 1 } };
    const shouting = { assumedMasterState: master, newDocumentState: { ...master, id: master.id.toUpperCase(), points: 1 } };
    const refused = await send([bare, shouting], 'es');
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('score_key_required');
    const spanish = JSON.parse(readFileSync(new URL('../../locales/es/errors.json', import.meta.url), 'utf8')) as Record<string, string>;
    expect(body.error.message).toBe(spanish.score_key_required);
    expect(await storedScore(f.store, setting.openScoreId)).toEqual(before);
    // A batch with one keyed row is a device's: the keyed row is written, the bare one dropped as before.
    const keyed = { assumedMasterState: master, newDocumentState: { ...master, comment: 'Keyed beside a bare id.' } };
    const mixed = await send([bare, keyed]);
    expect(mixed.status).toBe(200);
    expect(await mixed.json()).toEqual([]);
    expect(await storedScore(f.store, setting.openScoreId)).toMatchObject({ points: before.points, comment: 'Keyed beside a bare id.' });
    expect(await push(f.base, token, [{ assumedMasterState: keyed.newDocumentState, newDocumentState: master }])).toEqual([]);
    // An empty batch is no mistake.
    expect(await push(f.base, token, [])).toEqual([]);
  });

  it('logs as written only the scores it wrote: a malformed row beside a written one, naming a student who does not exist, is dropped, never a 500', async () => {
    const setting = await teacherSetting(f.store);
    const teacher = await device(f.app, f.base, 'demo-teacher');
    const current = (await teacher.collection.findOne(setting.openScoreId).exec())!.toJSON() as ScoreDocument;
    await teacher.close();
    const master: Doc = { ...current, _deleted: false };
    const { token } = await signIn(f.app, 'demo-teacher');
    const [{ mark }] = (await f.store.query<{ mark: number }>(`SELECT coalesce(max(id), 0)::float8 AS mark FROM access_log`)) as [{ mark: number }];
    const written = { assumedMasterState: master, newDocumentState: { ...master, comment: 'Written beside a malformed row.' } };
    // Its key names the real score, its fields a student no one has: the pusher drops it (no key to answer under).
    const stranger = randomUUID();
    const malformed = { newDocumentState: { ...master, studentId: stranger, comment: 'Not a score of anyone.' } };
    expect(await push(f.base, token, [written, malformed])).toEqual([]);
    expect(await storedScore(f.store, setting.openScoreId)).toMatchObject({ comment: 'Written beside a malformed row.' });
    const logged = await f.store.query<{ student_id: string }>(`SELECT student_id FROM access_log WHERE id > $1 AND event = 'record.write' AND record_type = 'scores'`, [mark]);
    expect(logged.map((row) => row.student_id)).toEqual([setting.studentId]);
    expect(await push(f.base, token, [{ assumedMasterState: written.newDocumentState, newDocumentState: master }])).toEqual([]);
  });
});

describe.runIf(await postgresReachable())('scores sync (PostgreSQL)', () => {
  let db: TestDatabase;
  let pg: Awaited<ReturnType<typeof listen>>;
  let app: App;

  beforeAll(async () => {
    db = await freshPostgres({ migrated: true });
    await seedDistrict(db.store, { ...defaultSeedOptions(TODAY), students: 100 });
    const now = new Date(`${TODAY}T15:00:00Z`);
    app = createApp({ store: db.store, clock: () => now, mailer: memoryMailer(), config: { trustProxy: true } });
    pg = await listen(app);
  });
  afterAll(async () => {
    await pg.close();
    await db.drop();
  });

  it('two devices editing the same score → one conflict, resolved, no lost write', async () => {
    await twoDevicesEditOneScore(app, pg.base, db.store);
  });
});
