import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable, Store } from '../db/store.ts';
import { freshPostgres, migratedPglite, postgresReachable, type TestDatabase } from '../test/stores.ts';
import { defaultSeedOptions, seedDistrict } from './generate.ts';

/**
 * A bulk load (the seed, an import) leaves the grant triggers waiting and builds the district's
 * grants with one whole-district refresh (migration 0022). Its grants are exactly the chains the
 * sources make; after bulk changes, a second refresh inserts the new chains, updates the changed
 * ones, makes the lost ones inactive, and leaves the seq of every other grant as it was.
 */

const options = { ...defaultSeedOptions('2026-11-24'), students: 150 };

interface Grant {
  key: string;
  fields: string;
  seq: number;
  active: boolean;
}

const KEY = `concat_ws('|', person_id, student_id, via, source)`;
const FIELDS = `concat_ws('|', school_id, section_id, tool, reads::text, writes::text, start_date, end_date)`;

async function chains(db: Queryable, districtId: string): Promise<Map<string, string>> {
  const rows = await db.query<{ key: string; fields: string }>(`SELECT ${KEY} AS key, ${FIELDS} AS fields FROM access_grant_chains($1)`, [districtId]);
  return new Map(rows.map((row) => [row.key, row.fields]));
}

async function stored(db: Queryable, districtId: string): Promise<Map<string, Grant>> {
  const rows = await db.query<Grant>(
    `SELECT ${KEY} AS key, ${FIELDS} AS fields, seq::float8 AS seq, active FROM access_grants WHERE district_id = $1`,
    [districtId],
  );
  return new Map(rows.map((row) => [row.key, row]));
}

function active(grants: Map<string, Grant>): Map<string, string> {
  return new Map([...grants].filter(([, grant]) => grant.active).map(([key, grant]) => [key, grant.fields]));
}

function describeOn(name: string, open: () => Promise<{ store: Store; close(): Promise<void> }>) {
  describe(`a bulk-loaded district's grants on ${name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    let districtId: string;

    beforeAll(async () => {
      ({ store, close } = await open());
      ({ districtId } = await seedDistrict(store, options));
    }, 300_000);
    afterAll(async () => {
      await close();
    });

    it('are exactly the chains its sources make, each with its own seq', async () => {
      const grants = await stored(store, districtId);
      expect(grants.size).toBeGreaterThan(1_000);
      expect(active(grants)).toEqual(await chains(store, districtId));
      expect(new Set([...grants.values()].map((grant) => grant.seq)).size).toBe(grants.size);
    });

    it('follow bulk changes with one refresh, keeping the seq of every grant that stays', { timeout: 60_000 }, async () => {
      const before = await stored(store, districtId);
      const { changed, again, after, desired } = await store.transaction(async (tx) => {
        await tx.query(`SELECT set_config('homeroom.bulk_load', 'on', true)`);
        // Lost: a family's portal access and a student's record; new: a grandparent's portal access; changed: a teacher's end date.
        await tx.query(`UPDATE guardianships SET portal_access = false WHERE id = (SELECT min(id::text)::uuid FROM guardianships WHERE district_id = $1 AND portal_access)`, [districtId]);
        await tx.query(`UPDATE students SET deleted = true WHERE id = (SELECT max(id::text)::uuid FROM students WHERE district_id = $1)`, [districtId]);
        await tx.query(`UPDATE guardianships SET portal_access = true WHERE district_id = $1 AND NOT portal_access AND NOT deleted`, [districtId]);
        await tx.query(
          `UPDATE section_staff SET end_date = '2027-01-15' WHERE id = (SELECT min(id::text)::uuid FROM section_staff WHERE district_id = $1 AND end_date IS DISTINCT FROM '2027-01-15')`,
          [districtId],
        );
        await tx.query(`SELECT set_config('homeroom.bulk_load', 'off', true)`);
        const [{ n: changed }] = (await tx.query<{ n: number }>('SELECT refresh_access_grants($1, NULL, NULL)::int AS n', [districtId])) as [{ n: number }];
        const [{ n: again }] = (await tx.query<{ n: number }>('SELECT refresh_access_grants($1, NULL, NULL)::int AS n', [districtId])) as [{ n: number }];
        return { changed, again, after: await stored(tx, districtId), desired: await chains(tx, districtId) };
      });
      expect(active(after)).toEqual(desired);
      expect(again).toBe(0);
      const added = [...after.keys()].filter((key) => !before.has(key));
      const revoked = [...before.keys()].filter((key) => before.get(key)!.active && !after.get(key)!.active);
      const updated = [...before.keys()].filter((key) => after.get(key)!.active && before.get(key)!.fields !== after.get(key)!.fields);
      expect(added.length).toBeGreaterThan(0);
      expect(revoked.length).toBeGreaterThan(0);
      expect(updated.length).toBeGreaterThan(0);
      expect(changed).toBe(added.length + revoked.length + updated.length);
      const moved = new Set([...added, ...revoked, ...updated]);
      const highest = Math.max(...[...before.values()].map((grant) => grant.seq));
      for (const [key, grant] of after) {
        if (moved.has(key)) expect(grant.seq, key).toBeGreaterThan(highest);
        else expect(grant.seq, key).toBe(before.get(key)!.seq);
      }
    });
  });
}

describeOn('PGlite', async () => {
  const store = await migratedPglite();
  return { store, close: () => store.close() };
});

describe.runIf(await postgresReachable())('on PostgreSQL', () => {
  describeOn('PostgreSQL', async () => {
    const db: TestDatabase = await freshPostgres({ migrated: true });
    return { store: db.store, close: () => db.drop() };
  });
});
