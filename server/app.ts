import { existsSync } from 'node:fs';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Store } from './db/store.ts';
import { ApiError, type ErrorCode } from './errors.ts';
import { createTranslator, fixedTranslate, pickLanguage, type Language, type Translate } from './i18n.ts';
import { healthRoutes } from './routes/health.ts';

export interface AppDeps {
  store: Store;
  /** The current time; tests pass a fixed clock. */
  clock: () => Date;
  config: {
    /** Folder of the built client (`dist/`); when absent only the API is served. */
    staticDir?: string;
    /** Largest JSON body accepted by the API, in bytes. */
    maxBodyBytes?: number;
  };
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    language: Language;
    t: Translate;
  };
}

const translator = createTranslator(['errors']);

function errorBody(t: Translate, code: ErrorCode, details?: Record<string, unknown>) {
  return { error: { code, message: t(code), ...(details ? { details } : {}) } };
}

/** Builds the Hono app from its dependencies; `server/main.ts` is what listens. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();

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
        scriptSrc: ["'self'"],
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

  app.use(
    '/api/*',
    bodyLimit({
      maxSize: deps.config.maxBodyBytes ?? 64 * 1024,
      onError: (c) => c.json(errorBody(c.get('t'), 'body_too_large'), 413),
    }),
  );
  // API responses carry personal records: never store them in shared caches or the browser's HTTP cache.
  app.use('/api/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  app.route('/api/health', healthRoutes());

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
    app.use('*', serveStatic({ root: staticDir }));
    // Client-side routes load the app shell.
    app.get('*', serveStatic({ root: staticDir, path: 'index.html' }));
  }

  app.notFound((c) => c.json(errorBody(c.get('t') ?? fixedTranslate(translator, 'en', 'errors'), 'not_found'), 404));

  app.onError((error, c) => {
    const t = c.get('t') ?? fixedTranslate(translator, 'en', 'errors');
    if (error instanceof ApiError) return c.json(errorBody(t, error.code, error.details), error.status);
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
