import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../contract/roles.ts';
import type { Store } from '../db/store.ts';
import { loadStudentResource } from '../routes/students.ts';
import { defaultSeedOptions, seedDistrict } from '../seed/generate.ts';
import { appFixture, call, signIn, type AppFixture } from '../test/app-fixture.ts';
import { canAccessStudent, RECORD_KINDS, type Action, type RecordKind, type StudentResource } from './policy.ts';
import { loadPrincipal, type Principal } from './principal.ts';

const TODAY = '2026-11-24';
let f: AppFixture;
let store: Store;
let otherDistrictStudent: StudentResource;

/** What each role may do with a student in its scope, given the tool rights set up below. */
const IN_SCOPE: Record<Role, Partial<Record<RecordKind, Action[]>>> = {
  guardian: { profile: ['read'], schedule: ['read'], grades: ['read'], attendance: ['read'], health: ['read'], fees: ['read'], household: ['read'], requests: ['read', 'write'] },
  student: { profile: ['read'], schedule: ['read'], grades: ['read'], attendance: ['read'], health: ['read'], fees: ['read'] },
  teacher: { profile: ['read'], schedule: ['read'], grades: ['read', 'write'], attendance: ['read', 'write'] },
  // No health right: a counselor reads health records only with one.
  counselor: { profile: ['read'], schedule: ['read'], grades: ['read'], attendance: ['read'] },
  nurse: { profile: ['read'], health: ['read', 'write'] },
  // Rights: accounts, attendance_admin, fees (no health, no access_log).
  office: { profile: ['read', 'write'], schedule: ['read'], grades: ['read'], attendance: ['read', 'write'], fees: ['read', 'write'], household: ['read', 'write'], requests: ['read', 'write'], account: ['read', 'write'] },
  // Rights: access_log, grades_admin, accounts (no health, no fees: fees are a tool right, for reading too).
  principal: { profile: ['read'], schedule: ['read'], grades: ['read', 'write'], attendance: ['read'], household: ['read'], requests: ['read'], account: ['read', 'write'], access_log: ['read'] },
  // District-wide rights: accounts, access_log (no fees right: no fees).
  district_admin: { profile: ['read', 'write'], schedule: ['read'], grades: ['read'], attendance: ['read'], household: ['read'], requests: ['read'], account: ['read', 'write'], access_log: ['read'] },
};

interface Case {
  principal: Principal;
  inScope: StudentResource;
  outOfScope: StudentResource;
}
const cases = new Map<Role, Case>();

async function principalOf(username: string): Promise<Principal> {
  const [account] = await store.query<{ id: string; district_id: string }>('SELECT id, district_id FROM accounts WHERE username = $1', [username]);
  const principal = await loadPrincipal(store, account!.district_id, account!.id, TODAY);
  if (!principal) throw new Error(`no principal for ${username}`);
  return principal;
}

async function student(id: string): Promise<StudentResource> {
  const [account] = await store.query<{ district_id: string }>('SELECT district_id FROM students WHERE id = $1', [id]);
  return (await loadStudentResource(store, account!.district_id, id))!;
}

async function staffAccount(role: string, level: 'high' | 'elementary'): Promise<{ username: string; staffId: string; schoolId: string }> {
  const [row] = await store.query<{ id: string; staff_id: string; school_id: string }>(
    `SELECT a.id, t.id AS staff_id, l.school_id FROM accounts a JOIN staff t ON t.person_id = a.person_id JOIN staff_locations l ON l.staff_id = t.id
       JOIN schools k ON k.id = l.school_id WHERE l.role = $1 AND k.level = $2 ORDER BY k.code LIMIT 1`,
    [role, level],
  );
  const username = `${role}.${row!.id.slice(0, 6)}`;
  await store.query('UPDATE accounts SET username = $2 WHERE id = $1', [row!.id, username]);
  return { username, staffId: row!.staff_id, schoolId: row!.school_id };
}

async function studentAt(level: 'high' | 'elementary', except: string[] = []): Promise<string> {
  const [row] = await store.query<{ id: string }>(
    `SELECT s.id FROM students s JOIN enrollments e ON e.student_id = s.id JOIN schools k ON k.id = e.school_id
      WHERE k.level = $1 AND NOT (s.id = ANY($2::uuid[])) ORDER BY s.student_number LIMIT 1`,
    [level, except],
  );
  return row!.id;
}

/** Makes a staff member's tool rights exactly `tools`, current and with current training. */
async function setRights(staffId: string, tools: string[]): Promise<void> {
  await store.query(`UPDATE tool_rights SET deleted = true WHERE staff_id = $1 AND NOT (tool = ANY($2::text[]))`, [staffId, tools]);
  await store.query(`UPDATE tool_rights SET deleted = false, expires_on = '2027-06-30', approved_on = '2026-08-01' WHERE staff_id = $1 AND tool = ANY($2::text[])`, [staffId, tools]);
  await store.query(`UPDATE staff_trainings SET completed_on = '2026-08-01', expires_on = '2027-07-31' WHERE staff_id = $1`, [staffId]);
  const held = await store.query<{ tool: string }>(`SELECT DISTINCT tool FROM tool_rights WHERE staff_id = $1 AND NOT deleted`, [staffId]);
  expect(held.map((h) => h.tool).sort()).toEqual([...tools].sort());
}

beforeAll(async () => {
  f = await appFixture({ students: 120, today: TODAY });
  store = f.store;
  const other = await seedDistrict(store, { ...defaultSeedOptions(TODAY), seed: 99, students: 100, slug: 'lakeside', name: 'Lakeside Schools', demoPrefix: 'lakeside', usernameTag: 'lakeside.' });
  const [foreign] = await store.query<{ id: string }>('SELECT id FROM students WHERE district_id = $1 LIMIT 1', [other.districtId]);
  otherDistrictStudent = await student(foreign!.id);

  const guardian = await principalOf('demo-guardian');
  const self = await principalOf('demo-student');
  const demoStudent = self.selfStudentId!;
  const sibling = [...guardian.guardianOf].find((id) => id !== demoStudent)!;
  const notHers = await studentAt('high', [...guardian.guardianOf]);
  cases.set('guardian', { principal: guardian, inScope: await student(demoStudent), outOfScope: await student(notHers) });
  cases.set('student', { principal: self, inScope: await student(demoStudent), outOfScope: await student(sibling) });

  const teacher = await principalOf('demo-teacher');
  const [notTaught] = await store.query<{ id: string }>(
    `SELECT s.id FROM students s JOIN enrollments e ON e.student_id = s.id WHERE e.school_id = (SELECT school_id FROM enrollments WHERE student_id = $1)
        AND NOT (s.id = ANY($2::uuid[])) LIMIT 1`,
    [demoStudent, [...teacher.sectionStudentIds]],
  );
  cases.set('teacher', { principal: teacher, inScope: await student(demoStudent), outOfScope: await student(notTaught!.id) });

  const counselor = await staffAccount('counselor', 'high');
  await setRights(counselor.staffId, []);
  const counselorPrincipal = await principalOf(counselor.username);
  const caseloadStudent = [...counselorPrincipal.caseloadStudentIds][0]!;
  cases.set('counselor', { principal: counselorPrincipal, inScope: await student(caseloadStudent), outOfScope: await student(await studentAt('elementary')) });

  const nurse = await staffAccount('nurse', 'high');
  await setRights(nurse.staffId, ['health']);
  cases.set('nurse', { principal: await principalOf(nurse.username), inScope: await student(demoStudent), outOfScope: await student(await studentAt('elementary')) });

  const office = await principalOf('demo-office');
  await setRights(office.staffId!, ['accounts', 'attendance_admin', 'fees']);
  cases.set('office', { principal: await principalOf('demo-office'), inScope: await student(demoStudent), outOfScope: await student(await studentAt('elementary')) });

  const principal = await principalOf('demo-principal');
  await setRights(principal.staffId!, ['access_log', 'grades_admin', 'accounts']);
  cases.set('principal', { principal: await principalOf('demo-principal'), inScope: await student(demoStudent), outOfScope: await student(await studentAt('elementary')) });

  const admin = await principalOf('demo-admin');
  await setRights(admin.staffId!, ['accounts', 'access_log']);
  // A district administrator's scope is the whole district: out of scope means another district.
  cases.set('district_admin', { principal: await principalOf('demo-admin'), inScope: await student(await studentAt('elementary')), outOfScope: otherDistrictStudent });
});

afterAll(async () => {
  await f.close();
});

describe('authorization matrix (every role × record kind × in/out of scope × read/write)', () => {
  const rows = ROLES.flatMap((role) => RECORD_KINDS.flatMap((kind) => (['read', 'write'] as const).map((action) => [role, kind, action] as const)));

  it.each(rows)('%s %s %s', (role, kind, action) => {
    const { principal, inScope, outOfScope } = cases.get(role)!;
    const expected = IN_SCOPE[role][kind]?.includes(action) ?? false;
    expect(canAccessStudent(principal, action, kind, inScope), 'in scope').toBe(expected);
    expect(canAccessStudent(principal, action, kind, outOfScope), 'out of scope').toBe(false);
    expect(canAccessStudent(principal, action, kind, otherDistrictStudent), 'another district').toBe(false);
  });

  it('covers every role in the role list', () => {
    expect([...cases.keys()].sort()).toEqual([...ROLES].sort());
  });
});

describe('scope changes count at once', () => {
  it('a guardian whose portal access was removed no longer sees that child', async () => {
    const guardian = await principalOf('demo-guardian');
    const child = [...guardian.guardianOf][0]!;
    await store.query(`UPDATE guardianships SET portal_access = false WHERE guardian_person_id = $1 AND student_id = $2`, [guardian.personId, child]);
    try {
      const after = await principalOf('demo-guardian');
      expect(canAccessStudent(after, 'read', 'grades', await student(child))).toBe(false);
      expect(after.guardianOf.size).toBe(guardian.guardianOf.size - 1);
    } finally {
      await store.query(`UPDATE guardianships SET portal_access = true WHERE guardian_person_id = $1 AND student_id = $2`, [guardian.personId, child]);
    }
  });

  it('a nurse whose training has expired loses the health right', async () => {
    const nurse = cases.get('nurse')!;
    expect(canAccessStudent(nurse.principal, 'read', 'health', nurse.inScope)).toBe(true);
    await store.query(`UPDATE staff_trainings SET expires_on = '2026-11-23' WHERE staff_id = $1`, [nurse.principal.staffId!]);
    try {
      const lapsed = await loadPrincipal(store, nurse.principal.districtId, nurse.principal.accountId, TODAY);
      expect(canAccessStudent(lapsed!, 'read', 'health', nurse.inScope)).toBe(false);
      expect(canAccessStudent(lapsed!, 'read', 'profile', nurse.inScope)).toBe(true);
    } finally {
      await store.query(`UPDATE staff_trainings SET expires_on = '2027-07-31' WHERE staff_id = $1`, [nurse.principal.staffId!]);
    }
  });

  it('a right past its renewal date lapses', async () => {
    const office = cases.get('office')!;
    await store.query(`UPDATE tool_rights SET expires_on = '2026-11-23' WHERE staff_id = $1 AND tool = 'attendance_admin'`, [office.principal.staffId!]);
    try {
      const lapsed = (await loadPrincipal(store, office.principal.districtId, office.principal.accountId, TODAY))!;
      expect(canAccessStudent(lapsed, 'write', 'attendance', office.inScope)).toBe(false);
      expect(canAccessStudent(lapsed, 'read', 'attendance', office.inScope)).toBe(true);
    } finally {
      await store.query(`UPDATE tool_rights SET expires_on = '2027-06-30' WHERE staff_id = $1 AND tool = 'attendance_admin'`, [office.principal.staffId!]);
    }
  });

  it('a teacher taken off a section loses its students at once', async () => {
    const teacher = cases.get('teacher')!;
    await store.query(`UPDATE section_staff SET end_date = '2026-11-23' WHERE staff_id = $1`, [teacher.principal.staffId!]);
    try {
      const moved = (await loadPrincipal(store, teacher.principal.districtId, teacher.principal.accountId, TODAY))!;
      expect(canAccessStudent(moved, 'read', 'grades', teacher.inScope)).toBe(false);
    } finally {
      await store.query(`UPDATE section_staff SET end_date = NULL WHERE staff_id = $1`, [teacher.principal.staffId!]);
    }
  });

  it('a disabled account has no principal at all', async () => {
    const account = cases.get('guardian')!.principal.accountId;
    await store.query(`UPDATE accounts SET status = 'disabled', disabled_reason = 'staff' WHERE id = $1`, [account]);
    try {
      expect(await loadPrincipal(store, cases.get('guardian')!.principal.districtId, account, TODAY)).toBeNull();
    } finally {
      await store.query(`UPDATE accounts SET status = 'active', disabled_reason = NULL WHERE id = $1`, [account]);
    }
  });
});

describe('over HTTP: who accessed a student’s records', () => {
  it('answers the principal (access-log right) and nobody without it', async () => {
    const target = cases.get('principal')!.inScope.studentId;
    const principal = await signIn(f.app, 'demo-principal');
    const reply = await call(f.app, 'GET', `/api/students/${target}/access-log`, { token: principal.token });
    expect(reply.status).toBe(200);
    // Reading it is itself logged against the student.
    const again = await call(f.app, 'GET', `/api/students/${target}/access-log`, { token: principal.token });
    expect(again.body.entries[0]).toMatchObject({ event: 'record.read', username: 'demo-principal', recordType: 'access_log' });

    for (const username of ['demo-office', 'demo-guardian', 'demo-teacher', 'lakeside-admin']) {
      const asker = await signIn(f.app, username);
      const denied = await call(f.app, 'GET', `/api/students/${target}/access-log`, { token: asker.token });
      expect(denied.status, username).toBe(404);
    }
    const admin = await signIn(f.app, 'demo-admin');
    expect((await call(f.app, 'GET', `/api/students/${otherDistrictStudent.studentId}/access-log`, { token: admin.token })).status).toBe(404);
    expect((await call(f.app, 'GET', `/api/students/not-a-uuid/access-log`, { token: admin.token })).status).toBe(404);
  });

  it('shows a guardian only her own children in /api/me, never another family’s', async () => {
    const guardian = await signIn(f.app, 'demo-guardian');
    const ids = guardian.me.students.map((s) => s.id).sort();
    expect(ids).toEqual([...cases.get('guardian')!.principal.guardianOf].sort());
    expect(ids).not.toContain(cases.get('guardian')!.outOfScope.studentId);
    const lakeside = await signIn(f.app, 'lakeside-guardian');
    expect(lakeside.me.students.map((s) => s.id).some((id) => ids.includes(id))).toBe(false);
  });
});
