/**
 * The real server for end-to-end tests: the Hono app on loopback (@hono/node-server), serving
 * the built client and the API over a seeded demo district in PGlite on a thread of its own, as
 * `npm start` runs it (copied from the template vitest's global setup migrated).
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../server/app.ts';
import type { Store } from '../server/db/store.ts';
import { memoryMailer } from '../server/mail/mailer.ts';
import { defaultSeedOptions, seedDistrict } from '../server/seed/generate.ts';
import { ChangeFeed } from '../server/sync/changes.ts';
import { migratedPgliteThread } from '../server/test/stores.ts';
import { dayFor, tickingClock, type DayWanted } from '../server/test/test-day.ts';

export interface AppServer {
  /** `http://127.0.0.1:<port>`: loopback is a secure context, so service workers and crypto.subtle work. */
  origin: string;
  store: Store;
  /** The day the district was seeded for: today, for the server and (through `newAppContext`) the browser. */
  today: string;
  /** What the server's clock adds to the real time; browser contexts take the same (e2e/browser.ts). */
  clockOffsetMs: number;
  close(): Promise<void>;
}

/**
 * Each end-to-end file starts its own server on its own district, seeded for the run's day
 * (server/test/test-day.ts), or with `day: 'school-day'` for the last school day on or before it.
 */
export async function startAppServer(options: { staticDir: string; students?: number; day?: DayWanted }): Promise<AppServer> {
  const today = dayFor(options.day);
  const store = await migratedPgliteThread();
  try {
    await seedDistrict(store, { ...defaultSeedOptions(today), students: options.students ?? 100 });
  } catch (error) {
    await store.close();
    throw error;
  }
  const changes = await ChangeFeed.start(store);
  // The district's day, with time passing (tokens expire, sync times move on).
  const clock = tickingClock(today);
  const app = createApp({
    store,
    changes,
    clock: clock.now,
    mailer: memoryMailer(),
    config: { staticDir: options.staticDir, rememberPulls: true },
  });
  const server = await new Promise<ServerType>((resolve) => {
    const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    store,
    today,
    clockOffsetMs: clock.offsetMs,
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
