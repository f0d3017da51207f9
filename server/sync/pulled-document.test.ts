/**
 * Pulled rows read as one JSON text (pulledAsJson) are the rows the driver reads field by field:
 * every collection, for a family, a student, a teacher, the office, a principal and the district
 * administrator, first pages and the pages after, give the same documents and checkpoints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrincipal } from '../access/principal.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Store } from '../db/store.ts';
import { migratedPglite } from '../test/stores.ts';
import { defaultSeedOptions, seedDistrict } from '../seed/generate.ts';
import { testDay } from '../test/test-day.ts';
import { pulledAsJson } from './pulled-document.ts';
import { SYNC_COLLECTIONS } from './registry.ts';

let store: Store;
const today = testDay();

beforeAll(async () => {
  store = await migratedPglite();
  await seedDistrict(store, { ...defaultSeedOptions(today), students: 100 });
}, 120_000);
afterAll(() => store?.close());

describe('pulled rows as JSON', () => {
  for (const username of ['demo-guardian', 'demo-student', 'demo-teacher', 'demo-office', 'demo-principal', 'demo-admin']) {
    it(`give ${username} the same pages as rows read field by field, in every collection`, async () => {
      const [account] = await store.query<{ id: string; district_id: string }>('SELECT id, district_id FROM accounts WHERE username = $1', [username]);
      const principal = (await loadPrincipal(store, account!.district_id, account!.id, today))!;
      const json = pulledAsJson(store);
      for (const collection of SYNC_COLLECTIONS) {
        let checkpoint: SyncCheckpoint | null = null;
        // Small pages, so paging through ties and the base's checkpoint are compared too.
        for (let page = 0; page < 4; page += 1) {
          const asRows = await collection.pull(store, principal, today, checkpoint, 25);
          const asJson = await collection.pull(json, principal, today, checkpoint, 25);
          expect(asJson, `${username} ${collection.name} page ${page}`).toEqual(asRows);
          if (asRows.documents.length < 25) break;
          checkpoint = asRows.checkpoint;
        }
      }
    }, 60_000);
  }

  it('leaves statements that are not reads to the driver', async () => {
    const json = pulledAsJson(store);
    expect(await json.query<{ n: number }>('SELECT 1::float8 AS n UNION ALL SELECT 2 ORDER BY n DESC')).toEqual([{ n: 2 }, { n: 1 }]);
    expect(await json.query('SELECT 1 WHERE false')).toEqual([]);
    await json.query(`CREATE TEMP TABLE pulled_json_probe (n int)`);
    expect(await json.query<{ n: number }>(`INSERT INTO pulled_json_probe VALUES (7) RETURNING n`)).toEqual([{ n: 7 }]);
  });
});
