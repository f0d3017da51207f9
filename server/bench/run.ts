/**
 * `npm run bench`: measures the foundation and prints a table; appends it to docs/benchmarks.md.
 * - generator rows per second on PGlite and on PostgreSQL (when reachable)
 * - cold `npm start` (empty data folder: initdb, migrations, demo seed) and warm start, to first healthy response
 * - client bundle size per chunk, raw and gzip, and the JavaScript loaded before sign-in (Chromium)
 * - sync: first sync of demo-guardian, pulls per second, and the same first sync through pouchdb-server (pouch.ts)
 * - staff: first syncs of the demo district's staff (office, principal, teacher, administrator), the
 *   office of a 6,000-student district's high school, and a teacher at the end of a school year (staff-figures.ts)
 * - signin: real sign-ins beside a flood of bogus claims and wrong passwords (sign-in-figures.ts)
 * - lighthouse: Lighthouse 12 mobile on sign-in and on Today signed in (lighthouse-figures.ts; also in `build`)
 * `--only generator|build|sync|staff|signin|lighthouse` runs one part (lighthouse builds and starts the app too) (build: client build, start times and bundle).
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
import { compareFirstSync } from './pouch.ts';
import { recordStaffSyncs, staffFirstSyncs } from './staff-figures.ts';
import { syncFigures } from './sync-figures.ts';
import { percentile, signInsUnderAttack } from './sign-in-figures.ts';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../app.ts';
import { memoryMailer } from '../mail/mailer.ts';
import { launchChromium } from '../../e2e/browser.ts';
import { lighthouseFlow } from './lighthouse-figures.ts';

const { values } = parseArgs({ options: { students: { type: 'string', default: '1000' }, 'no-record': { type: 'boolean', default: false }, only: { type: 'string' } } });
const PARTS = ['generator', 'build', 'sync', 'staff', 'signin', 'lighthouse'];
if (values.only !== undefined && !PARTS.includes(values.only)) {
  console.error(`--only takes one of: ${PARTS.join(', ')}`);
  process.exit(2);
}
const runs = (part: string) => values.only === undefined || values.only === part;
const students = Number(values.students);
const root = fileURLToPath(new URL('../../', import.meta.url));
const today = '2026-11-24';
const rows: Array<[string, string, string]> = [];
const record = (what: string, figure: string, note = '') => {
  rows.push([what, figure, note]);
  console.log(`  ${what}: ${figure}${note ? ` (${note})` : ''}`);
};

async function generatorRate(label: string, store: Store): Promise<void> {
  if (!runs('generator')) return;
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

/**
 * The JavaScript a family's phone downloads before it can sign in: every script the page loads
 * for `/#/sign-in` in Chromium until the sign-in form shows and the network is quiet (the service
 * worker's precache runs in its own context and is not counted), gzip level 9 as in the bundle rows.
 */
async function jsBeforeSignIn(origin: string): Promise<{ files: number; gzip: number }> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const scripts: Array<Promise<Buffer>> = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.push(response.body());
    });
    await page.goto(`${origin}/#/sign-in`);
    await page.waitForFunction(() => document.querySelector('hr-app')?.shadowRoot?.querySelector('main > hr-sign-in')?.shadowRoot?.querySelector('form') != null, undefined, { timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    const bodies = await Promise.all(scripts);
    return { files: bodies.length, gzip: bodies.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0) };
  } finally {
    await browser.close();
  }
}

async function timeStart(dataDir: string, whileUp?: (origin: string) => Promise<void>): Promise<number> {
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
        if (response.ok) {
          const seconds = (performance.now() - started) / 1000;
          await whileUp?.(`http://127.0.0.1:${port}`);
          return seconds;
        }
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

if (runs('build') || runs('lighthouse')) {
  // The client build (measured) comes first so start-up times do not include it.
  const buildStarted = performance.now();
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'silent' });
  record('client build (vite build)', `${((performance.now() - buildStarted) / 1000).toFixed(1)} s`);

  const dataDir = await mkdtemp(join(tmpdir(), 'homeroom-bench-'));
  try {
    record('cold npm start → first healthy response', `${(await timeStart(dataDir)).toFixed(1)} s`, 'empty ./data: initdb, migrations, 1,200-student demo seed');
    let beforeSignIn = { files: 0, gzip: 0 };
    const warm = await timeStart(dataDir, async (origin) => {
      beforeSignIn = await jsBeforeSignIn(origin);
      for (const step of await lighthouseFlow(origin)) {
        if (step.error) record(`Lighthouse 12 mobile, ${step.name}`, 'not measured', step.error);
        else record(`Lighthouse 12 mobile, ${step.name}`, `performance ${step.performance}, accessibility ${step.accessibility}, LCP ${(step.lcpMs / 1000).toFixed(2)} s, TBT ${step.tbtMs} ms`, `simulated Slow 4G, CPU × 4, Debian Chromium${step.failing.length > 0 ? `; accessibility audits failing: ${step.failing.join(', ')}` : ''} (targets: performance ≥ 98, LCP ≤ 1.5 s, TBT ≤ 100 ms, accessibility 100)`);
      }
    });
    record('warm npm start → first healthy response', `${warm.toFixed(1)} s`, 'existing ./data');
    record('JavaScript before sign-in', `${(beforeSignIn.gzip / 1024).toFixed(1)} KiB gzip`, `${beforeSignIn.files} scripts the page loads for #/sign-in in Chromium (target ≤ 40 KiB)`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (runs('sync')) {
  const store = await openPglite('memory://');
  try {
    await migrate(store);
    await seedDistrict(store, { ...defaultSeedOptions(today), students });
    // The comparison first: the school day that syncFigures writes would change her documents.
    await compareFirstSync({ store, today, label: 'PGlite', record });
    await syncFigures({ label: 'PGlite', store, today, record });
  } finally {
    await store.close();
  }
}
if (postgresOk && runs('sync')) {
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
    await syncFigures({ label: 'PostgreSQL', store, today, record });
  } finally {
    await store.close();
    await setup.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await setup.end();
  }
}

if (runs('staff')) {
  // On PGlite, as `npm start` runs: the demo district (1,200 students) today, the same district on
  // the last day of its school year, and a district of 6,000 students (a high school of about 2,000).
  const cases: Array<{ label: string; day: string; students: number; usernames: string[] }> = [
    { label: 'demo district (1,200 students), PGlite', day: today, students: 1200, usernames: ['demo-office', 'demo-principal', 'demo-teacher', 'demo-admin'] },
    { label: 'last day of the school year, PGlite', day: '2027-06-11', students: 1200, usernames: ['demo-teacher', 'demo-office'] },
    { label: '6,000-student district, PGlite', day: today, students: 6000, usernames: ['demo-office'] },
  ];
  for (const { label, day, students: count, usernames } of cases) {
    const store = await openPglite('memory://');
    try {
      await migrate(store);
      await seedDistrict(store, { ...defaultSeedOptions(day), students: count });
      recordStaffSyncs(record, label, await staffFirstSyncs(store, day, usernames));
    } finally {
      await store.close();
    }
  }
}

if (runs('signin')) {
  // Issue 10, hole 3: password hashing for strangers must not starve real sign-ins (target: p95 under 2 s).
  const store = await openPglite('memory://');
  try {
    await migrate(store);
    await seedDistrict(store, { ...defaultSeedOptions(today), students: 100 });
    const app = createApp({ store, clock: () => new Date(`${today}T10:00:00Z`), mailer: memoryMailer(), config: { trustProxy: true } });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { times, statuses } = await signInsUnderAttack(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const let_in = statuses.filter((status) => status === 200).length;
      record('real sign-in beside a flood, PGlite', `p50 ${Math.round(percentile(times, 50))} ms, p95 ${Math.round(percentile(times, 95))} ms`, `20 sign-ins of demo-guardian one after another, ${let_in} let in, while 40 loops of bogus key claims and 40 of wrong passwords run on a thread of their own (target p95 < 2 s)`);
    } finally {
      (server as import('node:http').Server).closeAllConnections();
      server.close();
    }
  } finally {
    await store.close();
  }
}

if (runs('build')) {
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
}

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const table = [
  '',
  `### Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  `Machine: ${machine}. Command: \`npm run bench -- --students ${students}${values.only ? ` --only ${values.only}` : ''}\`.`,
  '',
  '| measure | figure | note |',
  '| --- | --- | --- |',
  ...rows.map(([what, figure, note]) => `| ${what} | ${figure} | ${note} |`),
  '',
].join('\n');
console.log(table);
if (!values['no-record']) await appendFile(join(root, 'docs/benchmarks.md'), table);
