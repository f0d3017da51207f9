import { randomUUID } from 'node:crypto';
import type { RxJsonSchema } from 'rxdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthSchema, HEALTH_SCHEMA_VERSION, type HealthDocument, type ImmunizationDose } from '../contract/sync/health.ts';
import { servedAppFixture, type ServedAppFixture } from '../test/app-fixture.ts';
import { childrenOf, guardianOfAnotherFamily, setPortalAccess, staffAtDemoSchool, studentsAllowed, useDemoPassword } from '../test/family-accounts.ts';
import { signedInDevice } from '../test/sync-device.ts';
import { immunizationCompliance } from './health.ts';

const TODAY = '2026-11-24';
let f: ServedAppFixture;
let nurse: string;
let counselor: string;
let otherGuardian: string;

beforeAll(async () => {
  f = await servedAppFixture({ students: 120, today: TODAY });
  nurse = await staffAtDemoSchool(f.store, 'nurse');
  counselor = await staffAtDemoSchool(f.store, 'counselor');
  otherGuardian = await guardianOfAnotherFamily(f.store);
  await useDemoPassword(f.store, [nurse, counselor, otherGuardian]);
});
afterAll(() => f.close());

const device = (username: string) => signedInDevice<HealthDocument>(f, username, { name: 'health', schema: healthSchema as unknown as RxJsonSchema<HealthDocument>, version: HEALTH_SCHEMA_VERSION, push: false, batchSize: 40 });

const dose = (vaccine: ImmunizationDose['vaccine'], doseNumber: number, exemption: ImmunizationDose['exemption'] = 'none'): ImmunizationDose => ({
  vaccine, doseNumber, administeredOn: exemption === 'none' ? '2018-05-01' : null, exemption, source: 'record',
});

describe('immunization compliance', () => {
  const requirements = [
    { vaccine: 'MMR', gradeLow: 0, gradeHigh: 12, doses: 2 },
    { vaccine: 'Tdap', gradeLow: 7, gradeHigh: 12, doses: 1 },
    { vaccine: 'HepB', gradeLow: 0, gradeHigh: 12, doses: 3 },
  ] as const;

  it('counts administered doses per vaccine required for the grade, and accepts exemptions', () => {
    const third = immunizationCompliance(3, [dose('MMR', 1), dose('MMR', 2), dose('HepB', 1), dose('HepB', 2), dose('HepB', 3)], requirements);
    expect(third).toEqual({
      compliant: true,
      requirements: [
        { vaccine: 'MMR', dosesRequired: 2, dosesOnRecord: 2, exempt: false, compliant: true },
        { vaccine: 'HepB', dosesRequired: 3, dosesOnRecord: 3, exempt: false, compliant: true },
      ],
    });
    // Seventh grade also needs Tdap; an MMR exemption meets MMR without doses.
    const seventh = immunizationCompliance(7, [dose('MMR', 1, 'religious'), dose('HepB', 1), dose('HepB', 2), dose('HepB', 3)], requirements);
    expect(seventh.compliant).toBe(false);
    expect(seventh.requirements.find((r) => r.vaccine === 'MMR')).toEqual({ vaccine: 'MMR', dosesRequired: 2, dosesOnRecord: 0, exempt: true, compliant: true });
    expect(seventh.requirements.find((r) => r.vaccine === 'Tdap')).toEqual({ vaccine: 'Tdap', dosesRequired: 1, dosesOnRecord: 0, exempt: false, compliant: false });
  });
});

describe('health sync with the real RxDB client', () => {
  it('gives each user exactly the students whose health record the policy lets them read: no teacher, no staff without the health right', async () => {
    const expectations: Record<string, (n: number) => void> = {
      'demo-guardian': (n) => expect(n).toBe(3),
      'demo-student': (n) => expect(n).toBe(1),
      // Teachers never read health records; office and principal only with the health right, which the demo ones lack.
      'demo-teacher': (n) => expect(n).toBe(0),
      'demo-office': (n) => expect(n).toBe(0),
      'demo-principal': (n) => expect(n).toBe(0),
      'demo-admin': (n) => expect(n).toBe(0),
      [nurse]: (n) => expect(n).toBeGreaterThan(10),
      [counselor]: (n) => expect(n).toBeGreaterThan(3),
    };
    for (const [username, count] of Object.entries(expectations)) {
      const phone = await device(username);
      try {
        const expected = await studentsAllowed(f.store, username, 'health', TODAY);
        count(expected.length);
        expect(await phone.ids(), username).toEqual(expected);
        expect(phone.errors, username).toEqual([]);
      } finally {
        await phone.close();
      }
    }
  });

  it('sends a guardian her children’s doses and compliance, and another family none of them', async () => {
    const mine = await device('demo-guardian');
    const theirs = await device(otherGuardian);
    try {
      const children = await childrenOf(f.store, 'demo-guardian');
      expect(await mine.ids()).toEqual(children);
      const theirIds = await theirs.ids();
      expect(theirIds).toEqual(await childrenOf(f.store, otherGuardian));
      expect(theirIds.filter((id) => children.includes(id))).toEqual([]);
      for (const doc of await mine.collection.find().exec()) {
        const [{ n }] = (await f.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM immunizations WHERE student_id = $1 AND NOT deleted`, [doc.id])) as [{ n: number }];
        expect(doc.doses).toHaveLength(n);
        expect(doc.requirements.map((r) => r.vaccine)).toEqual(doc.gradeLevel >= 7 ? ['DTaP', 'Tdap', 'Polio', 'MMR', 'HepB', 'Varicella', 'MenACWY'] : ['DTaP', 'Polio', 'MMR', 'HepB', 'Varicella']);
        expect(doc.compliant).toBe(doc.requirements.every((r) => r.compliant));
      }
    } finally {
      await mine.close();
      await theirs.close();
    }
  });

  it('brings a new dose and a changed requirement to the device in an incremental pull', async () => {
    const phone = await device('demo-guardian');
    try {
      const child = (await childrenOf(f.store, 'demo-guardian'))[0]!;
      const before = (await phone.collection.findOne(child).exec())!.toJSON();
      await f.store.query(
        `INSERT INTO immunizations (district_id, id, student_id, vaccine, dose_number, administered_on, exemption, source)
         SELECT district_id, $2, id, 'HepA', 1, '2026-11-20', 'none', 'record' FROM students WHERE id = $1`,
        [child, randomUUID()],
      );
      const pullsBefore = phone.traffic.pulls;
      await phone.sync();
      const after = (await phone.collection.findOne(child).exec())!.toJSON();
      expect(after.doses).toHaveLength(before.doses.length + 1);
      expect(after.doses).toContainEqual({ vaccine: 'HepA', doseNumber: 1, administeredOn: '2026-11-20', exemption: 'none', source: 'record' });
      expect(phone.traffic.pulls - pullsBefore).toBeLessThanOrEqual(2);

      await f.store.query(`UPDATE immunization_requirements SET doses_required = 6 WHERE vaccine = 'Polio'`);
      await phone.sync();
      for (const doc of await phone.collection.find().exec()) {
        expect(doc.requirements.find((r) => r.vaccine === 'Polio')).toMatchObject({ dosesRequired: 6, compliant: false });
        expect(doc.compliant).toBe(false);
      }
      await f.store.query(`UPDATE immunization_requirements SET doses_required = 4 WHERE vaccine = 'Polio'`);
      await phone.sync();
      expect((await phone.collection.findOne(child).exec())!.requirements.find((r) => r.vaccine === 'Polio')!.dosesRequired).toBe(4);
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('forgets a child when portal access is revoked: a schema-valid tombstone with no health data', async () => {
    const phone = await device('demo-guardian');
    try {
      const children = await childrenOf(f.store, 'demo-guardian');
      const child = children[1]!;
      expect((await phone.stored(child))?.doses.length).toBeGreaterThan(0);
      await setPortalAccess(f.store, 'demo-guardian', child, false);
      await phone.sync();
      // The storage is wrapped in the ajv validator: a tombstone that failed the schema would be an error here.
      expect(phone.errors).toEqual([]);
      expect(await phone.ids()).toEqual(children.filter((id) => id !== child));
      expect(await phone.stored(child)).toMatchObject({ _deleted: true, gradeLevel: 0, doses: [], requirements: [], compliant: false });
      await setPortalAccess(f.store, 'demo-guardian', child, true);
      await phone.sync();
      expect(await phone.ids()).toEqual(children);
    } finally {
      await phone.close();
    }
  });

  it('sends the nurse tombstones for every student when her health right is revoked', async () => {
    const phone = await device(nurse);
    try {
      const before = await phone.ids();
      expect(before.length).toBeGreaterThan(0);
      await f.store.query(`UPDATE tool_rights SET deleted = true WHERE tool = 'health' AND staff_id = (SELECT t.id FROM staff t JOIN accounts a ON a.person_id = t.person_id WHERE a.username = $1)`, [nurse]);
      await phone.sync();
      expect(phone.errors).toEqual([]);
      expect(await phone.ids()).toEqual([]);
      expect(await phone.stored(before[0]!)).toMatchObject({ _deleted: true, doses: [] });
      expect(await studentsAllowed(f.store, nurse, 'health', TODAY)).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
