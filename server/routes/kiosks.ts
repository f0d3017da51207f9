import { UUID } from '../domain/ids.ts';
/**
 * Shared computers (kiosks): a staff member with the `kiosks` right at a school makes a
 * one-time code, types it on the media-center computer at `#/kiosk` (or signs in there and
 * makes that computer a kiosk), and the browser gets a device credential in an HttpOnly cookie.
 * Kiosks are listed with their last use and revoked here; every change is audited.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { audit } from '../access/access-log.ts';
import { clientAddress, requireAuth } from '../access/authenticate.ts';
import { canUseTool } from '../access/policy.ts';
import { findKiosk, KIOSK_COOKIE, kioskOfRequest } from '../access/shared-device.ts';
import { AddressThrottle, THROTTLE_WINDOW_MS } from '../access/throttle.ts';
import { hashSecret, newSecret } from '../access/tokens.ts';
import type { AppEnv } from '../app.ts';
import { IDLE_MINUTES, KIOSK_CODE_ALPHABET, normalizeKioskCode, type KioskCode, type KioskListing, type KioskState, type KioskSummary } from '../contract/kiosk.ts';
import type { Queryable } from '../db/store.ts';
import { ApiError } from '../errors.ts';
import { overHttps, REFRESH_COOKIE } from './auth.ts';
import { readFields, readJson } from './validate.ts';

/** A code is typed within minutes of being made. */
const CODE_MINUTES = 15;
/** Browsers keep a cookie at most 400 days; a kiosk in use renews it whenever it starts. */
const CREDENTIAL_DAYS = 400;
/** XXXX-XXXX: 40 bits, one use, 15 minutes, and wrong guesses are throttled per address. */
function newKioskCode(): string {
  const chars = Array.from({ length: 8 }, () => KIOSK_CODE_ALPHABET[randomInt(KIOSK_CODE_ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

function hashKioskCode(code: string): string {
  return hashSecret(`kiosk:${normalizeKioskCode(code)}`);
}

/** Gives this browser the kiosk's device credential (a cookie only the API sees). */
async function enrolBrowser(c: Context<AppEnv>, tx: Queryable, kioskId: string, districtId: string, now: Date): Promise<void> {
  const credential = newSecret();
  await tx.query(
    `UPDATE kiosks SET credential_hash = $3, enrolled_at = $4, last_used_at = $4, code_hash = NULL, code_expires_at = NULL WHERE district_id = $1 AND id = $2`,
    [districtId, kioskId, hashSecret(credential), now],
  );
  setCookie(c, KIOSK_COOKIE, credential, { httpOnly: true, secure: overHttps(c), sameSite: 'Strict', path: '/api', maxAge: CREDENTIAL_DAYS * 86_400 });
}

/** What a kiosk shows about itself (its district stays on the server). */
function stateOf(kiosk: Awaited<ReturnType<typeof findKiosk>>): KioskState {
  if (!kiosk) return { kiosk: null };
  const { districtId: _district, ...shown } = kiosk;
  return { kiosk: shown };
}

/** What a browser asks about itself; and enrolment with a code, before anyone signs in. */
export function kioskRoutes() {
  const app = new Hono<AppEnv>();
  let throttle: AddressThrottle | undefined;

  /** Whether this browser is an enrolled kiosk (and of which school, with its idle limit). */
  app.get('/', async (c) => {
    const { store, clock } = c.get('deps');
    const state = stateOf(await kioskOfRequest(c));
    if (!state.kiosk) {
      // Revoked, or never one: the browser forgets the credential.
      if (getCookie(c, KIOSK_COOKIE)) deleteCookie(c, KIOSK_COOKIE, { path: '/api' });
      return c.json(state);
    }
    await store.query(`UPDATE kiosks SET last_used_at = $2 WHERE id = $1`, [state.kiosk.id, clock()]);
    return c.json(state);
  });

  /** The computer at `#/kiosk` sends the code a staff member made for it. */
  app.post('/enrol', async (c) => {
    const { code } = await readFields(c, { code: { type: 'string', max: 20 } });
    const { store, clock } = c.get('deps');
    throttle ??= new AddressThrottle(20, THROTTLE_WINDOW_MS, clock);
    const ip = clientAddress(c);
    const wait = throttle.retryAfter(ip);
    if (wait > 0) throw new ApiError(429, 'rate_limited', { retryAfter: wait });
    const now = clock();
    const enrolled = await store.transaction(async (tx) => {
      const [kiosk] = await tx.query<{ district_id: string; id: string; created_by_account_id: string; code_expires_at: Date }>(
        `SELECT district_id, id, created_by_account_id, code_expires_at FROM kiosks WHERE code_hash = $1 AND revoked_at IS NULL FOR UPDATE`,
        [hashKioskCode(code)],
      );
      if (!kiosk || new Date(kiosk.code_expires_at) <= now) return null;
      await enrolBrowser(c, tx, kiosk.id, kiosk.district_id, now);
      // The staff member who made the code is who let this computer in.
      await audit(tx, { districtId: kiosk.district_id, actorAccountId: kiosk.created_by_account_id, table: 'kiosks', rowId: kiosk.id, action: 'update', oldValues: { enrolled_at: null }, newValues: { enrolled_at: now.toISOString(), ip } }, now);
      return findKiosk(tx, { districtId: kiosk.district_id, id: kiosk.id });
    });
    if (!enrolled) {
      throttle.fail(ip);
      throw new ApiError(400, 'invalid_kiosk_code', { fields: ['code'] });
    }
    // Whoever was signed in on this browser before is signed out of it: it is a kiosk now.
    deleteCookie(c, REFRESH_COOKIE, { path: '/api/auth' });
    return c.json(stateOf(enrolled));
  });

  return app;
}

/** The staff side: make codes, enrol the browser one is using, list, revoke, set the idle limit. */
export function staffKioskRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth);

  /** The school must be in the district, and the staff member must hold the right there. */
  async function schoolFor(c: Context<AppEnv>, schoolId: string | undefined): Promise<{ id: string; idleMinutes: number }> {
    if (!schoolId || !UUID.test(schoolId)) throw new ApiError(400, 'validation_failed', { fields: ['schoolId'] });
    const principal = c.get('principal');
    if (!canUseTool(principal, 'kiosks', schoolId)) throw new ApiError(403, 'forbidden');
    const [school] = await c.get('deps').store.query<{ kiosk_idle_minutes: number }>(
      `SELECT kiosk_idle_minutes FROM schools WHERE district_id = $1 AND id = $2 AND NOT deleted`,
      [principal.districtId, schoolId],
    );
    if (!school) throw new ApiError(404, 'not_found');
    return { id: schoolId, idleMinutes: Number(school.kiosk_idle_minutes) };
  }

  async function insertKiosk(c: Context<AppEnv>, tx: Queryable, schoolId: string, label: string, code: string | null, now: Date): Promise<string> {
    const principal = c.get('principal');
    const id = randomUUID();
    await tx.query(
      `INSERT INTO kiosks (district_id, id, school_id, label, code_hash, code_expires_at, created_by_account_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [principal.districtId, id, schoolId, label, code ? hashKioskCode(code) : null, code ? new Date(now.getTime() + CODE_MINUTES * 60_000) : null, principal.accountId, now],
    );
    await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'kiosks', rowId: id, action: 'insert', oldValues: null, newValues: { school_id: schoolId, label } }, now);
    return id;
  }

  const labelOf = (label: string | undefined) => (label ?? '').trim().slice(0, 80);

  app.get('/', async (c) => {
    const school = await schoolFor(c, c.req.query('schoolId'));
    const rows = await c.get('deps').store.query<{ id: string; label: string; created_at: Date; enrolled_at: Date | null; last_used_at: Date | null; revoked_at: Date | null }>(
      `SELECT id, label, created_at, enrolled_at, last_used_at, revoked_at FROM kiosks
        WHERE district_id = $1 AND school_id = $2 AND (enrolled_at IS NOT NULL OR (revoked_at IS NULL AND code_expires_at > $3))
        ORDER BY revoked_at IS NOT NULL, label, created_at`,
      [c.get('principal').districtId, school.id, c.get('deps').clock()],
    );
    const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
    const kiosks: KioskSummary[] = rows.map((row) => ({
      id: row.id,
      label: row.label,
      state: row.revoked_at ? 'revoked' : row.enrolled_at ? 'enrolled' : 'waiting',
      createdAt: new Date(row.created_at).toISOString(),
      enrolledAt: iso(row.enrolled_at),
      lastUsedAt: iso(row.last_used_at),
      revokedAt: iso(row.revoked_at),
    }));
    return c.json({ idleMinutes: school.idleMinutes, kiosks } satisfies KioskListing);
  });

  /** A one-time code for a computer to enrol itself at `#/kiosk`. */
  app.post('/', async (c) => {
    const body = await readFields(c, { schoolId: { type: 'string', max: 40 }, label: { type: 'string', max: 80, optional: true } });
    const school = await schoolFor(c, body.schoolId);
    const { store, clock } = c.get('deps');
    const now = clock();
    const code = newKioskCode();
    const id = await store.transaction((tx) => insertKiosk(c, tx, school.id, labelOf(body.label), code, now));
    return c.json({ id, code, expiresAt: new Date(now.getTime() + CODE_MINUTES * 60_000).toISOString() } satisfies KioskCode, 201);
  });

  /** "Make this computer a kiosk": enrols the browser the staff member is using, and signs them out of it. */
  app.post('/this-browser', async (c) => {
    const body = await readFields(c, { schoolId: { type: 'string', max: 40 }, label: { type: 'string', max: 80, optional: true } });
    const school = await schoolFor(c, body.schoolId);
    const { store, clock } = c.get('deps');
    const principal = c.get('principal');
    const now = clock();
    const enrolled = await store.transaction(async (tx) => {
      const id = await insertKiosk(c, tx, school.id, labelOf(body.label), null, now);
      await enrolBrowser(c, tx, id, principal.districtId, now);
      await tx.query(`UPDATE sessions SET revoked_at = $3, revoked_reason = 'kiosk_enrolled' WHERE district_id = $1 AND id = $2 AND revoked_at IS NULL`, [principal.districtId, c.get('sessionId'), now]);
      return findKiosk(tx, { districtId: principal.districtId, id });
    });
    deleteCookie(c, REFRESH_COOKIE, { path: '/api/auth' });
    return c.json(stateOf(enrolled), 201);
  });

  /** The computer is no kiosk any more: its credential stops working and everyone on it is signed out. */
  app.post('/:id/revoke', async (c) => {
    const id = c.req.param('id');
    if (!UUID.test(id)) throw new ApiError(404, 'not_found');
    const { store, clock } = c.get('deps');
    const principal = c.get('principal');
    const [kiosk] = await store.query<{ school_id: string; revoked_at: Date | null }>(`SELECT school_id, revoked_at FROM kiosks WHERE district_id = $1 AND id = $2`, [principal.districtId, id]);
    if (!kiosk) throw new ApiError(404, 'not_found');
    await schoolFor(c, kiosk.school_id);
    if (kiosk.revoked_at) return c.body(null, 204);
    const now = clock();
    await store.transaction(async (tx) => {
      await tx.query(`UPDATE kiosks SET revoked_at = $3, revoked_by_account_id = $4, code_hash = NULL, code_expires_at = NULL WHERE district_id = $1 AND id = $2`, [principal.districtId, id, now, principal.accountId]);
      await tx.query(`UPDATE sessions SET revoked_at = $3, revoked_reason = 'kiosk_revoked' WHERE district_id = $1 AND kiosk_id = $2 AND revoked_at IS NULL`, [principal.districtId, id, now]);
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'kiosks', rowId: id, action: 'update', oldValues: { revoked_at: null }, newValues: { revoked_at: now.toISOString() } }, now);
    });
    return c.body(null, 204);
  });

  /** Minutes without a key or a tap before the school's kiosks sign their user out. */
  app.put('/settings', async (c) => {
    const body = (await readJson(c)) as { schoolId?: unknown; idleMinutes?: unknown } | null;
    const minutes = body?.idleMinutes;
    if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < IDLE_MINUTES.min || minutes > IDLE_MINUTES.max) {
      throw new ApiError(400, 'validation_failed', { fields: ['idleMinutes'] });
    }
    const school = await schoolFor(c, typeof body?.schoolId === 'string' ? body.schoolId : undefined);
    const { store, clock } = c.get('deps');
    const principal = c.get('principal');
    const now = clock();
    await store.transaction(async (tx) => {
      await tx.query(`UPDATE schools SET kiosk_idle_minutes = $3 WHERE district_id = $1 AND id = $2`, [principal.districtId, school.id, minutes]);
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'schools', rowId: school.id, action: 'update', oldValues: { kiosk_idle_minutes: school.idleMinutes }, newValues: { kiosk_idle_minutes: minutes } }, now);
    });
    return c.json({ idleMinutes: minutes });
  });

  return app;
}
