import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentSchema, ASSIGNMENTS_SCHEMA_VERSION, type AssignmentDocument } from '../contract/sync/assignments.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import { compactDocument, documentFromWire } from '../contract/sync/wire.ts';
import { servedAppFixture, signIn, type ServedAppFixture } from '../test/app-fixture.ts';
import { signedInDevice } from '../test/sync-device.ts';
import { loadPrincipal, type Principal } from '../access/principal.ts';
import type { Queryable } from '../db/store.ts';
import { pulledAsJson } from './pulled-document.ts';
import { pullAssignments } from './assignments.ts';

const TODAY = '2026-11-24';
let f: ServedAppFixture;

beforeAll(async () => {
  f = await servedAppFixture({ students: 120, today: TODAY });
});
afterAll(() => f.close());

const device = (username: string) => signedInDevice<AssignmentDocument>(f, username, { name: 'assignments', schema: assignmentSchema, version: ASSIGNMENTS_SCHEMA_VERSION, push: false });

/** Independent of the pull's SQL: the assignments a family should see, read the plain way. */
async function familyAssignments(username: string): Promise<string[]> {
  const rows = await f.store.query<{ id: string }>(
    `SELECT DISTINCT a.id FROM accounts u
       JOIN (SELECT guardian_person_id AS person_id, student_id FROM guardianships WHERE portal_access AND NOT deleted
             UNION SELECT person_id, id FROM students) fam ON fam.person_id = u.person_id
       JOIN section_enrollments r ON r.student_id = fam.student_id AND NOT r.deleted AND r.start_date <= $2 AND (r.end_date IS NULL OR r.end_date >= $2)
       JOIN assignments a ON a.section_id = r.section_id AND a.published AND NOT a.deleted
      WHERE u.username = $1 ORDER BY a.id`,
    [username, TODAY],
  );
  return rows.map((r) => r.id);
}

/** demo-teacher's ENG-10 section, which demo-guardian's tenth-grader (demo-student) attends. */
async function familySection() {
  const [row] = await f.store.query<{ section_id: string; student_id: string; category_id: string }>(
    `SELECT r.section_id, r.student_id, k.id AS category_id FROM accounts u JOIN students s ON s.person_id = u.person_id
       JOIN section_enrollments r ON r.student_id = s.id AND r.start_date <= $1
       JOIN section_staff ss ON ss.section_id = r.section_id JOIN staff t ON t.id = ss.staff_id JOIN accounts ta ON ta.person_id = t.person_id AND ta.username = 'demo-teacher'
       JOIN assignment_categories k ON k.section_id = r.section_id AND k.name = 'Homework'
      WHERE u.username = 'demo-student' LIMIT 1`,
    [TODAY],
  );
  return row!;
}

describe('assignments sync', () => {
  it('gives a family exactly the published work of their children’s current sections, and nothing of other families’ sections', async () => {
    const guardian = await device('demo-guardian');
    const student = await device('demo-student');
    try {
      const expected = await familyAssignments('demo-guardian');
      expect(expected.length).toBeGreaterThan(50);
      expect(await guardian.ids()).toEqual(expected);
      expect(await student.ids()).toEqual(await familyAssignments('demo-student'));
      // A section of the same school none of her children attends: a change there reaches nobody in the family.
      const [stranger] = await f.store.query<{ id: string }>(
        `SELECT a.id FROM assignments a JOIN sections x ON x.id = a.section_id
          WHERE x.school_id = (SELECT school_id FROM sections WHERE id = $1) AND NOT (a.id = ANY($2::uuid[])) LIMIT 1`,
        [(await familySection()).section_id, expected],
      );
      await f.store.query(`UPDATE assignments SET name = 'Renamed elsewhere' WHERE id = $1`, [stranger!.id]);
      await guardian.sync();
      expect(await guardian.stored(stranger!.id)).toBeUndefined();
      const first = await guardian.collection.findOne(expected[0]!).exec();
      expect(first?.name.length).toBeGreaterThan(0);
      expect(typeof first?.categoryWeight).toBe('number');
      expect(typeof first?.pointsPossible).toBe('number');
      expect(guardian.errors).toEqual([]);
    } finally {
      await guardian.close();
      await student.close();
    }
  });

  it('sends a device that asks the compact form (no blank fields, ids in 22 characters, by section), which it reads back whole', async () => {
    const { token } = await signIn(f.app, 'demo-guardian');
    const pull = async (query: string) => {
      const response = await fetch(`${f.base}/api/sync/assignments/pull?v=${ASSIGNMENTS_SCHEMA_VERSION}&limit=1000${query}`, { headers: { authorization: `Bearer ${token}` } });
      return ((await response.json()) as { documents: Array<Record<string, unknown>> }).documents;
    };
    const full = await pull('');
    const compact = await pull('&wire=compact');
    expect(full.filter((d) => d.description === '').length).toBeGreaterThan(20);
    expect(compact.filter((d) => d.description === '' || d.categoryDropLowest === 0)).toEqual([]);
    for (const d of compact) {
      for (const field of ['id', 'sectionId', 'categoryId', 'gradingPeriodId']) expect(d[field]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
    // The device's document is the one the full form names, every field filled.
    expect(compact.map(documentFromWire(assignmentSchema))).toEqual(full);
    // A page's work comes section by section, by due date: alike neighbours compress better.
    const order = full.map((d) => `${String(d.sectionId)} ${String(d.dueOn)}`);
    expect(order).toEqual([...order].sort());
  });

  it('gives a teacher every assignment of her sections, unpublished ones included; the office none', async () => {
    const { section_id } = await familySection();
    const [draft] = await f.store.query<{ id: string }>(`SELECT id FROM assignments WHERE section_id = $1 ORDER BY due_on DESC LIMIT 1`, [section_id]);
    await f.store.query(`UPDATE assignments SET published = false WHERE id = $1`, [draft!.id]);
    const teacher = await device('demo-teacher');
    const guardian = await device('demo-guardian');
    const office = await device('demo-office');
    try {
      const taught = await f.store.query<{ id: string }>(
        `SELECT a.id FROM assignments a JOIN section_staff ss ON ss.section_id = a.section_id JOIN staff t ON t.id = ss.staff_id
           JOIN accounts u ON u.person_id = t.person_id AND u.username = 'demo-teacher' ORDER BY a.id`,
      );
      expect(await teacher.ids()).toEqual(taught.map((r) => r.id));
      expect((await teacher.collection.findOne(draft!.id).exec())?.published).toBe(false);
      // The family's device holds at most a blank tombstone of the draft: no name, no description.
      expect(await guardian.collection.findOne(draft!.id).exec()).toBeNull();
      const stored = await guardian.stored(draft!.id);
      if (stored) expect(stored).toMatchObject({ _deleted: true, name: '', description: '' });
      // The office's device holds no coursework (server/access/sync-windows.ts): it reads scores online.
      expect(await office.ids()).toEqual([]);
    } finally {
      await f.store.query(`UPDATE assignments SET published = true WHERE id = $1`, [draft!.id]);
      await teacher.close();
      await guardian.close();
      await office.close();
    }
  });

  it('sends a new category weight or name to every device, and takes back unpublished work as a blank tombstone', async () => {
    const { section_id, category_id } = await familySection();
    const guardian = await device('demo-guardian');
    const teacher = await device('demo-teacher');
    try {
      await f.store.query(`UPDATE assignment_categories SET weight = 35, name = 'Home practice' WHERE id = $1`, [category_id]);
      await guardian.sync();
      await teacher.sync();
      for (const phone of [guardian, teacher]) {
        const homework = await phone.collection.find({ selector: { categoryId: category_id } }).exec();
        expect(homework.length).toBeGreaterThan(0);
        expect(homework.every((d) => d.categoryWeight === 35 && d.categoryName === 'Home practice')).toBe(true);
      }
      const [quiz] = await f.store.query<{ id: string }>(`SELECT id FROM assignments WHERE section_id = $1 AND category_id <> $2 AND published LIMIT 1`, [section_id, category_id]);
      await f.store.query(`UPDATE assignments SET published = false WHERE id = $1`, [quiz!.id]);
      await guardian.sync();
      await teacher.sync();
      expect(await guardian.collection.findOne(quiz!.id).exec()).toBeNull();
      expect(await guardian.stored(quiz!.id)).toMatchObject({ _deleted: true, name: '', description: '' });
      expect((await teacher.collection.findOne(quiz!.id).exec())?.published).toBe(false);
      await f.store.query(`UPDATE assignments SET published = true WHERE id = $1`, [quiz!.id]);
      await guardian.sync();
      expect((await guardian.collection.findOne(quiz!.id).exec())?.name.length).toBeGreaterThan(0);
      expect(guardian.errors).toEqual([]);
    } finally {
      await f.store.query(`UPDATE assignment_categories SET weight = 20, name = 'Homework' WHERE id = $1`, [category_id]);
      await guardian.close();
      await teacher.close();
    }
  });

  it('forgets a section’s work when the child leaves the section, and brings it back on return', async () => {
    const { section_id, student_id } = await familySection();
    const guardian = await device('demo-guardian');
    try {
      const before = await guardian.ids();
      const inSection = (await f.store.query<{ id: string }>(`SELECT id FROM assignments WHERE section_id = $1 AND published`, [section_id])).map((r) => r.id);
      expect(inSection.every((id) => before.includes(id))).toBe(true);
      await f.store.query(`UPDATE section_enrollments SET end_date = '2026-11-23' WHERE section_id = $1 AND student_id = $2`, [section_id, student_id]);
      await guardian.sync();
      expect(await guardian.ids()).toEqual(before.filter((id) => !inSection.includes(id)));
      expect(await guardian.stored(inSection[0]!)).toMatchObject({ _deleted: true, name: '' });
      await f.store.query(`UPDATE section_enrollments SET end_date = NULL WHERE section_id = $1 AND student_id = $2`, [section_id, student_id]);
      await guardian.sync();
      expect(await guardian.ids()).toEqual(before);
      expect(guardian.errors).toEqual([]);
    } finally {
      await f.store.query(`UPDATE section_enrollments SET end_date = NULL WHERE section_id = $1 AND student_id = $2`, [section_id, student_id]);
      await guardian.close();
    }
  });

  it('pages with a checkpoint that moves past every document exactly once, and answers outdated clients with 426', async () => {
    const { token } = await signIn(f.app, 'demo-guardian');
    const seen: string[] = [];
    let checkpoint: SyncCheckpoint | null = null;
    for (;;) {
      const query = new URLSearchParams({ v: String(ASSIGNMENTS_SCHEMA_VERSION), limit: '37' });
      if (checkpoint) query.set('seq', String(checkpoint.seq)), query.set('id', checkpoint.id);
      const response = await fetch(`${f.base}/api/sync/assignments/pull?${query}`, { headers: { authorization: `Bearer ${token}` } });
      const page = (await response.json()) as { documents: AssignmentDocument[]; checkpoint: SyncCheckpoint | null };
      if (page.documents.length === 0) break;
      seen.push(...page.documents.map((d) => d.id));
      checkpoint = page.checkpoint;
    }
    expect(seen.length).toBe(new Set(seen).size);
    expect([...seen].sort()).toEqual(await familyAssignments('demo-guardian'));
    expect((await fetch(`${f.base}/api/sync/assignments/pull?v=99`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(426);
    expect((await fetch(`${f.base}/api/sync/assignments/push?v=${ASSIGNMENTS_SCHEMA_VERSION}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '[]' })).status).toBe(404);
  });

  it('reads a kept section’s work again after every kind of change to it: each pull equals one made with nothing kept', async () => {
    const [account] = await f.store.query<{ district_id: string; id: string }>(`SELECT district_id, id FROM accounts WHERE username = 'demo-guardian'`);
    const principal = (await loadPrincipal(f.store, account!.district_id, account!.id, TODAY)) as Principal;
    // The server's reader keeps work between pulls; a reader made anew for each pull keeps nothing.
    const kept = pulledAsJson(f.store);
    const fresh = (): Queryable => pulledAsJson({ query: (sql, params) => f.store.query(sql, params), exec: (sql) => f.store.exec(sql) });
    /** Every page from the start in pages of 40, and the page after the middle document's place. */
    const pulls = async (db: () => Queryable) => {
      const pages = [];
      let checkpoint: SyncCheckpoint | null = null;
      for (;;) {
        const page = await pullAssignments(db(), principal, TODAY, checkpoint, 40);
        pages.push(page);
        if (page.documents.length < 40) break;
        checkpoint = page.checkpoint;
      }
      const middle = pages[Math.floor(pages.length / 2)]!.checkpoint;
      return { pages, fromMiddle: await pullAssignments(db(), principal, TODAY, middle, 1000) };
    };
    const same = async (change: string) => expect(await pulls(() => kept), change).toEqual(await pulls(fresh));

    const { section_id: section, category_id: category } = await familySection();
    const [other] = await f.store.query<{ id: string }>(`SELECT r.section_id AS id FROM section_enrollments r JOIN students s ON s.id = r.student_id JOIN accounts u ON u.person_id = s.person_id WHERE u.username = 'demo-student' AND r.section_id <> $1 LIMIT 1`, [section]);
    const work = async () => f.store.query<{ id: string }>(`SELECT id FROM assignments WHERE section_id = $1 ORDER BY seq`, [section]);
    await same('nothing changed');
    const ids = await work();
    expect(ids.length).toBeGreaterThan(5);
    await f.store.query(`UPDATE assignments SET name = 'Renamed' WHERE id = $1`, [ids[0]!.id]);
    await same('renamed');
    await f.store.query(`UPDATE assignments SET published = false WHERE id = $1`, [ids[1]!.id]);
    await same('unpublished');
    await f.store.query(`UPDATE assignments SET deleted = true WHERE id = $1`, [ids[2]!.id]);
    await same('deleted');
    await f.store.query(`UPDATE assignment_categories SET weight = 35 WHERE id = $1`, [category]);
    await same('category weighed anew');
    await f.store.query(`UPDATE assignments SET section_id = $2 WHERE id = $1`, [ids[3]!.id, other!.id]);
    await same('moved to another section');
    // Removed for good, and not the section's newest: only the count tells.
    const [oldest] = await work();
    await f.store.query(`DELETE FROM scores WHERE assignment_id = $1`, [oldest!.id]);
    await f.store.query(`DELETE FROM assignments WHERE id = $1`, [oldest!.id]);
    await same('removed for good');
    await f.store.query(`INSERT INTO assignments (district_id, id, section_id, category_id, grading_period_id, name, points_possible, assigned_on, due_on)
                         SELECT district_id, gen_random_uuid(), section_id, category_id, grading_period_id, 'New work', 10, assigned_on, due_on FROM assignments WHERE id = $1`, [ids[4]!.id]);
    await same('added');
  });
  it('makes a kept assignment’s document once, frozen, for every family on the roster, and its compact form once', async () => {
    const principalOf = async (username: string) => {
      const [account] = await f.store.query<{ district_id: string; id: string }>(`SELECT district_id, id FROM accounts WHERE username = $1`, [username]);
      return (await loadPrincipal(f.store, account!.district_id, account!.id, TODAY)) as Principal;
    };
    const reader = pulledAsJson(f.store);
    const guardian = await pullAssignments(reader, await principalOf('demo-guardian'), TODAY, null, 1000);
    const student = await pullAssignments(reader, await principalOf('demo-student'), TODAY, null, 1000);
    const byId = new Map(guardian.documents.map((d) => [d.id, d]));
    const shared = student.documents.filter((d) => byId.has(d.id));
    expect(shared.length).toBeGreaterThan(5);
    for (const d of shared) {
      expect(d).toBe(byId.get(d.id));
      expect(Object.isFrozen(d)).toBe(true);
    }
    const compact = compactDocument(assignmentSchema);
    expect(compact(shared[0]!)).toBe(compact(shared[0]!));
    expect(Object.isFrozen(compact(shared[0]!))).toBe(true);
    // A document not kept (a fresh object) is made compact anew each time.
    const copy = { ...shared[0]! };
    expect(compact(copy)).not.toBe(compact(copy));
    expect(compact(copy)).toEqual(compact(shared[0]!));
  });
});
