/**
 * How many documents a device asks for per pull (RxDB's pull batch size). The server answers
 * up to 1,000 (server/sync/routes.ts). Each page costs the server about the same whatever its
 * size (it orders the user's scope to find the next page), so a staff device's first sync of
 * thousands of marks takes a fifth of the requests and time with pages of 1,000 rather than 200;
 * a page of 1,000 attendance marks is about 60 KiB gzip.
 */
export const PULL_BATCH_SIZE = 1000;

/**
 * The address of one pull page: `GET /api/sync/<name>/pull?v=&limit=&wire=compact` and, after the
 * first, the checkpoint. The documents come in their compact form (wire.ts): read them with `documentFromWire`.
 */
export function pullPath(name: string, version: number, limit: number, checkpoint: { seq: number; id: string; base?: number } | null | undefined): string {
  const query = new URLSearchParams({ v: String(version), limit: String(limit), wire: 'compact' });
  if (checkpoint) {
    query.set('seq', String(checkpoint.seq));
    query.set('id', checkpoint.id);
    // The server's base from the device's first pull: it sends no tombstones of what the device never held.
    if (checkpoint.base) query.set('base', String(checkpoint.base));
  }
  return `/api/sync/${name}/pull?${query}`;
}
