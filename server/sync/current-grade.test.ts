import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFixture, signIn, type AppFixture } from '../test/app-fixture.ts';
import { pullToEnd } from '../test/sync-client.ts';

/**
 * A child's grade has one source: her open primary enrollment. The students document's
 * `gradeLevel` (what Today matches announcements' grades against on the device) and the
 * announcements pull (which matches the enrollment's grade on the server) must say the same.
 */
let f: AppFixture;
beforeAll(async () => {
  f = await appFixture({ students: 100, today: '2026-11-24' });
});
afterAll(() => f.close());

async function guardianChild(): Promise<{ studentId: string; enrollmentId: string; grade: number }> {
  const [row] = await f.store.query<{ student_id: string; enrollment_id: string; grade_level: number }>(
    `SELECT g.student_id, e.id AS enrollment_id, e.grade_level FROM guardianships g
       JOIN accounts a ON a.district_id = g.district_id AND a.person_id = g.guardian_person_id
       JOIN enrollments e ON e.district_id = g.district_id AND e.student_id = g.student_id AND e.kind = 'primary' AND NOT e.deleted AND e.end_date IS NULL
      WHERE a.username = 'demo-guardian' AND g.portal_access AND NOT g.deleted ORDER BY g.student_id LIMIT 1`,
  );
  return { studentId: row!.student_id, enrollmentId: row!.enrollment_id, grade: row!.grade_level };
}

describe("a child's grade", () => {
  it('follows her open primary enrollment into the students document a family device pulls', async () => {
    const child = await guardianChild();
    const { token } = await signIn(f.app, 'demo-guardian');
    const first = await pullToEnd(f.app, token, 'students');
    expect(first.live.find((d) => d.id === child.studentId)).toMatchObject({ gradeLevel: child.grade });

    // The office moves her up a grade on her enrollment (what a promotion or a correction does).
    const next = child.grade >= 12 ? child.grade - 1 : child.grade + 1;
    await f.store.query(`UPDATE enrollments SET grade_level = $2 WHERE id = $1`, [child.enrollmentId, next]);
    const [stored] = await f.store.query<{ grade_level: number }>(`SELECT grade_level FROM students WHERE id = $1`, [child.studentId]);
    expect(stored!.grade_level).toBe(next);
    const after = await pullToEnd(f.app, token, 'students', first.checkpoint);
    expect(after.live.find((d) => d.id === child.studentId)).toMatchObject({ gradeLevel: next });

    // A closed or another school's enrollment does not speak for her grade.
    await f.store.query(`UPDATE enrollments SET grade_level = $2, end_date = '2026-11-20' WHERE id = $1`, [child.enrollmentId, child.grade]);
    const [kept] = await f.store.query<{ grade_level: number }>(`SELECT grade_level FROM students WHERE id = $1`, [child.studentId]);
    expect(kept!.grade_level).toBe(next);
  });

  it('is the same on every student of the seeded district', async () => {
    const differ = await f.store.query<{ id: string }>(
      `SELECT s.id FROM students s JOIN enrollments e ON e.district_id = s.district_id AND e.student_id = s.id
        WHERE e.kind = 'primary' AND NOT e.deleted AND e.end_date IS NULL AND e.grade_level <> s.grade_level`,
    );
    expect(differ).toEqual([]);
  });
});
