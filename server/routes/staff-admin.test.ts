import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFixture, call, signIn, type AppFixture } from '../test/app-fixture.ts';

let f: AppFixture;
let high: string;
let elementary: string;
let principalToken: string;
let adminToken: string;
let officeToken: string;
let teacherToken: string;

beforeAll(async () => {
  // Its dates are written out for this day.
  f = await appFixture({ today: '2026-11-24' });
  const schools = await f.store.query<{ id: string; level: string }>(`SELECT id, level FROM schools ORDER BY code`);
  high = schools.find((s) => s.level === 'high')!.id;
  elementary = schools.find((s) => s.level === 'elementary')!.id;
  principalToken = (await signIn(f.app, 'demo-principal')).token;
  adminToken = (await signIn(f.app, 'demo-admin')).token;
  officeToken = (await signIn(f.app, 'demo-office')).token;
  teacherToken = (await signIn(f.app, 'demo-teacher')).token;
});
afterAll(() => f.close());

async function staffIdOf(username: string): Promise<string> {
  const [row] = await f.store.query<{ id: string }>(
    `SELECT s.id FROM staff s JOIN accounts a ON a.district_id = s.district_id AND a.person_id = s.person_id WHERE a.username = $1`,
    [username],
  );
  return row!.id;
}

async function auditOf(table: string, rowId: string) {
  return f.store.query<{ action: string; old_values: Record<string, unknown> | null; new_values: Record<string, unknown> | null; actor: string }>(
    `SELECT t.action, t.old_values, t.new_values, a.username AS actor FROM audit_trail t JOIN accounts a ON a.id = t.actor_account_id
      WHERE t.table_name = $1 AND t.row_id = $2 ORDER BY t.id`,
    [table, rowId],
  );
}

describe('staff administration', () => {
  it('lists a school’s staff with roles, trainings and rights, only for those who administer staff there', async () => {
    const list = await call(f.app, 'GET', `/api/admin/staff?schoolId=${high}`, { token: principalToken });
    expect(list.status).toBe(200);
    const office = list.body.staff.find((s: { locations: Array<{ role: string }> }) => s.locations.some((l) => l.role === 'office'));
    expect(office.trainings.length).toBeGreaterThan(0);
    expect(office.rights[0]).toMatchObject({ tool: expect.any(String), approvedBy: { name: expect.any(String) }, expiresOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    // Another school's principal right does not reach this school; office staff and teachers have none.
    expect((await call(f.app, 'GET', `/api/admin/staff?schoolId=${elementary}`, { token: principalToken })).status).toBe(403);
    expect((await call(f.app, 'GET', `/api/admin/staff?schoolId=${high}`, { token: officeToken })).status).toBe(403);
    expect((await call(f.app, 'GET', `/api/admin/staff?schoolId=${high}`, { token: teacherToken })).status).toBe(403);
    // The district administrator sees every school.
    expect((await call(f.app, 'GET', `/api/admin/staff?schoolId=${elementary}`, { token: adminToken })).status).toBe(200);
    expect((await call(f.app, 'GET', `/api/admin/staff?schoolId=x`, { token: adminToken })).status).toBe(400);
  });

  it('shows the rights that lapse in the next 30 days, soonest first', async () => {
    const reply = await call(f.app, 'GET', `/api/admin/tool-rights/expiring?schoolId=${high}&days=30`, { token: principalToken });
    expect(reply.status).toBe(200);
    const dates = reply.body.rights.map((r: { expiresOn: string }) => r.expiresOn);
    expect(dates).toEqual([...dates].sort());
    for (const date of dates) expect(date >= '2026-11-24' && date <= '2026-12-24').toBe(true);
    // District-wide rights (no school) are the district administrator's to see.
    expect((await call(f.app, 'GET', `/api/admin/tool-rights/expiring`, { token: principalToken })).status).toBe(403);
    const district = await call(f.app, 'GET', `/api/admin/tool-rights/expiring?days=30`, { token: adminToken });
    expect(district.status).toBe(200);
    expect(district.body.rights.some((r: { schoolId: string | null }) => r.schoolId === null)).toBe(true);
  });

  it('lists the district’s trainings and the one every right needs, only for those who administer staff', async () => {
    const seeded = await f.store.query<{ code: string; name: string; valid_months: number }>(
      `SELECT code, name, valid_months FROM trainings WHERE district_id = $1 AND NOT deleted ORDER BY name, code`,
      [f.district.districtId],
    );
    expect(seeded.length).toBeGreaterThan(1);
    for (const token of [principalToken, adminToken]) {
      const reply = await call(f.app, 'GET', '/api/admin/trainings', { token });
      expect(reply.status).toBe(200);
      expect(reply.body.trainings).toEqual(seeded.map((t) => ({ code: t.code, name: t.name, validMonths: t.valid_months })));
      expect(reply.body.requiredForRights).toBe('FERPA');
    }
    for (const token of [officeToken, teacherToken, (await signIn(f.app, 'demo-guardian')).token]) {
      const refused = await call(f.app, 'GET', '/api/admin/trainings', { token });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect((await call(f.app, 'GET', '/api/admin/trainings')).status).toBe(401);
  });

  it('grants, renews and withdraws a right, each in the audit trail with who and the old and new values', async () => {
    const teacherStaff = await staffIdOf('demo-teacher');
    const grant = { staffId: teacherStaff, tool: 'announcements', schoolId: high, expiresOn: '2027-06-30' };
    // The teacher has no privacy training in the demo district until someone records it.
    await f.store.query(`DELETE FROM staff_trainings WHERE staff_id = $1`, [teacherStaff]);
    const untrained = await call(f.app, 'POST', '/api/admin/tool-rights', { token: principalToken, body: grant });
    expect(untrained.status).toBe(409);
    expect(untrained.body.error.code).toBe('training_required');
    const training = await call(f.app, 'POST', '/api/admin/trainings', { token: principalToken, body: { staffId: teacherStaff, code: 'FERPA', completedOn: '2026-11-20' } });
    expect(training.status).toBe(201);
    expect((await auditOf('staff_trainings', training.body.id))[0]).toMatchObject({ action: 'insert', actor: 'demo-principal', new_values: { training: 'FERPA', expires_on: expect.stringMatching(/^2027-/) } });
    const granted = await call(f.app, 'POST', '/api/admin/tool-rights', { token: principalToken, body: grant });
    expect(granted.status).toBe(201);
    const right = granted.body.right;
    expect(right).toMatchObject({ tool: 'announcements', schoolId: high, expiresOn: '2027-06-30', training: { code: 'FERPA', name: 'Student privacy (FERPA)' } });
    expect((await call(f.app, 'POST', '/api/admin/tool-rights', { token: principalToken, body: grant })).body.error.code).toBe('already_granted');

    // The right is in force from the teacher's next sign-in, which now takes a second factor (she
    // enrols): the session she had without one carries no tool right and is refused.
    expect((await call(f.app, 'GET', '/api/me', { token: teacherToken })).status).toBe(401);
    const me = await call(f.app, 'GET', '/api/me', { token: (await signIn(f.app, 'demo-teacher')).token });
    expect(JSON.stringify(me.body)).toContain('announcements');

    const renewed = await call(f.app, 'PUT', `/api/admin/tool-rights/${right.id}`, { token: principalToken, body: { expiresOn: '2027-09-30' } });
    expect(renewed.status).toBe(200);
    expect(renewed.body.right.expiresOn).toBe('2027-09-30');
    const withdrawn = await call(f.app, 'DELETE', `/api/admin/tool-rights/${right.id}`, { token: principalToken });
    expect(withdrawn.status).toBe(204);
    const trail = await auditOf('tool_rights', right.id);
    expect(trail.map((t) => [t.action, t.actor])).toEqual([['insert', 'demo-principal'], ['update', 'demo-principal'], ['delete', 'demo-principal']]);
    expect(trail[1]).toMatchObject({ old_values: { expires_on: '2027-06-30' }, new_values: { expires_on: '2027-09-30' } });
    expect(trail[2]!.old_values).toMatchObject({ tool: 'announcements', expires_on: '2027-09-30' });
    expect((await call(f.app, 'DELETE', `/api/admin/tool-rights/${right.id}`, { token: principalToken })).status).toBe(404);
  });

  it('refuses out-of-scope, self-approved, lapsed and malformed changes, and writes nothing for them', async () => {
    const teacherStaff = await staffIdOf('demo-teacher');
    const principalStaff = await staffIdOf('demo-principal');
    const before = await f.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_trail`);
    // Another school: the principal administers only the high school.
    expect((await call(f.app, 'POST', '/api/admin/tool-rights', { token: principalToken, body: { staffId: teacherStaff, tool: 'fees', schoolId: elementary, expiresOn: '2027-01-31' } })).status).toBe(403);
    // District-wide rights need a district-wide right.
    expect((await call(f.app, 'POST', '/api/admin/tool-rights', { token: principalToken, body: { staffId: teacherStaff, tool: 'fees', schoolId: null, expiresOn: '2027-01-31' } })).status).toBe(403);
    // Nobody approves their own access.
    const self = await call(f.app, 'POST', '/api/admin/tool-rights', { token: principalToken, body: { staffId: principalStaff, tool: 'fees', schoolId: high, expiresOn: '2027-01-31' } });
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('self_approval');
    // Renewal dates: after today, at most a year ahead.
    expect((await call(f.app, 'POST', '/api/admin/tool-rights', { token: principalToken, body: { staffId: teacherStaff, tool: 'fees', schoolId: high, expiresOn: '2028-06-30' } })).status).toBe(400);
    const bad = await call(f.app, 'POST', '/api/admin/tool-rights', { token: principalToken, body: { staffId: 'x', tool: 'root', schoolId: high, expiresOn: 'soon' }, language: 'es' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields).toEqual(['staffId', 'tool', 'expiresOn']);
    expect(bad.body.error.message).toMatch(/válid/);
    // A teacher and the office have no staff_admin right at all.
    for (const token of [teacherToken, officeToken]) {
      expect((await call(f.app, 'POST', '/api/admin/tool-rights', { token, body: { staffId: teacherStaff, tool: 'fees', schoolId: high, expiresOn: '2027-01-31' } })).status).toBe(403);
    }
    expect((await f.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_trail`))[0]!.n).toBe(before[0]!.n);
  });

  it('a lapsed staff_admin right stops working the day after its renewal date', async () => {
    const principalStaff = await staffIdOf('demo-principal');
    await f.store.query(`UPDATE tool_rights SET expires_on = '2026-11-24' WHERE staff_id = $1 AND tool = 'staff_admin'`, [principalStaff]);
    expect((await call(f.app, 'GET', `/api/admin/staff?schoolId=${high}`, { token: principalToken })).status).toBe(200);
    f.advance(86_400_000);
    const { token } = await signIn(f.app, 'demo-principal');
    expect((await call(f.app, 'GET', `/api/admin/staff?schoolId=${high}`, { token })).status).toBe(403);
    f.advance(-86_400_000);
    await f.store.query(`UPDATE tool_rights SET expires_on = '2027-06-01' WHERE staff_id = $1 AND tool = 'staff_admin'`, [principalStaff]);
  });

  it('ends a role at a school and adds one, audited', async () => {
    const teacherStaff = await staffIdOf('demo-teacher');
    const added = await call(f.app, 'POST', '/api/admin/locations', { token: principalToken, body: { staffId: teacherStaff, role: 'counselor', schoolId: high, startDate: '2026-12-01' } });
    expect(added.status).toBe(201);
    const ended = await call(f.app, 'PUT', `/api/admin/locations/${added.body.id}`, { token: principalToken, body: { endDate: '2027-01-31' } });
    expect(ended.status).toBe(204);
    expect((await call(f.app, 'PUT', `/api/admin/locations/${added.body.id}`, { token: principalToken, body: { endDate: '2026-11-01' } })).status).toBe(400);
    expect((await auditOf('staff_locations', added.body.id)).map((t) => t.action)).toEqual(['insert', 'update']);
    expect((await call(f.app, 'POST', '/api/admin/locations', { token: principalToken, body: { staffId: teacherStaff, role: 'district_admin', startDate: '2026-12-01' } })).status).toBe(403);
  });

  it('ends a teacher’s sections at the school with her teaching role there, each audited', async () => {
    const [teacher] = await f.store.query<{ staff_id: string; location_id: string }>(
      `SELECT l.staff_id, l.id AS location_id FROM staff_locations l JOIN accounts a ON true JOIN staff s ON s.id = l.staff_id AND s.person_id <> a.person_id
        WHERE a.username = 'demo-teacher' AND l.school_id = $1 AND l.role = 'teacher' AND NOT l.deleted AND l.end_date IS NULL
          AND EXISTS (SELECT 1 FROM section_staff ss WHERE ss.staff_id = l.staff_id AND NOT ss.deleted AND ss.start_date <= '2026-11-24' AND ss.end_date >= '2026-11-24')
        ORDER BY l.staff_id LIMIT 1`,
      [high],
    );
    const sectionsOf = () =>
      f.store.query<{ id: string; end_date: string | null }>(
        `SELECT ss.id, to_char(ss.end_date, 'YYYY-MM-DD') AS end_date FROM section_staff ss JOIN sections x ON x.id = ss.section_id
          WHERE ss.staff_id = $1 AND x.school_id = $2 AND NOT ss.deleted ORDER BY ss.id`,
        [teacher!.staff_id, high],
      );
    const before = await sectionsOf();
    // Sections she teaches past the day her role ends (to the end of their term): those end with it.
    expect(before.some((row) => row.end_date === null || row.end_date > '2026-12-18')).toBe(true);
    const ended = await call(f.app, 'PUT', `/api/admin/locations/${teacher!.location_id}`, { token: principalToken, body: { endDate: '2026-12-18' } });
    expect(ended.status).toBe(204);
    const after = await sectionsOf();
    for (const row of after) {
      const was = before.find((b) => b.id === row.id)!;
      if (was.end_date === null || was.end_date > '2026-12-18') {
        expect(row.end_date).toBe('2026-12-18');
        const [entry] = await auditOf('section_staff', row.id);
        expect(entry).toMatchObject({ action: 'update', actor: 'demo-principal', old_values: { end_date: was.end_date }, new_values: { end_date: '2026-12-18' } });
      } else expect(row.end_date).toBe(was.end_date);
    }
  });

  it('changes school settings within the district’s limits, audited', async () => {
    const current = await call(f.app, 'GET', `/api/admin/schools/${high}/settings`, { token: principalToken });
    expect(current.status).toBe(200);
    expect(current.body.gradingScales.length).toBeGreaterThan(0);
    const next = { ...current.body.settings, lockoutThreshold: 2, studentAccountsFromGrade: 6, roundingDecimals: 0 };
    delete next.schoolId;
    delete next.name;
    const saved = await call(f.app, 'PUT', `/api/admin/schools/${high}/settings`, { token: principalToken, body: next });
    expect(saved.status).toBe(200);
    expect(saved.body.settings).toMatchObject({ lockoutThreshold: 2, studentAccountsFromGrade: 6, roundingDecimals: 0 });
    const [entry] = await auditOf('schools', high);
    expect(entry).toMatchObject({ action: 'update', actor: 'demo-principal', new_values: { lockoutThreshold: 2 } });
    // Looser than the district's threshold: refused.
    expect((await call(f.app, 'PUT', `/api/admin/schools/${high}/settings`, { token: principalToken, body: { ...next, lockoutThreshold: 20 } })).status).toBe(400);
    expect((await call(f.app, 'PUT', `/api/admin/schools/${elementary}/settings`, { token: principalToken, body: next })).status).toBe(403);
  });
});

describe('schools to administer', () => {
  it('lists every school of the district for a district administrator, only her own for a principal, none for others', async () => {
    const all = await f.store.query<{ id: string; name: string }>(`SELECT id, name FROM schools WHERE district_id = $1 AND NOT deleted ORDER BY name, id`, [f.district.districtId]);
    const district = await call<{ schools: Array<{ id: string; name: string; level: string }> }>(f.app, 'GET', '/api/admin/schools', { token: adminToken });
    expect(district.status).toBe(200);
    expect(district.body.schools.map(({ id, name }) => ({ id, name }))).toEqual(all);

    const principal = await call<{ schools: Array<{ id: string }> }>(f.app, 'GET', '/api/admin/schools', { token: principalToken });
    expect(principal.status).toBe(200);
    expect(principal.body.schools.map((school) => school.id)).toEqual([high]);

    for (const token of [officeToken, teacherToken, (await signIn(f.app, 'demo-guardian')).token]) {
      const refused = await call(f.app, 'GET', '/api/admin/schools', { token });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect((await call(f.app, 'GET', '/api/admin/schools')).status).toBe(401);
  });
});

