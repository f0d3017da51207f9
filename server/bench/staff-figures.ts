/**
 * Staff first syncs for `npm run bench -- --only staff` (issue 15): what a school-wide staff
 * device receives on its first sync, per collection, with the wire bytes and the seconds on
 * loopback. The budgets: the office and the principal of the demo district ≤ 15,000 documents
 * and ≤ 1.5 MB; the office of a 2,000-student high school ≤ 40,000 documents and ≤ 20 s; a
 * teacher at the end of a full school year ≤ 30,000 documents.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../app.ts';
import type { Store } from '../db/store.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { login, pullEverything } from './sync-figures.ts';

type Record = (what: string, figure: string, note?: string) => void;

export interface StaffSyncFigure {
  username: string;
  documents: number;
  bytes: number;
  seconds: number;
  perCollection: Map<string, number>;
}

/** First sync of each account on `store` at `today` (06:00 UTC), every collection side by side. */
export async function staffFirstSyncs(store: Store, today: string, usernames: readonly string[]): Promise<StaffSyncFigure[]> {
  const now = new Date(`${today}T06:00:00Z`);
  const app = createApp({ store, clock: () => now, mailer: memoryMailer(), config: {} });
  let inFlight = 0;
  const server = serve({
    fetch: async (request: Request) => {
      inFlight += 1;
      try {
        return await app.fetch(request);
      } finally {
        inFlight -= 1;
      }
    },
    port: 0,
    hostname: '127.0.0.1',
  });
  await new Promise((resolve) => server.once('listening', resolve));
  // Collections pull side by side: a socket waiting while a long page is worked out must not be closed under the client.
  (server as import('node:http').Server).keepAliveTimeout = 120_000;
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const figures: StaffSyncFigure[] = [];
    for (const username of usernames) {
      const token = await login(base, username, now);
      const pulled = await pullEverything(base, token, new Map());
      figures.push({ username, documents: pulled.documents, bytes: pulled.bytes, seconds: pulled.seconds, perCollection: pulled.perCollection });
    }
    return figures;
  } finally {
    (server as import('node:http').Server).closeAllConnections();
    server.close();
    while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function recordStaffSyncs(record: Record, label: string, figures: readonly StaffSyncFigure[]): void {
  for (const figure of figures) {
    const kinds = [...figure.perCollection].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${n.toLocaleString('en-US')}`).join(', ');
    record(
      `first sync of ${figure.username}, ${label}`,
      `${figure.documents.toLocaleString('en-US')} documents, ${(figure.bytes / 1024).toFixed(1)} KiB on the wire, ${figure.seconds.toFixed(1)} s`,
      kinds,
    );
  }
}
