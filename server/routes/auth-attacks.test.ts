/**
 * Identity attacks from issue 10, tried from outside as an attacker would. Each test is named by
 * the attack; each failed on the code before its fix.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../access/passwords.ts';
import { createApp, type App, type AppDeps } from '../app.ts';
import { memoryMailer, type Mail } from '../mail/mailer.ts';
import { appFixture, call, DEMO_PASSWORD, freshAddress, listen, signIn, signsInWithSecondFactor, type AppFixture } from '../test/app-fixture.ts';

let f: AppFixture;

beforeAll(async () => {
  f = await appFixture();
});
afterAll(async () => {
  await f.close();
});

/** Another app on the fixture's store and clock, with its own settings (throttles, proxies, links). */
function appWith(config: AppDeps['config'], mailer: AppDeps['mailer'] = memoryMailer()): App {
  const app = createApp({ store: f.store, clock: () => f.now.value, mailer, config });
  signsInWithSecondFactor(app, { store: f.store, clock: () => f.now.value });
  return app;
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
/**
 * An active guardian account nobody else in this file uses, with a password the test knows: with
 * a child at a high school (demo-office's), or with children at elementary schools only.
 */
async function familyAccount(password: string, children: 'at a high school' | 'at elementary schools only' = 'at a high school'): Promise<{ id: string; username: string; personId: string }> {
  accountCounter += 1;
  const [row] = await f.store.query<{ id: string; person_id: string }>(
    `SELECT a.id, a.person_id FROM accounts a
       JOIN guardianships g ON g.district_id = a.district_id AND g.guardian_person_id = a.person_id AND NOT g.deleted
       JOIN enrollments e ON e.student_id = g.student_id AND e.end_date IS NULL JOIN schools k ON k.id = e.school_id
      WHERE a.status = 'active' AND a.username NOT LIKE 'demo-%' AND a.username NOT LIKE 'attack.%'
        AND k.level = $1 AND ($1 = 'high' OR NOT EXISTS (
          SELECT 1 FROM guardianships g2 JOIN enrollments e2 ON e2.student_id = g2.student_id AND e2.end_date IS NULL
            JOIN schools k2 ON k2.id = e2.school_id WHERE g2.guardian_person_id = a.person_id AND k2.level <> $1))
      ORDER BY a.id LIMIT 1`,
    [children === 'at a high school' ? 'high' : 'elementary'],
  );
  const username = `attack.${accountCounter}.${row!.id.slice(0, 6)}`;
  await f.store.query(`UPDATE accounts SET username = $2, password_hash = $3, failed_logins = 0 WHERE id = $1`, [row!.id, username, await hashPassword(password)]);
  return { id: row!.id, username, personId: row!.person_id };
}

/** Polls until `found` returns something (mail is sent after the response), or fails after `ms`. */
async function eventually<T>(found: () => T | undefined | null | false, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = found();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A raw HTTP request, so the test can set Host as an attacker would. */
function rawPost(base: string, path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

async function emailOf(accountId: string, email: string): Promise<void> {
  await f.store.query(`UPDATE people SET email = $2 WHERE id = (SELECT person_id FROM accounts WHERE id = $1)`, [accountId, email]);
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

describe('hole 1: links that follow the Host header', () => {
  it('a forgot-password mail asked for with Host: evil.example links to the configured origin, not the attacker’s', async () => {
    const mailer = memoryMailer();
    // No PUBLIC_URL: a development server on a loopback address.
    const app = appWith({ trustProxy: true }, mailer);
    const server = await listen(app);
    try {
      const account = await familyAccount('host header password');
      await emailOf(account.id, 'host.header@example.com');
      const port = new URL(server.base).port;
      const attempts: Array<Record<string, string>> = [{ host: 'evil.example' }, { host: `127.0.0.1:${port}`, 'x-forwarded-host': 'evil.example' }];
      for (const headers of attempts) {
        const before = mailer.sent.length;
        const reply = await rawPost(server.base, '/api/auth/forgot', { username: account.username }, headers);
        expect(reply.status).toBe(202);
        const mail = await eventually(() => mailer.sent[before]);
        expect(mail.text).not.toContain('evil.example');
        expect(mail.text).toContain(`http://localhost:${port}/#/reset?token=`);
      }
    } finally {
      await server.close();
    }
  });

  it('activation letters printed with Host: evil.example send families to the configured origin', async () => {
    const app = appWith({ trustProxy: true });
    const server = await listen(app);
    try {
      const office = await signIn(app, 'demo-office');
      const [highSchool] = await f.store.query<{ id: string }>(`SELECT id FROM schools WHERE level = 'high' ORDER BY code LIMIT 1`);
      const [unclaimed] = await f.store.query<{ id: string }>(
        `SELECT a.id FROM accounts a JOIN guardianships g ON g.guardian_person_id = a.person_id JOIN enrollments e ON e.student_id = g.student_id AND e.end_date IS NULL
          WHERE a.status = 'unclaimed' AND e.school_id = $1 ORDER BY a.id DESC LIMIT 1`,
        [highSchool!.id],
      );
      const letter = await rawPost(server.base, '/api/staff/accounts/activation-letters', { accountIds: [unclaimed!.id] }, { host: 'evil.example', authorization: `Bearer ${office.token}` });
      expect(letter.status).toBe(200);
      expect(letter.text).not.toContain('evil.example');
      expect(letter.text).toContain(`http://localhost:${new URL(server.base).port}`);
    } finally {
      await server.close();
    }
  });

  it('without PUBLIC_URL and off loopback, no link is made from the request at all', async () => {
    const mailer = memoryMailer();
    const app = appWith({ trustProxy: true }, mailer);
    const account = await familyAccount('no origin password');
    await emailOf(account.id, 'no.origin@example.com');
    const reply = await app.request('http://evil.example/api/auth/forgot', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': freshAddress(), host: 'evil.example' },
      body: JSON.stringify({ username: account.username }),
    });
    expect(reply.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailer.sent.filter((mail: Mail) => mail.text.includes('evil.example'))).toEqual([]);
  });
});

describe('hole 7: telling real usernames from made-up ones', () => {
  it('forgot answers before any mail is sent, so a real account is not slower than an unknown one', async () => {
    // A mail server that takes its time: the answer must not wait for it.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const delivered: Mail[] = [];
    const app = appWith({ trustProxy: true, publicUrl: 'https://homeroom.test' }, { send: async (mail) => { await gate; delivered.push(mail); } });
    const account = await familyAccount('slow mail password');
    await emailOf(account.id, 'slow.mail@example.com');
    const timed = async (username: string) => {
      const started = performance.now();
      const reply = await Promise.race([post(app, '/api/auth/forgot', { username }), new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000))]);
      return { status: reply?.status ?? 'no answer in 2 s', ms: performance.now() - started };
    };
    const unknown = await timed('nobody-at-all-here');
    const real = await timed(account.username);
    expect(real.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(delivered).toEqual([]);
    release();
    const mail = await eventually(() => delivered.find((m) => m.to === 'slow.mail@example.com'));
    expect(mail.text).toContain('https://homeroom.test/#/reset?token=');
  });

  it('forgot still answers 202 when the mail server fails, and the failure is logged, not thrown', async () => {
    const app = appWith({ trustProxy: true, publicUrl: 'https://homeroom.test' }, { send: async () => { throw new Error('mail server down'); } });
    const account = await familyAccount('failing mail password');
    await emailOf(account.id, 'failing.mail@example.com');
    const errors: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      expect((await post(app, '/api/auth/forgot', { username: account.username })).status).toBe(202);
      await eventually(() => errors.some((args) => args.join(' ').includes('mail server down')));
    } finally {
      console.error = original;
    }
  });
});

describe('hole 6: one address locking a whole building out', () => {
  it('a student failing again and again behind the school’s one address does not keep other families out', async () => {
    const school = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await post(f.app, '/api/auth/login', { username: 'forgetful-student', password: `guess ${i}` }, { 'x-forwarded-for': school })).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    // The next family at the media center signs in.
    expect((await post(f.app, '/api/auth/login', { username: 'demo-guardian', password: DEMO_PASSWORD }, { 'x-forwarded-for': school })).status).toBe(200);
  });

  it('a password sprayer from one address still meets the per-address ceiling', async () => {
    const app = appWith({ trustProxy: true, loginFailuresPerAddress: 5, publicUrl: 'https://homeroom.test' });
    const sprayer = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(app, '/api/auth/login', { username: `sprayed-${i}`, password: 'Summer2026!' }, { 'x-forwarded-for': sprayer })).status);
    expect(statuses).toEqual(Array(5).fill(401));
    const blocked = await post(app, '/api/auth/login', { username: 'demo-guardian', password: DEMO_PASSWORD }, { 'x-forwarded-for': sprayer });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('hole 7: a locked or disabled account tells who exists', () => {
  it('a locked account answers a wrong password exactly like a username that does not exist', async () => {
    const account = await familyAccount('locked account password');
    await f.store.query(`UPDATE accounts SET status = 'disabled', disabled_reason = 'lockout', failed_logins = 3 WHERE id = $1`, [account.id]);
    const unknown = await post(f.app, '/api/auth/login', { username: 'no-one-by-this-name', password: 'a wrong password' });
    const locked = await post(f.app, '/api/auth/login', { username: account.username, password: 'a wrong password' });
    expect(locked.status).toBe(401);
    expect(locked.body).toEqual(unknown.body);
    // Only the right password learns why it cannot sign in.
    const right = await post(f.app, '/api/auth/login', { username: account.username, password: 'locked account password' });
    expect(right.status).toBe(403);
    expect(right.body.error).toMatchObject({ code: 'account_disabled', details: { reason: 'lockout' } });
  });

  it('an account disabled by staff answers a wrong password exactly like a username that does not exist', async () => {
    const account = await familyAccount('disabled account password');
    await f.store.query(`UPDATE accounts SET status = 'disabled', disabled_reason = 'staff' WHERE id = $1`, [account.id]);
    const unknown = await post(f.app, '/api/auth/login', { username: 'no-one-by-this-name-2', password: 'a wrong password' });
    const disabled = await post(f.app, '/api/auth/login', { username: account.username, password: 'a wrong password' });
    expect(disabled.status).toBe(401);
    expect(disabled.body).toEqual(unknown.body);
    expect((await post(f.app, '/api/auth/login', { username: account.username, password: 'disabled account password' })).body.error).toMatchObject({ code: 'account_disabled', details: { reason: 'staff' } });
  });

  it('the wrong password that locks an account answers like any other wrong password', async () => {
    const account = await familyAccount('about to lock password');
    const address = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(f.app, '/api/auth/login', { username: account.username, password: `wrong ${i}` }, { 'x-forwarded-for': address })).status);
    expect(statuses).toEqual([401, 401, 401]);
    const [row] = await f.store.query<{ status: string }>(`SELECT status FROM accounts WHERE id = $1`, [account.id]);
    expect(row!.status).toBe('disabled');
  });
});

describe('hole 3: unauthenticated password hashing starves sign-in', () => {
  it('a made-up activation key costs no password hashing', async () => {
    const started = performance.now();
    await hashPassword('one hash, for scale');
    const oneHash = performance.now() - started;
    const address = freshAddress();
    const claims = performance.now();
    for (let i = 0; i < 5; i++) {
      const reply = await post(f.app, '/api/auth/claim', { key: `FAKE-KEY${i}-ZZZZ`, username: `bogus.claim.${i}`, password: 'a long enough new password' }, { 'x-forwarded-for': address });
      expect(reply.body.error.code).toBe('invalid_key');
    }
    // Five bogus claims together take less than one hash: none of them hashed.
    expect(performance.now() - claims).toBeLessThan(oneHash);
  });

  it('password work beyond a short waiting line is refused at once with 503, Retry-After and a translated message', async () => {
    const app = appWith({ trustProxy: true, publicUrl: 'https://homeroom.test', passwordHashing: { concurrency: 2, waitingLine: 1 } });
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => post(app, '/api/auth/login', { username: `flood-${i}`, password: 'wrong password' }, { 'accept-language': 'es' })),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(2);
    const busy = replies.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    for (const reply of busy) {
      expect(reply.body.error.code).toBe('server_busy');
      expect(reply.body.error.message).toMatch(/intente|inténtelo/i);
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('an address guessing activation keys is throttled before it can guess more', async () => {
    const address = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await post(f.app, '/api/auth/claim', { key: `GUES-SKEY-${String(i).padStart(4, 'X')}`, username: 'key.guesser', password: 'a long enough new password' }, { 'x-forwarded-for': address })).status);
    expect(statuses).toEqual([...Array(20).fill(400), 429]);
  });

  it('an address guessing reset tokens is throttled before it can guess more', async () => {
    const address = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await post(f.app, '/api/auth/reset', { token: `guessed-token-${i}`, password: 'a long enough new password' }, { 'x-forwarded-for': address })).status);
    expect(statuses).toEqual([...Array(20).fill(400), 429]);
  });
});

describe('hole 5: old reset links outlive a reset', () => {
  async function resetLink(account: { username: string }, email: string): Promise<string> {
    const before = f.sent.length;
    expect((await post(f.app, '/api/auth/forgot', { username: account.username })).status).toBe(202);
    const mail = await eventually(() => f.sent.slice(before).find((m) => m.to === email));
    return /#\/reset\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
  }

  it('a reset link mailed before a password change no longer works after it', async () => {
    const account = await familyAccount('first password here');
    await emailOf(account.id, 'changed.password@example.com');
    const stolen = await resetLink(account, 'changed.password@example.com');
    const { token } = await signIn(f.app, account.username, 'first password here');
    expect((await call(f.app, 'POST', '/api/me/password', { token, body: { currentPassword: 'first password here', newPassword: 'second password here' } })).status).toBe(204);
    const reply = await post(f.app, '/api/auth/reset', { token: stolen, password: 'the attacker’s password' });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('invalid_token');
  });

  it('an older reset link no longer works once a newer one was used', async () => {
    const account = await familyAccount('forgotten password');
    await emailOf(account.id, 'two.links@example.com');
    const older = await resetLink(account, 'two.links@example.com');
    const newer = await resetLink(account, 'two.links@example.com');
    expect((await post(f.app, '/api/auth/reset', { token: newer, password: 'the owner’s new password' })).status).toBe(204);
    expect((await post(f.app, '/api/auth/reset', { token: older, password: 'the attacker’s password' })).body.error.code).toBe('invalid_token');
    expect((await post(f.app, '/api/auth/login', { username: account.username, password: 'the owner’s new password' })).status).toBe(200);
  });

  it('an outstanding activation key of the account is voided by a reset', async () => {
    const account = await familyAccount('another forgotten password');
    await emailOf(account.id, 'old.key@example.com');
    const [key] = await f.store.query<{ id: string }>(
      `INSERT INTO activation_keys (district_id, id, account_id, key_hash, expires_at)
       SELECT district_id, gen_random_uuid(), id, 'left-over-key-' || id, $2 FROM accounts WHERE id = $1 RETURNING id`,
      [account.id, new Date(f.now.value.getTime() + 30 * 86_400_000)],
    );
    const link = await resetLink(account, 'old.key@example.com');
    expect((await post(f.app, '/api/auth/reset', { token: link, password: 'a new password for sure' })).status).toBe(204);
    const [row] = await f.store.query<{ revoked_at: Date | null }>(`SELECT revoked_at FROM activation_keys WHERE id = $1`, [key!.id]);
    expect(row!.revoked_at).not.toBeNull();
  });
});

describe('hole 2: a staff reset hands the family’s account to the staff member', () => {
  let highSchool: { id: string; name: string };
  beforeAll(async () => {
    [highSchool] = (await f.store.query<{ id: string; name: string }>(`SELECT id, name FROM schools WHERE level = 'high' ORDER BY code LIMIT 1`)) as [{ id: string; name: string }];
  });

  async function resetLetter(token: string, accountId: string) {
    const response = await f.app.request(`/api/staff/accounts/${accountId}/reset-letter`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-forwarded-for': freshAddress(), 'user-agent': 'vitest' },
      body: '{}',
    });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type') ?? '', text, body: text.startsWith('{') ? JSON.parse(text) : null };
  }
  const codeIn = (letter: string) => /class="key">([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</.exec(letter)![1]!;

  it('gives the office no link to open: a printed letter with a one-time code, in the family’s language', async () => {
    const office = await signIn(f.app, 'demo-office');
    const account = await familyAccount('family password one');
    await f.store.query(`UPDATE accounts SET preferred_language = 'vi' WHERE id = $1`, [account.id]);
    // The old route that answered with a usable link is gone.
    expect((await call(f.app, 'POST', `/api/staff/accounts/${account.id}/reset-link`, { token: office.token })).status).toBe(404);
    const letter = await resetLetter(office.token, account.id);
    expect(letter.status).toBe(200);
    expect(letter.type).toMatch(/text\/html/);
    expect(letter.text).toContain('lang="vi"');
    expect(letter.text).not.toMatch(/token=|#\/reset\?token/);
    expect(letter.text).toContain('https://homeroom.test/#/reset?code');
    expect(letter.text).toContain(account.username);
    expect(codeIn(letter.text)).toBeTruthy();
  });

  it('the printed code works only with the account’s username, only once, and never as a link token', async () => {
    const office = await signIn(f.app, 'demo-office');
    const account = await familyAccount('family password two');
    const code = codeIn((await resetLetter(office.token, account.id)).text);
    expect((await post(f.app, '/api/auth/reset', { token: code, password: 'a brand new password' })).body.error.code).toBe('invalid_token');
    expect((await post(f.app, '/api/auth/reset', { username: 'demo-guardian', code, password: 'a brand new password' })).body.error.code).toBe('invalid_code');
    expect((await post(f.app, '/api/auth/reset', { username: account.username.toUpperCase(), code: code.toLowerCase().replace(/-/g, ' '), password: 'a brand new password' })).status).toBe(204);
    expect((await post(f.app, '/api/auth/login', { username: account.username, password: 'a brand new password' })).status).toBe(200);
    expect((await post(f.app, '/api/auth/reset', { username: account.username, code, password: 'yet another password' })).body.error.code).toBe('invalid_code');
  });

  it('ends every session, tells the owner at once in their language naming the school, and shows in the owner’s access log', async () => {
    const office = await signIn(f.app, 'demo-office');
    const account = await familyAccount('family password three');
    await f.store.query(`UPDATE accounts SET preferred_language = 'es' WHERE id = $1`, [account.id]);
    await emailOf(account.id, 'told.at.once@example.com');
    const phone = await signIn(f.app, account.username, 'family password three');
    const before = f.sent.length;
    expect((await resetLetter(office.token, account.id)).status).toBe(200);
    expect((await call(f.app, 'GET', '/api/me', { token: phone.token })).status).toBe(401);
    expect((await call(f.app, 'POST', '/api/auth/refresh', { refresh: phone.refresh })).status).toBe(401);
    const mail = await eventually(() => f.sent.slice(before).find((m) => m.to === 'told.at.once@example.com'));
    expect(mail.subject).toMatch(/contraseña/i);
    expect(mail.text).toContain(highSchool.name);
    expect(mail.text).toContain(account.username);
    // The messages on the family's devices say it too.
    const messages = await f.store.query<{ subject: string; body: string }>(
      `SELECT m.subject, m.body FROM messages m JOIN message_recipients r ON r.message_id = m.id WHERE r.person_id = $1 AND m.sent_at = $2`,
      [account.personId, f.now.value],
    );
    expect(messages).toEqual([{ subject: mail.subject, body: mail.text }]);
    // The password did not change: the owner can still sign in, and reads who reset it.
    const owner = await signIn(f.app, account.username, 'family password three');
    const log = await call(f.app, 'GET', '/api/me/access-log', { token: owner.token });
    expect(log.body.entries.map((e: { event: string }) => e.event)).toContain('password.reset_by_staff');
    const [entry] = await f.store.query<{ detail: { school: string; by: string } }>(`SELECT detail FROM access_log WHERE account_id = $1 AND event = 'password.reset_by_staff'`, [account.id]);
    expect(entry!.detail).toMatchObject({ school: highSchool.name, by: 'demo-office' });
  });

  it('the owner changing their password voids the code the office printed', async () => {
    const office = await signIn(f.app, 'demo-office');
    const account = await familyAccount('family password four');
    const code = codeIn((await resetLetter(office.token, account.id)).text);
    const owner = await signIn(f.app, account.username, 'family password four');
    expect((await call(f.app, 'POST', '/api/me/password', { token: owner.token, body: { currentPassword: 'family password four', newPassword: 'only the owner knows' } })).status).toBe(204);
    expect((await post(f.app, '/api/auth/reset', { username: account.username, code, password: 'the office’s password' })).body.error.code).toBe('invalid_code');
  });

  it('a staff member may reset only people tied to a student at one of her schools', async () => {
    const office = await signIn(f.app, 'demo-office');
    const elementaryFamily = await familyAccount('elementary family password', 'at elementary schools only');
    const refused = await resetLetter(office.token, elementaryFamily.id);
    expect(refused.status).toBe(403);
    // A colleague is no family of a student: not hers to reset, even at her own school.
    const [colleague] = await f.store.query<{ id: string }>(
      `SELECT a.id FROM accounts a JOIN staff t ON t.person_id = a.person_id JOIN staff_locations l ON l.staff_id = t.id
        WHERE l.school_id = $1 AND a.username <> 'demo-office' AND a.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM guardianships g WHERE g.guardian_person_id = a.person_id) LIMIT 1`,
      [highSchool.id],
    );
    expect((await resetLetter(office.token, colleague!.id)).status).toBe(403);
    const refusedEvents = await f.store.query(`SELECT 1 FROM access_log WHERE account_id = ANY($1::uuid[]) AND event = 'password.reset_by_staff'`, [[elementaryFamily.id, colleague!.id]]);
    expect(refusedEvents).toEqual([]);
  });

  it('a staff member makes at most the district’s daily number of resets, each audited', async () => {
    const office = await signIn(f.app, 'demo-office');
    const [{ staff_resets_per_day: was }] = (await f.store.query<{ staff_resets_per_day: number }>(`SELECT staff_resets_per_day FROM districts`)) as [{ staff_resets_per_day: number }];
    expect(was).toBe(20);
    const [{ id: officeAccountId }] = (await f.store.query<{ id: string }>(`SELECT id FROM accounts WHERE username = 'demo-office'`)) as [{ id: string }];
    const [{ n: madeBefore }] = (await f.store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM password_resets r JOIN staff t ON t.id = r.issued_by_staff_id JOIN accounts a ON a.person_id = t.person_id WHERE a.username = 'demo-office'`,
    )) as [{ n: number }];
    await f.store.query(`UPDATE districts SET staff_resets_per_day = $1`, [madeBefore + 2]);
    try {
      const auditsBefore = await f.store.query(`SELECT 1 FROM audit_trail WHERE actor_account_id = $1 AND table_name = 'password_resets' AND action = 'insert'`, [officeAccountId]);
      const accounts = [await familyAccount('limit one'), await familyAccount('limit two'), await familyAccount('limit three')];
      expect((await resetLetter(office.token, accounts[0]!.id)).status).toBe(200);
      expect((await resetLetter(office.token, accounts[1]!.id)).status).toBe(200);
      const third = await resetLetter(office.token, accounts[2]!.id);
      expect(third.status).toBe(429);
      expect(third.body.error.code).toBe('reset_limit_reached');
      const auditsAfter = await f.store.query(`SELECT 1 FROM audit_trail WHERE actor_account_id = $1 AND table_name = 'password_resets' AND action = 'insert'`, [officeAccountId]);
      expect(auditsAfter.length - auditsBefore.length).toBe(2);
      f.advance(24 * 3600_000 + 60_000);
      try {
        const later = await signIn(f.app, 'demo-office');
        expect((await resetLetter(later.token, accounts[2]!.id)).status).toBe(200);
      } finally {
        f.advance(-(24 * 3600_000 + 60_000));
      }
    } finally {
      await f.store.query(`UPDATE districts SET staff_resets_per_day = $1`, [was]);
    }
  });
});
