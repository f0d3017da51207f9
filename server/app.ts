import { existsSync } from 'node:fs';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { compressApi } from './routes/compress-api.ts';
import { inlineScriptSources } from './routes/inline-scripts.ts';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { proxyTrust, type ProxyTrust, type TrustProxy } from './access/client-address.ts';
import type { Principal } from './access/principal.ts';
import { PasswordHasher } from './access/passwords.ts';
import { DEVELOPMENT_MFA_KEY, SecretBox } from './access/second-factor.ts';
import { SecondFactorThrottle } from './access/second-factor-sign-in.ts';
import { AddressThrottle, SignInThrottle, THROTTLE_WINDOW_MS } from './access/throttle.ts';
import { KeyRing } from './access/tokens.ts';
import type { Store } from './db/store.ts';
import { ApiError, type ErrorCode } from './errors.ts';
import { createTranslator, fixedTranslate, pickLanguage, type Language, type Translate } from './i18n.ts';
import type { Mailer } from './mail/mailer.ts';
import { authRoutes } from './routes/auth.ts';
import { healthRoutes } from './routes/health.ts';
import { meRoutes } from './routes/me.ts';
import { staffAccountRoutes } from './routes/staff-accounts.ts';
import { ownSecondFactorRoutes, secondFactorSignInRoutes } from './routes/second-factor.ts';
import { kioskRoutes, staffKioskRoutes } from './routes/kiosks.ts';
import { adminSchoolRoutes } from './routes/admin-schools.ts';
import { districtWordRoutes } from './routes/district-words.ts';
import { staffAdminRoutes } from './routes/staff-admin.ts';
import { staffMessageRoutes } from './routes/staff-messages.ts';
import { gradebookRoutes } from './routes/gradebook.ts';
import { studentRoutes } from './routes/students.ts';
import { ChangeFeed } from './sync/changes.ts';
import { GateMemory } from './sync/pull-gate.ts';
import { syncRoutes } from './sync/routes.ts';

export interface AppDeps {
  store: Store;
  /** The current time; tests pass a fixed clock. */
  clock: () => Date;
  mailer: Mailer;
  /** Table changes from LISTEN/NOTIFY; started on first use when not given. */
  changes?: ChangeFeed;
  config: {
    /** Folder of the built client (`dist/`); when absent only the API is served. */
    staticDir?: string;
    /** Largest JSON body accepted by the API, in bytes. */
    maxBodyBytes?: number;
    /** Mark cookies Secure; by default, when the request came over https. */
    secureCookies?: boolean;
    /**
     * Reverse proxies in front: how many hops (`true` = 1), or their addresses and CIDR ranges.
     * The client address is then what the nearest trusted proxy saw in X-Forwarded-For.
     */
    trustProxy?: TrustProxy;
    /** Origin used in e-mailed links, e.g. https://homeroom.example.org. */
    publicUrl?: string;
    /** Failed sign-ins one address may make in 15 minutes, whatever the usernames, before it must wait (default 100). */
    loginFailuresPerAddress?: number;
    /** Failed sign-ins with one username from one address in 15 minutes before that pair must wait (default 10). */
    loginFailuresPerUsername?: number;
    /** Password-reset requests one address may make in 15 minutes. */
    resetRequestsPerAddress?: number;
    /** Wrong or expired activation keys one address may send in 15 minutes (default 20). */
    claimFailuresPerAddress?: number;
    /** Wrong or expired reset links and codes one address may send in 15 minutes (default 20). */
    resetFailuresPerAddress?: number;
    /** Password hashes at once (default 2 × cores) and how many may wait per lane (default 2 × that). */
    passwordHashing?: { concurrency?: number; waitingLine?: number };
    /** 32 bytes that seal TOTP secrets in the store (MFA_KEY); the development key when absent. */
    mfaKey?: Uint8Array;
    /** Wrong second-factor codes one account may send in 15 minutes, from anywhere (default 10). */
    secondFactorFailuresPerAccount?: number;
    /** Wrong second-factor codes one address may send in 15 minutes, whatever the accounts (default 50). */
    secondFactorFailuresPerAddress?: number;
    /**
     * Answer in-sync pulls from what earlier pulls learnt, until the change feed hears a commit
     * (server/sync/pull-gate.ts GateMemory): no store round trip for most pulls. By default on
     * PGlite, whose notifications arrive before a writer's commit returns, and off on PostgreSQL,
     * where they arrive a moment later (a test that writes through the store and pulls at once
     * would race them); main.ts and the bench turn it on for both.
     */
    rememberPulls?: boolean;
  };
}

/** What every request sees: the dependencies plus the app's own services. */
export interface RequestDeps extends AppDeps {
  keys: KeyRing;
  proxyTrust: ProxyTrust;
  /** Failed sign-ins per (client address, username), and per address. */
  throttle: SignInThrottle;
  /** Password-reset requests (forgot) per client address. */
  forgotThrottle: AddressThrottle;
  /** Failed claims (wrong or expired activation keys) per client address. */
  claimThrottle: AddressThrottle;
  /** Failed resets (wrong or expired links and codes) per client address. */
  resetThrottle: AddressThrottle;
  /** Every password hash and check, bounded. */
  passwords: PasswordHasher;
  /** Seals and opens TOTP secrets with the MFA key. */
  secretBox: SecretBox;
  /** Wrong second-factor codes per account and per client address. */
  secondFactorThrottle: SecondFactorThrottle;
  translate: (language: Language, namespace: string) => Translate;
  changeFeed: () => Promise<ChangeFeed>;
  /** What in-sync pulls learnt, when `config.rememberPulls`; null otherwise. */
  gateMemory: () => Promise<GateMemory | null>;
}

export interface AppEnv {
  Variables: {
    deps: RequestDeps;
    language: Language;
    t: Translate;
    principal: Principal;
    sessionId: string;
    /** When the request's session expires (read with it by requireAuth). */
    sessionExpiresAt: Date;
  };
}

const translator = createTranslator(['errors', 'emails', 'letters']);

function errorBody(t: Translate, code: ErrorCode, details?: Record<string, unknown>) {
  return { error: { code, message: t(code), ...(details ? { details } : {}) } };
}

/**
 * Marks an answer `Cache-Control: no-store` in its own headers: `c.header` on an answer already
 * made makes Hono make it again around a stream of its body (about 34 µs a request over
 * loopback), and set before the answer is made it lands in headers the context shares with every
 * answer made later in the request (an error answer after a compressed one took its encoding).
 * Headers that refuse changes get it through `c.header`.
 */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  try {
    c.res.headers.set('Cache-Control', 'no-store');
  } catch {
    c.header('Cache-Control', 'no-store');
  }
};

/** Builds the Hono app from its dependencies; `server/main.ts` is what listens. */
export function createApp(input: AppDeps) {
  const app = new Hono<AppEnv>();
  let feed: Promise<ChangeFeed> | undefined;
  let memory: Promise<GateMemory | null> | undefined;
  const deps: RequestDeps = {
    ...input,
    keys: new KeyRing(input.store, input.clock),
    proxyTrust: proxyTrust(input.config.trustProxy),
    throttle: new SignInThrottle({ perUsername: input.config.loginFailuresPerUsername ?? 10, perAddress: input.config.loginFailuresPerAddress ?? 100 }, input.clock),
    forgotThrottle: new AddressThrottle(input.config.resetRequestsPerAddress ?? 20, THROTTLE_WINDOW_MS, input.clock),
    claimThrottle: new AddressThrottle(input.config.claimFailuresPerAddress ?? 20, THROTTLE_WINDOW_MS, input.clock),
    resetThrottle: new AddressThrottle(input.config.resetFailuresPerAddress ?? 20, THROTTLE_WINDOW_MS, input.clock),
    passwords: new PasswordHasher(input.config.passwordHashing),
    secretBox: new SecretBox(input.config.mfaKey ?? DEVELOPMENT_MFA_KEY),
    secondFactorThrottle: new SecondFactorThrottle(
      new AddressThrottle(input.config.secondFactorFailuresPerAccount ?? 10, THROTTLE_WINDOW_MS, input.clock),
      new AddressThrottle(input.config.secondFactorFailuresPerAddress ?? 50, THROTTLE_WINDOW_MS, input.clock),
    ),
    translate: (language, namespace) => fixedTranslate(translator, language, namespace),
    changeFeed: () => (feed ??= input.changes ? Promise.resolve(input.changes) : ChangeFeed.start(input.store)),
    gateMemory: () =>
      (memory ??= (input.config.rememberPulls ?? input.store.kind === 'pglite')
        ? deps.changeFeed().then((changes) => {
            const remembered = new GateMemory();
            changes.watch(remembered);
            return remembered;
          })
        : Promise.resolve(null)),
  };

  app.use('*', async (c, next) => {
    const language = pickLanguage(c.req.header('accept-language'));
    c.set('deps', deps);
    c.set('language', language);
    c.set('t', fixedTranslate(translator, language, 'errors'));
    await next();
  });

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...inlineScriptSources(input.config.staticDir)],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'same-origin',
      crossOriginEmbedderPolicy: false,
    }),
  );

  // Families on slow connections pay for every byte: compress responses (but never the event
  // stream, which must reach the device as each event is written). API answers in one call,
  // brotli when accepted (routes/compress-api.ts); the app's files through Hono's middleware.
  const compressFile = compress();
  const compressAnswer = compressApi();
  app.use('*', (c, next) => (c.req.path === '/api/sync/stream' ? next() : c.req.path.startsWith('/api/') ? compressAnswer(c, next) : compressFile(c, next)));

  // Only requests that may carry a body are measured: reading a GET's body would build a whole
  // Request object for each of the many in-sync pulls (@hono/node-server keeps it light until then).
  const limitBody = bodyLimit({
    maxSize: deps.config.maxBodyBytes ?? 64 * 1024,
    onError: (c) => c.json(errorBody(c.get('t'), 'body_too_large'), 413),
  });
  app.use('/api/*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));
  // API responses carry personal records: never store them in shared caches or the browser's HTTP cache.
  app.use('/api/*', noStore);

  app.route('/api/health', healthRoutes());
  app.route('/api/auth/second-factor', secondFactorSignInRoutes());
  app.route('/api/auth', authRoutes());
  app.route('/api/me/second-factor', ownSecondFactorRoutes());
  app.route('/api/me', meRoutes());
  app.route('/api/staff/accounts', staffAccountRoutes());
  app.route('/api/staff/kiosks', staffKioskRoutes());
  app.route('/api/kiosk', kioskRoutes());
  app.route('/api/admin/schools', adminSchoolRoutes());
  app.route('/api/district/words', districtWordRoutes());
  app.route('/api/admin', staffAdminRoutes());
  app.route('/api/staff', staffMessageRoutes());
  app.route('/api/gradebook', gradebookRoutes());
  app.route('/api/students', studentRoutes());
  app.route('/api/sync', syncRoutes());

  app.all('/api/*', (c) => c.json(errorBody(c.get('t'), 'not_found'), 404));

  const staticDir = deps.config.staticDir;
  if (staticDir && existsSync(staticDir)) {
    app.use('*', async (c, next) => {
      await next();
      const path = c.req.path;
      // The service worker and the page must revalidate; hashed assets never change.
      if (path === '/sw.js' || path === '/' || path.endsWith('.html') || path.endsWith('.webmanifest')) c.header('Cache-Control', 'no-cache');
      else if (path.startsWith('/assets/')) c.header('Cache-Control', 'public, max-age=31536000, immutable');
    });
    // The build writes each file's brotli and gzip forms beside it (vite.config.ts,
    // precompressPlugin), at their best levels, once: served as the browser accepts them, so a
    // phone fetches about a tenth less than from compressing per request, and the server compresses
    // nothing. A file without them (the service worker, public/) is compressed per request as before.
    app.use('*', serveStatic({ root: staticDir, precompressed: true }));
    // Client-side routes load the app shell.
    app.get('*', serveStatic({ root: staticDir, path: 'index.html', precompressed: true }));
  }

  app.notFound((c) => c.json(errorBody(c.get('t') ?? fixedTranslate(translator, 'en', 'errors'), 'not_found'), 404));

  app.onError((error, c) => {
    const t = c.get('t') ?? fixedTranslate(translator, 'en', 'errors');
    if (error instanceof ApiError) {
      if (typeof error.details?.retryAfter === 'number') c.header('Retry-After', String(error.details.retryAfter));
      return c.json(errorBody(t, error.code, error.details), error.status);
    }
    if (error instanceof HTTPException) {
      const code: ErrorCode = error.status === 404 ? 'not_found' : error.status === 405 ? 'method_not_allowed' : error.status === 413 ? 'body_too_large' : error.status === 415 ? 'unsupported_media_type' : error.status < 500 ? 'validation_failed' : 'internal';
      return c.json(errorBody(t, code), error.status);
    }
    console.error(`[${new Date().toISOString()}] ${c.req.method} ${c.req.path}:`, error);
    return c.json(errorBody(t, 'internal'), 500);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
