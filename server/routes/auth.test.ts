import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../access/passwords.ts';
import { createApp } from '../app.ts';
import { memoryMailer, type Mail } from '../mail/mailer.ts';
import { AUDIENCE, hashSecret, ISSUER } from '../access/tokens.ts';
import { appFixture, call, DEMO_PASSWORD, freshAddress, signIn, type AppFixture } from '../test/app-fixture.ts';
import { normalizeActivationKey } from './auth.ts';

let f: AppFixture;

beforeAll(async () => {
  f = await appFixture();
});
afterAll(async () => {
  await f.close();
});

/** An active account of a guardian at the given school level, with a password the test knows. */
async function guardianAccount(level: 'elementary' | 'high', password: string): Promise<{ id: string; username: string }> {
  const [row] = await f.store.query<{ id: string }>(
    `SELECT a.id FROM accounts a
       JOIN guardianships g ON g.district_id = a.district_id AND g.guardian_person_id = a.person_id
       JOIN enrollments e ON e.student_id = g.student_id JOIN schools k ON k.id = e.school_id
      WHERE a.status = 'active' AND a.username NOT LIKE 'demo-%' AND k.level = $1
        AND a.id NOT IN (SELECT account_id FROM access_log WHERE account_id IS NOT NULL)
      ORDER BY a.id LIMIT 1`,
    [level],
  );
  const username = `test.${row!.id.slice(0, 8)}`;
  await f.store.query(`UPDATE accounts SET username = $2, password_hash = $3 WHERE id = $1`, [row!.id, username, await hashPassword(password)]);
  return { id: row!.id, username };
}

/** The first mail to `to` sent after the first `after` mails; mail goes out after the answer, so wait for it. */
async function mailTo(to: string, after: number): Promise<Mail> {
  const until = Date.now() + 5000;
  for (;;) {
    const mail = f.sent.slice(after).find((m) => m.to === to);
    if (mail) return mail;
    if (Date.now() > until) throw new Error(`no mail to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('POST /api/auth/login', () => {
  it('signs a guardian in: access token, HttpOnly refresh cookie, and her three children', async () => {
    const reply = await call(f.app, 'POST', '/api/auth/login', { body: { username: 'demo-guardian', password: DEMO_PASSWORD } });
    expect(reply.status).toBe(200);
    expect(reply.body.expiresIn).toBe(900);
    expect(reply.body.accessToken.split('.')).toHaveLength(3);
    const cookie = reply.headers.get('set-cookie')!;
    expect(cookie).toMatch(/hr_refresh=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api\/auth/);
    expect(reply.body.me.roles).toEqual(['guardian']);
    expect(reply.body.me.students).toHaveLength(3);
    expect(await f.store.query(`SELECT 1 FROM sessions WHERE refresh_hash = $1`, [hashSecret(reply.refresh!)])).toHaveLength(1);
  });

  it('takes the username in any case', async () => {
    expect((await call(f.app, 'POST', '/api/auth/login', { body: { username: 'DEMO-Student', password: DEMO_PASSWORD } })).status).toBe(200);
  });

  it('says only "invalid credentials" for a wrong password or an unknown user, translated', async () => {
    const wrong = await call(f.app, 'POST', '/api/auth/login', { body: { username: 'demo-teacher', password: 'not the password' }, language: 'es' });
    const unknown = await call(f.app, 'POST', '/api/auth/login', { body: { username: 'nobody-here', password: 'whatever123' }, language: 'es' });
    for (const reply of [wrong, unknown]) {
      expect(reply.status).toBe(401);
      expect(reply.body.error.code).toBe('invalid_credentials');
      expect(reply.body.error.message).toMatch(/no son correctos/);
    }
    // Reset the teacher's count so later tests start clean.
    await f.store.query(`UPDATE accounts SET failed_logins = 0 WHERE username = 'demo-teacher'`);
  });

  it.each([
    ['no body', undefined],
    ['not JSON', '{"username": '],
    ['an array', '[]'],
    ['a missing password', JSON.stringify({ username: 'demo-guardian' })],
    ['a number for a username', JSON.stringify({ username: 12345, password: 'x' })],
    ['an object for a password', JSON.stringify({ username: 'demo-guardian', password: { $ne: '' } })],
    ['a 300-character username', JSON.stringify({ username: 'u'.repeat(300), password: 'x' })],
  ])('answers %s with 400 validation_failed', async (_what, raw) => {
    const reply = await call(f.app, 'POST', '/api/auth/login', { raw: raw ?? '' });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('validation_failed');
  });

  it('answers a unicode username with 401, not an error', async () => {
    const reply = await call(f.app, 'POST', '/api/auth/login', { body: { username: 'ñandú-Nguyễn-😀', password: 'whatever123' } });
    expect(reply.status).toBe(401);
  });

  it('refuses a huge body with 413', async () => {
    const reply = await call(f.app, 'POST', '/api/auth/login', { raw: JSON.stringify({ username: 'demo-guardian', password: 'x'.repeat(200_000) }) });
    expect(reply.status).toBe(413);
    expect(reply.body.error.code).toBe('body_too_large');
  });
});

describe('lockout', () => {
  it('disables an account after 3 wrong passwords, tells the owner, and office staff of its school lift it', async () => {
    const account = await guardianAccount('high', 'correct horse battery');
    const ip = freshAddress();
    for (let i = 1; i <= 2; i++) {
      const reply = await call(f.app, 'POST', '/api/auth/login', { body: { username: account.username, password: `wrong ${i}` }, ip });
      expect(reply.status).toBe(401);
    }
    const sentBefore = f.sent.length;
    // The attempt that locks it answers like any wrong password: no one learns the username exists.
    const third = await call(f.app, 'POST', '/api/auth/login', { body: { username: account.username, password: 'wrong 3' }, ip });
    expect(third.status).toBe(401);
    expect(third.body.error.code).toBe('invalid_credentials');
    const right = await call(f.app, 'POST', '/api/auth/login', { body: { username: account.username, password: 'correct horse battery' }, ip });
    expect(right.status).toBe(403);
    expect(right.body.error).toMatchObject({ code: 'account_disabled', details: { reason: 'lockout' } });
    const events = await f.store.query<{ event: string }>(`SELECT event FROM access_log WHERE account_id = $1 ORDER BY id`, [account.id]);
    expect(events.map((e) => e.event)).toEqual(['login.failure', 'login.failure', 'login.failure', 'login.lockout', 'login.failure']);
    const [{ email }] = (await f.store.query<{ email: string | null }>(`SELECT p.email FROM accounts a JOIN people p ON p.id = a.person_id WHERE a.id = $1`, [account.id])) as [{ email: string | null }];
    if (email) expect((await mailTo(email, sentBefore)).subject).toMatch(/locked|bloqueada|xiray|khóa/i);

    // Office staff of another school cannot lift it; the high school's office can.
    const elementaryOffice = await f.store.query<{ id: string }>(
      `SELECT a.id FROM accounts a JOIN staff t ON t.person_id = a.person_id JOIN staff_locations l ON l.staff_id = t.id
        WHERE l.role = 'office' AND l.school_id NOT IN (
          SELECT e.school_id FROM accounts g JOIN guardianships x ON x.guardian_person_id = g.person_id JOIN enrollments e ON e.student_id = x.student_id WHERE g.id = $1)
          AND EXISTS (SELECT 1 FROM tool_rights r WHERE r.staff_id = t.id AND r.tool = 'accounts' AND r.expires_on > '2026-11-24')
        LIMIT 1`,
      [account.id],
    );
    const elementaryUsername = `office.${elementaryOffice[0]!.id.slice(0, 8)}`;
    await f.store.query(`UPDATE accounts SET username = $2, password_hash = $3 WHERE id = $1`, [elementaryOffice[0]!.id, elementaryUsername, await hashPassword('office password 1')]);
    const other = await signIn(f.app, elementaryUsername, 'office password 1');
    expect((await call(f.app, 'POST', `/api/staff/accounts/${account.id}/unlock`, { token: other.token })).status).toBe(403);
    const guardian = await signIn(f.app, 'demo-guardian');
    expect((await call(f.app, 'POST', `/api/staff/accounts/${account.id}/unlock`, { token: guardian.token })).status).toBe(403);

    const office = await signIn(f.app, 'demo-office');
    expect((await call(f.app, 'POST', `/api/staff/accounts/${account.id}/unlock`, { token: office.token })).status).toBe(204);
    expect((await call(f.app, 'POST', '/api/auth/login', { body: { username: account.username, password: 'correct horse battery' } })).status).toBe(200);
    const trail = await f.store.query<{ old_values: { status: string }; new_values: { status: string } }>(`SELECT old_values, new_values FROM audit_trail WHERE row_id = $1`, [account.id]);
    expect(trail).toEqual([expect.objectContaining({ old_values: expect.objectContaining({ status: 'disabled' }), new_values: expect.objectContaining({ status: 'active' }) })]);
  });

  it('throttles one address that tries many accounts, before any of them locks', async () => {
    // The ceiling is a setting (100 by default); 10 here keeps the test short.
    const app = createApp({ store: f.store, clock: () => f.now.value, mailer: memoryMailer(), config: { trustProxy: true, publicUrl: 'https://homeroom.test', loginFailuresPerAddress: 10 } });
    const ip = freshAddress();
    const names = await f.store.query<{ username: string }>(`SELECT username FROM accounts WHERE status = 'active' AND username NOT LIKE 'demo-%' ORDER BY id LIMIT 12 OFFSET 20`);
    const statuses: number[] = [];
    for (const { username } of names) statuses.push((await call(app, 'POST', '/api/auth/login', { body: { username, password: 'spray-password-1' }, ip })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    const blocked = await call(app, 'POST', '/api/auth/login', { body: { username: 'demo-guardian', password: DEMO_PASSWORD }, ip });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await call(app, 'POST', '/api/auth/login', { body: { username: 'demo-guardian', password: DEMO_PASSWORD } })).status).toBe(200);
    await f.store.query(`UPDATE accounts SET failed_logins = 0 WHERE username NOT LIKE 'demo-%'`);
  });
});

describe('access tokens', () => {
  async function forge(payload: Record<string, unknown>, header: Record<string, unknown>, key?: CryptoKey) {
    const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', ...header }).setIssuedAt().setExpirationTime('10m');
    return jwt.sign(key ?? (await generateKeyPair('EdDSA', { crv: 'Ed25519' })).privateKey);
  }

  it('open /api/me with a valid token, and nothing without one', async () => {
    const { token } = await signIn(f.app, 'demo-teacher');
    const me = await call(f.app, 'GET', '/api/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.roles).toContain('teacher');
    expect(me.body.students.length).toBeGreaterThan(0);
    const none = await call(f.app, 'GET', '/api/me');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthenticated');
  });

  it('refuse alg none, another key, a tampered payload, a wrong audience, an embedded key, and expiry', async () => {
    const { token } = await signIn(f.app, 'demo-guardian');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const kid = JSON.parse(Buffer.from(header, 'base64url').toString()).kid;
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${payload}.`;
    const otherKey = await forge(claims, { kid });
    const tampered = `${header}.${b64({ ...claims, sub: '00000000-0000-4000-8000-000000000000' })}.${signature}`;
    const attacker = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const embedded = await forge(claims, { kid: 'attacker', jwk: await exportJWK(attacker.publicKey) }, attacker.privateKey);
    const [stored] = await f.store.query<{ private_jwk: JWK }>(`SELECT private_jwk FROM signing_keys WHERE kid = $1`, [kid]);
    const realKey = (await importJWK(stored!.private_jwk, 'EdDSA')) as CryptoKey;
    const wrongAudience = await new SignJWT({ ...claims, aud: 'someone-else' }).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid }).sign(realKey);
    const wrongIssuer = await new SignJWT({ ...claims, iss: 'evil' }).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid }).sign(realKey);
    const wrongType = await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid }).sign(realKey);
    const rightAgain = await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid }).sign(realKey);
    expect(claims).toMatchObject({ iss: ISSUER, aud: AUDIENCE });

    for (const bad of [unsigned, otherKey, tampered, embedded, wrongAudience, wrongIssuer, wrongType, 'not-a-token']) {
      expect((await call(f.app, 'GET', '/api/me', { token: bad })).status, bad.slice(0, 30)).toBe(401);
    }
    // The control: the same claims signed with the real key pass.
    expect((await call(f.app, 'GET', '/api/me', { token: rightAgain })).status).toBe(200);
    f.advance(16 * 60_000);
    try {
      expect((await call(f.app, 'GET', '/api/me', { token })).status).toBe(401);
    } finally {
      f.advance(-16 * 60_000);
    }
  });

  it('keep verifying tokens of the old key after the keys rotate', async () => {
    const { token } = await signIn(f.app, 'demo-principal');
    const oldKid = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;
    // A key signs for 30 days; 31 days on (sessions last 30 days, so refresh within the window) a new one takes over.
    f.advance(29 * 86_400_000);
    try {
      const { token: later } = await signIn(f.app, 'demo-principal');
      f.advance(2 * 86_400_000);
      const { token: rotated } = await signIn(f.app, 'demo-principal');
      const newKid = JSON.parse(Buffer.from(rotated.split('.')[0]!, 'base64url').toString()).kid;
      expect(newKid).not.toBe(oldKid);
      // A token from the old key issued minutes before rotation still works until it expires.
      f.advance(-2 * 86_400_000 + 5 * 60_000);
      expect((await call(f.app, 'GET', '/api/me', { token: later })).status).toBe(200);
    } finally {
      f.now.value = new Date('2026-11-24T15:00:00Z');
    }
  });
});

describe('refresh tokens', () => {
  it('rotate on every refresh; a reused old one revokes the whole session', async () => {
    const first = await signIn(f.app, 'demo-student');
    const refreshed = await call(f.app, 'POST', '/api/auth/refresh', { refresh: first.refresh });
    expect(refreshed.status).toBe(200);
    expect(refreshed.refresh).toBeTruthy();
    expect(refreshed.refresh).not.toBe(first.refresh);
    expect((await call(f.app, 'GET', '/api/me', { token: refreshed.body.accessToken })).status).toBe(200);

    f.advance(60_000);
    const replay = await call(f.app, 'POST', '/api/auth/refresh', { refresh: first.refresh });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('token_reused');
    // The thief's copy and the owner's newer token are both dead, and so is the access token.
    expect((await call(f.app, 'POST', '/api/auth/refresh', { refresh: refreshed.refresh! })).body.error.code).toBe('session_expired');
    expect((await call(f.app, 'GET', '/api/me', { token: refreshed.body.accessToken })).status).toBe(401);
    const events = await f.store.query<{ event: string }>(`SELECT event FROM access_log l JOIN accounts a ON a.id = l.account_id WHERE a.username = 'demo-student' AND event = 'token.reuse'`);
    expect(events).toHaveLength(1);
  });

  it('let two tabs refresh with the same cookie at once without signing out', async () => {
    const first = await signIn(f.app, 'demo-guardian');
    const [a, b] = await Promise.all([
      call(f.app, 'POST', '/api/auth/refresh', { refresh: first.refresh }),
      call(f.app, 'POST', '/api/auth/refresh', { refresh: first.refresh }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
  });

  it('end with sign-out, and sign-out everywhere ends every device', async () => {
    const phone = await signIn(f.app, 'demo-admin');
    const laptop = await signIn(f.app, 'demo-admin');
    expect((await call(f.app, 'POST', '/api/auth/logout', { refresh: phone.refresh })).status).toBe(204);
    expect((await call(f.app, 'POST', '/api/auth/refresh', { refresh: phone.refresh })).status).toBe(401);
    expect((await call(f.app, 'GET', '/api/me', { token: phone.token })).status).toBe(401);
    expect((await call(f.app, 'GET', '/api/me', { token: laptop.token })).status).toBe(200);

    const tablet = await signIn(f.app, 'demo-admin');
    expect((await call(f.app, 'POST', '/api/auth/logout-all', { token: tablet.token })).status).toBe(204);
    for (const device of [laptop, tablet]) {
      expect((await call(f.app, 'GET', '/api/me', { token: device.token })).status).toBe(401);
      expect((await call(f.app, 'POST', '/api/auth/refresh', { refresh: device.refresh })).status).toBe(401);
    }
  });
});

describe('claiming an account with an activation key', () => {
  async function plantKey(kind: 'guardian' | 'student', secret: string, expiresInDays = 30) {
    const [account] = await f.store.query<{ id: string; district_id: string; person_id: string }>(
      kind === 'guardian'
        ? `SELECT a.id, a.district_id, a.person_id FROM accounts a WHERE a.status = 'unclaimed' AND EXISTS (SELECT 1 FROM guardianships g WHERE g.guardian_person_id = a.person_id)
             AND NOT EXISTS (SELECT 1 FROM activation_keys k WHERE k.account_id = a.id AND k.key_hash LIKE 'planted%') ORDER BY a.id LIMIT 1`
        : `SELECT a.id, a.district_id, a.person_id FROM accounts a WHERE a.status = 'unclaimed' AND EXISTS (SELECT 1 FROM students s WHERE s.person_id = a.person_id) ORDER BY a.id LIMIT 1`,
    );
    await f.store.query(
      `INSERT INTO activation_keys (district_id, id, account_id, key_hash, expires_at) VALUES ($1, gen_random_uuid(), $2, $3, $4)`,
      [account!.district_id, account!.id, hashSecret(normalizeActivationKey(secret)), new Date(f.now.value.getTime() + expiresInDays * 86_400_000)],
    );
    return account!;
  }

  it('claims once with the key as printed, signs in, and never works again', async () => {
    const account = await plantKey('guardian', 'ABCD-EFGH-JKLM');
    const claim = await call(f.app, 'POST', '/api/auth/claim', { body: { key: 'abcd efgh-jklm', username: 'amina.new', password: 'a long family passphrase' } });
    expect(claim.status).toBe(200);
    expect(claim.body.me.account.username).toBe('amina.new');
    expect(claim.body.me.roles).toContain('guardian');
    const again = await call(f.app, 'POST', '/api/auth/claim', { body: { key: 'ABCD-EFGH-JKLM', username: 'amina.again', password: 'a long family passphrase' } });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('invalid_key');
    expect((await call(f.app, 'POST', '/api/auth/login', { body: { username: 'Amina.New', password: 'a long family passphrase' } })).status).toBe(200);
    const events = await f.store.query<{ event: string }>(`SELECT event FROM access_log WHERE account_id = $1 ORDER BY id`, [account.id]);
    expect(events.map((e) => e.event)).toContain('account.claimed');
  });

  it('refuses an expired key, a taken username, a short or common password, and a bad username', async () => {
    await plantKey('guardian', 'OLDK-EYOL-DKEY', -1);
    expect((await call(f.app, 'POST', '/api/auth/claim', { body: { key: 'OLDK-EYOL-DKEY', username: 'new.person', password: 'a long family passphrase' } })).body.error.code).toBe('key_expired');
    await plantKey('guardian', 'NEWK-EYNE-WKEY');
    const cases: Array<[Record<string, string>, string]> = [
      [{ username: 'demo-guardian', password: 'a long family passphrase' }, 'username_taken'],
      [{ username: 'new.person', password: 'short' }, 'password_too_short'],
      [{ username: 'new.person', password: 'password123' }, 'password_common'],
      [{ username: 'new.person', password: 'new.person2024' }, 'password_common'],
      [{ username: 'a', password: 'a long family passphrase' }, 'username_invalid'],
      [{ username: 'has space', password: 'a long family passphrase' }, 'username_invalid'],
    ];
    for (const [fields, code] of cases) {
      const reply = await call(f.app, 'POST', '/api/auth/claim', { body: { key: 'NEWK-EYNE-WKEY', ...fields } });
      expect(reply.body.error?.code, JSON.stringify(fields)).toBe(code);
    }
    expect((await call(f.app, 'POST', '/api/auth/claim', { body: { key: 'NOPE-NOPE-NOPE', username: 'new.person', password: 'a long family passphrase' } })).body.error.code).toBe('invalid_key');
    expect((await call(f.app, 'POST', '/api/auth/claim', { body: { key: 'NEWK-EYNE-WKEY', username: 'nguyễn.thị', password: 'một mật khẩu dài' } })).status).toBe(200);
  });

  it('asks students for their student number and birth date too', async () => {
    const account = await plantKey('student', 'STUD-ENTK-EY22');
    const [student] = await f.store.query<{ student_number: string; birth_date: string }>(
      `SELECT s.student_number, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date FROM students s JOIN people p ON p.id = s.person_id WHERE s.person_id = $1`,
      [account.person_id],
    );
    const base = { key: 'STUD-ENTK-EY22', username: 'student.claims', password: 'my own long password' };
    expect((await call(f.app, 'POST', '/api/auth/claim', { body: base })).body.error.code).toBe('invalid_key');
    expect((await call(f.app, 'POST', '/api/auth/claim', { body: { ...base, studentNumber: student!.student_number, birthDate: '2001-01-01' } })).body.error.code).toBe('invalid_key');
    const ok = await call(f.app, 'POST', '/api/auth/claim', { body: { ...base, studentNumber: student!.student_number, birthDate: student!.birth_date } });
    expect(ok.status).toBe(200);
    expect(ok.body.me.roles).toEqual(['student']);
  });
});

describe('forgot and reset password', () => {
  it('mails a 30-minute, one-time link, and answers the same for unknown users', async () => {
    const account = await guardianAccount('elementary', 'old family password');
    await f.store.query(`UPDATE people SET email = 'reset.me@example.com' WHERE id = (SELECT person_id FROM accounts WHERE id = $1)`, [account.id]);
    const before = f.sent.length;
    expect((await call(f.app, 'POST', '/api/auth/forgot', { body: { username: 'no-such-user' } })).status).toBe(202);
    expect((await call(f.app, 'POST', '/api/auth/forgot', { body: { username: account.username } })).status).toBe(202);
    // Mail goes out after the answer; the unknown user's request, made first, sent nothing.
    const mail = await mailTo('reset.me@example.com', before);
    expect(f.sent.slice(before)).toEqual([mail]);
    const token = /#\/reset\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    expect(mail.text).toContain('https://homeroom.test/#/reset?token=');

    expect((await call(f.app, 'POST', '/api/auth/reset', { body: { token, password: 'short' } })).body.error.code).toBe('password_too_short');
    expect((await call(f.app, 'POST', '/api/auth/reset', { body: { token, password: 'brand new family password' } })).status).toBe(204);
    expect((await call(f.app, 'POST', '/api/auth/reset', { body: { token, password: 'another new password' } })).body.error.code).toBe('invalid_token');
    expect((await call(f.app, 'POST', '/api/auth/login', { body: { username: account.username, password: 'old family password' } })).status).toBe(401);
    expect((await call(f.app, 'POST', '/api/auth/login', { body: { username: account.username, password: 'brand new family password' } })).status).toBe(200);

    const sent = f.sent.length;
    await call(f.app, 'POST', '/api/auth/forgot', { body: { username: account.username } });
    const late = /token=([A-Za-z0-9_-]+)/.exec((await mailTo('reset.me@example.com', sent)).text)![1]!;
    f.advance(31 * 60_000);
    try {
      expect((await call(f.app, 'POST', '/api/auth/reset', { body: { token: late, password: 'too late password' } })).body.error.code).toBe('token_expired');
    } finally {
      f.advance(-31 * 60_000);
    }
  });
});

describe('the signed-in account', () => {
  it('changes its password (other devices signed out), its language, and reads its own access log', async () => {
    const account = await guardianAccount('high', 'first password here');
    const phone = await signIn(f.app, account.username, 'first password here');
    const laptop = await signIn(f.app, account.username, 'first password here');
    expect((await call(f.app, 'POST', '/api/me/password', { token: laptop.token, body: { currentPassword: 'wrong', newPassword: 'second password here' } })).body.error.code).toBe('password_incorrect');
    expect((await call(f.app, 'POST', '/api/me/password', { token: laptop.token, body: { currentPassword: 'first password here', newPassword: 'second password here' } })).status).toBe(204);
    expect((await call(f.app, 'GET', '/api/me', { token: phone.token })).status).toBe(401);
    expect((await call(f.app, 'GET', '/api/me', { token: laptop.token })).status).toBe(200);

    expect((await call(f.app, 'PUT', '/api/me/language', { token: laptop.token, body: { language: 'so' } })).status).toBe(204);
    expect((await call(f.app, 'PUT', '/api/me/language', { token: laptop.token, body: { language: 'fr' } })).status).toBe(400);
    expect((await call(f.app, 'GET', '/api/me', { token: laptop.token })).body.account.language).toBe('so');

    const log = await call(f.app, 'GET', '/api/me/access-log', { token: laptop.token });
    expect(log.status).toBe(200);
    expect(log.body.entries.map((e: { event: string }) => e.event).slice(0, 3)).toEqual(['password.changed', 'login.success', 'login.success']);
    expect(log.body.entries[0]).toMatchObject({ userAgent: 'vitest' });
    expect((await call(f.app, 'GET', '/api/me/access-log?before=abc', { token: laptop.token })).status).toBe(400);
  });

  it('cannot reach another account’s log, and the log cannot be edited', async () => {
    await expect(f.store.query(`UPDATE access_log SET event = 'login.success'`)).rejects.toThrow(/append-only/);
  });
});

describe('bad input on every identity route', () => {
  const routes: Array<[string, string, boolean]> = [
    ['POST', '/api/auth/login', false],
    ['POST', '/api/auth/claim', false],
    ['POST', '/api/auth/forgot', false],
    ['POST', '/api/auth/reset', false],
    ['POST', '/api/me/password', true],
    ['PUT', '/api/me/language', true],
    ['PUT', '/api/me/email', true],
    ['POST', '/api/staff/accounts/activation-letters', true],
  ];
  const bodies: Array<[string, string]> = [
    ['an empty body', ''],
    ['broken JSON', '{"a":'],
    ['null', 'null'],
    ['a string', '"hello"'],
    ['an array', '[1,2,3]'],
    ['numbers everywhere', JSON.stringify({ username: 1, password: 2, key: 3, token: 4, currentPassword: 5, newPassword: 6, language: 7, accountIds: 8, email: 9 })],
    ['unicode everywhere', JSON.stringify({ username: '🙂ñ\u0000', password: '密码', key: 'ключ', token: '\u202e', currentPassword: 'x', newPassword: 'y', language: 'ǆ', accountIds: ['☃'] })],
  ];

  it.each(routes)('%s %s answers 4xx with a machine code, never 500', async (method, path, signedIn) => {
    const token = signedIn ? (await signIn(f.app, 'demo-office')).token : undefined;
    for (const [what, raw] of bodies) {
      const reply = await call(f.app, method, path, { raw, ...(token ? { token } : {}) });
      expect(reply.status, `${what}`).toBeGreaterThanOrEqual(400);
      expect(reply.status, `${what}`).toBeLessThan(500);
      expect(typeof reply.body?.error?.code, `${what}`).toBe('string');
      expect(typeof reply.body?.error?.message, `${what}`).toBe('string');
    }
    const huge = await call(f.app, method, path, { raw: JSON.stringify({ username: 'x'.repeat(100_000) }), ...(token ? { token } : {}) });
    expect(huge.status).toBe(413);
  });
});

describe('shared computers and proxies', () => {
  it('keeps password-reset requests from blocking sign-in at a busy media center', async () => {
    const ip = freshAddress();
    for (let i = 0; i < 12; i++) expect((await call(f.app, 'POST', '/api/auth/forgot', { body: { username: `someone-${i}` }, ip })).status).toBe(202);
    expect((await call(f.app, 'POST', '/api/auth/login', { body: { username: 'demo-guardian', password: DEMO_PASSWORD }, ip })).status).toBe(200);
  });

  it('marks the refresh cookie Secure when the trusted proxy says the request came over https', async () => {
    const response = await f.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': freshAddress(), 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ username: 'demo-guardian', password: DEMO_PASSWORD }),
    });
    expect(response.headers.get('set-cookie')).toMatch(/; Secure/);
    const plain = await call(f.app, 'POST', '/api/auth/login', { body: { username: 'demo-guardian', password: DEMO_PASSWORD } });
    expect(plain.headers.get('set-cookie')).not.toMatch(/; Secure/);
  });
});
