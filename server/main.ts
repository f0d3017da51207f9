/** The only module that reads the environment and listens. */
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { ensureClientBuilt, distDir } from './cli/ensure-client.ts';
import { loadConfig } from './config.ts';
import { migrate } from './db/migrate.ts';
import { openStore } from './db/open.ts';
import type { Store } from './db/store.ts';
import { outboxMailer, smtpMailer } from './mail/mailer.ts';
import { ChangeFeed } from './sync/changes.ts';
import { runDateWindows } from './sync/date-windows.ts';
import { DEMO_PASSWORD, DEMO_SECOND_FACTOR_ROLES, defaultSeedOptions, demoTotpSecret, seedDistrict } from './seed/generate.ts';

function stop(message: string): never {
  console.error(`homeroom: ${message}`);
  process.exit(1);
}

const parsed = loadConfig(process.env);
if (!parsed.ok) stop(parsed.error);
const config = parsed.value;

let store: Store;
try {
  store = await openStore(config);
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  stop(config.databaseUrl ? `cannot reach the database at DATABASE_URL (${reason})` : `cannot open the embedded store in ${config.dataDir} (${reason})`);
}

try {
  const { applied, version } = await migrate(store);
  console.log(`Store: ${store.kind}${store.kind === 'pglite' ? ` in ${config.dataDir}` : ''}, schema version ${version}${applied.length ? ` (applied ${applied.join(', ')})` : ''}`);
  const districts = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM districts');
  if (config.seedDemo && districts[0]?.n === 0) {
    const options = { ...defaultSeedOptions(new Date().toISOString().slice(0, 10)), students: config.seedStudents, mfaKey: config.mfaKey };
    console.log(`Seeding the demo district (${options.students} students, first start only)…`);
    const summary = await seedDistrict(store, options);
    const rows = Object.values(summary.rows).reduce((sum, n) => sum + n, 0);
    console.log(`Demo district ready: ${rows.toLocaleString('en-US')} rows.`);
  }
  await ensureClientBuilt((line) => console.log(line));
} catch (error) {
  await store.close();
  stop(error instanceof Error ? error.message : String(error));
}

const clock = () => new Date();
const mailer = config.smtpUrl ? await smtpMailer(config.smtpUrl, config.mailFrom) : outboxMailer(config.outboxDir, clock);
const changes = await ChangeFeed.start(store);
const app = createApp({
  store,
  clock,
  mailer,
  changes,
  config: { staticDir: distDir, trustProxy: config.trustProxy, publicUrl: config.publicUrl, rememberPulls: true, loginFailuresPerAddress: config.loginFailuresPerAddress, mfaKey: config.mfaKey },
});
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  const host = config.host === '127.0.0.1' || config.host === '0.0.0.0' ? 'localhost' : config.host;
  console.log(`\nHomeroom is running at http://${host}:${info.port}\n`);
  console.log(`Demo sign-ins (password: ${DEMO_PASSWORD}):`);
  for (const [username, who] of [
    ['demo-guardian', 'a parent with three children in three schools'],
    ['demo-student', 'a high-school student (grade 10)'],
    ['demo-teacher', "that student's English teacher"],
    ['demo-office', 'high-school office staff'],
    ['demo-principal', 'high-school principal'],
    ['demo-admin', 'district administrator'],
  ]) console.log(`  ${username!.padEnd(16)} ${who}`);
  // Demo staff holding tool rights sign in with a second factor: add these to an authenticator app.
  const demo = defaultSeedOptions(new Date().toISOString().slice(0, 10));
  console.log('\nTheir authenticator app secrets (TOTP, 6 digits, 30 s):');
  for (const role of DEMO_SECOND_FACTOR_ROLES) console.log(`  ${`demo-${role}`.padEnd(16)} ${demoTotpSecret(demo, `demo-${role}`)}`);
});

/**
 * Grants and announcements that start or end on a date change what devices may hold when the
 * date passes: touch them once a day (checked every 15 minutes, and at start after downtime).
 */
const DATE_WINDOW_CHECK_MS = 15 * 60_000;
const runDailyJobs = () => {
  runDateWindows(store, clock().toISOString().slice(0, 10))
    .then((runs) => {
      for (const run of runs) console.log(`Daily job: ${run.touched} date-bound grants and announcements refreshed for ${run.from} → ${run.to}.`);
    })
    .catch((error: unknown) => console.error('homeroom: the daily date-window job failed:', error instanceof Error ? error.message : error));
};
runDailyJobs();
const dailyJobs = setInterval(runDailyJobs, DATE_WINDOW_CHECK_MS);
dailyJobs.unref();

server.on('error', (error: NodeJS.ErrnoException) => {
  stop(error.code === 'EADDRINUSE' ? `port ${config.port} is in use; set PORT to another port` : error.message);
});

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    clearInterval(dailyJobs);
    server.close();
    void changes.close().then(() => store.close()).finally(() => process.exit(0));
  });
}
