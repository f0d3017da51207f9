import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeSchema, GRADES_SCHEMA_VERSION, type GradeDocument } from '../contract/sync/grades.ts';
import { SCORES_SCHEMA_VERSION, scoreId, type ScoreDocument } from '../contract/sync/scores.ts';
import { servedAppFixture, signIn, type ServedAppFixture } from '../test/app-fixture.ts';
import { signedInDevice } from '../test/sync-device.ts';

const TODAY = '2026-11-24';
let f: ServedAppFixture;

beforeAll(async () => {
  f = await servedAppFixture({ students: 120, today: TODAY });
});
afterAll(() => f.close());

const device = (username: string) => signedInDevice<GradeDocument>(f, username, { name: 'grades', schema: gradeSchema, version: GRADES_SCHEMA_VERSION, push: false });

/** Every term grade and standards mark of the students a family account reaches, read the plain way. */
async function familyGrades(username: string): Promise<string[]> {
  const rows = await f.store.query<{ id: string }>(
    `WITH kids AS (
       SELECT g.student_id FROM guardianships g JOIN accounts u ON u.person_id = g.guardian_person_id WHERE u.username = $1 AND g.portal_access AND NOT g.deleted
       UNION SELECT s.id FROM students s JOIN accounts u ON u.person_id = s.person_id WHERE u.username = $1
     )
     SELECT id FROM term_grades WHERE student_id IN (SELECT student_id FROM kids) AND NOT deleted
     UNION SELECT id FROM standard_marks WHERE student_id IN (SELECT student_id FROM kids) AND NOT deleted
     ORDER BY id`,
    [username],
  );
  return rows.map((r) => r.id);
}

/** demo-student in demo-teacher's section, a score of his in the open quarter, and that quarter's in-progress grade. */
async function gradebookSetting() {
  const [row] = await f.store.query<{ section_id: string; student_id: string; grade_id: string; score_id: string; assignment_id: string; grading_task_id: string }>(
    `SELECT r.section_id, r.student_id, g.id AS grade_id, s.id AS score_id, a.id AS assignment_id, g.grading_task_id
       FROM accounts u JOIN students st ON st.person_id = u.person_id
       JOIN section_enrollments r ON r.student_id = st.id AND r.start_date <= $1
       JOIN section_staff ss ON ss.section_id = r.section_id JOIN staff t ON t.id = ss.staff_id JOIN accounts ta ON ta.person_id = t.person_id AND ta.username = 'demo-teacher'
       JOIN term_grades g ON g.section_id = r.section_id AND g.student_id = st.id AND g.status = 'in_progress'
       JOIN assignments a ON a.section_id = r.section_id AND a.grading_period_id = g.grading_period_id
       JOIN assignment_categories k ON k.id = a.category_id AND k.drop_lowest = 0
       JOIN scores s ON s.assignment_id = a.id AND s.student_id = st.id AND s.points > 0
      WHERE u.username = 'demo-student' ORDER BY a.points_possible DESC, a.id LIMIT 1`,
    [TODAY],
  );
  return row!;
}

describe('grades sync', () => {
  it('gives a family every grade of their children, posted and in progress, term grades and standards marks, and nothing of other children', async () => {
    const guardian = await device('demo-guardian');
    const student = await device('demo-student');
    try {
      const expected = await familyGrades('demo-guardian');
      expect(await guardian.ids()).toEqual(expected);
      expect(await student.ids()).toEqual(await familyGrades('demo-student'));
      const docs = await guardian.collection.find().exec();
      const kinds = new Set(docs.map((d) => `${d.kind}:${d.status}`));
      // The demo family has an elementary child (standards) and older ones (term grades), in a posted and an open quarter.
      expect([...kinds].sort()).toEqual(['standard:in_progress', 'standard:posted', 'term:in_progress', 'term:posted']);
      const posted = docs.find((d) => d.kind === 'term' && d.status === 'posted')!;
      expect(posted.postedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(typeof posted.percent).toBe('number');
      expect(posted.mark).not.toBeNull();
      const standard = docs.find((d) => d.kind === 'standard')!;
      expect(standard).toMatchObject({ gradingTaskId: null, percent: null });
      expect(standard.standardCode?.length).toBeGreaterThan(0);
      expect(guardian.errors).toEqual([]);
    } finally {
      await guardian.close();
      await student.close();
    }
  });

  it('gives a teacher the grades of her sections’ current rosters only', async () => {
    const teacher = await device('demo-teacher');
    try {
      const rows = await f.store.query<{ id: string }>(
        `SELECT g.id FROM accounts u JOIN staff t ON t.person_id = u.person_id JOIN section_staff ss ON ss.staff_id = t.id
           JOIN section_enrollments r ON r.section_id = ss.section_id AND NOT r.deleted AND r.start_date <= $1 AND (r.end_date IS NULL OR r.end_date >= $1)
           JOIN term_grades g ON g.section_id = ss.section_id AND g.student_id = r.student_id
          WHERE u.username = 'demo-teacher'
         UNION
         SELECT m.id FROM accounts u JOIN staff t ON t.person_id = u.person_id JOIN section_staff ss ON ss.staff_id = t.id
           JOIN section_enrollments r ON r.section_id = ss.section_id AND NOT r.deleted AND r.start_date <= $1 AND (r.end_date IS NULL OR r.end_date >= $1)
           JOIN standard_marks m ON m.section_id = ss.section_id AND m.student_id = r.student_id
          WHERE u.username = 'demo-teacher' ORDER BY 1`,
        [TODAY],
      );
      expect(rows.length).toBeGreaterThan(5);
      expect(await teacher.ids()).toEqual(rows.map((r) => r.id));
    } finally {
      await teacher.close();
    }
  });

  it('moves the in-progress grade on the family’s device when the teacher pushes a score', async () => {
    const setting = await gradebookSetting();
    const guardian = await device('demo-guardian');
    const { token } = await signIn(f.app, 'demo-teacher');
    try {
      const before = (await guardian.collection.findOne(setting.grade_id).exec())!.toJSON() as GradeDocument;
      expect(before.status).toBe('in_progress');
      const [score] = await f.store.query<ScoreDocument & { points: string | null }>(
        `SELECT s.id, s.assignment_id AS "assignmentId", s.student_id AS "studentId", a.section_id AS "sectionId", s.points::text AS points, s.missing, s.late, s.exempt, s.incomplete, s.dropped, s.comment,
                to_char(s.graded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "gradedAt"
           FROM scores s JOIN assignments a ON a.id = s.assignment_id WHERE s.id = $1`,
        [setting.score_id],
      );
      // The device names a score by its key (schema v2), not by the stored row's id.
      const master = { ...score!, id: scoreId(score!.assignmentId, score!.studentId), points: Number(score!.points), syncError: null, _deleted: false };
      const pushScore = async (assumed: typeof master, next: typeof master) => {
        const response = await fetch(`${f.base}/api/sync/scores/push?v=${SCORES_SCHEMA_VERSION}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify([{ assumedMasterState: assumed, newDocumentState: next }]),
        });
        expect(await response.json()).toEqual([]);
      };
      const zero = { ...master, points: 0 };
      await pushScore(master, zero);
      await guardian.sync();
      const after = (await guardian.collection.findOne(setting.grade_id).exec())!;
      expect(after.percent).toBeLessThan(before.percent!);
      await pushScore(zero, master);
      await guardian.sync();
      expect((await guardian.collection.findOne(setting.grade_id).exec())?.percent).toBe(before.percent);
      expect(guardian.errors).toEqual([]);
    } finally {
      await guardian.close();
    }
  });

  it('renames a grading task on every device, and sends blank tombstones when portal access ends', async () => {
    const setting = await gradebookSetting();
    const guardian = await device('demo-guardian');
    const [account] = await f.store.query<{ person_id: string }>(`SELECT person_id FROM accounts WHERE username = 'demo-guardian'`);
    try {
      const [task] = await f.store.query<{ name: string }>(`SELECT name FROM grading_tasks WHERE id = $1`, [setting.grading_task_id]);
      await f.store.query(`UPDATE grading_tasks SET name = 'Quarter mark' WHERE id = $1`, [setting.grading_task_id]);
      await guardian.sync();
      expect((await guardian.collection.findOne(setting.grade_id).exec())?.gradingTaskName).toBe('Quarter mark');
      await f.store.query(`UPDATE grading_tasks SET name = $2 WHERE id = $1`, [setting.grading_task_id, task!.name]);

      const before = await guardian.ids();
      await f.store.query(`UPDATE guardianships SET portal_access = false WHERE guardian_person_id = $1 AND student_id = $2`, [account!.person_id, setting.student_id]);
      await guardian.sync();
      const left = await guardian.collection.find().exec();
      expect(left.length).toBeGreaterThan(0);
      expect(left.every((d) => d.studentId !== setting.student_id)).toBe(true);
      const tombstone = await guardian.stored(setting.grade_id);
      expect(tombstone).toMatchObject({ _deleted: true, percent: null, mark: null, proficiency: null, postedAt: null, comment: '' });
      await f.store.query(`UPDATE guardianships SET portal_access = true WHERE guardian_person_id = $1 AND student_id = $2`, [account!.person_id, setting.student_id]);
      await guardian.sync();
      expect(await guardian.ids()).toEqual(before);
      expect(guardian.errors).toEqual([]);
    } finally {
      await f.store.query(`UPDATE guardianships SET portal_access = true WHERE guardian_person_id = $1 AND student_id = $2`, [account!.person_id, setting.student_id]);
      await guardian.close();
    }
  });

  it('has no push route: grades are posted through the office, not synced up', async () => {
    const { token } = await signIn(f.app, 'demo-teacher');
    const response = await fetch(`${f.base}/api/sync/grades/push?v=${GRADES_SCHEMA_VERSION}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '[]' });
    expect(response.status).toBe(404);
  });
});
