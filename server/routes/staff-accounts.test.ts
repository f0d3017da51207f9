import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFixture, call, signIn, type AppFixture } from '../test/app-fixture.ts';
import { newActivationKey } from './staff-accounts.ts';

let f: AppFixture;
let highSchoolId: string;
let elementarySchoolId: string;

beforeAll(async () => {
  f = await appFixture();
  const schools = await f.store.query<{ id: string; level: string }>(`SELECT id, level FROM schools ORDER BY code`);
  highSchoolId = schools.find((s) => s.level === 'high')!.id;
  elementarySchoolId = schools.find((s) => s.level === 'elementary')!.id;
});
afterAll(async () => {
  await f.close();
});

async function letters(token: string, accountIds: string[]) {
  const response = await f.app.request('/api/staff/accounts/activation-letters', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7' },
    body: JSON.stringify({ accountIds }),
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

describe('office account tools', () => {
  it('keys are 12 unambiguous characters in three groups', () => {
    for (let i = 0; i < 50; i++) expect(newActivationKey()).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
  });

  it('lists who at the school has not claimed an account, only for staff with the accounts right there', async () => {
    const office = await signIn(f.app, 'demo-office');
    const list = await call(f.app, 'GET', `/api/staff/accounts?schoolId=${highSchoolId}&status=unclaimed`, { token: office.token });
    expect(list.status).toBe(200);
    expect(list.body.accounts.length).toBeGreaterThan(0);
    for (const account of list.body.accounts) expect(account).toMatchObject({ status: 'unclaimed', username: null });
    expect((await call(f.app, 'GET', `/api/staff/accounts?schoolId=${elementarySchoolId}&status=unclaimed`, { token: office.token })).status).toBe(403);
    const teacher = await signIn(f.app, 'demo-teacher');
    expect((await call(f.app, 'GET', `/api/staff/accounts?schoolId=${highSchoolId}&status=unclaimed`, { token: teacher.token })).status).toBe(403);
    expect((await call(f.app, 'GET', `/api/staff/accounts?schoolId=nope`, { token: office.token })).status).toBe(400);
  });

  it('finds an account by name or student number a page at a time, naming only the school’s own students with grade and number', async () => {
    const office = await signIn(f.app, 'demo-office');
    const list = (query: string) => call(f.app, 'GET', `/api/staff/accounts?schoolId=${highSchoolId}&${query}`, { token: office.token });
    type Listed = { id: string; firstName: string; lastName: string; students: Array<{ name: string; studentNumber: string; gradeLevel: number }> };

    // Pages: the first five, then the next five, no account twice, the total stays.
    const first = await list('status=unclaimed&limit=5');
    expect(first.status).toBe(200);
    expect(first.body.school.id).toBe(highSchoolId);
    expect(first.body.accounts).toHaveLength(5);
    expect(first.body.total).toBeGreaterThan(10);
    const second = await list('status=unclaimed&limit=5&offset=5');
    expect(second.body.total).toBe(first.body.total);
    const ids = [...first.body.accounts, ...second.body.accounts].map((a: Listed) => a.id);
    expect(new Set(ids).size).toBe(10);
    expect((await list(`status=unclaimed&limit=5&offset=${first.body.total + 10}`)).body).toMatchObject({ accounts: [], total: first.body.total });

    // Every student named is enrolled at this school, with grade and student number.
    const enrolled = await f.store.query<{ student_number: string; grade_level: number }>(
      `SELECT s.student_number, s.grade_level FROM enrollments e JOIN students s ON s.id = e.student_id WHERE e.school_id = $1 AND e.end_date IS NULL AND NOT e.deleted`,
      [highSchoolId],
    );
    const byNumber = new Map(enrolled.map((row) => [row.student_number, row.grade_level]));
    const all = (await list('status=active&limit=200')).body.accounts as Listed[];
    for (const account of all) for (const student of account.students) expect(byNumber.get(student.studentNumber), student.name).toBe(student.gradeLevel);
    // demo-guardian has children at three schools: the high school's office sees only the one there.
    const [guardian] = await f.store.query<{ id: string }>(`SELECT id FROM accounts WHERE username = 'demo-guardian'`);
    const listed = all.find((account) => account.id === guardian!.id)!;
    expect(listed.students).toHaveLength(1);

    // By a student number: that student's accounts (hers and her guardians'), nobody else's.
    const [child] = await f.store.query<{ student_number: string; name: string }>(
      `SELECT s.student_number, p.first_name || ' ' || p.last_name AS name FROM students s JOIN people p ON p.id = s.person_id WHERE s.student_number = $1`,
      [listed.students[0]!.studentNumber],
    );
    const byStudentNumber = (await list(`status=active&q=${encodeURIComponent(child!.student_number)}`)).body.accounts as Listed[];
    expect(byStudentNumber.map((a) => a.id)).toContain(guardian!.id);
    for (const account of byStudentNumber) expect(account.students.map((s) => s.studentNumber)).toContain(child!.student_number);
    // By part of a name, any case: the holder's or a student's.
    const part = listed.lastName.slice(0, 4).toUpperCase();
    const byName = (await list(`status=active&limit=200&q=${encodeURIComponent(` ${part} `)}`)).body.accounts as Listed[];
    expect(byName.map((a) => a.id)).toContain(guardian!.id);
    for (const account of byName) {
      const names = [`${account.firstName} ${account.lastName}`, ...account.students.map((s) => s.name)].join(' ').toUpperCase();
      expect(names, account.id).toContain(part);
    }
    expect(byName.length).toBeLessThan(all.length);

    for (const bad of ['q=' + 'x'.repeat(101), 'limit=0', 'limit=201', 'offset=-1', 'limit=ten']) {
      const answer = await list(`status=active&${bad}`);
      expect(answer.status, bad).toBe(400);
      expect(answer.body.error.code, bad).toBe('validation_failed');
    }
  });

  it('prints activation letters in each family’s language; the printed key claims the account, and the old one no longer works', async () => {
    const office = await signIn(f.app, 'demo-office');
    const list = await call(f.app, 'GET', `/api/staff/accounts?schoolId=${highSchoolId}&status=unclaimed`, { token: office.token });
    const guardian = list.body.accounts.find((a: { kind: string }) => a.kind === 'guardian');
    await f.store.query(`UPDATE accounts SET preferred_language = 'so' WHERE id = $1`, [guardian.id]);
    const first = await letters(office.token, [guardian.id]);
    expect(first.status).toBe(200);
    expect(first.type).toMatch(/text\/html/);
    expect(first.text).toContain('lang="so"');
    expect(first.text).toContain('Akoonkaaga Homeroom');
    const oldKey = /class="key">([A-Z0-9-]+)</.exec(first.text)![1]!;
    const second = await letters(office.token, [guardian.id]);
    const newKey = /class="key">([A-Z0-9-]+)</.exec(second.text)![1]!;
    expect(newKey).not.toBe(oldKey);
    expect((await call(f.app, 'POST', '/api/auth/claim', { body: { key: oldKey, username: 'hodan.claims', password: 'a long family passphrase' } })).body.error.code).toBe('invalid_key');
    const claimed = await call(f.app, 'POST', '/api/auth/claim', { body: { key: newKey.toLowerCase(), username: 'hodan.claims', password: 'a long family passphrase' } });
    expect(claimed.status).toBe(200);
    // A claimed account gets no new letter.
    expect((await letters(office.token, [guardian.id])).status).toBe(400);
    const trail = await f.store.query(`SELECT 1 FROM audit_trail WHERE table_name = 'activation_keys' AND new_values->>'account_id' = $1`, [guardian.id]);
    expect(trail).toHaveLength(2);
    // The second letter revoked the first letter's key, and the trail says who did and when.
    const revocations = await f.store.query<{ action: string; old_values: unknown; username: string }>(
      `SELECT t.action, t.old_values, a.username FROM audit_trail t JOIN accounts a ON a.id = t.actor_account_id JOIN activation_keys k ON k.id = t.row_id
        WHERE t.table_name = 'activation_keys' AND t.action = 'update' AND k.account_id = $1`,
      [guardian.id],
    );
    expect(revocations.map(({ action, old_values, username }) => ({ action, old_values, username }))).toContainEqual({ action: 'update', old_values: { revoked_at: null }, username: 'demo-office' });
  });

  it('refuses letters for another school’s families and bad input', async () => {
    const office = await signIn(f.app, 'demo-office');
    const [elementaryOnly] = await f.store.query<{ id: string }>(
      `SELECT a.id FROM accounts a JOIN guardianships g ON g.guardian_person_id = a.person_id
        WHERE a.status = 'unclaimed' GROUP BY a.id
       HAVING bool_and(g.student_id IN (SELECT student_id FROM enrollments WHERE school_id = $1)) LIMIT 1`,
      [elementarySchoolId],
    );
    expect((await letters(office.token, [elementaryOnly!.id])).status).toBe(403);
    expect((await letters(office.token, [])).status).toBe(400);
    expect((await letters(office.token, ['not-a-uuid'])).status).toBe(400);
    expect((await letters(office.token, Array(201).fill(elementaryOnly!.id))).status).toBe(400);
    expect((await letters(office.token, ['00000000-0000-4000-8000-000000000000'])).status).toBe(404);
  });

  it('prints a one-time reset code for a family member who cannot use e-mail, never a link', async () => {
    const office = await signIn(f.app, 'demo-office');
    const [account] = await f.store.query<{ id: string; username: string }>(
      `SELECT a.id, a.username FROM accounts a JOIN students s ON s.person_id = a.person_id JOIN enrollments e ON e.student_id = s.id
        WHERE a.status = 'active' AND e.school_id = $1 AND a.username NOT LIKE 'demo-%' LIMIT 1`,
      [highSchoolId],
    );
    const response = await f.app.request(`/api/staff/accounts/${account!.id}/reset-letter`, {
      method: 'POST',
      headers: { authorization: `Bearer ${office.token}`, 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.8' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    const letter = await response.text();
    expect(letter).not.toContain('token=');
    const code = /class="key">([A-Z2-9-]{14})</.exec(letter)![1]!;
    expect((await call(f.app, 'POST', '/api/auth/reset', { body: { username: account!.username, code, password: 'student picks this one' } })).status).toBe(204);
    expect((await call(f.app, 'POST', '/api/auth/login', { body: { username: account!.username, password: 'student picks this one' } })).status).toBe(200);
    const guardian = await signIn(f.app, 'demo-guardian');
    expect((await call(f.app, 'POST', `/api/staff/accounts/${account!.id}/reset-letter`, { token: guardian.token })).status).toBe(403);
  });
});
