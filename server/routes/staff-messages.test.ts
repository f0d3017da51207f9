import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFixture, call, signIn, type AppFixture } from '../test/app-fixture.ts';

let f: AppFixture;
let high: string;
let elementary: string;

beforeAll(async () => {
  // Its dates are written out for this day (a term in force, announcements starting then).
  f = await appFixture({ today: '2026-11-24' });
  const schools = await f.store.query<{ id: string; level: string }>(`SELECT id, level FROM schools ORDER BY code`);
  high = schools.find((s) => s.level === 'high')!.id;
  elementary = schools.find((s) => s.level === 'elementary')!.id;
});
afterAll(() => f.close());

async function teacherSection(): Promise<{ sectionId: string; studentId: string }> {
  const [row] = await f.store.query<{ section_id: string; student_id: string }>(
    `SELECT ss.section_id, r.student_id FROM section_staff ss
       JOIN staff s ON s.district_id = ss.district_id AND s.id = ss.staff_id
       JOIN accounts a ON a.district_id = s.district_id AND a.person_id = s.person_id AND a.username = 'demo-teacher'
       JOIN sections x ON x.district_id = ss.district_id AND x.id = ss.section_id
       JOIN terms t ON t.district_id = x.district_id AND t.id = x.term_id AND t.start_date <= '2026-11-24' AND t.end_date >= '2026-11-24'
       JOIN section_enrollments r ON r.district_id = ss.district_id AND r.section_id = ss.section_id AND NOT r.deleted AND r.end_date IS NULL
       JOIN guardianships g ON g.district_id = r.district_id AND g.student_id = r.student_id AND g.portal_access AND NOT g.deleted
      WHERE NOT ss.deleted ORDER BY ss.section_id, r.student_id LIMIT 1`,
  );
  return { sectionId: row!.section_id, studentId: row!.student_id };
}

describe('teachers’ messages to families', () => {
  it('reach the portal-enabled guardians of a section, and of one student, audited', async () => {
    const teacher = await signIn(f.app, 'demo-teacher');
    const { sectionId, studentId } = await teacherSection();
    const toSection = await call(f.app, 'POST', '/api/staff/messages', { token: teacher.token, body: { sectionId, subject: 'Field trip Friday', body: 'Please sign the permission slip.' } });
    expect(toSection.status).toBe(201);
    const [expected] = await f.store.query<{ n: number }>(
      `SELECT count(DISTINCT g.guardian_person_id)::int AS n FROM section_enrollments r JOIN guardianships g ON g.district_id = r.district_id AND g.student_id = r.student_id AND g.portal_access AND NOT g.deleted
        WHERE r.section_id = $1 AND NOT r.deleted AND r.start_date <= '2026-11-24' AND (r.end_date IS NULL OR r.end_date >= '2026-11-24')`,
      [sectionId],
    );
    expect(toSection.body.recipients).toBe(expected!.n);
    const toOne = await call(f.app, 'POST', '/api/staff/messages', { token: teacher.token, body: { studentId, subject: 'Great essay', body: 'Your child wrote a wonderful essay this week.' } });
    expect(toOne.status).toBe(201);
    const recipients = await f.store.query<{ person_id: string }>(`SELECT person_id FROM message_recipients WHERE message_id = $1`, [toOne.body.id]);
    const guardians = await f.store.query<{ guardian_person_id: string }>(`SELECT guardian_person_id FROM guardianships WHERE student_id = $1 AND portal_access AND NOT deleted`, [studentId]);
    expect(recipients.map((r) => r.person_id).sort()).toEqual(guardians.map((g) => g.guardian_person_id).sort());
    const [trail] = await f.store.query<{ action: string }>(`SELECT action FROM audit_trail WHERE table_name = 'messages' AND row_id = $1`, [toOne.body.id]);
    expect(trail?.action).toBe('insert');
  });

  it('cannot be sent to a section the teacher does not teach, a student out of reach, or by families', async () => {
    const teacher = await signIn(f.app, 'demo-teacher');
    const [other] = await f.store.query<{ id: string; student_id: string }>(
      `SELECT x.id, r.student_id FROM sections x JOIN section_enrollments r ON r.section_id = x.id AND NOT r.deleted
        WHERE x.school_id = $1 ORDER BY x.id LIMIT 1`,
      [elementary],
    );
    expect((await call(f.app, 'POST', '/api/staff/messages', { token: teacher.token, body: { sectionId: other!.id, subject: 'Hi', body: 'Hello' } })).status).toBe(403);
    expect((await call(f.app, 'POST', '/api/staff/messages', { token: teacher.token, body: { studentId: other!.student_id, subject: 'Hi', body: 'Hello' } })).status).toBe(403);
    const guardian = await signIn(f.app, 'demo-guardian');
    const { sectionId } = await teacherSection();
    expect((await call(f.app, 'POST', '/api/staff/messages', { token: guardian.token, body: { sectionId, subject: 'Hi', body: 'Hello' } })).status).toBe(403);
    const bad = await call(f.app, 'POST', '/api/staff/messages', { token: teacher.token, body: { sectionId, studentId: other!.student_id, subject: '', body: 'x'.repeat(20_001) } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields).toEqual(['sectionId', 'studentId', 'subject', 'body']);
  });
});

describe('announcements', () => {
  const announcement = (over: Record<string, unknown> = {}) => ({
    scope: 'school', schoolId: high,
    title: { en: 'Picture day', es: 'Día de fotos', so: 'Maalinta sawirrada', vi: 'Ngày chụp ảnh' },
    body: { en: 'Wednesday in the gym.', es: 'El miércoles en el gimnasio.' },
    startsOn: '2026-11-24', endsOn: '2026-12-05', ...over,
  });

  it('office staff with the right publish, edit and withdraw them for their school, audited', async () => {
    const office = await signIn(f.app, 'demo-office');
    const created = await call(f.app, 'POST', '/api/staff/announcements', { token: office.token, body: announcement() });
    expect(created.status).toBe(201);
    const id = created.body.announcement.id;
    expect(created.body.announcement.title.so).toBe('Maalinta sawirrada');
    const edited = await call(f.app, 'PUT', `/api/staff/announcements/${id}`, { token: office.token, body: announcement({ endsOn: '2026-12-12' }) });
    expect(edited.body.announcement.endsOn).toBe('2026-12-12');
    const list = await call(f.app, 'GET', '/api/staff/announcements', { token: office.token });
    expect(list.body.announcements.map((a: { id: string }) => a.id)).toContain(id);
    expect((await call(f.app, 'DELETE', `/api/staff/announcements/${id}`, { token: office.token })).status).toBe(204);
    const trail = await f.store.query<{ action: string; old_values: { endsOn?: string } | null }>(`SELECT action, old_values FROM audit_trail WHERE table_name = 'announcements' AND row_id = $1 ORDER BY id`, [id]);
    expect(trail.map((t) => t.action)).toEqual(['insert', 'update', 'delete']);
    expect(trail[1]!.old_values?.endsOn).toBe('2026-12-05');
  });

  it('are refused out of scope, without English, or with impossible dates', async () => {
    const office = await signIn(f.app, 'demo-office');
    expect((await call(f.app, 'POST', '/api/staff/announcements', { token: office.token, body: announcement({ schoolId: elementary }) })).status).toBe(403);
    expect((await call(f.app, 'POST', '/api/staff/announcements', { token: office.token, body: announcement({ scope: 'district' }) })).status).toBe(403);
    const teacher = await signIn(f.app, 'demo-teacher');
    expect((await call(f.app, 'POST', '/api/staff/announcements', { token: teacher.token, body: announcement() })).status).toBe(403);
    const { sectionId } = await teacherSection();
    expect((await call(f.app, 'POST', '/api/staff/announcements', { token: teacher.token, body: announcement({ scope: 'section', sectionId }) })).status).toBe(201);
    const bad = await call(f.app, 'POST', '/api/staff/announcements', { token: office.token, body: announcement({ title: { es: 'Sólo español' }, startsOn: '2026-12-10', endsOn: '2026-12-01' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields).toEqual(['title', 'endsOn']);
    const admin = await signIn(f.app, 'demo-admin');
    expect((await call(f.app, 'POST', '/api/staff/announcements', { token: admin.token, body: announcement({ scope: 'district' }) })).status).toBe(201);
  });

  it('name the grades they are meant for, kept sorted and listed; grades the school does not teach or no school has are refused with a reason', async () => {
    const office = await signIn(f.app, 'demo-office');
    const [range] = await f.store.query<{ grade_low: number; grade_high: number }>(`SELECT grade_low, grade_high FROM schools WHERE id = $1`, [high]);
    const { grade_low: low, grade_high: top } = range!;
    const created = await call(f.app, 'POST', '/api/staff/announcements', { token: office.token, body: announcement({ grades: [top, low, top] }) });
    expect(created.status).toBe(201);
    expect(created.body.announcement.grades).toEqual([low, top]);
    const [row] = await f.store.query<{ grades: number[] }>(`SELECT grades FROM announcements WHERE id = $1`, [created.body.announcement.id]);
    expect(row!.grades).toEqual([low, top]);
    const list = await call(f.app, 'GET', '/api/staff/announcements', { token: office.token });
    expect(list.body.announcements.find((a: { id: string }) => a.id === created.body.announcement.id).grades).toEqual([low, top]);
    // No grades: every grade, as before.
    expect((await call(f.app, 'POST', '/api/staff/announcements', { token: office.token, body: announcement() })).body.announcement.grades).toEqual([]);

    const untaught = await call(f.app, 'POST', '/api/staff/announcements', { token: office.token, language: 'es', body: announcement({ grades: [low - 1, low] }) });
    expect(untaught.status).toBe(422);
    expect(untaught.body.error.code).toBe('grade_not_taught');
    expect(untaught.body.error.details).toEqual({ fields: ['grades'], grades: [low - 1] });
    expect(untaught.body.error.message).toMatch(/grado/);
    const edit = await call(f.app, 'PUT', `/api/staff/announcements/${created.body.announcement.id}`, { token: office.token, body: announcement({ grades: [low - 1] }) });
    expect(edit.status).toBe(422);
    for (const grades of [[13], [-2], [2.5], ['9'], 9, [null]]) {
      const bad = await call(f.app, 'POST', '/api/staff/announcements', { token: office.token, body: announcement({ grades }) });
      expect(bad.status, JSON.stringify(grades)).toBe(400);
      expect(bad.body.error.details.fields).toEqual(['grades']);
    }
    // A class's announcement is for its roster: it names no grades.
    const teacher = await signIn(f.app, 'demo-teacher');
    const { sectionId } = await teacherSection();
    const forClass = await call(f.app, 'POST', '/api/staff/announcements', { token: teacher.token, body: announcement({ scope: 'section', sectionId, grades: [low] }) });
    expect(forClass.status).toBe(400);
    expect(forClass.body.error.details.fields).toEqual(['grades']);
    // The district's: a grade some school of the district teaches.
    const admin = await signIn(f.app, 'demo-admin');
    expect((await call(f.app, 'POST', '/api/staff/announcements', { token: admin.token, body: announcement({ scope: 'district', grades: [3] }) })).body.announcement.grades).toEqual([3]);
  });
});
