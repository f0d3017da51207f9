/**
 * Shared computers: kiosks enrolled by school staff, and sessions on computers that are not the
 * person's own. Each attack on a shared computer is a test: the next person must not find the
 * last family signed in, and no visitor can make a browser a kiosk or keep one from ending.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFixture, freshAddress, signIn, type AppFixture } from '../test/app-fixture.ts';
import type { KioskCode, KioskListing, KioskState } from '../contract/kiosk.ts';
import type { SessionResponse } from '../contract/auth.ts';

let f: AppFixture;
beforeAll(async () => {
  f = await appFixture();
});
afterAll(async () => {
  await f.close();
});

interface Sent<T> {
  status: number;
  body: T;
  cookies: string[];
}

/** One request as a browser sends it: its cookies (`name=value`), JSON body, bearer token. */
async function send<T = any>(method: string, path: string, options: { body?: unknown; token?: string; cookies?: string[]; ip?: string } = {}): Promise<Sent<T>> {
  const headers: Record<string, string> = { 'x-forwarded-for': options.ip ?? freshAddress(), 'user-agent': 'vitest kiosk' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookies?.length) headers.cookie = options.cookies.join('; ');
  const response = await f.app.request(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T, cookies: response.headers.getSetCookie() };
}

/** `name=value` of a Set-Cookie header, and the header itself. */
function cookieOf(cookies: string[], name: string): { pair: string; header: string } | undefined {
  const header = cookies.find((cookie) => cookie.startsWith(`${name}=`));
  return header ? { pair: header.split(';')[0]!, header } : undefined;
}

/** demo-office's school (the high school). */
async function highSchoolId(): Promise<string> {
  const [row] = await f.store.query<{ school_id: string }>(
    `SELECT l.school_id FROM accounts a JOIN staff s ON s.district_id = a.district_id AND s.person_id = a.person_id
       JOIN staff_locations l ON l.district_id = s.district_id AND l.staff_id = s.id AND l.role = 'office' WHERE a.username = $1`,
    [f.district.demoUsernames.office],
  );
  return row!.school_id;
}

/** demo-office makes a code for her school and a computer enrols with it: the kiosk's cookie. */
async function enrolKiosk(label = 'Media center 1'): Promise<{ cookie: string; kioskId: string; schoolId: string }> {
  const schoolId = await highSchoolId();
  const office = await signIn(f.app, f.district.demoUsernames.office);
  const made = await send<KioskCode>('POST', '/api/staff/kiosks', { token: office.token, body: { schoolId, label } });
  expect(made.status).toBe(201);
  const enrolled = await send<KioskState>('POST', '/api/kiosk/enrol', { body: { code: made.body.code.toLowerCase().replace('-', ' ') } });
  expect(enrolled.status).toBe(200);
  const cookie = cookieOf(enrolled.cookies, 'hr_kiosk')!;
  return { cookie: cookie.pair, kioskId: made.body.id, schoolId };
}

describe('kiosk enrolment', () => {
  it('gives a computer a device credential only for a one-time code made by staff with the kiosks right', async () => {
    const schoolId = await highSchoolId();
    const office = await signIn(f.app, f.district.demoUsernames.office);
    const made = await send<KioskCode>('POST', '/api/staff/kiosks', { token: office.token, body: { schoolId, label: 'Library 2' } });
    expect(made.status).toBe(201);
    expect(made.body.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const enrolled = await send<KioskState>('POST', '/api/kiosk/enrol', { body: { code: made.body.code } });
    expect(enrolled.status).toBe(200);
    expect(enrolled.body.kiosk).toMatchObject({ id: made.body.id, schoolId, label: 'Library 2', idleMinutes: 2 });
    const cookie = cookieOf(enrolled.cookies, 'hr_kiosk')!;
    // The page never sees it: HttpOnly, for the API only.
    expect(cookie.header).toMatch(/HttpOnly/i);
    expect(cookie.header).toMatch(/Path=\/api(;|$)/);
    expect(cookie.header).toMatch(/SameSite=Strict/i);

    // The computer asks what it is: a kiosk of that school.
    const state = await send<KioskState>('GET', '/api/kiosk', { cookies: [cookie.pair] });
    expect(state.body.kiosk).toMatchObject({ id: made.body.id, schoolName: expect.any(String) });
    // The code was for one computer only.
    const again = await send('POST', '/api/kiosk/enrol', { body: { code: made.body.code } });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('invalid_kiosk_code');
    // Listed for the office with its last use.
    const listed = await send<KioskListing>('GET', `/api/staff/kiosks?schoolId=${schoolId}`, { token: office.token });
    expect(listed.body.kiosks.find((kiosk) => kiosk.id === made.body.id)).toMatchObject({ state: 'enrolled', label: 'Library 2', lastUsedAt: expect.any(String) });
    // Audited: made, then enrolled.
    const trail = await f.store.query<{ action: string }>(`SELECT action FROM audit_trail WHERE table_name = 'kiosks' AND row_id = $1 ORDER BY id`, [made.body.id]);
    expect(trail.map((row) => row.action)).toEqual(['insert', 'update']);
  });

  it('refuses a browser that forges or guesses: no cookie, a made-up credential, a wrong or expired code, and too many guesses', async () => {
    expect((await send<KioskState>('GET', '/api/kiosk')).body).toEqual({ kiosk: null });
    const forged = await send<KioskState>('GET', '/api/kiosk', { cookies: ['hr_kiosk=on'] });
    expect(forged.body).toEqual({ kiosk: null });
    // A browser holding a credential that no longer counts is told to forget it.
    expect(cookieOf(forged.cookies, 'hr_kiosk')?.header).toMatch(/Max-Age=0/);

    const schoolId = await highSchoolId();
    const office = await signIn(f.app, f.district.demoUsernames.office);
    const made = await send<KioskCode>('POST', '/api/staff/kiosks', { token: office.token, body: { schoolId } });
    f.advance(16 * 60_000);
    try {
      const late = await send('POST', '/api/kiosk/enrol', { body: { code: made.body.code } });
      expect(late.body.error.code).toBe('invalid_kiosk_code');
    } finally {
      f.advance(-16 * 60_000);
    }
    const ip = freshAddress();
    const answers: number[] = [];
    for (let attempt = 0; attempt < 21; attempt++) answers.push((await send('POST', '/api/kiosk/enrol', { ip, body: { code: `ZZZZ-ZZ${String(attempt).padStart(2, '2').replace(/[01]/g, '3')}` } })).status);
    expect(answers.slice(0, 20).every((status) => status === 400)).toBe(true);
    expect(answers[20]).toBe(429);
    for (const body of [{}, { code: 12 }, { code: 'x'.repeat(30) }]) expect((await send('POST', '/api/kiosk/enrol', { body })).status).toBe(400);
  });

  it('lets only staff with the kiosks right at the school make codes, list, revoke and set the idle limit', async () => {
    const schoolId = await highSchoolId();
    for (const role of ['teacher', 'guardian', 'student', 'principal'] as const) {
      const session = await signIn(f.app, f.district.demoUsernames[role]);
      expect((await send('POST', '/api/staff/kiosks', { token: session.token, body: { schoolId } })).status, role).toBe(403);
      expect((await send('GET', `/api/staff/kiosks?schoolId=${schoolId}`, { token: session.token })).status, role).toBe(403);
      expect((await send('PUT', '/api/staff/kiosks/settings', { token: session.token, body: { schoolId, idleMinutes: 5 } })).status, role).toBe(403);
    }
    // Another school of the district: not hers.
    const office = await signIn(f.app, f.district.demoUsernames.office);
    const [other] = await f.store.query<{ id: string }>(`SELECT id FROM schools WHERE district_id = $1 AND id <> $2 LIMIT 1`, [f.district.districtId, schoolId]);
    expect((await send('POST', '/api/staff/kiosks', { token: office.token, body: { schoolId: other!.id } })).status).toBe(403);
    expect((await send('POST', '/api/staff/kiosks', { body: { schoolId } })).status).toBe(401);
  });
});

describe('sessions on a shared computer', () => {
  it('ends with the browser and after the idle limit on a kiosk, and a revoked kiosk ends every session on it', async () => {
    const { cookie, kioskId, schoolId } = await enrolKiosk();
    const login = await send<SessionResponse>('POST', '/api/auth/login', { cookies: [cookie], body: { username: f.district.demoUsernames.guardian, password: 'homeroom-demo' } });
    expect(login.status).toBe(200);
    expect(login.body.idleMinutes).toBe(2);
    // No more than the idle limit on the access token either.
    expect(login.body.expiresIn).toBe(120);
    const refresh = cookieOf(login.cookies, 'hr_refresh')!;
    // A session cookie: gone when the browser closes.
    expect(refresh.header).not.toMatch(/Max-Age|Expires/i);

    // In use: each refresh moves the end on.
    f.advance(90_000);
    const renewed = await send<SessionResponse>('POST', '/api/auth/refresh', { cookies: [cookie, refresh.pair] });
    expect(renewed.status).toBe(200);
    expect(renewed.body.idleMinutes).toBe(2);
    const next = cookieOf(renewed.cookies, 'hr_refresh')!;
    expect(next.header).not.toMatch(/Max-Age|Expires/i);
    f.advance(90_000);
    expect((await send('GET', '/api/me', { token: renewed.body.accessToken })).status).toBe(200);

    // Left alone past the limit: the refresh token and the access token are both dead.
    f.advance(121_000);
    expect((await send('GET', '/api/me', { token: renewed.body.accessToken })).status).toBe(401);
    expect((await send('POST', '/api/auth/refresh', { cookies: [cookie, next.pair] })).status).toBe(401);

    // A new sign-in on the kiosk, then the office revokes it: signed out, and no kiosk any more.
    const second = await send<SessionResponse>('POST', '/api/auth/login', { cookies: [cookie], body: { username: f.district.demoUsernames.student, password: 'homeroom-demo' } });
    const office = await signIn(f.app, f.district.demoUsernames.office);
    expect((await send('POST', `/api/staff/kiosks/${kioskId}/revoke`, { token: office.token })).status).toBe(204);
    expect((await send('GET', '/api/me', { token: second.body.accessToken })).status).toBe(401);
    expect((await send<KioskState>('GET', '/api/kiosk', { cookies: [cookie] })).body.kiosk).toBe(null);
    const listed = await send<KioskListing>('GET', `/api/staff/kiosks?schoolId=${schoolId}`, { token: office.token });
    expect(listed.body.kiosks.find((kiosk) => kiosk.id === kioskId)?.state).toBe('revoked');
    // A revoked kiosk is an ordinary browser: its sign-ins are the person's own again.
    const after = await send<SessionResponse>('POST', '/api/auth/login', { cookies: [cookie], body: { username: f.district.demoUsernames.student, password: 'homeroom-demo' } });
    expect(after.body.idleMinutes).toBeUndefined();
  });

  it('treats "this is not my device" as a shared computer, and the person’s own device as before', async () => {
    const shared = await send<SessionResponse>('POST', '/api/auth/login', { body: { username: f.district.demoUsernames.guardian, password: 'homeroom-demo', sharedDevice: true } });
    expect(shared.body.idleMinutes).toBe(2);
    expect(cookieOf(shared.cookies, 'hr_refresh')!.header).not.toMatch(/Max-Age/i);
    const own = await send<SessionResponse>('POST', '/api/auth/login', { body: { username: f.district.demoUsernames.guardian, password: 'homeroom-demo', sharedDevice: false } });
    expect(own.body.idleMinutes).toBeUndefined();
    expect(own.body.expiresIn).toBe(900);
    expect(cookieOf(own.cookies, 'hr_refresh')!.header).toMatch(/Max-Age=2592000/);
    // A kiosk cannot be talked out of being one: `sharedDevice: false` still gets the kiosk's limit.
    const { cookie } = await enrolKiosk('Library 3');
    const onKiosk = await send<SessionResponse>('POST', '/api/auth/login', { cookies: [cookie], body: { username: f.district.demoUsernames.guardian, password: 'homeroom-demo', sharedDevice: false } });
    expect(onKiosk.body.idleMinutes).toBe(2);
  });

  it('takes the school’s idle limit, 1 to 15 minutes, set by the office and audited', async () => {
    const { cookie, schoolId } = await enrolKiosk('Library 4');
    const office = await signIn(f.app, f.district.demoUsernames.office);
    for (const idleMinutes of [0, 16, 2.5, '5', null]) {
      expect((await send('PUT', '/api/staff/kiosks/settings', { token: office.token, body: { schoolId, idleMinutes } })).status, String(idleMinutes)).toBe(400);
    }
    expect((await send('PUT', '/api/staff/kiosks/settings', { token: office.token, body: { schoolId, idleMinutes: 1 } })).status).toBe(200);
    try {
      expect((await send<KioskState>('GET', '/api/kiosk', { cookies: [cookie] })).body.kiosk?.idleMinutes).toBe(1);
      const login = await send<SessionResponse>('POST', '/api/auth/login', { cookies: [cookie], body: { username: f.district.demoUsernames.guardian, password: 'homeroom-demo' } });
      expect(login.body.idleMinutes).toBe(1);
      expect(login.body.expiresIn).toBe(60);
      const [audited] = await f.store.query<{ new_values: { kiosk_idle_minutes: number } }>(`SELECT new_values FROM audit_trail WHERE table_name = 'schools' AND row_id = $1 ORDER BY id DESC LIMIT 1`, [schoolId]);
      expect(audited!.new_values.kiosk_idle_minutes).toBe(1);
    } finally {
      await send('PUT', '/api/staff/kiosks/settings', { token: office.token, body: { schoolId, idleMinutes: 2 } });
    }
  });

  it('makes the browser a staff member is using a kiosk, and signs her out of it', async () => {
    const schoolId = await highSchoolId();
    // Staff sign in with their second factor (the fixture's signIn answers it).
    const office = await signIn(f.app, f.district.demoUsernames.office);
    const made = await send<KioskState>('POST', '/api/staff/kiosks/this-browser', { token: office.token, body: { schoolId, label: 'Front desk' } });
    expect(made.status).toBe(201);
    expect(made.body.kiosk).toMatchObject({ schoolId, label: 'Front desk' });
    expect(cookieOf(made.cookies, 'hr_kiosk')).toBeDefined();
    expect(cookieOf(made.cookies, 'hr_refresh')?.header).toMatch(/Max-Age=0/);
    expect((await send('GET', '/api/me', { token: office.token })).status).toBe(401);
  });
});
