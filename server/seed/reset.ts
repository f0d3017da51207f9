import { readTables } from '../db/catalog.ts';
import type { Store } from '../db/store.ts';

/**
 * Removes one district and every row it owns (children first), so the demo can be rebuilt.
 * The append-only logs refuse deletes unless this session says it is purging a district.
 */
export async function dropDistrict(store: Store, slug: string): Promise<boolean> {
  return store.transaction(async (tx) => {
    const found = await tx.query<{ id: string }>('SELECT id FROM districts WHERE slug = $1', [slug]);
    const districtId = found[0]?.id;
    if (!districtId) return false;
    await tx.query(`SELECT set_config('homeroom.purge', $1, true)`, [districtId]);
    const tables = [...(await readTables(tx))]
      .filter(([name, info]) => name !== 'districts' && info.types.has('district_id'))
      .sort(([, a], [, b]) => b.rank - a.rank);
    for (const [name] of tables) await tx.query(`DELETE FROM ${name} WHERE district_id = $1`, [districtId]);
    await tx.query('DELETE FROM districts WHERE id = $1', [districtId]);
    return true;
  });
}
