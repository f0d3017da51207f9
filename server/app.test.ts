import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { createApp, noStore } from './app.ts';
import { loadMigrations } from './db/migrate.ts';
import type { Store } from './db/store.ts';
import { memoryMailer } from './mail/mailer.ts';
import { migratedPglite } from './test/stores.ts';

const clock = () => new Date('2026-11-24T15:00:00Z');

describe('the Hono app', () => {
  let store: Store;
  let staticDir: string;

  beforeAll(async () => {
    store = await migratedPglite();
    staticDir = await mkdtemp(join(tmpdir(), 'homeroom-static-'));
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Homeroom</title><hr-app></hr-app>');
    await writeFile(join(staticDir, 'sw.js'), 'self.addEventListener("install", () => {});');
    await mkdir(join(staticDir, 'assets'));
    await writeFile(join(staticDir, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
  });
  afterAll(async () => {
    await store.close();
    await rm(staticDir, { recursive: true, force: true });
  });

  it('reports the store and its migration version at /api/health', async () => {
    const app = createApp({ store, clock, mailer: memoryMailer(), config: {} });
    const response = await app.request('/api/health');
    expect(response.status).toBe(200);
    const latest = Math.max(...(await loadMigrations()).map((m) => m.version));
    expect(await response.json()).toEqual({ status: 'ok', store: 'pglite', migration: latest, time: '2026-11-24T15:00:00.000Z' });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('marks every API answer no-store: made by the context, compressed, an error or a refusal', async () => {
    const app = createApp({ store, clock, mailer: memoryMailer(), config: {} });
    const answers = await Promise.all([
      app.request('/api/health'),
      app.request('/api/health', { headers: { 'accept-encoding': 'br' } }),
      app.request('/api/nothing-here'),
      app.request('/api/sync/students/pull?v=1'),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 404, 401]);
    for (const response of answers) expect(response.headers.get('cache-control')).toBe('no-store');
    // An answer a handler makes apart from the context (none of ours does today) gets it too.
    const apart = new Hono().use(noStore).get('/', () => new Response('{}')).get('/moved', () => Response.redirect('https://example.org/'));
    expect((await apart.request('/')).headers.get('cache-control')).toBe('no-store');
    // Even one whose headers refuse changes (a redirect's).
    expect((await apart.request('/moved')).headers.get('cache-control')).toBe('no-store');
  });

  it('answers 503 with a code when the store does not answer', async () => {
    const broken: Store = { ...store, query: async () => { throw new Error('connection refused'); } };
    const app = createApp({ store: broken, clock, mailer: memoryMailer(), config: {} });
    const response = await app.request('/api/health', { headers: { 'Accept-Language': 'vi' } });
    expect(response.status).toBe(503);
    const body = await response.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe('store_unavailable');
    expect(body.error.message).toMatch(/Cơ sở dữ liệu/);
  });

  it('answers unknown API paths with a translated 404 in the asker’s language', async () => {
    const app = createApp({ store, clock, mailer: memoryMailer(), config: { staticDir } });
    for (const [language, pattern] of [['en', /could not find/], ['es', /No encontramos/], ['so', /Ma aanan helin/], ['vi', /không tìm thấy/], ['fr-CA,so;q=0.8', /Ma aanan helin/]] as const) {
      const response = await app.request('/api/no-such-thing', { headers: { 'Accept-Language': language } });
      expect(response.status).toBe(404);
      const body = await response.json() as { error: { code: string; message: string } };
      expect(body.error.code).toBe('not_found');
      expect(body.error.message).toMatch(pattern);
    }
  });

  it('refuses a body over the limit with 413 and a code, before reading it all', async () => {
    const app = createApp({ store, clock, mailer: memoryMailer(), config: { maxBodyBytes: 1024 } });
    const response = await app.request('/api/health', { method: 'POST', body: 'x'.repeat(5000), headers: { 'Content-Type': 'application/json' } });
    expect(response.status).toBe(413);
    expect((await response.json() as { error: { code: string } }).error.code).toBe('body_too_large');
  });

  it('sends security headers, including a strict content security policy', async () => {
    const app = createApp({ store, clock, mailer: memoryMailer(), config: { staticDir } });
    const response = await app.request('/');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves the app shell for client routes, revalidates the service worker, and caches hashed assets', async () => {
    const app = createApp({ store, clock, mailer: memoryMailer(), config: { staticDir } });
    const shell = await app.request('/grades/some-student');
    expect(shell.status).toBe(200);
    expect(await shell.text()).toContain('<hr-app>');
    const worker = await app.request('/sw.js');
    expect(worker.status).toBe(200);
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    const asset = await app.request('/assets/app-1a2b3c.js');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it("serves the build's precompressed files as the browser accepts them: brotli, else gzip, else as they are", async () => {
    const code = `export const words = ${JSON.stringify('Grades, attendance and schedules. '.repeat(200))};`;
    const path = join(staticDir, 'assets', 'words-9f8e7d.js');
    await writeFile(path, code);
    await writeFile(`${path}.br`, brotliCompressSync(code));
    await writeFile(`${path}.gz`, gzipSync(code, { level: 9 }));
    const app = createApp({ store, clock, mailer: memoryMailer(), config: { staticDir } });
    const asked = async (acceptEncoding: string | null) => {
      const response = await app.request('/assets/words-9f8e7d.js', { headers: acceptEncoding === null ? {} : { 'Accept-Encoding': acceptEncoding } });
      const body = Buffer.from(await response.arrayBuffer());
      const encoding = response.headers.get('content-encoding');
      const text = (encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body).toString();
      return { encoding, text, type: response.headers.get('content-type'), cache: response.headers.get('cache-control'), vary: response.headers.get('vary') };
    };
    const brotli = await asked('gzip, deflate, br, zstd');
    expect(brotli).toMatchObject({ encoding: 'br', text: code, cache: expect.stringContaining('immutable') });
    expect(brotli.type).toMatch(/javascript/);
    expect(brotli.vary).toMatch(/accept-encoding/i);
    expect(await asked('gzip, deflate')).toMatchObject({ encoding: 'gzip', text: code });
    expect(await asked(null)).toMatchObject({ encoding: null, text: code });
  });
});
