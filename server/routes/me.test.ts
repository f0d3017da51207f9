import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFixture, call, DEMO_PASSWORD, signIn, type AppFixture } from '../test/app-fixture.ts';

let f: AppFixture;
beforeAll(async () => {
  f = await appFixture();
});
afterAll(() => f.close());

async function emailOf(username: string): Promise<string | null> {
  const [row] = await f.store.query<{ email: string | null }>(`SELECT p.email FROM people p JOIN accounts a ON a.person_id = p.id WHERE a.username = $1`, [username]);
  return row!.email;
}

describe('the account’s own e-mail', () => {
  it('is changed at once with the current password: audited, in the access log, the old address told, reset links go to the new one', async () => {
    const { token } = await signIn(f.app, 'demo-guardian');
    const old = await emailOf('demo-guardian');
    expect(old, 'demo-guardian has an e-mail').toBeTruthy();

    // Refused without the right password or with a malformed address; nothing changes.
    const wrong = await call(f.app, 'PUT', '/api/me/email', { token, body: { email: 'new.home@example.org', currentPassword: 'not it at all' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'password_incorrect', details: { fields: ['currentPassword'] } });
    for (const email of ['', 'no-at-sign.example.org', 'two words@example.org', 'a@b', `${'x'.repeat(195)}@example.org`]) {
      const bad = await call(f.app, 'PUT', '/api/me/email', { token, body: { email, currentPassword: DEMO_PASSWORD } });
      expect(bad.status, email).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'validation_failed', details: { fields: ['email'] } });
    }
    expect((await call(f.app, 'PUT', '/api/me/email', { body: { email: 'new.home@example.org', currentPassword: DEMO_PASSWORD } })).status).toBe(401);
    expect(await emailOf('demo-guardian')).toBe(old);

    const mailsBefore = f.sent.length;
    f.advance(1000);
    const changed = await call(f.app, 'PUT', '/api/me/email', { token, body: { email: '  new.home@example.org ', currentPassword: DEMO_PASSWORD } });
    expect(changed.status).toBe(204);
    expect(await emailOf('demo-guardian')).toBe('new.home@example.org');
    expect((await call(f.app, 'GET', '/api/me', { token })).body.person.email).toBe('new.home@example.org');

    const [trail] = await f.store.query<{ old_values: unknown; new_values: unknown; at: Date; username: string }>(
      `SELECT t.old_values, t.new_values, t.at, a.username FROM audit_trail t JOIN accounts a ON a.id = t.actor_account_id
        WHERE t.table_name = 'people' AND t.action = 'update' AND t.new_values->>'email' = 'new.home@example.org'`,
    );
    expect(trail).toMatchObject({ old_values: { email: old }, new_values: { email: 'new.home@example.org' }, username: 'demo-guardian' });
    expect(new Date(trail!.at).toISOString()).toBe(f.now.value.toISOString());
    const log = await call(f.app, 'GET', '/api/me/access-log', { token });
    expect(log.body.entries[0].event).toBe('email.changed');

    // The old address hears of it; the new one gets the next reset link.
    const notices = f.sent.slice(mailsBefore);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.to).toBe(old);
    expect(notices[0]!.text).toContain('new.home@example.org');
    const beforeForgot = f.sent.length;
    expect((await call(f.app, 'POST', '/api/auth/forgot', { body: { username: 'demo-guardian' } })).status).toBe(202);
    // The link is mailed after the answer.
    for (let waited = 0; f.sent.length === beforeForgot && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(f.sent.at(-1)!.to).toBe('new.home@example.org');

    // The same address again changes nothing and tells nobody.
    const again = f.sent.length;
    expect((await call(f.app, 'PUT', '/api/me/email', { token, body: { email: 'new.home@example.org', currentPassword: DEMO_PASSWORD } })).status).toBe(204);
    expect(f.sent.length).toBe(again);
  });
});
