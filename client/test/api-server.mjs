// The real API in browser tests: builds the Hono app in-process on an in-memory PGlite with a
// small seeded demo district, and forwards /api/* from the test server (Koa) to `app.fetch`.
// The TypeScript server code loads through tsx's programmatic API.
//
// Test-only helpers live under /__test/ (never /api/) and run statements from a fixed list:
// make an account with a known password, plant an activation key, read a mailed reset link,
// and give the browser a fresh client address so one test's failed sign-ins do not
// throttle the next.
import { randomUUID } from 'node:crypto';
import { tsImport } from 'tsx/esm/api';

const load = (path) => tsImport(path, import.meta.url);

/** The date the demo district is seeded for; the app's clock is the real one. */
const seedDate = '2026-11-24';

async function buildApi() {
  const [{ openPglite }, { migrate }, { defaultSeedOptions, seedDistrict }, { createApp }, { memoryMailer }, passwords, tokens, auth] =
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
  const district = await seedDistrict(store, { ...defaultSeedOptions(seedDate), students: 100 });
  const mailer = memoryMailer();
  // trustProxy: the middleware, not the browser, sets X-Forwarded-For (see /__test/address).
  const app = createApp({ store, clock: () => new Date(), mailer, config: { trustProxy: true } });
  return {
    app,
    store,
    districtId: district.districtId,
    sent: mailer.sent,
    hashPassword: passwords.hashPassword,
    hashSecret: tokens.hashSecret,
    normalizeActivationKey: auth.normalizeActivationKey,
  };
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

/** Koa context → Fetch Request, with every header and the raw body. */
async function toRequest(context) {
  const url = new URL(context.originalUrl, `${context.protocol}://${context.host}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(context.req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  headers.set('x-forwarded-for', address);
  const hasBody = context.method !== 'GET' && context.method !== 'HEAD';
  return new Request(url, { method: context.method, headers, body: hasBody ? await readBody(context.req) : undefined });
}

/** Fetch Response → Koa context: status, headers (each Set-Cookie on its own), body. */
async function sendResponse(context, response) {
  const body = Buffer.from(await response.arrayBuffer());
  // Koa turns a null body into 204 and a Buffer into 200 unless the status is set after it.
  context.body = response.status === 204 || response.status === 304 ? null : body;
  context.status = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie' && name !== 'content-length') context.set(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) context.set('set-cookie', cookies);
}

const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function randomKey() {
  let key = '';
  for (let index = 0; index < 12; index++) key += letters[Math.floor(Math.random() * letters.length)];
  return key.replace(/(.{4})(?=.)/g, '$1-');
}

/** The fixed list of things tests may ask for. Each answers a JSON object. */
const helpers = {
  /** A fresh client address: throttling counts per address. */
  async address() {
    addressCounter += 1;
    address = `198.51.100.${addressCounter % 250}`;
    return { address };
  },

  /** A new active account (no roles) with an e-mail address and the password given. */
  async account({ password, language = 'en' }) {
    const { store, districtId, hashPassword } = await ready();
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
       VALUES ($1, $2, $3, $4, $5, 'active', $6, now(), now())`,
      [districtId, randomUUID(), personId, username, await hashPassword(password), language],
    );
    return { username, email, firstName: 'Hodan' };
  },

  /**
   * A new activation key (`expired` or valid for 30 days) for a random unclaimed account: a
   * guardian's, or a student's (with the student number and birth date the claim must match).
   */
  async 'activation-key'({ student = false, expired = false }) {
    const { store, districtId, hashSecret, normalizeActivationKey } = await ready();
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
       VALUES ($1, $2, $3, $4, 'en', now(), now() + ($5::text)::interval)`,
      [districtId, randomUUID(), account.id, hashSecret(normalizeActivationKey(key)), expired ? '-1 day' : '30 days'],
    );
    return {
      key,
      firstName: account.first_name,
      ...(student ? { studentNumber: account.student_number, birthDate: account.birth_date } : {}),
    };
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
    context.body = await helper(text ? JSON.parse(text) : {});
    return;
  }
  if (context.path !== '/api' && !context.path.startsWith('/api/')) return next();
  const { app } = await ready();
  // `incoming` is what @hono/node-server's getConnInfo reads the socket address from.
  const response = await app.fetch(await toRequest(context), { incoming: context.req });
  await sendResponse(context, response);
}

/** Builds the API before any test runs (about 8 s: initdb, migrations, seed), and closes it at the end. */
export const apiServerPlugin = {
  name: 'homeroom-api',
  async serverStart() {
    await ready();
  },
  async serverStop() {
    if (api) await (await api).store.close();
  },
};
