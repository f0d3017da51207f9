import { Hono } from 'hono';
import { migrationVersion } from '../db/migrate.ts';
import type { AppEnv } from '../app.ts';

/** `GET /api/health`: is the store answering, and at which migration version. */
export function healthRoutes() {
  return new Hono<AppEnv>().get('/', async (c) => {
    const { store, clock } = c.get('deps');
    try {
      const version = await migrationVersion(store);
      return c.json({ status: 'ok', store: store.kind, migration: version, time: clock().toISOString() });
    } catch {
      return c.json({ status: 'unavailable', store: store.kind, error: { code: 'store_unavailable', message: c.get('t')('store_unavailable') } }, 503);
    }
  });
}
