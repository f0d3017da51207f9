import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../access/passwords.ts';
import { readTables } from '../db/catalog.ts';
import type { Store } from '../db/store.ts';
import { freshPostgres, migratedPglite, postgresReachable, type TestDatabase } from '../test/stores.ts';
import { DEMO_PASSWORD, defaultSeedOptions, seedDistrict, type SeedOptions, type SeedSummary } from './generate.ts';
import { dropDistrict } from './reset.ts';
import { BulkSink, type Row } from './sink.ts';

const options: SeedOptions = { ...defaultSeedOptions('2026-11-24'), students: 150 };

/** A digest of every table's content except write timestamps and sequence numbers. */
async function contentDigest(store: Store): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const [table, info] of await readTables(store)) {
    if (table === 'schema_migrations') continue;
    const columns = [...info.types.keys()].filter((c) => c !== 'updated_at' && c !== 'seq').sort();
    const rows = await store.query<{ line: string }>(`SELECT concat_ws('|', ${columns.map((c) => `${c}::text`).join(', ')}) AS line FROM ${table}`);
    digests[table] = createHash('sha256').update(rows.map((r) => r.line).sort().join('\n')).digest('hex');
  }
  return digests;
}

describe('demo district generator', () => {
  let store: Store;
  let summary: SeedSummary;

  beforeAll(async () => {
    store = await migratedPglite();
    summary = await seedDistrict(store, options);
  });
  afterAll(async () => {
    await store.close();
  });

  // Seeds whole districts: minutes on a busy two-core machine.
  it('is deterministic: the same seed gives the same district, another seed another one', { timeout: 120_000 }, async () => {
    const again = await migratedPglite();
    const other = await migratedPglite();
    try {
      await seedDistrict(again, options);
      await seedDistrict(other, { ...options, seed: options.seed + 1 });
      const [a, b, c] = await Promise.all([contentDigest(store), contentDigest(again), contentDigest(other)]);
      expect(b).toEqual(a);
      expect(c.students).not.toBe(a.students);
      expect(c.scores).not.toBe(a.scores);
    } finally {
      await again.close();
      await other.close();
    }
  });

  it('fills the whole school model', async () => {
    for (const table of ['schools', 'terms', 'grading_periods', 'periods', 'rooms', 'courses', 'sections', 'section_staff', 'students', 'households', 'addresses', 'phones', 'guardianships', 'enrollments', 'section_enrollments', 'assignment_categories', 'assignments', 'scores', 'grading_tasks', 'term_grades', 'standards', 'standard_marks', 'attendance', 'attendance_reasons', 'immunizations', 'immunization_requirements', 'fees', 'payments', 'announcements', 'messages', 'message_recipients', 'requests', 'accounts', 'activation_keys', 'staff', 'staff_locations', 'trainings', 'staff_trainings', 'tool_rights', 'counselor_caseloads', 'contact_preferences', 'access_log']) {
      expect(summary.rows[table] ?? 0, table).toBeGreaterThan(0);
    }
    const [{ n }] = (await store.query<{ n: number }>('SELECT count(*)::int AS n FROM students')) as [{ n: number }];
    expect(n).toBe(options.students);
  });

  it('keeps every row in its district and every student enrolled', async () => {
    for (const [table, info] of await readTables(store)) {
      if (!info.types.has('district_id') || table === 'districts') continue;
      const rows = await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE district_id <> $1`, [summary.districtId]);
      expect(rows[0]!.n, table).toBe(0);
    }
    const unenrolled = await store.query(`SELECT s.id FROM students s WHERE NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.student_id = s.id AND e.kind = 'primary')`);
    expect(unenrolled).toEqual([]);
    const wrongLevel = await store.query(
      `SELECT s.id FROM students s JOIN enrollments e ON e.student_id = s.id JOIN schools k ON k.id = e.school_id
        WHERE s.grade_level NOT BETWEEN k.grade_low AND k.grade_high`,
    );
    expect(wrongLevel).toEqual([]);
    const unscheduled = await store.query(
      `SELECT s.id FROM students s WHERE NOT EXISTS (SELECT 1 FROM section_enrollments r WHERE r.student_id = s.id)`,
    );
    expect(unscheduled).toEqual([]);
  });

  it('never double-books a student or a teacher in one period of a term', async () => {
    const students = await store.query(
      `SELECT r.student_id, x.term_id, x.period_id FROM section_enrollments r JOIN sections x ON x.id = r.section_id
        GROUP BY 1, 2, 3 HAVING count(*) > 1`,
    );
    expect(students).toEqual([]);
    const teachers = await store.query(
      `SELECT t.staff_id, x.term_id, x.period_id FROM section_staff t JOIN sections x ON x.id = t.section_id
        GROUP BY 1, 2, 3 HAVING count(*) > 1`,
    );
    expect(teachers).toEqual([]);
  });

  it('makes families of all four home languages, split households and a grandparent without portal access', async () => {
    const languages = await store.query<{ home_language: string }>('SELECT DISTINCT home_language FROM students ORDER BY 1');
    expect(languages.map((r) => r.home_language)).toEqual(['en', 'es', 'so', 'vi']);
    const split = await store.query<{ student_id: string }>(
      `SELECT g.student_id FROM guardianships g JOIN accounts a ON a.person_id = g.guardian_person_id
        WHERE g.portal_access GROUP BY g.student_id HAVING count(DISTINCT g.household_id) > 1`,
    );
    expect(split.length).toBeGreaterThan(0);
    const noPortal = await store.query(`SELECT 1 FROM guardianships WHERE NOT portal_access`);
    expect(noPortal.length).toBeGreaterThan(0);
  });

  it('includes chronic absence, failing grades, immunization gaps, and paid and unpaid fees', async () => {
    const chronic = await store.query(
      `SELECT student_id FROM attendance WHERE status = 'absent' GROUP BY student_id HAVING count(DISTINCT date) >= 6`,
    );
    expect(chronic.length).toBeGreaterThan(0);
    expect((await store.query(`SELECT 1 FROM term_grades WHERE mark = 'F'`)).length).toBeGreaterThan(0);
    expect((await store.query(`SELECT 1 FROM term_grades WHERE status = 'posted'`)).length).toBeGreaterThan(0);
    expect((await store.query(`SELECT 1 FROM term_grades WHERE status = 'in_progress'`)).length).toBeGreaterThan(0);
    const gaps = await store.query(
      `SELECT s.id FROM students s JOIN immunization_requirements r ON s.grade_level BETWEEN r.grade_low AND r.grade_high
        LEFT JOIN immunizations i ON i.student_id = s.id AND i.vaccine = r.vaccine
        GROUP BY s.id, r.vaccine, r.doses_required HAVING count(i.id) < r.doses_required AND bool_and(coalesce(i.exemption, 'none') = 'none')`,
    );
    expect(gaps.length).toBeGreaterThan(0);
    const balances = await store.query<{ state: string }>(
      `SELECT CASE WHEN coalesce(sum(p.amount_cents), 0) >= f.amount_cents THEN 'paid' WHEN coalesce(sum(p.amount_cents), 0) = 0 THEN 'unpaid' ELSE 'partial' END AS state
         FROM fees f LEFT JOIN payments p ON p.fee_id = f.id WHERE NOT f.waived GROUP BY f.id, f.amount_cents`,
    );
    expect(new Set(balances.map((b) => b.state))).toEqual(new Set(['paid', 'unpaid', 'partial']));
    const announcements = await store.query<{ title: Record<string, string> }>(`SELECT title FROM announcements WHERE starts_on <= $1 AND ends_on >= $1`, [options.today]);
    expect(announcements.length).toBeGreaterThan(0);
    for (const { title } of announcements) expect(Object.keys(title).sort()).toEqual(['en', 'es', 'so', 'vi']);
  });

  it('creates the demo accounts the README promises, with the demo password', async () => {
    const accounts = await store.query<{ username: string; password_hash: string; person_id: string }>(
      `SELECT username, password_hash, person_id FROM accounts WHERE username LIKE 'demo-%' ORDER BY username`,
    );
    expect(accounts.map((a) => a.username)).toEqual(['demo-admin', 'demo-guardian', 'demo-office', 'demo-principal', 'demo-student', 'demo-teacher']);
    expect(await verifyPassword(DEMO_PASSWORD, accounts[0]!.password_hash)).toBe(true);
    expect(await verifyPassword('wrong password', accounts[0]!.password_hash)).toBe(false);
    const person = (username: string) => accounts.find((a) => a.username === username)!.person_id;

    const children = await store.query<{ level: string; grade_level: number; portal_access: boolean }>(
      `SELECT k.level, s.grade_level, g.portal_access FROM guardianships g JOIN students s ON s.id = g.student_id
         JOIN enrollments e ON e.student_id = s.id JOIN schools k ON k.id = e.school_id
        WHERE g.guardian_person_id = $1 ORDER BY s.grade_level`,
      [person('demo-guardian')],
    );
    expect(children.map((c) => c.level)).toEqual(['elementary', 'middle', 'high']);
    expect(children.every((c) => c.portal_access)).toBe(true);

    const [student] = await store.query<{ id: string; grade_level: number; level: string; school_id: string }>(
      `SELECT s.id, s.grade_level, k.level, k.id AS school_id FROM students s JOIN enrollments e ON e.student_id = s.id JOIN schools k ON k.id = e.school_id WHERE s.person_id = $1`,
      [person('demo-student')],
    );
    expect(student).toMatchObject({ grade_level: 10, level: 'high' });

    const taught = await store.query(
      `SELECT 1 FROM staff t JOIN section_staff ss ON ss.staff_id = t.id JOIN section_enrollments r ON r.section_id = ss.section_id
        WHERE t.person_id = $1 AND r.student_id = $2`,
      [person('demo-teacher'), student!.id],
    );
    expect(taught.length).toBeGreaterThan(0);
    const roles = await store.query<{ role: string; school_id: string | null; username: string }>(
      `SELECT l.role, l.school_id, a.username FROM staff_locations l JOIN staff t ON t.id = l.staff_id JOIN accounts a ON a.person_id = t.person_id
        WHERE a.username IN ('demo-office', 'demo-principal', 'demo-admin') ORDER BY a.username`,
    );
    expect(roles).toEqual([
      { role: 'district_admin', school_id: null, username: 'demo-admin' },
      { role: 'office', school_id: student!.school_id, username: 'demo-office' },
      { role: 'principal', school_id: student!.school_id, username: 'demo-principal' },
    ]);
  });

  it('refuses a load without per-row checks whose rows name a missing row', async () => {
    const [score] = await store.query<Record<string, unknown>>('SELECT * FROM scores WHERE district_id = $1 LIMIT 1', [summary.districtId]);
    const { updated_at: _updatedAt, ...row } = score!;
    const attempt = store.transaction(async (tx) => {
      const sink = await BulkSink.open(tx);
      await tx.query(`SELECT set_config('session_replication_role', 'replica', true)`);
      sink.add('scores', { ...row, id: '00000000-0000-4000-8000-000000000001', assignment_id: '00000000-0000-4000-8000-000000000002' } as Row);
      await sink.flushAll();
      await tx.query(`SELECT set_config('session_replication_role', 'origin', true)`);
      await sink.checkForeignKeys(summary.districtId);
    });
    await expect(attempt).rejects.toThrow(/scores violates its foreign key .*assignment.*: a row names a missing assignments row/);
    const left = await store.query('SELECT 1 FROM scores WHERE id = $1', ['00000000-0000-4000-8000-000000000001']);
    expect(left).toEqual([]);
  });

  it('refuses a district smaller than 100 or larger than 100,000 students', async () => {
    await expect(seedDistrict(store, { ...options, students: 99 })).rejects.toThrow(RangeError);
    await expect(seedDistrict(store, { ...options, students: 100_001 })).rejects.toThrow(RangeError);
  });

  // Seeds whole districts: minutes on a busy two-core machine.
  it('can be dropped whole and seeded again, leaving a second district untouched', { timeout: 120_000 }, async () => {
    const second = await seedDistrict(store, { ...options, seed: 7, students: 100, slug: 'lakeside', name: 'Lakeside Schools', demoPrefix: 'lakeside', usernameTag: 'lakeside.' });
    expect(second.demoUsernames.guardian).toBe('lakeside-guardian');
    expect(await dropDistrict(store, options.slug)).toBe(true);
    const left = await store.query<{ district_id: string }>('SELECT DISTINCT district_id FROM students');
    expect(left).toEqual([{ district_id: second.districtId }]);
    const reseeded = await seedDistrict(store, options);
    expect(reseeded.rows).toEqual(summary.rows);
  });
});

describe.runIf(await postgresReachable())('demo district generator on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshPostgres({ migrated: true });
  });
  afterAll(async () => {
    await db.drop();
  });

  // Seeds whole districts: minutes on a busy two-core machine.
  it('writes the same district as on PGlite', { timeout: 120_000 }, async () => {
    const pglite = await migratedPglite();
    try {
      const [onPostgres, onPglite] = [await seedDistrict(db.store, options), await seedDistrict(pglite, options)];
      expect(onPostgres.rows).toEqual(onPglite.rows);
      // Every table: on PGlite the rows go in without per-row triggers, so the generator must write what they would.
      const [a, b] = await Promise.all([contentDigest(db.store), contentDigest(pglite)]);
      expect(a).toEqual(b);
    } finally {
      await pglite.close();
    }
  });
});
