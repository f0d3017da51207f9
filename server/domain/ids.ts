/** Ids are UUIDs, checked with this one pattern everywhere a request or a pushed document names one. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The nil UUID: the smallest id, where a query needs "before every id" or a row has none. */
export const NO_ID = '00000000-0000-0000-0000-000000000000';

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** The greatest UUID: a checkpoint "after every id" of its seq (server/sync/pull-gate.ts). */
export const LAST_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
