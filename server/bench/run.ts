/**
 * `npm run bench`: measures the foundation and prints a table; appends it to docs/benchmarks.md.
 * - generator rows per second on PGlite and on PostgreSQL (when reachable)
 * - cold `npm start` (empty data folder: initdb, migrations, demo seed) and warm start, to first healthy response
 * - client bundle size per chunk, raw and gzip
 */
import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { migrate } from '../db/migrate.ts';
import { openPglite, openPostgres, type Store } from '../db/store.ts';
import { defaultSeedOptions, seedDistrict } from '../seed/generate.ts';

const { values } = parseArgs({ options: { students: { type: 'string', default: '1000' }, 'no-record': { type: 'boolean', default: false } } });
const students = Number(values.students);
const root = fileURLToPath(new URL('../../', import.meta.url));
const today = '2026-11-24';
const rows: Array<[string, string, string]> = [];
const record = (what: string, figure: string, note = '') => {
  rows.push([what, figure, note]);
  console.log(`  ${what}: ${figure}${note ? ` (${note})` : ''}`);
};

async function generatorRate(label: string, store: Store): Promise<void> {
  await migrate(store);
  const started = performance.now();
  const summary = await seedDistrict(store, { ...defaultSeedOptions(today), students });
  const seconds = (performance.now() - started) / 1000;
  const total = Object.values(summary.rows).reduce((sum, n) => sum + n, 0);
  record(`generator, ${label}, ${students} students`, `${Math.round(total / seconds).toLocaleString('en-US')} rows/s`, `${total.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function timeStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'server/main.ts')], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (response.ok) return (performance.now() - started) / 1000;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))));
  return nested.flat();
}

console.log(`Homeroom benchmarks (${new Date().toISOString()})`);

const pglite = await openPglite('memory://');
try {
  await generatorRate('PGlite (memory)', pglite);
} finally {
  await pglite.close();
}

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
let postgresOk = true;
try {
  await admin.connect();
} catch {
  postgresOk = false;
  record('generator, PostgreSQL', 'skipped', 'no PostgreSQL answered at TEST_DATABASE_URL');
}
if (postgresOk) {
  const name = `homeroom_bench_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const store = await openPostgres(url.toString());
  try {
    await generatorRate('PostgreSQL 15 (local)', store);
  } finally {
    await store.close();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}

// The client build (measured) comes first so start-up times do not include it.
const buildStarted = performance.now();
const { build } = await import('vite');
await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'silent' });
record('client build (vite build)', `${((performance.now() - buildStarted) / 1000).toFixed(1)} s`);

const dataDir = await mkdtemp(join(tmpdir(), 'homeroom-bench-'));
try {
  record('cold npm start → first healthy response', `${(await timeStart(dataDir)).toFixed(1)} s`, 'empty ./data: initdb, migrations, 1,200-student demo seed');
  record('warm npm start → first healthy response', `${(await timeStart(dataDir)).toFixed(1)} s`, 'existing ./data');
} finally {
  await rm(dataDir, { recursive: true, force: true });
}

// Sync: the first sync of demo-guardian, and incremental pulls per second from many devices.
async function syncFigures(label: string, store: Store): Promise<void> {
  const { createApp } = await import('../app.ts');
  const { memoryMailer } = await import('../mail/mailer.ts');
  const { serve } = await import('@hono/node-server');
  const { gzipSync: gzip } = await import('node:zlib');
  const app = createApp({ store, clock: () => new Date(`${today}T15:00:00Z`), mailer: memoryMailer(), config: {} });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    const login = async (username: string) => {
      const response = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'homeroom-demo' }) });
      return ((await response.json()) as { accessToken: string }).accessToken;
    };
    const guardian = await login('demo-guardian');
    const started = performance.now();
    let documents = 0;
    let bytes = 0;
    const checkpoints: Record<string, { seq: number; id: string } | null> = {};
    for (const collection of ['students', 'sections', 'attendance']) {
      let checkpoint: { seq: number; id: string } | null = null;
      for (;;) {
        const query = new URLSearchParams({ v: '0', limit: '100' });
        if (checkpoint) query.set('seq', String(checkpoint.seq)), query.set('id', checkpoint.id);
        const response = await fetch(`${base}/api/sync/${collection}/pull?${query}`, { headers: { authorization: `Bearer ${guardian}` } });
        const text = await response.text();
        bytes += gzip(text).length;
        const page = JSON.parse(text) as { documents: unknown[]; checkpoint: { seq: number; id: string } | null };
        documents += page.documents.length;
        if (page.documents.length < 100) {
          checkpoints[collection] = page.checkpoint;
          break;
        }
        checkpoint = page.checkpoint;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    record(`first sync of demo-guardian, ${label}`, `${documents} documents, ${(bytes / 1024).toFixed(1)} KiB gzip, ${seconds.toFixed(2)} s`, 'students, sections, attendance; pages of 100');

    // 500 devices (sharing a few signed-in accounts), each already in sync, asking "anything
    // new?" about attendance as fast as they can for 10 s: the steady state of a school day.
    const tokens = await Promise.all(['demo-guardian', 'demo-student', 'demo-teacher', 'demo-office'].map(login));
    const latest = await Promise.all(tokens.map(async (token) => {
      let checkpoint: { seq: number; id: string } | null = null;
      for (;;) {
        const query = new URLSearchParams({ v: '0', limit: '1000', ...(checkpoint ? { seq: String(checkpoint.seq), id: checkpoint.id } : {}) });
        const page = (await (await fetch(`${base}/api/sync/attendance/pull?${query}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { documents: unknown[]; checkpoint: { seq: number; id: string } | null };
        if (page.documents.length === 0) return checkpoint;
        checkpoint = page.checkpoint;
      }
    }));
    const devices = 500;
    const until = performance.now() + 10_000;
    let pulls = 0;
    await Promise.all(Array.from({ length: devices }, async (_, i) => {
      const token = tokens[i % tokens.length]!;
      const cp = latest[i % tokens.length];
      const query = new URLSearchParams({ v: '0', limit: '100', ...(cp ? { seq: String(cp.seq), id: cp.id } : {}) });
      while (performance.now() < until) {
        const response = await fetch(`${base}/api/sync/attendance/pull?${query}`, { headers: { authorization: `Bearer ${token}` } });
        await response.arrayBuffer();
        pulls += 1;
      }
    }));
    record(`pulls per second, ${label}`, `${Math.round(pulls / 10).toLocaleString('en-US')} /s`, `${devices} concurrent devices in sync, 10 s, incremental attendance pulls`);
  } finally {
    server.close();
  }
}

{
  const store = await openPglite('memory://');
  try {
    await migrate(store);
    await seedDistrict(store, { ...defaultSeedOptions(today), students });
    await syncFigures('PGlite', store);
  } finally {
    await store.close();
  }
}
if (postgresOk) {
  const setup = new pg.Client({ connectionString: adminUrl });
  await setup.connect();
  const name = `homeroom_bench_sync_${process.pid}`;
  await setup.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const store = await openPostgres(url.toString());
  try {
    await migrate(store);
    await seedDistrict(store, { ...defaultSeedOptions(today), students });
    await syncFigures('PostgreSQL', store);
  } finally {
    await store.close();
    await setup.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await setup.end();
  }
}

const dist = join(root, 'dist');
let totalRaw = 0;
let totalGzip = 0;
for (const file of (await listFiles(dist)).filter((f) => /\.(js|css|html|webmanifest)$/.test(f)).sort()) {
  const content = await readFile(file);
  const gzip = gzipSync(content, { level: 9 }).length;
  totalRaw += (await stat(file)).size;
  totalGzip += gzip;
  record(`bundle ${relative(dist, file)}`, `${(content.length / 1024).toFixed(1)} KiB raw, ${(gzip / 1024).toFixed(1)} KiB gzip`);
}
record('bundle total (js, css, html, manifest)', `${(totalRaw / 1024).toFixed(1)} KiB raw, ${(totalGzip / 1024).toFixed(1)} KiB gzip`);

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const table = [
  '',
  `### Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  `Machine: ${machine}. Command: \`npm run bench -- --students ${students}\`.`,
  '',
  '| measure | figure | note |',
  '| --- | --- | --- |',
  ...rows.map(([what, figure, note]) => `| ${what} | ${figure} | ${note} |`),
  '',
].join('\n');
console.log(table);
if (!values['no-record']) await appendFile(join(root, 'docs/benchmarks.md'), table);
