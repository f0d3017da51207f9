import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeTermGrade } from '../gradebook/in-progress-grade.ts';
import { appFixture, call, signIn, type AppFixture } from '../test/app-fixture.ts';

let f: AppFixture;
let sectionId: string;
let periodId: string;

beforeAll(async () => {
  // Its dates are written out for this day: a grading period open on 2026-11-24, work due then.
  f = await appFixture({ today: '2026-11-24' });
  const [row] = await f.store.query<{ section_id: string; period_id: string }>(
    `SELECT ss.section_id, p.id AS period_id FROM section_staff ss
       JOIN staff s ON s.district_id = ss.district_id AND s.id = ss.staff_id
       JOIN accounts a ON a.district_id = s.district_id AND a.person_id = s.person_id AND a.username = 'demo-teacher'
       JOIN sections x ON x.district_id = ss.district_id AND x.id = ss.section_id
       JOIN grading_periods p ON p.district_id = x.district_id AND p.term_id = x.term_id AND p.start_date <= '2026-11-24' AND p.end_date >= '2026-11-24'
      WHERE NOT ss.deleted ORDER BY ss.section_id LIMIT 1`,
  );
  sectionId = row!.section_id;
  periodId = row!.period_id;
});
afterAll(() => f.close());

const termGrades = () =>
  f.store.query<{ id: string; student_id: string; percent: string | null; mark: string | null; status: string }>(
    `SELECT id, student_id, percent, mark, status FROM term_grades WHERE section_id = $1 AND grading_period_id = $2 AND NOT deleted ORDER BY student_id`,
    [sectionId, periodId],
  );

describe('coursework and categories', () => {
  async function teacherSetup() {
    const teacher = await signIn(f.app, 'demo-teacher');
    // Her current section (these tests run before the posting tests below).
    const [row] = await f.store.query<{ section_id: string; period_id: string; category_id: string }>(
      `SELECT ss.section_id, p.id AS period_id, k.id AS category_id FROM section_staff ss
         JOIN staff s ON s.district_id = ss.district_id AND s.id = ss.staff_id
         JOIN accounts a ON a.district_id = s.district_id AND a.person_id = s.person_id AND a.username = 'demo-teacher'
         JOIN sections x ON x.district_id = ss.district_id AND x.id = ss.section_id AND x.grading_method = 'weighted'
         JOIN grading_periods p ON p.district_id = x.district_id AND p.term_id = x.term_id AND p.start_date <= '2026-11-24' AND p.end_date >= '2026-11-24'
         JOIN assignment_categories k ON k.district_id = x.district_id AND k.section_id = x.id AND NOT k.deleted
        WHERE NOT ss.deleted AND ss.section_id = $1
        ORDER BY k.name LIMIT 1`,
      [sectionId],
    );
    return { token: teacher.token, section: row!.section_id, period: row!.period_id, category: row!.category_id };
  }

  it('a teacher adds, edits and removes work in her section; grades follow; all audited', async () => {
    const { token, section, period, category } = await teacherSetup();
    const body = { categoryId: category, gradingPeriodId: period, name: 'Unit 4 quiz', description: 'Chapters 7–8', pointsPossible: 20, assignedOn: '2026-11-20', dueOn: '2026-11-24', published: true };
    const created = await call(f.app, 'POST', `/api/gradebook/sections/${section}/assignments`, { token, body });
    expect(created.status).toBe(201);
    // Scored zero for one student: her in-progress grade drops when the points grow.
    const [student] = await f.store.query<{ student_id: string }>(`SELECT student_id FROM section_enrollments WHERE section_id = $1 AND NOT deleted AND end_date IS NULL ORDER BY student_id LIMIT 1`, [section]);
    await f.store.query(`INSERT INTO scores (district_id, id, assignment_id, student_id, points) VALUES ($1, gen_random_uuid(), $2, $3, 0)`, [f.district.districtId, created.body.id, student!.student_id]);
    const grade = async () => Number((await f.store.query<{ percent: string }>(`SELECT percent FROM term_grades WHERE section_id = $1 AND student_id = $2 AND grading_period_id = $3`, [section, student!.student_id, period]))[0]?.percent);
    const before = await grade();
    expect((await call(f.app, 'PUT', `/api/gradebook/assignments/${created.body.id}`, { token, body: { ...body, pointsPossible: 100 } })).status).toBe(204);
    expect(await grade()).toBeLessThan(before);
    expect((await call(f.app, 'DELETE', `/api/gradebook/assignments/${created.body.id}`, { token })).status).toBe(204);
    const trail = await f.store.query<{ action: string }>(`SELECT action FROM audit_trail WHERE table_name = 'assignments' AND row_id = $1 ORDER BY id`, [created.body.id]);
    expect(trail.map((t) => t.action)).toEqual(['insert', 'update', 'delete']);
  });

  it('refuses work outside her sections, in a posted period, or with a foreign category, and bad input', async () => {
    const { token, section, period, category } = await teacherSetup();
    const body = { categoryId: category, gradingPeriodId: period, name: 'Quiz', pointsPossible: 10, assignedOn: '2026-11-20', dueOn: '2026-11-24' };
    const [other] = await f.store.query<{ id: string }>(`SELECT x.id FROM sections x WHERE x.id NOT IN (SELECT section_id FROM section_staff ss JOIN staff s ON s.id = ss.staff_id JOIN accounts a ON a.person_id = s.person_id AND a.username = 'demo-teacher') LIMIT 1`);
    expect((await call(f.app, 'POST', `/api/gradebook/sections/${other!.id}/assignments`, { token, body })).status).toBe(403);
    // An earlier grading period whose grades the seed posted: new work there needs the office.
    const [earlier] = await f.store.query<{ id: string }>(
      `SELECT p.id FROM grading_periods p JOIN sections x ON x.term_id = p.term_id WHERE x.id = $1 AND p.end_date < '2026-11-24'
          AND EXISTS (SELECT 1 FROM term_grades g WHERE g.section_id = x.id AND g.grading_period_id = p.id AND g.status = 'posted') LIMIT 1`,
      [section],
    );
    const posted = await call(f.app, 'POST', `/api/gradebook/sections/${section}/assignments`, { token, body: { ...body, gradingPeriodId: earlier!.id } });
    expect(posted.status).toBe(409);
    expect(posted.body.error.code).toBe('grades_posted');
    const [foreignCategory] = await f.store.query<{ id: string }>(`SELECT id FROM assignment_categories WHERE section_id <> $1 AND NOT deleted LIMIT 1`, [section]);
    const foreign = await call(f.app, 'POST', `/api/gradebook/sections/${section}/assignments`, { token, body: { ...body, categoryId: foreignCategory!.id } });
    expect(foreign.body.error.details.fields).toEqual(['categoryId']);
    const bad = await call(f.app, 'POST', `/api/gradebook/sections/${section}/assignments`, { token, body: { ...body, name: '', pointsPossible: 1.234, dueOn: '2026-11-01' } });
    expect(bad.body.error.details.fields).toEqual(['name', 'pointsPossible', 'dueOn']);
    const guardian = await signIn(f.app, 'demo-guardian');
    expect((await call(f.app, 'POST', `/api/gradebook/sections/${section}/assignments`, { token: guardian.token, body })).status).toBe(403);
  });

  it('sets category weights and drop rules; grades are recomputed; a category with work is kept', async () => {
    const { token, section } = await teacherSetup();
    const current = await f.store.query<{ id: string; name: string; weight: string; drop_lowest: number }>(`SELECT id, name, weight::text AS weight, drop_lowest FROM assignment_categories WHERE section_id = $1 AND NOT deleted ORDER BY name`, [section]);
    const changed = current.map((k, i) => ({ id: k.id, name: k.name, weight: i === 0 ? 70 : Math.max(0, Number(k.weight) - 5), dropLowest: i === 0 ? 1 : k.drop_lowest }));
    const reply = await call(f.app, 'PUT', `/api/gradebook/sections/${section}/categories`, { token, body: { categories: [...changed, { name: 'Participation', weight: 5, dropLowest: 0 }] } });
    expect(reply.status).toBe(200);
    expect(reply.body.categories.find((k: { name: string }) => k.name === current[0]!.name)).toMatchObject({ weight: 70, dropLowest: 1 });
    expect(reply.body.categories.map((k: { name: string }) => k.name)).toContain('Participation');
    // Removing a category that holds work is refused, and nothing changes.
    const dropped = await call(f.app, 'PUT', `/api/gradebook/sections/${section}/categories`, { token, body: { categories: changed.slice(1), remove: [current[0]!.id] } });
    expect(dropped.status).toBe(409);
    expect(dropped.body.error.code).toBe('category_in_use');
    const trail = await f.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_trail WHERE table_name = 'assignment_categories' AND row_id = $1`, [current[0]!.id]);
    expect(trail[0]!.n).toBe(1);
    // A category left out of the list is left alone (a device may not know it); one named in `remove` without work goes.
    const participation = reply.body.categories.find((k: { name: string }) => k.name === 'Participation')!;
    const unlisted = await call(f.app, 'PUT', `/api/gradebook/sections/${section}/categories`, { token, body: { categories: changed.slice(0, 1) } });
    expect(unlisted.status).toBe(200);
    expect(unlisted.body.categories.map((k: { id: string }) => k.id).sort()).toEqual([...current.map((k) => k.id), participation.id].sort());
    const removed = await call(f.app, 'PUT', `/api/gradebook/sections/${section}/categories`, { token, body: { categories: changed.slice(0, 1), remove: [participation.id] } });
    expect(removed.status).toBe(200);
    expect(removed.body.categories.map((k: { id: string }) => k.id)).not.toContain(participation.id);
    expect((await call(f.app, 'PUT', `/api/gradebook/sections/${section}/categories`, { token, body: { categories: changed.slice(0, 1), remove: [changed[0]!.id] } })).status).toBe(400);
  });
});

describe('posting term grades', () => {
  it('recomputing the seeded in-progress grades changes none of them: seed and server calculate alike', async () => {
    const before = await f.store.query<{ id: string; seq: string; student_id: string }>(`SELECT id, seq::text AS seq, student_id FROM term_grades WHERE section_id = $1 AND grading_period_id = $2 ORDER BY id`, [sectionId, periodId]);
    expect(before.length).toBeGreaterThan(0);
    await f.store.transaction(async (tx) => {
      for (const row of before) await recomputeTermGrade(tx, f.district.districtId, { sectionId, studentId: row.student_id, gradingPeriodId: periodId });
    });
    const after = await f.store.query<{ id: string; seq: string }>(`SELECT id, seq::text AS seq FROM term_grades WHERE section_id = $1 AND grading_period_id = $2 ORDER BY id`, [sectionId, periodId]);
    expect(after).toEqual(before.map(({ id, seq }) => ({ id, seq })));
  });

  it('the teacher posts the period; posted grades stay put; only the office reopens one, audited', async () => {
    const teacher = await signIn(f.app, 'demo-teacher');
    const first = await call(f.app, 'POST', `/api/gradebook/sections/${sectionId}/periods/${periodId}/post`, { token: teacher.token });
    expect(first.status).toBe(200);
    expect(first.body.posted).toBeGreaterThan(0);
    const posted = await termGrades();
    expect(posted.every((g) => g.status === 'posted')).toBe(true);
    // Posting again changes nothing.
    const again = await call(f.app, 'POST', `/api/gradebook/sections/${sectionId}/periods/${periodId}/post`, { token: teacher.token });
    expect(again.body).toMatchObject({ posted: 0, alreadyPosted: first.body.posted });

    // A teacher cannot reopen; the office can, with a reason, and it is audited.
    const target = posted[0]!;
    expect((await call(f.app, 'POST', `/api/gradebook/term-grades/${target.id}/reopen`, { token: teacher.token, body: { reason: 'typo' } })).status).toBe(403);
    const office = await signIn(f.app, 'demo-office');
    expect((await call(f.app, 'POST', `/api/gradebook/term-grades/${target.id}/reopen`, { token: office.token, body: {} })).status).toBe(400);
    expect((await call(f.app, 'POST', `/api/gradebook/term-grades/${target.id}/reopen`, { token: office.token, body: { reason: 'Late work accepted by arrangement' } })).status).toBe(204);
    const [reopened] = await f.store.query<{ status: string }>(`SELECT status FROM term_grades WHERE id = $1`, [target.id]);
    expect(reopened!.status).toBe('in_progress');
    const trail = await f.store.query<{ action: string; new_values: { status: string; reason?: string } }>(`SELECT action, new_values FROM audit_trail WHERE table_name = 'term_grades' AND row_id = $1 ORDER BY id`, [target.id]);
    expect(trail.map((t) => t.new_values.status)).toEqual(['posted', 'in_progress']);
    expect(trail[1]!.new_values.reason).toBe('Late work accepted by arrangement');
  });

  it('nobody else posts a section’s grades', async () => {
    for (const username of ['demo-office', 'demo-principal', 'demo-guardian', 'demo-student']) {
      const { token } = await signIn(f.app, username);
      expect((await call(f.app, 'POST', `/api/gradebook/sections/${sectionId}/periods/${periodId}/post`, { token })).status).toBe(403);
    }
    const teacher = await signIn(f.app, 'demo-teacher');
    expect((await call(f.app, 'POST', `/api/gradebook/sections/${sectionId}/periods/not-a-period/post`, { token: teacher.token })).status).toBe(404);
  });
});
