/**
 * Issue 10, hole 8: staff signed in with a password alone. Tried from outside as an attacker who
 * knows (or has guessed) a staff password would. Codes are computed on the app's clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../access/passwords.ts';
import { totpCode } from '../access/second-factor.ts';
import { createApp } from '../app.ts';
import type { SecondFactorChallenge } from '../contract/auth.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { defaultSeedOptions, demoTotpSecret } from '../seed/generate.ts';
import { appFixture, call, DEMO_PASSWORD, freshAddress, signIn, type AppFixture } from '../test/app-fixture.ts';

let f: AppFixture;

beforeAll(async () => {
  f = await appFixture();
});
afterAll(async () => {
  await f.close();
});

const STEP_MS = 30_000;
const demoSecret = (username: string) => demoTotpSecret(defaultSeedOptions(f.today), username);

/** The first step: the password. Answers the challenge (and fails the test if a session came instead). */
async function password(username: string, pass = DEMO_PASSWORD, ip = freshAddress()) {
  const reply = await call<SecondFactorChallenge & { accessToken?: string }>(f.app, 'POST', '/api/auth/login', { body: { username, password: pass }, ip });
  expect(reply.status).toBe(200);
  return { ...reply, ip };
}

function verify(challenge: string, code: string, ip = freshAddress()) {
  return call(f.app, 'POST', '/api/auth/second-factor/verify', { body: { challenge, code }, ip });
}

/** Moves the app's clock on to the next 30-second step, so a fresh code is not a replay of the last test's. */
function nextStep(): void {
  f.advance(STEP_MS);
}

/** Where the access log ends now: `events` reads what came after. */
async function logMark(): Promise<number> {
  const [row] = await f.store.query<{ id: string | null }>(`SELECT max(id) AS id FROM access_log`);
  return Number(row?.id ?? 0);
}

async function events(username: string, after: number): Promise<string[]> {
  const rows = await f.store.query<{ event: string }>(
    `SELECT l.event FROM access_log l JOIN accounts a ON a.id = l.account_id WHERE a.username = $1 AND l.id > $2 ORDER BY l.id`,
    [username, after],
  );
  return rows.map((row) => row.event);
}

let staffCounter = 0;
/** A staff member of the district (not a demo account) with a tool right in force, a password the test knows, and no second factor. */
async function staffWithoutSecondFactor(pass: string): Promise<{ id: string; username: string }> {
  staffCounter += 1;
  const [row] = await f.store.query<{ id: string }>(
    `SELECT a.id FROM accounts a JOIN staff t ON t.district_id = a.district_id AND t.person_id = a.person_id
      WHERE a.status = 'active' AND a.username NOT LIKE 'demo-%' AND a.username NOT LIKE 'mfa.%'
        AND EXISTS (SELECT 1 FROM tool_rights r WHERE r.staff_id = t.id AND NOT r.deleted AND r.approved_on <= $1 AND r.expires_on >= $1)
        AND EXISTS (SELECT 1 FROM staff_locations l WHERE l.staff_id = t.id AND l.role = 'nurse')
        AND NOT EXISTS (SELECT 1 FROM second_factors s WHERE s.account_id = a.id)
      ORDER BY a.id LIMIT 1`,
    [f.today],
  );
  const username = `mfa.${staffCounter}.${row!.id.slice(0, 6)}`;
  await f.store.query(`UPDATE accounts SET username = $2, password_hash = $3 WHERE id = $1`, [row!.id, username, await hashPassword(pass)]);
  return { id: row!.id, username };
}

/** Signs `username` (staff without a second factor) in for the first time: enrols, and answers the secret and recovery codes. */
async function enrol(username: string, pass: string) {
  const first = await password(username, pass);
  expect(first.body.secondFactor).toBe('enrol');
  const { secret } = first.body.enrolment!;
  const done = await call<{ accessToken: string; recoveryCodes: string[] }>(f.app, 'POST', '/api/auth/second-factor/enrol', { body: { challenge: first.body.challenge, code: totpCode(secret, f.now.value) } });
  expect(done.status).toBe(200);
  return { secret, recoveryCodes: done.body.recoveryCodes, token: done.body.accessToken };
}

describe('staff second factor (issue 10, hole 8)', () => {
  it('the right password alone gives staff no session: no token, no refresh cookie, only a challenge', async () => {
    nextStep();
    for (const username of ['demo-office', 'demo-principal', 'demo-admin']) {
      const reply = await password(username);
      expect(reply.body).toMatchObject({ secondFactor: 'code', expiresIn: 300 });
      expect(reply.body.accessToken).toBeUndefined();
      expect(reply.refresh).toBeNull();
      expect(reply.headers.get('set-cookie')).toBeNull();
      expect(JSON.stringify(reply.body)).not.toMatch(/"me"|students/);
    }
  });

  it('the challenge is not an access token, not a refresh token, and opens one session only', async () => {
    nextStep();
    const { body } = await password('demo-office');
    expect((await call(f.app, 'GET', '/api/me', { token: body.challenge })).status).toBe(401);
    expect((await call(f.app, 'POST', '/api/auth/refresh', { refresh: body.challenge })).status).toBe(401);
    expect((await call(f.app, 'GET', '/api/sync/students/pull?v=0', { token: body.challenge })).status).toBe(401);
    const signedIn = await verify(body.challenge, totpCode(demoSecret('demo-office'), f.now.value));
    expect(signedIn.status).toBe(200);
    expect(signedIn.refresh).not.toBeNull();
    nextStep();
    const again = await verify(body.challenge, totpCode(demoSecret('demo-office'), f.now.value));
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('challenge_expired');
    // A challenge for a code does not enrol either.
    expect((await call(f.app, 'POST', '/api/auth/second-factor/enrol', { body: { challenge: body.challenge, code: '123456' } })).body.error.code).toBe('challenge_expired');
  });

  it('a challenge runs out after 5 minutes', async () => {
    nextStep();
    const { body } = await password('demo-principal');
    f.advance(5 * 60_000 + 1000);
    const late = await verify(body.challenge, totpCode(demoSecret('demo-principal'), f.now.value));
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe('challenge_expired');
  });

  it("a code from another account's authenticator does not open this one, and is logged", async () => {
    nextStep();
    const since = await logMark();
    const { body } = await password('demo-office');
    const wrong = await verify(body.challenge, totpCode(demoSecret('demo-principal'), f.now.value));
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('second_factor_incorrect');
    expect(wrong.refresh).toBeNull();
    // Nor a code made for another district's demo office (same username pattern, another seed).
    const otherDistrict = totpCode(demoTotpSecret({ seed: 2026, slug: 'hr-office' }, 'hr-office-office'), f.now.value);
    expect((await verify(body.challenge, otherDistrict)).body.error.code).toBe('second_factor_incorrect');
    expect(await events('demo-office', since)).toEqual(['mfa.challenge', 'mfa.failure', 'mfa.failure']);
  });

  it('a used code cannot be replayed, even on a new challenge; the next step’s code works, and codes more than one step away do not', async () => {
    nextStep();
    const secret = demoSecret('demo-admin');
    const code = totpCode(secret, f.now.value);
    expect((await verify((await password('demo-admin')).body.challenge, code)).status).toBe(200);
    const replay = await verify((await password('demo-admin')).body.challenge, code);
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('second_factor_reused');
    // Drift: one step either way counts, two steps do not.
    const { body } = await password('demo-admin');
    expect((await verify(body.challenge, totpCode(secret, new Date(f.now.value.getTime() + 2 * STEP_MS)))).body.error.code).toBe('second_factor_incorrect');
    expect((await verify(body.challenge, totpCode(secret, new Date(f.now.value.getTime() - 2 * STEP_MS)))).body.error.code).toBe('second_factor_incorrect');
    // The phone is a step ahead: accepted, and that step is now the last used.
    const ahead = totpCode(secret, new Date(f.now.value.getTime() + STEP_MS));
    expect((await verify(body.challenge, ahead)).status).toBe(200);
    nextStep();
    expect((await verify((await password('demo-admin')).body.challenge, ahead)).body.error.code).toBe('second_factor_reused');
  });

  it('wrong codes are throttled: a challenge dies after 5, an account waits after 10 in 15 minutes, whatever the address', async () => {
    nextStep();
    const pass = 'a nurse knows this password';
    const nurse = await staffWithoutSecondFactor(pass);
    const { secret } = await enrol(nurse.username, pass);
    nextStep();
    const first = await password(nurse.username, pass);
    const answers: Array<number | string> = [];
    for (let i = 0; i < 5; i++) {
      const reply = await verify(first.body.challenge, '000000');
      answers.push(reply.body.error.code);
    }
    expect(answers).toEqual(['second_factor_incorrect', 'second_factor_incorrect', 'second_factor_incorrect', 'second_factor_incorrect', 'challenge_expired']);
    const second = await password(nurse.username, pass);
    for (let i = 0; i < 5; i++) await verify(second.body.challenge, '000000');
    // Ten wrong codes on the account: even the right code, from a new address, must wait.
    const third = await password(nurse.username, pass);
    const blocked = await verify(third.body.challenge, totpCode(secret, f.now.value));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account is not held up by it.
    expect((await verify((await password('demo-principal')).body.challenge, totpCode(demoSecret('demo-principal'), f.now.value))).status).toBe(200);
    f.advance(15 * 60_000);
    const later = await password(nurse.username, pass);
    expect((await verify(later.body.challenge, totpCode(secret, f.now.value))).status).toBe(200);
  });

  it('no code is ever asked before the right password, so the code step tells nothing about usernames', async () => {
    const unknown = await call(f.app, 'POST', '/api/auth/login', { body: { username: 'no-such-staff', password: 'whatever it is' } });
    const wrong = await call(f.app, 'POST', '/api/auth/login', { body: { username: 'demo-office', password: 'not the password' } });
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('staff with a tool right and no second factor enrol at their next sign-in; recovery codes are shown once, stored hashed, and work once each', async () => {
    nextStep();
    const pass = 'another nurse password';
    const nurse = await staffWithoutSecondFactor(pass);
    const since = await logMark();
    const first = await password(nurse.username, pass);
    expect(first.body).toMatchObject({ secondFactor: 'enrol', expiresIn: 900, enrolment: { issuer: 'Homeroom', account: nurse.username } });
    const { secret, uri } = first.body.enrolment!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toBe(`otpauth://totp/Homeroom:${nurse.username}?issuer=Homeroom&secret=${secret}&algorithm=SHA1&digits=6&period=30`);
    // Not yet: a wrong first code, and the password alone, open nothing.
    expect((await call(f.app, 'POST', '/api/auth/second-factor/enrol', { body: { challenge: first.body.challenge, code: '000000' } })).body.error.code).toBe('second_factor_incorrect');
    expect((await call(f.app, 'POST', '/api/auth/second-factor/verify', { body: { challenge: first.body.challenge, code: totpCode(secret, f.now.value) } })).body.error.code).toBe('challenge_expired');
    const done = await call<{ accessToken: string; recoveryCodes: string[]; me: { toolRights: unknown[] } }>(f.app, 'POST', '/api/auth/second-factor/enrol', { body: { challenge: first.body.challenge, code: totpCode(secret, f.now.value) } });
    expect(done.status).toBe(200);
    expect(done.body.me.toolRights.length).toBeGreaterThan(0);
    const codes = done.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
    // The store holds neither the secret nor a code in the clear.
    const stored = await f.store.query<{ text: string }>(
      `SELECT s.secret_sealed || ' ' || string_agg(r.code_hash, ' ') AS text FROM second_factors s JOIN recovery_codes r ON r.account_id = s.account_id WHERE s.account_id = $1 GROUP BY s.secret_sealed`,
      [nurse.id],
    );
    expect(stored[0]!.text).not.toContain(secret);
    for (const code of codes) expect(stored[0]!.text).not.toContain(code.replace('-', ''));
    // Next sign-in: a code is asked; a recovery code (typed loosely) works once.
    nextStep();
    const withRecovery = await password(nurse.username, pass);
    expect(withRecovery.body.secondFactor).toBe('code');
    expect((await verify(withRecovery.body.challenge, ` ${codes[3]!.toLowerCase().replace('-', ' ')} `)).status).toBe(200);
    const again = await password(nurse.username, pass);
    expect((await verify(again.body.challenge, codes[3]!)).body.error.code).toBe('second_factor_incorrect');
    expect((await verify(again.body.challenge, codes[4]!)).status).toBe(200);
    expect(await events(nurse.username, since)).toEqual([
      'mfa.challenge', 'mfa.failure', 'mfa.enrolled', 'login.success',
      'mfa.challenge', 'mfa.success', 'mfa.recovery_code_used', 'login.success',
      'mfa.challenge', 'mfa.failure', 'mfa.success', 'mfa.recovery_code_used', 'login.success',
    ]);
  });

  it('a session opened without a second factor loses its tool rights the moment one is granted: signed out, then enrolment', async () => {
    nextStep();
    const teacher = await signIn(f.app, 'demo-teacher');
    expect((await call(f.app, 'GET', '/api/me', { token: teacher.token })).status).toBe(200);
    const [who] = await f.store.query<{ staff_id: string; school_id: string; approver: string }>(
      `SELECT t.id AS staff_id, l.school_id,
              (SELECT r.approved_by_staff_id FROM tool_rights r WHERE r.school_id = l.school_id AND r.tool = 'health' LIMIT 1) AS approver
         FROM accounts a JOIN staff t ON t.person_id = a.person_id JOIN staff_locations l ON l.staff_id = t.id WHERE a.username = 'demo-teacher' LIMIT 1`,
    );
    await f.store.query(
      `INSERT INTO tool_rights (district_id, id, staff_id, tool, school_id, required_training_id, approved_by_staff_id, approved_on, expires_on)
       SELECT district_id, gen_random_uuid(), $1, 'announcements', $2, NULL, $3, $4::date - 1, $4::date + 30 FROM staff WHERE id = $1`,
      [who!.staff_id, who!.school_id, who!.approver, f.today],
    );
    try {
      expect((await call(f.app, 'GET', '/api/me', { token: teacher.token })).status).toBe(401);
      const refresh = await call(f.app, 'POST', '/api/auth/refresh', { refresh: teacher.refresh });
      expect(refresh.status).toBe(401);
      expect(refresh.body.error.code).toBe('session_expired');
      expect((await password('demo-teacher')).body.secondFactor).toBe('enrol');
    } finally {
      await f.store.query(`UPDATE tool_rights SET deleted = true WHERE staff_id = $1 AND tool = 'announcements' AND required_training_id IS NULL`, [who!.staff_id]);
      await f.store.query(`DELETE FROM second_factors WHERE account_id = (SELECT id FROM accounts WHERE username = 'demo-teacher')`);
    }
  });

  it('only a district administrator resets a second factor: audited, every session ends, and the next sign-in enrols again', async () => {
    nextStep();
    const pass = 'a third nurse password';
    const nurse = await staffWithoutSecondFactor(pass);
    const enrolled = await enrol(nurse.username, pass);
    const reset = (token: string, accountId = nurse.id) => call(f.app, 'POST', `/api/staff/accounts/${accountId}/mfa-reset`, { token });
    // The office (accounts right at her school) and the principal (accounts and staff_admin at the school) may not.
    for (const username of ['demo-office', 'demo-principal', 'demo-teacher', 'demo-guardian']) {
      expect((await reset((await signIn(f.app, username)).token)).status, username).toBe(403);
    }
    const admin = await signIn(f.app, 'demo-admin');
    const [self] = await f.store.query<{ id: string }>(`SELECT id FROM accounts WHERE username = 'demo-admin'`);
    expect((await reset(admin.token, self!.id)).body.error.code).toBe('self_approval');
    expect((await reset(admin.token, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const since = await logMark();
    expect((await reset(admin.token)).status).toBe(204);
    // The nurse's session ended; her authenticator no longer counts; she enrols again.
    expect((await call(f.app, 'GET', '/api/me', { token: enrolled.token })).status).toBe(401);
    nextStep();
    const next = await password(nurse.username, pass);
    expect(next.body.secondFactor).toBe('enrol');
    expect(next.body.enrolment!.secret).not.toBe(enrolled.secret);
    expect(await events(nurse.username, since)).toEqual(['mfa.reset', 'mfa.challenge']);
    const [trail] = await f.store.query<{ actor: string; action: string }>(
      `SELECT a.username AS actor, t.action FROM audit_trail t JOIN accounts a ON a.id = t.actor_account_id WHERE t.table_name = 'second_factors' AND t.row_id = $1`,
      [nurse.id],
    );
    expect(trail).toEqual({ actor: 'demo-admin', action: 'delete' });
  });

  it('families without a second factor sign in with their password, as before', async () => {
    for (const username of ['demo-guardian', 'demo-student', 'demo-teacher']) {
      const reply = await call<{ accessToken?: string; secondFactor?: string }>(f.app, 'POST', '/api/auth/login', { body: { username, password: DEMO_PASSWORD } });
      expect(reply.status, username).toBe(200);
      expect(reply.body.secondFactor, username).toBeUndefined();
      expect(reply.body.accessToken, username).toEqual(expect.any(String));
    }
  });

  it('a family who turned it on needs it; they turn it off only with a current code; staff who must have it cannot', async () => {
    nextStep();
    const guardian = await signIn(f.app, 'demo-guardian');
    const status = () => call(f.app, 'GET', '/api/me/second-factor', { token: guardian.token });
    expect((await status()).body).toEqual({ enabled: false, required: false, recoveryCodesLeft: 0 });
    expect((await call(f.app, 'POST', '/api/me/second-factor/enrolment', { token: guardian.token, body: { currentPassword: 'not it at all' } })).body.error.code).toBe('password_incorrect');
    const started = await call<{ secret: string }>(f.app, 'POST', '/api/me/second-factor/enrolment', { token: guardian.token, body: { currentPassword: DEMO_PASSWORD } });
    expect(started.status).toBe(200);
    // Until confirmed it is not on: the password alone still signs in.
    expect((await call(f.app, 'POST', '/api/auth/login', { body: { username: 'demo-guardian', password: DEMO_PASSWORD } })).body.accessToken).toEqual(expect.any(String));
    expect((await call(f.app, 'POST', '/api/me/second-factor/confirm', { token: guardian.token, body: { code: '000000' } })).body.error.code).toBe('second_factor_incorrect');
    const confirmed = await call<{ recoveryCodes: string[] }>(f.app, 'POST', '/api/me/second-factor/confirm', { token: guardian.token, body: { code: totpCode(started.body.secret, f.now.value) } });
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect((await status()).body).toEqual({ enabled: true, required: false, recoveryCodesLeft: 10 });
    expect((await call(f.app, 'POST', '/api/me/second-factor/enrolment', { token: guardian.token, body: { currentPassword: DEMO_PASSWORD } })).body.error.code).toBe('second_factor_enrolled');
    // The password alone no longer opens the account.
    nextStep();
    const login = await password('demo-guardian');
    expect(login.body.secondFactor).toBe('code');
    expect((await verify(login.body.challenge, totpCode(started.body.secret, f.now.value))).status).toBe(200);
    // Turning it off takes a current code (a used one is a replay).
    expect((await call(f.app, 'POST', '/api/me/second-factor/turn-off', { token: guardian.token, body: { code: totpCode(started.body.secret, f.now.value) } })).body.error.code).toBe('second_factor_reused');
    nextStep();
    expect((await call(f.app, 'POST', '/api/me/second-factor/turn-off', { token: guardian.token, body: { code: totpCode(started.body.secret, f.now.value) } })).status).toBe(204);
    expect((await call(f.app, 'POST', '/api/auth/login', { body: { username: 'demo-guardian', password: DEMO_PASSWORD } })).body.accessToken).toEqual(expect.any(String));
    // Staff holding a tool right: required, and not to be turned off.
    const office = await signIn(f.app, 'demo-office');
    expect((await call(f.app, 'GET', '/api/me/second-factor', { token: office.token })).body).toEqual({ enabled: true, required: true, recoveryCodesLeft: 0 });
    nextStep();
    const off = await call(f.app, 'POST', '/api/me/second-factor/turn-off', { token: office.token, body: { code: totpCode(demoSecret('demo-office'), f.now.value) } });
    expect(off.status).toBe(403);
    expect(off.body.error.code).toBe('second_factor_required');
  });

  it('a dump of the store does not give codes: the secrets open only with the MFA key they were sealed with', async () => {
    nextStep();
    const otherKey = createApp({ store: f.store, clock: () => f.now.value, mailer: memoryMailer(), config: { trustProxy: true, mfaKey: new Uint8Array(32).fill(7) } });
    const login = await call<SecondFactorChallenge>(otherKey, 'POST', '/api/auth/login', { body: { username: 'demo-office', password: DEMO_PASSWORD } });
    const reply = await call(otherKey, 'POST', '/api/auth/second-factor/verify', { body: { challenge: login.body.challenge, code: totpCode(demoSecret('demo-office'), f.now.value) } });
    expect(reply.status).toBe(400);
    const [row] = await f.store.query<{ secret_sealed: string }>(`SELECT secret_sealed FROM second_factors s JOIN accounts a ON a.id = s.account_id WHERE a.username = 'demo-office'`);
    expect(row!.secret_sealed).toMatch(/^v1\./);
    expect(row!.secret_sealed).not.toContain(demoSecret('demo-office'));
  });
});
