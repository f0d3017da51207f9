import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrincipal, type Principal } from '../access/principal.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import { defaultSeedOptions, seedDistrict } from '../seed/generate.ts';
import { freshPostgres, postgresReachable, type TestDatabase } from '../test/stores.ts';
import { pullAttendance } from './attendance.ts';

const TODAY = '2026-11-24';

describe.runIf(await postgresReachable())('pulls never skip a write that commits late (PostgreSQL)', () => {
  let db: TestDatabase;
  let office: Principal;
  let student: { id: string; school_id: string };

  beforeAll(async () => {
    db = await freshPostgres({ migrated: true });
    const district = await seedDistrict(db.store, { ...defaultSeedOptions(TODAY), students: 100 });
    const [account] = await db.store.query<{ id: string }>(`SELECT id FROM accounts WHERE username = 'demo-office'`);
    office = (await loadPrincipal(db.store, district.districtId, account!.id, TODAY))!;
    [student] = (await db.store.query<{ id: string; school_id: string }>(
      `SELECT s.id, e.school_id FROM students s JOIN enrollments e ON e.student_id = s.id JOIN staff_locations l ON l.school_id = e.school_id AND l.staff_id = $1 LIMIT 1`,
      [office.staffId],
    )) as [{ id: string; school_id: string }];
  });
  afterAll(async () => {
    await db.drop();
  });

  async function drain(checkpoint: SyncCheckpoint | null) {
    const ids: string[] = [];
    let current = checkpoint;
    for (;;) {
      const page = await pullAttendance(db.store, office, TODAY, current, 50);
      if (page.documents.length === 0) return { ids, checkpoint: current };
      ids.push(...page.documents.map((d) => d.id));
      current = page.checkpoint;
    }
  }

  it('makes the second writer wait, so a pull between the two sees neither, then both in order', async () => {
    const { checkpoint } = await drain(null);
    const insert = (id: string, date: string) =>
      `INSERT INTO attendance (district_id, id, student_id, school_id, date, status) VALUES ('${office.districtId}', '${id}', '${student.id}', '${student.school_id}', '${date}', 'absent')`;
    const first = randomUUID();
    const second = randomUUID();
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstWrote!: () => void;
    const firstHasSeq = new Promise<void>((resolve) => (firstWrote = resolve));
    const writerA = db.store.transaction(async (tx) => {
      await tx.exec(insert(first, '2026-11-02'));
      firstWrote();
      await firstMayCommit;
    });
    await firstHasSeq;
    let secondCommitted = false;
    const writerB = db.store.transaction(async (tx) => {
      await tx.exec(insert(second, '2026-11-03'));
    }).then(() => (secondCommitted = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(secondCommitted).toBe(false);
    const between = await drain(checkpoint);
    expect(between.ids).toEqual([]);
    releaseFirst();
    await Promise.all([writerA, writerB]);
    const after = await drain(between.checkpoint);
    expect(after.ids).toEqual([first, second]);
  });
});
