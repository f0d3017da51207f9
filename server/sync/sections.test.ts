import { randomUUID } from 'node:crypto';
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sectionSchema, SECTIONS_SCHEMA_VERSION, type SectionDocument } from '../contract/sync/sections.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import { servedAppFixture, signIn, type ServedAppFixture } from '../test/app-fixture.ts';
import { freshCollection } from '../test/rx-collection.ts';

let f: ServedAppFixture;

beforeAll(async () => {
  // Its dates are written out for this day (today's rosters, a term in force).
  f = await servedAppFixture({ today: '2026-11-24' });
});
afterAll(() => f.close());

async function device(username: string) {
  const { token } = await signIn(f.app, username);
  const db: RxDatabase = await createRxDatabase({ name: `device-${randomUUID()}`, storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }) });
  const { sections } = await db.addCollections({ sections: freshCollection(sectionSchema) });
  const replication = replicateRxCollection<SectionDocument, SyncCheckpoint>({
    collection: sections as RxCollection<SectionDocument>,
    replicationIdentifier: `sections-${f.base}`,
    live: true,
    pull: {
      batchSize: 50,
      async handler(checkpoint, limit) {
        const query = new URLSearchParams({ v: String(SECTIONS_SCHEMA_VERSION), limit: String(limit) });
        if (checkpoint) query.set('seq', String(checkpoint.seq)), query.set('id', checkpoint.id);
        const response = await fetch(`${f.base}/api/sync/sections/pull?${query}`, { headers: { authorization: `Bearer ${token}` } });
        if (!response.ok) throw new Error(`pull ${response.status}`);
        return response.json();
      },
    },
  });
  await replication.awaitInitialReplication();
  return {
    sections: sections as RxCollection<SectionDocument>,
    async sync() {
      replication.reSync();
      await replication.awaitInSync();
    },
    async close() {
      await replication.cancel();
      await db.remove();
    },
  };
}

describe('sections (schedule) sync', () => {
  it('gives a guardian her children’s classes with teacher, room and period, and which child is in each', async () => {
    const phone = await device('demo-guardian');
    try {
      const expected = await f.store.query<{ section_id: string }>(
        `SELECT DISTINCT r.section_id FROM section_enrollments r JOIN guardianships g ON g.student_id = r.student_id JOIN accounts a ON a.person_id = g.guardian_person_id
          WHERE a.username = 'demo-guardian' AND g.portal_access ORDER BY 1`,
      );
      const docs = await phone.sections.find().exec();
      expect(docs.map((d) => d.id).sort()).toEqual(expected.map((e) => e.section_id));
      const english = docs.find((d) => d.courseCode === 'ENG-10')!;
      expect(english.teachers.length).toBeGreaterThan(0);
      expect(english.startTime).toMatch(/^\d{2}:\d{2}$/);
      expect(english.studentIds).toHaveLength(1);
      // The term's grading periods, in order, as the store has them.
      const periods = await f.store.query<{ id: string; name: string; start: string; end: string }>(
        `SELECT id, name, to_char(start_date, 'YYYY-MM-DD') AS start, to_char(end_date, 'YYYY-MM-DD') AS end FROM grading_periods WHERE term_id = $1 AND NOT deleted ORDER BY sequence`,
        [english.termId],
      );
      expect(periods.length).toBeGreaterThan(0);
      expect(english.gradingPeriods.map(({ id, name, start, end }) => ({ id, name, start, end }))).toEqual(periods);
    } finally {
      await phone.close();
    }
  });

  it('brings a renamed course to every device that shows it', async () => {
    const phone = await device('demo-guardian');
    try {
      await f.store.query(`UPDATE courses SET name = 'English 10 Honors' WHERE code = 'ENG-10' AND school_id = (SELECT school_id FROM sections WHERE id = $1)`, [
        (await phone.sections.findOne({ selector: { courseCode: 'ENG-10' } }).exec())!.id,
      ]);
      await phone.sync();
      const renamed = await phone.sections.find({ selector: { courseCode: 'ENG-10' } }).exec();
      expect(renamed.every((d) => d.courseName === 'English 10 Honors')).toBe(true);
    } finally {
      await phone.close();
    }
  });

  it('gives a teacher exactly the sections she teaches, each with today’s roster; an added or dropped student changes it', async () => {
    const laptop = await device('demo-teacher');
    try {
      const expected = await f.store.query<{ section_id: string }>(
        `SELECT ss.section_id FROM section_staff ss JOIN staff t ON t.id = ss.staff_id JOIN accounts a ON a.person_id = t.person_id WHERE a.username = 'demo-teacher' ORDER BY 1`,
      );
      const docs = await laptop.sections.find().exec();
      expect(docs.map((d) => d.id).sort()).toEqual(expected.map((e) => e.section_id));
      const rosterOf = async (sectionId: string) =>
        (
          await f.store.query<{ student_id: string }>(
            `SELECT student_id FROM section_enrollments WHERE section_id = $1 AND NOT deleted AND start_date <= '2026-11-24' AND (end_date IS NULL OR end_date >= '2026-11-24') ORDER BY 1`,
            [sectionId],
          )
        ).map((row) => row.student_id);
      for (const doc of docs) expect(doc.studentIds, doc.courseName).toEqual(await rosterOf(doc.id));
      const section = docs.find((d) => d.studentIds.length > 1 && d.termStart <= '2026-11-24' && d.termEnd >= '2026-11-24')!;
      expect(section, 'a current class with students').toBeDefined();

      // One student leaves the class yesterday; another from the same school joins today.
      const leaving = section.studentIds[0]!;
      const [joining] = await f.store.query<{ id: string; district_id: string }>(
        `SELECT s.id, s.district_id FROM students s JOIN enrollments e ON e.student_id = s.id AND NOT e.deleted
          WHERE e.school_id = $1 AND s.id <> ALL($2::uuid[]) ORDER BY s.id LIMIT 1`,
        [section.schoolId, section.studentIds],
      );
      await f.store.query(`UPDATE section_enrollments SET end_date = '2026-11-23' WHERE section_id = $1 AND student_id = $2`, [section.id, leaving]);
      await f.store.query(`INSERT INTO section_enrollments (district_id, id, section_id, student_id, start_date) VALUES ($1, $2, $3, $4, '2026-11-24')`, [
        joining!.district_id, randomUUID(), section.id, joining!.id,
      ]);
      await laptop.sync();
      const after = (await laptop.sections.findOne(section.id).exec())!;
      expect(after.studentIds).toEqual(await rosterOf(section.id));
      expect(after.studentIds).toContain(joining!.id);
      expect(after.studentIds).not.toContain(leaving);
    } finally {
      await laptop.close();
    }
  });
});
