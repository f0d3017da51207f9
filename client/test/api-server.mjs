// The real API in browser tests: builds the Hono app in-process on an in-memory PGlite, and
// forwards /api/* from the test server (Koa) to `app.fetch`. The TypeScript server code loads
// through tsx's programmatic API.
//
// Each test file seeds a small demo district of its own (`/__test/district`, from
// client/test/district.ts) with accounts named after the file (`hr-office-guardian`), so no file
// reads or writes records another file writes. The store holds no other district: a file that
// did not ask for one has nobody to sign in as, and a sign-in to an account of an earlier file's
// district is refused (files run one at a time, each in the district it seeded last).
//
// One clock per run (server/test/test-day.ts): the app's clock reads the run's day (or the school
// day a file asked for) and runs at real speed; the test page's `Date` takes the same offset
// (client/test/clock-shim.mjs).
//
// Test-only helpers live under /__test/ (never /api/) and run statements from a fixed list, with
// times from the app's clock, never the database's `now()`:
// seed a district, make an account with a known password, plant an activation key, read a mailed reset link,
// give the authenticator code of a demo staff account (from the secret the seed derived), make a
// staff member with a tool right and no second factor,
// give the browser a fresh client address so one test's failed sign-ins do not throttle the
// next, change a demo child's record or a guardian's portal access (as the office would),
// make sync pulls look like they come from an outdated client, drop the network (every /api/
// request fails unanswered and open streams break), answer pushes with an error status, count
// pushes, and read or change attendance marks (as the office would).
//
// Streaming responses (the sync stream's Server-Sent Events) are piped through as they come,
// not buffered: a stream lasts 15 minutes.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { tsImport } from 'tsx/esm/api';

const load = (path) => tsImport(path, import.meta.url);

const testDays = await load('../../server/test/test-day.ts');

/** The run's clock; a file that asks for a school day moves it there until the next file asks. */
const runClock = testDays.tickingClock(testDays.testDay());
let clock = runClock;

/** What the test page's `Date` adds to the real time at the start of every file: the run's day. */
export function runClockOffsetMs() {
  return runClock.offsetMs;
}

async function buildApi() {
  const [{ openPglite }, { migrate }, generate, { createApp }, { memoryMailer }, passwords, tokens, auth] =
    await Promise.all([
      load('../../server/db/store.ts'),
      load('../../server/db/migrate.ts'),
      load('../../server/seed/generate.ts'),
      load('../../server/app.ts'),
      load('../../server/mail/mailer.ts'),
      load('../../server/access/passwords.ts'),
      load('../../server/access/tokens.ts'),
      load('../../server/routes/auth.ts'),
    ]);
  const store = await openPglite('memory://');
  await migrate(store);
  const mailer = memoryMailer();
  // trustProxy: the middleware, not the browser, sets X-Forwarded-For (see /__test/address).
  const app = createApp({ store, clock: () => clock.now(), mailer, config: { trustProxy: true } });
  return {
    app,
    store,
    generate,
    sent: mailer.sent,
    hashPassword: passwords.hashPassword,
    hashSecret: tokens.hashSecret,
    normalizeActivationKey: auth.normalizeActivationKey,
  };
}

/** Districts the test files seeded: id → name. */
const districts = new Map();
/** What each district was seeded from (its demo staff's TOTP secrets derive from it): id → { seed, slug }. */
const districtSeeds = new Map();

/** The district a helper call works in: the calling file's own, which it names in `district`. */
function districtOf(body) {
  const id = body.district;
  if (typeof id !== 'string' || !districts.has(id)) {
    throw new Error('this test file has no district of its own: call useOwnDistrict() (client/test/district.ts) first');
  }
  return id;
}

let api;
function ready() {
  api ??= buildApi();
  return api;
}

/** The client address the app sees; /__test/address moves it. */
let address = '198.51.100.1';
let addressCounter = 1;

async function readBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Koa context → Fetch Request, with every header and the raw body (read here unless given). */
async function toRequest(context, body) {
  const url = asOutdatedClient(new URL(context.originalUrl, `${context.protocol}://${context.host}`));
  const headers = new Headers();
  for (const [name, value] of Object.entries(context.req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  headers.set('x-forwarded-for', address);
  const hasBody = context.method !== 'GET' && context.method !== 'HEAD';
  return new Request(url, { method: context.method, headers, body: hasBody ? (body ?? (await readBody(context.req))) : undefined });
}

/** Open Server-Sent Events responses, for tests that check a stream was closed. */
let openStreams = 0;
/** Their sockets, which a network drop breaks. */
const streamSockets = new Set();

/** Test switches: the network is down (requests fail unanswered), pushes answer this status. */
const faults = { networkDown: false, pushStatus: null };
/** Push requests that reached the API (or the push-status switch), per collection. */
const pushCounts = new Map();
/** How many push requests carried each document id (any collection). */
const pushedDocuments = new Map();

/** Fetch Response → Koa context: status, headers (each Set-Cookie on its own), body. */
async function sendResponse(context, response) {
  const streaming = response.body !== null && (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
  if (streaming) {
    // Piped chunk by chunk; when the browser goes away Koa destroys the pipe, which cancels the
    // response body, which is how the app's stream learns it was aborted.
    const body = Readable.fromWeb(response.body);
    openStreams += 1;
    let counted = true;
    const uncount = () => {
      if (counted) openStreams -= 1;
      counted = false;
    };
    body.once('close', uncount);
    const socket = context.req.socket;
    streamSockets.add(socket);
    socket.once('close', () => streamSockets.delete(socket));
    socket.setNoDelay(true);
    context.body = body;
  } else {
    const body = Buffer.from(await response.arrayBuffer());
    // Koa turns a null body into 204 and a Buffer into 200 unless the status is set after it.
    context.body = response.status === 204 || response.status === 304 ? null : body;
  }
  context.status = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie' && name !== 'content-length') context.set(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) context.set('set-cookie', cookies);
}

/**
 * Collections whose pulls and pushes the server sees from a client one schema version behind
 * it: `students` for both, `attendance/push` for its pushes only.
 */
const outdatedCollections = new Set();

/** `/api/sync/<collection>/pull?v=n` → `v=n-1` for an outdated collection (or push); other URLs unchanged. */
function asOutdatedClient(url) {
  const match = /^\/api\/sync\/([a-z-]+)\/(pull|push)$/.exec(url.pathname);
  if (!match || !(outdatedCollections.has(match[1]) || outdatedCollections.has(`${match[1]}/${match[2]}`))) return url;
  const outdated = new URL(url);
  outdated.searchParams.set('v', String(Number(url.searchParams.get('v')) - 1));
  return outdated;
}

const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function randomKey() {
  let key = '';
  for (let index = 0; index < 12; index++) key += letters[Math.floor(Math.random() * letters.length)];
  return key.replace(/(.{4})(?=.)/g, '$1-');
}

/** The fixed list of things tests may ask for. Each answers a JSON object. */
const helpers = {
  /**
   * A demo district of the calling file's own, seeded for the run's day (`day: 'school-day'`: the
   * last school day on or before it, and the app's clock moves there). Names must be unique in a
   * run: two files asking for one name fail loudly instead of sharing records.
   */
  async district({ name, students = 100, day = 'run' }) {
    if (typeof name !== 'string' || !/^[a-z][a-z0-9-]{1,30}$/.test(name)) throw new Error(`a district name is lowercase letters, digits and dashes, got ${name}`);
    if (day !== 'run' && day !== 'school-day') throw new Error(`day is 'run' or 'school-day', got ${day}`);
    if ([...districts.values()].includes(name)) throw new Error(`two test files asked for a district named ${name}`);
    const { store, generate } = await ready();
    const today = testDays.dayFor(day);
    const summary = await generate.seedDistrict(store, {
      ...generate.defaultSeedOptions(today),
      students,
      slug: name,
      name: `Test district ${name}`,
      demoPrefix: name,
      usernameTag: `${name}.`,
      // A copy of the demo district (same schools, people and records), under ids of its own.
      randomKey: generate.defaultSeedOptions(today).slug,
    });
    districts.set(summary.districtId, name);
    districtSeeds.set(summary.districtId, { seed: generate.defaultSeedOptions(today).seed, slug: name });
    clock = today === runClock.day ? runClock : testDays.tickingClock(today);
    return { id: summary.districtId, today, clockOffsetMs: clock.offsetMs, accounts: summary.demoUsernames };
  },

  /**
   * The code `username`'s authenticator app shows now (the app's clock), from the secret the seed
   * derived for that demo account. The account's last used step is forgotten first: a file signs
   * in as one account several times within a 30-second step (a real replay is refused, which
   * server/routes/mfa-attacks.test.ts shows).
   */
  async totp(body) {
    const { username } = body;
    const districtId = districtOf(body);
    const { store, generate } = await ready();
    const rows = await store.query(
      `UPDATE second_factors SET last_used_step = NULL
        WHERE district_id = $1 AND account_id = (SELECT id FROM accounts WHERE district_id = $1 AND lower(username) = lower($2)) RETURNING account_id`,
      [districtId, username],
    );
    if (rows.length === 0) throw new Error(`${username} has no authenticator in this district`);
    return { code: generate.demoTotpCode(districtSeeds.get(districtId), username, clock.now()) };
  },

  /**
   * A staff member of the district (a nurse, counselor or office clerk, not a demo account) with
   * a tool right in force, a new username, the password and language given, and no second
   * factor: they must enrol at sign-in.
   */
  async 'staff-without-second-factor'(body) {
    const { password, language = 'en' } = body;
    const districtId = districtOf(body);
    const { store, hashPassword } = await ready();
    const today = clock.now().toISOString().slice(0, 10);
    const [row] = await store.query(
      `SELECT a.id, t.id AS staff_id,
              (SELECT l.school_id FROM staff_locations l WHERE l.district_id = t.district_id AND l.staff_id = t.id AND l.school_id IS NOT NULL AND NOT l.deleted LIMIT 1) AS school_id
         FROM accounts a JOIN staff t ON t.district_id = a.district_id AND t.person_id = a.person_id
        WHERE a.district_id = $1 AND a.status = 'active' AND a.username NOT LIKE 'mfa-%' AND a.username NOT LIKE $3
          AND EXISTS (SELECT 1 FROM staff_locations l WHERE l.district_id = t.district_id AND l.staff_id = t.id AND l.role IN ('nurse', 'counselor', 'office') AND NOT l.deleted)
          AND EXISTS (SELECT 1 FROM tool_rights r WHERE r.district_id = t.district_id AND r.staff_id = t.id AND NOT r.deleted
                         AND r.approved_on <= $2::date AND r.expires_on >= $2::date)
          AND NOT EXISTS (SELECT 1 FROM second_factors f WHERE f.district_id = a.district_id AND f.account_id = a.id)
        ORDER BY a.id LIMIT 1`,
      [districtId, today, `${districts.get(districtId)}-%`],
    );
    if (!row) throw new Error('no staff member with a tool right left to enrol');
    const username = `mfa-${randomUUID().slice(0, 8)}`;
    await store.query(
      `UPDATE accounts SET username = $3, password_hash = $4, failed_logins = 0, preferred_language = $5 WHERE district_id = $1 AND id = $2`,
      [districtId, row.id, username, await hashPassword(password), language],
    );
    return { username, staffId: row.staff_id, schoolId: row.school_id };
  },

  /** A fresh client address: throttling counts per address. */
  async address() {
    // Never one given before in this run: the throttles remember every address for 15 minutes.
    addressCounter += 1;
    address = `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
    return { address };
  },

  /** A new active account (no roles) with an e-mail address and the password given. */
  async account(body) {
    const { password, language = 'en' } = body;
    const districtId = districtOf(body);
    const { store, hashPassword } = await ready();
    const suffix = randomUUID().slice(0, 8);
    const username = `test-${suffix}`;
    const email = `${username}@example.org`;
    const personId = randomUUID();
    await store.query(
      `INSERT INTO people (district_id, id, first_name, last_name, email, preferred_language) VALUES ($1, $2, 'Hodan', 'Warsame', $3, $4)`,
      [districtId, personId, email, language],
    );
    await store.query(
      `INSERT INTO accounts (district_id, id, person_id, username, password_hash, status, preferred_language, claimed_at, password_changed_at)
       VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $7)`,
      [districtId, randomUUID(), personId, username, await hashPassword(password), language, clock.now().toISOString()],
    );
    return { username, email, firstName: 'Hodan' };
  },

  /**
   * A new activation key (`expired` or valid for 30 days) for a random unclaimed account: a
   * guardian's, or a student's (with the student number and birth date the claim must match).
   */
  async 'activation-key'(body) {
    const { student = false, expired = false } = body;
    const districtId = districtOf(body);
    const { store, hashSecret, normalizeActivationKey } = await ready();
    const [account] = await store.query(
      `SELECT a.id, s.student_number, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.first_name
         FROM accounts a
         JOIN people p ON p.district_id = a.district_id AND p.id = a.person_id
         LEFT JOIN students s ON s.district_id = a.district_id AND s.person_id = a.person_id
        WHERE a.district_id = $1 AND a.status = 'unclaimed' AND (s.id IS NOT NULL) = $2
        ORDER BY random() LIMIT 1`,
      [districtId, student],
    );
    if (!account) throw new Error('no unclaimed account left to plant a key for');
    const key = randomKey();
    await store.query(
      `INSERT INTO activation_keys (district_id, id, account_id, key_hash, language, issued_at, expires_at)
       VALUES ($1, $2, $3, $4, 'en', $6, $6::timestamptz + ($5::text)::interval)`,
      [districtId, randomUUID(), account.id, hashSecret(normalizeActivationKey(key)), expired ? '-1 day' : '30 days', clock.now().toISOString()],
    );
    return {
      key,
      firstName: account.first_name,
      ...(student ? { studentNumber: account.student_number, birthDate: account.birth_date } : {}),
    };
  },

  /** Sets or clears (null) the preferred name of one student, as the office would. */
  async 'student-preferred-name'(body) {
    const { studentId, preferredName } = body;
    const districtId = districtOf(body);
    const { store } = await ready();
    const rows = await store.query(
      `UPDATE people SET preferred_name = $3
        WHERE district_id = $1 AND id = (SELECT person_id FROM students WHERE district_id = $1 AND id = $2::uuid)
        RETURNING id`,
      [districtId, studentId, preferredName],
    );
    return { updated: rows.length };
  },

  /**
   * Says a score (by its key, `assignmentId|studentId`) was graded at `gradedAt` (an instant), as if its
   * teacher had graded it then (migration 0015 keeps a time given with the same result).
   */
  async 'score-graded-at'(body) {
    const { scoreId, gradedAt } = body;
    const districtId = districtOf(body);
    const { store } = await ready();
    const rows = await store.query(
      `UPDATE scores SET graded_at = $3::timestamptz
        WHERE district_id = $1 AND assignment_id = split_part($2, '|', 1)::uuid AND student_id = split_part($2, '|', 2)::uuid AND graded_at IS NOT NULL RETURNING id`,
      [districtId, scoreId, gradedAt],
    );
    if (rows.length !== 1) throw new Error(`no graded score ${scoreId} in this district`);
    return { updated: rows.length };
  },

  /** Posts a district-wide announcement meant for these grade levels only, shown on `day`, as the district office would. */
  async 'grade-announcement'(body) {
    const { grades, title, day } = body;
    if (!Array.isArray(grades) || !grades.every(Number.isInteger)) throw new Error('grades is a list of grade levels');
    const districtId = districtOf(body);
    const { store } = await ready();
    const [row] = await store.query(
      `INSERT INTO announcements (district_id, id, scope, title, body, starts_on, ends_on, grades)
       VALUES ($1, gen_random_uuid(), 'district', jsonb_build_object('en', $2::text), jsonb_build_object('en', $2::text), $3::date, $3::date, $4::smallint[]) RETURNING id`,
      [districtId, title, day, `{${grades.join(',')}}`],
    );
    return { id: row.id };
  },

  /** Gives or takes away a guardian's portal access to one of their children. */
  async 'portal-access'(body) {
    const { username, studentId, access } = body;
    const districtId = districtOf(body);
    const { store } = await ready();
    const rows = await store.query(
      `UPDATE guardianships SET portal_access = $4
        WHERE district_id = $1 AND student_id = $3::uuid
          AND guardian_person_id = (SELECT person_id FROM accounts WHERE district_id = $1 AND username = $2)
        RETURNING student_id`,
      [districtId, username, studentId, access === true],
    );
    return { updated: rows.length };
  },

  /** From now on, pulls and pushes of these collections reach the server as an outdated client's would. */
  async 'sync-outdated'({ collections = [] }) {
    outdatedCollections.clear();
    for (const collection of collections) outdatedCollections.add(String(collection));
    return { collections: [...outdatedCollections] };
  },

  /** Takes the network down (every /api/ request fails unanswered, open streams break) or up. */
  async network({ up }) {
    faults.networkDown = up === false;
    if (faults.networkDown) for (const socket of streamSockets) socket.destroy();
    return { up: !faults.networkDown };
  },

  /** From now on pushes are answered with this HTTP status before reaching the app (null: normally). */
  async 'push-status'({ status = null }) {
    faults.pushStatus = typeof status === 'number' ? status : null;
    return { status: faults.pushStatus };
  },

  /** Push requests received so far, per collection. */
  async 'sync-pushes'() {
    return Object.fromEntries(pushCounts);
  },

  /** How many push requests carried the document `id`. */
  async 'sync-pushes-of'({ id }) {
    return { pushes: pushedDocuments.get(id) ?? 0 };
  },

  /**
   * For `username` (a teacher) on `date`: a section they teach whose term includes it, a
   * student on its roster that day with no mark in it yet, and a student of the same school
   * outside the section.
   */
  async 'teacher-roster'(body) {
    const { username, date } = body;
    const districtId = districtOf(body);
    const { store } = await ready();
    const [row] = await store.query(
      `SELECT x.id AS section_id, x.school_id, r.student_id FROM section_staff ss
         JOIN staff t ON t.district_id = ss.district_id AND t.id = ss.staff_id
         JOIN accounts a ON a.district_id = t.district_id AND a.person_id = t.person_id AND a.username = $2
         JOIN sections x ON x.district_id = ss.district_id AND x.id = ss.section_id AND NOT x.deleted
         JOIN terms tm ON tm.district_id = x.district_id AND tm.id = x.term_id AND tm.start_date <= $3::date AND tm.end_date >= $3::date
         JOIN section_enrollments r ON r.district_id = x.district_id AND r.section_id = x.id AND NOT r.deleted
              AND r.start_date <= $3::date AND (r.end_date IS NULL OR r.end_date >= $3::date)
        WHERE ss.district_id = $1 AND NOT ss.deleted AND ss.start_date <= $3::date AND (ss.end_date IS NULL OR ss.end_date >= $3::date)
          AND NOT EXISTS (SELECT 1 FROM attendance m WHERE m.district_id = $1 AND m.student_id = r.student_id AND m.section_id = x.id AND m.date = $3::date)
        ORDER BY random() LIMIT 1`,
      [districtId, username, date],
    );
    if (!row) throw new Error(`${username} has no roster left without a mark on ${date}`);
    const [other] = await store.query(
      `SELECT e.student_id FROM enrollments e
        WHERE e.district_id = $1 AND e.school_id = $2 AND NOT e.deleted AND e.end_date IS NULL
          AND NOT EXISTS (SELECT 1 FROM section_enrollments r WHERE r.district_id = $1 AND r.student_id = e.student_id AND r.section_id = $3)
        LIMIT 1`,
      [districtId, row.school_id, row.section_id],
    );
    return { sectionId: row.section_id, schoolId: row.school_id, studentId: row.student_id, otherStudentId: other?.student_id ?? null };
  },

  /** One attendance mark as the server has it (null when there is none). */
  async 'attendance-mark'(body) {
    const { id } = body;
    const districtId = districtOf(body);
    const { store } = await ready();
    const [mark] = await store.query(
      `SELECT id, status, excuse, minutes, comment, deleted, recorded_by_staff_id IS NOT NULL AS recorded FROM attendance WHERE district_id = $1 AND id = $2::uuid`,
      [districtId, id],
    );
    return { mark: mark ?? null };
  },

  /** Changes the comment of one mark on the server, as the office would. */
  async 'attendance-comment'(body) {
    const { id, comment } = body;
    const districtId = districtOf(body);
    const { store } = await ready();
    const rows = await store.query(`UPDATE attendance SET comment = $3 WHERE district_id = $1 AND id = $2::uuid RETURNING id`, [districtId, id, comment]);
    return { updated: rows.length };
  },

  /** How many sync streams are open right now. */
  async 'sync-streams'() {
    return { open: openStreams };
  },

  /** The token of the newest reset link mailed to `email`. */
  async 'reset-token'({ email }) {
    const { sent } = await ready();
    const mail = [...sent].reverse().find((message) => message.to === email);
    const token = mail ? /#\/reset\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] : undefined;
    return { token: token ?? null, subject: mail?.subject ?? null };
  },
};

/** @type {import('@web/dev-server-core').Middleware} */
export async function apiMiddleware(context, next) {
  if (context.path.startsWith('/__test/')) {
    const helper = Object.prototype.hasOwnProperty.call(helpers, context.path.slice('/__test/'.length))
      ? helpers[context.path.slice('/__test/'.length)]
      : undefined;
    if (!helper || context.method !== 'POST') return next();
    const text = (await readBody(context.req)).toString('utf8');
    try {
      context.body = await helper(text ? JSON.parse(text) : {});
    } catch (error) {
      // The test that asked reads why (client/test/api.ts puts it in its error).
      context.status = 500;
      context.body = { error: error instanceof Error ? error.message : String(error) };
    }
    return;
  }
  if (context.path !== '/api' && !context.path.startsWith('/api/')) return next();
  if (faults.networkDown) {
    // As on a dropped connection: no answer at all, the browser's fetch rejects. (The status
    // is only for the test server's log, which would otherwise list a 404.)
    context.status = 503;
    context.respond = false;
    context.req.socket.destroy();
    return;
  }
  const push = /^\/api\/sync\/([a-z-]+)\/push$/.exec(context.path);
  let body;
  if (push) {
    pushCounts.set(push[1], (pushCounts.get(push[1]) ?? 0) + 1);
    body = await readBody(context.req);
    for (const id of pushedIds(body)) pushedDocuments.set(id, (pushedDocuments.get(id) ?? 0) + 1);
    if (process.env.HOMEROOM_DEBUG_PUSHES) console.log(`push ${push[1]} #${pushCounts.get(push[1])}: ${[...pushedIds(body)].join(', ')}`);
    if (faults.pushStatus !== null) {
      context.status = faults.pushStatus;
      context.body = { error: { code: 'test_fault', message: 'Refused by the test switch' } };
      return;
    }
  }
  if (context.method === 'POST' && context.path === '/api/auth/login') {
    body = await readBody(context.req);
    const stranger = await signInElsewhere(body);
    if (stranger) {
      context.status = 409;
      context.body = { error: { code: 'test_district', message: stranger } };
      return;
    }
  }
  const { app } = await ready();
  const started = performance.now();
  inFlight.add(context);
  try {
    // `incoming` is what @hono/node-server's getConnInfo reads the socket address from.
    const response = await app.fetch(await toRequest(context, body), { incoming: context.req });
    await sendResponse(context, response);
  } finally {
    inFlight.delete(context);
    const took = performance.now() - started;
    // A file that stalls (a query that blocks this process, which also serves the runner) says where.
    if (took > slowRequestMs && context.path !== '/api/sync/stream') console.error(`[api-server] ${context.method} ${context.url} took ${Math.round(took)} ms`);
  }
}

/** API requests being answered: what an event-loop stall was busy with. */
const inFlight = new Set();
const slowRequestMs = 15_000;

/**
 * The API runs in the test runner's own process (PGlite is WebAssembly on this thread), so one
 * long synchronous query stops the runner too, and a file then fails only with "did not finish".
 * A stall of more than 5 s is reported with the requests that were open.
 */
let lastTick = performance.now();
setInterval(() => {
  const now = performance.now();
  const stalled = now - lastTick - 1000;
  lastTick = now;
  if (stalled > 5000) {
    const open = [...inFlight].map((context) => `${context.method} ${context.url}`).join(', ') || 'none';
    console.error(`[api-server] the test server's event loop was blocked for ${Math.round(stalled)} ms; API requests open: ${open}`);
  }
}, 1000).unref();

/** The document ids a push body names (a malformed body names none). */
function pushedIds(body) {
  try {
    const rows = JSON.parse(body.toString('utf8'));
    return new Set(Array.isArray(rows) ? rows.map((row) => row?.newDocumentState?.id).filter((id) => typeof id === 'string') : []);
  } catch {
    return new Set();
  }
}

/**
 * Files run one at a time, each in the district it seeded last: a sign-in to an account of
 * another file's district is that file's records, and is refused with why (null: allowed).
 */
async function signInElsewhere(body) {
  let username;
  try {
    username = JSON.parse(body.toString('utf8')).username;
  } catch {
    return null; // the API answers a malformed body itself
  }
  if (typeof username !== 'string' || districts.size === 0) return null;
  const { store } = await ready();
  const [account] = await store.query('SELECT district_id FROM accounts WHERE lower(username) = lower($1)', [username.normalize('NFKC')]);
  const current = [...districts.keys()].at(-1);
  if (!account || account.district_id === current) return null;
  return `${username} belongs to the district of another test file (${districts.get(account.district_id)}), not this file's (${districts.get(current)})`;
}

/** Builds the API before any test runs (initdb and migrations), and closes it at the end. */
export const apiServerPlugin = {
  name: 'homeroom-api',
  async serverStart() {
    await ready();
  },
  async serverStop() {
    if (api) await (await api).store.close();
  },
};
