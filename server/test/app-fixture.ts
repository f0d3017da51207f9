import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { DEVELOPMENT_MFA_KEY, SecretBox, totpCode } from '../access/second-factor.ts';
import { createApp, type App } from '../app.ts';
import { isSecondFactorChallenge, type SecondFactorChallenge } from '../contract/auth.ts';
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
  signsInWithSecondFactor(app, { store, clock: () => now.value });
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

/** What `signIn` needs to answer an app's second-factor challenges: its store, its clock, its MFA key. */
interface SecondFactorContext {
  store: Store;
  clock: () => Date;
  /** The key the app (and the seed) sealed secrets with; the development key when absent. */
  mfaKey?: Uint8Array;
}

const secondFactorContexts = new WeakMap<App, SecondFactorContext>();

/**
 * Lets `signIn` answer this app's second-factor challenges (appFixture's apps already do): with
 * the code from the account's stored secret (a demo account's is the one its seed derived), or by
 * enrolling with the secret the server offers.
 */
export function signsInWithSecondFactor(app: App, context: SecondFactorContext): void {
  secondFactorContexts.set(app, context);
}

/**
 * The authenticator code `username` would type now (the app's clock), from the secret stored for
 * the account, unsealed as the server does. The account's last used step is forgotten first: tests
 * sign in as one account several times within a 30-second step (mfa-attacks.test.ts shows that a
 * real replay fails).
 */
export async function currentCode(app: App, username: string): Promise<string> {
  const context = secondFactorContexts.get(app);
  if (!context) throw new Error(`${username} needs a second factor: build the app with appFixture, or pass it to signsInWithSecondFactor`);
  const [row] = await context.store.query<{ district_id: string; account_id: string; secret_sealed: string }>(
    `UPDATE second_factors f SET last_used_step = NULL FROM accounts a
      WHERE f.district_id = a.district_id AND f.account_id = a.id AND lower(a.username) = lower($1) RETURNING f.district_id, f.account_id, f.secret_sealed`,
    [username],
  );
  const secret = row && new SecretBox(context.mfaKey ?? DEVELOPMENT_MFA_KEY).open(row.secret_sealed, { districtId: row.district_id, accountId: row.account_id });
  if (!secret) throw new Error(`${username} has no second factor this test can read`);
  return totpCode(secret, context.clock());
}

/** The second step of a sign-in, as a person with the authenticator app would take it. */
async function answerSecondFactor(app: App, username: string, challenge: SecondFactorChallenge, ip: string) {
  if (challenge.secondFactor === 'enrol') {
    const context = secondFactorContexts.get(app);
    if (!context || !challenge.enrolment) throw new Error(`${username} must enrol a second factor: build the app with appFixture, or pass it to signsInWithSecondFactor`);
    return call<{ accessToken: string; me: { students: Array<{ id: string }> } }>(app, 'POST', '/api/auth/second-factor/enrol', { body: { challenge: challenge.challenge, code: totpCode(challenge.enrolment.secret, context.clock()) }, ip });
  }
  return call<{ accessToken: string; me: { students: Array<{ id: string }> } }>(app, 'POST', '/api/auth/second-factor/verify', { body: { challenge: challenge.challenge, code: await currentCode(app, username) }, ip });
}

/** Signs in as `username`; staff holding a tool right also show their second factor (enrolling when they have none). */
export async function signIn(app: App, username: string, password = DEMO_PASSWORD) {
  const ip = freshAddress();
  let reply = await call<{ accessToken: string; me: { students: Array<{ id: string }> } } | SecondFactorChallenge>(app, 'POST', '/api/auth/login', { body: { username, password }, ip });
  if (reply.status === 200 && isSecondFactorChallenge(reply.body)) reply = await answerSecondFactor(app, username, reply.body, ip);
  if (reply.status !== 200 || isSecondFactorChallenge(reply.body)) throw new Error(`sign-in as ${username} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { token: reply.body.accessToken, refresh: reply.refresh!, me: reply.body.me };
}
