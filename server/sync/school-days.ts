import type { Queryable } from '../db/store.ts';

/**
 * Whether a school holds class on at least one day from `from` to `to` (one day when `to` is left
 * out). The rule lives in SQL, is_school_day (migration 0013): the school's calendar within its
 * range, Monday to Friday outside it or without one.
 */
export async function hasSchoolDay(db: Queryable, districtId: string, schoolId: string, from: string, to: string = from): Promise<boolean> {
  const [row] = await db.query<{ yes: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM generate_series($3::date, $4::date, interval '1 day') AS d WHERE is_school_day($1, $2, d::date)) AS yes`,
    [districtId, schoolId, from, to],
  );
  return row?.yes === true;
}
