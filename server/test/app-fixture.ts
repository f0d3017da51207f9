import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp, type App } from '../app.ts';
import type { Store } from '../db/store.ts';
import { memoryMailer, type Mail } from '../mail/mailer.ts';
import { defaultSeedOptions, seedDistrict, DEMO_PASSWORD, type SeedSummary } from '../seed/generate.ts';
import { migratedPglite } from './stores.ts';
import { morningOf, testDay } from './test-day.ts';

export { DEMO_PASSWORD };

/** A seeded demo district behind the real app, with a clock the test can move. */
export interface AppFixture {
  app: App;
  store: Store;
  district: SeedSummary;
  /** The day the district was seeded for, where the clock started. */
  today: string;
  sent: Mail[];
  now: { value: Date };
  advance(ms: number): void;
  close(): Promise<void>;
}

/**
 * `today` is the day the district is seeded for and the clock stands at (mid-morning), until the
 * test moves it: the run's day by default (server/test/test-day.ts). A test whose dates are
 * written out passes the day they belong to.
 */
export async function appFixture(options: { students?: number; today?: string } = {}): Promise<AppFixture> {
  const today = options.today ?? testDay();
  const store = await migratedPglite();
  const district = await seedDistrict(store, { ...defaultSeedOptions(today), students: options.students ?? 100 });
  const now = { value: morningOf(today) };
  const mailer = memoryMailer();
  const app = createApp({ store, clock: () => now.value, mailer, config: { trustProxy: true, publicUrl: 'https://homeroom.test' } });
  return {
    app, store, district, today, sent: mailer.sent, now,
    advance(ms) {
      now.value = new Date(now.value.getTime() + ms);
    },
    close: () => store.close(),
  };
}

/** An app served on a loopback port: `base` is its address; `close` stops it, dropping open connections (streams). */
export async function listen(app: App): Promise<{ base: string; close(): Promise<void> }> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      (server as Server).closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A seeded demo district behind the real app and a real HTTP server, for clients (RxDB devices) that fetch. */
export interface ServedAppFixture extends AppFixture {
  base: string;
}

export async function servedAppFixture(options: { students?: number; today?: string } = {}): Promise<ServedAppFixture> {
  const fixture = await appFixture(options);
  const server = await listen(fixture.app);
  return {
    ...fixture,
    base: server.base,
    async close() {
      await server.close();
      await fixture.close();
    },
  };
}

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  /** The refresh token the response set, if any. */
  refresh: string | null;
}

let addressCounter = 0;
/** Each call gets its own client address unless one is given, so throttling stays per test. */
export function freshAddress(): string {
  addressCounter += 1;
  return `203.0.113.${addressCounter % 250}`;
}

export async function call<T = any>(
  app: App,
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; token?: string; refresh?: string; ip?: string; language?: string } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { 'x-forwarded-for': options.ip ?? freshAddress(), 'user-agent': 'vitest' };
  if (options.body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.refresh) headers.cookie = `hr_refresh=${options.refresh}`;
  if (options.language) headers['accept-language'] = options.language;
  const response = await app.request(path, { method, headers, body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)) });
  const text = await response.text();
  const cookie = response.headers.get('set-cookie') ?? '';
  const refresh = /hr_refresh=([^;]*)/.exec(cookie)?.[1] || null;
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers, refresh };
}

export async function signIn(app: App, username: string, password = DEMO_PASSWORD) {
  const reply = await call<{ accessToken: string; me: { students: Array<{ id: string }> } }>(app, 'POST', '/api/auth/login', { body: { username, password } });
  if (reply.status !== 200) throw new Error(`sign-in as ${username} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { token: reply.body.accessToken, refresh: reply.refresh!, me: reply.body.me };
}
