/**
 * The real server for end-to-end tests: the Hono app on loopback (@hono/node-server), serving
 * the built client and the API over a seeded demo district in PGlite (copied from the
 * template vitest's global setup migrated).
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../server/app.ts';
import type { Store } from '../server/db/store.ts';
import { memoryMailer } from '../server/mail/mailer.ts';
import { defaultSeedOptions, seedDistrict } from '../server/seed/generate.ts';
import { ChangeFeed } from '../server/sync/changes.ts';
import { migratedPglite } from '../server/test/stores.ts';

/** The demo district's "today", as in the other test fixtures. */
const schoolDay = '2026-11-24';

export interface AppServer {
  /** `http://127.0.0.1:<port>`: loopback is a secure context, so service workers and crypto.subtle work. */
  origin: string;
  store: Store;
  close(): Promise<void>;
}

export async function startAppServer(options: { staticDir: string; students?: number }): Promise<AppServer> {
  const store = await migratedPglite();
  try {
    await seedDistrict(store, { ...defaultSeedOptions(schoolDay), students: options.students ?? 100 });
  } catch (error) {
    await store.close();
    throw error;
  }
  const changes = await ChangeFeed.start(store);
  // The demo district's school day, with time passing (tokens expire, sync times move on).
  const startedAt = Date.now();
  const dayStart = new Date(`${schoolDay}T15:00:00Z`).getTime();
  const app = createApp({
    store,
    changes,
    clock: () => new Date(dayStart + (Date.now() - startedAt)),
    mailer: memoryMailer(),
    config: { staticDir: options.staticDir },
  });
  const server = await new Promise<ServerType>((resolve) => {
    const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    store,
    async close() {
      // Sync streams stay open until their device goes: end them with the server.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await changes.close();
      await store.close();
    },
  };
}
