/**
 * Identity attacks from issue 10, tried from outside as an attacker would. Each test is named by
 * the attack; each failed on the code before its fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../access/passwords.ts';
import { createApp, type App, type AppDeps } from '../app.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { appFixture, call, DEMO_PASSWORD, freshAddress, type AppFixture } from '../test/app-fixture.ts';

let f: AppFixture;

beforeAll(async () => {
  f = await appFixture();
});
afterAll(async () => {
  await f.close();
});

/** Another app on the fixture's store and clock, with its own settings (throttles, proxies, links). */
function appWith(config: AppDeps['config'], mailer: AppDeps['mailer'] = memoryMailer()): App {
  return createApp({ store: f.store, clock: () => f.now.value, mailer, config });
}

async function post(app: App, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'vitest', 'x-forwarded-for': freshAddress(), ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

let accountCounter = 0;
/** An active guardian account nobody else in this file uses, with a password the test knows. */
async function familyAccount(password: string, level: 'elementary' | 'middle' | 'high' = 'high'): Promise<{ id: string; username: string; personId: string }> {
  accountCounter += 1;
  const [row] = await f.store.query<{ id: string; person_id: string }>(
    `SELECT a.id, a.person_id FROM accounts a
       JOIN guardianships g ON g.district_id = a.district_id AND g.guardian_person_id = a.person_id AND NOT g.deleted
       JOIN enrollments e ON e.student_id = g.student_id AND e.end_date IS NULL JOIN schools k ON k.id = e.school_id
      WHERE a.status = 'active' AND a.username NOT LIKE 'demo-%' AND a.username NOT LIKE 'attack.%' AND k.level = $1
        AND NOT EXISTS (SELECT 1 FROM guardianships g2 JOIN enrollments e2 ON e2.student_id = g2.student_id AND e2.end_date IS NULL
                         JOIN schools k2 ON k2.id = e2.school_id WHERE g2.guardian_person_id = a.person_id AND k2.level <> $1)
      ORDER BY a.id LIMIT 1`,
    [level],
  );
  const username = `attack.${accountCounter}.${row!.id.slice(0, 6)}`;
  await f.store.query(`UPDATE accounts SET username = $2, password_hash = $3, failed_logins = 0 WHERE id = $1`, [row!.id, username, await hashPassword(password)]);
  return { id: row!.id, username, personId: row!.person_id };
}

async function lastLoggedAddress(accountId: string): Promise<string> {
  const [row] = await f.store.query<{ ip: string }>(`SELECT ip FROM access_log WHERE account_id = $1 ORDER BY id DESC LIMIT 1`, [accountId]);
  return row!.ip;
}

describe('hole 4: a client that writes its own X-Forwarded-For', () => {
  it('cannot rotate the leftmost entry past the address throttle behind one trusted proxy', async () => {
    const app = appWith({ trustProxy: true, loginFailuresPerAddress: 3, publicUrl: 'https://homeroom.test' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      // The client wrote a new address each time; the proxy appended the one it really saw.
      const reply = await post(app, '/api/auth/login', { username: `nobody-${i}`, password: 'wrong password' }, { 'x-forwarded-for': `10.9.8.${i}, 198.51.100.200` });
      statuses.push(reply.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('cannot forge the address in the access log', async () => {
    const account = await familyAccount('proxy test password');
    await post(f.app, '/api/auth/login', { username: account.username, password: 'not it' }, { 'x-forwarded-for': '6.6.6.6, 198.51.100.201' });
    expect(await lastLoggedAddress(account.id)).toBe('198.51.100.201');
  });

  it('is read behind two trusted proxies as the address the outer proxy saw', async () => {
    const app = appWith({ trustProxy: 2, publicUrl: 'https://homeroom.test' });
    const account = await familyAccount('two hops password');
    await post(app, '/api/auth/login', { username: account.username, password: 'not it' }, { 'x-forwarded-for': '6.6.6.6, 198.51.100.202, 10.0.0.5' });
    expect(await lastLoggedAddress(account.id)).toBe('198.51.100.202');
    // Fewer entries than hops: the request came in behind the outer proxy; take the oldest entry.
    await post(app, '/api/auth/login', { username: account.username, password: 'not it' }, { 'x-forwarded-for': '198.51.100.203' });
    expect(await lastLoggedAddress(account.id)).toBe('198.51.100.203');
  });

  it('still signs in through the test proxy that sets one address', async () => {
    expect((await call(f.app, 'POST', '/api/auth/login', { body: { username: 'demo-guardian', password: DEMO_PASSWORD } })).status).toBe(200);
  });
});
