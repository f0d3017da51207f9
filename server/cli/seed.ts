/** `npm run seed -- --students N [--seed S] [--today YYYY-MM-DD]`: replaces the demo district with a new one. */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openStore } from '../db/open.ts';
import { migrate } from '../db/migrate.ts';
import { defaultSeedOptions, seedDistrict } from '../seed/generate.ts';
import { isIsoDate } from '../domain/dates.ts';
import { dropDistrict } from '../seed/reset.ts';

const { values } = parseArgs({
  options: {
    students: { type: 'string' },
    seed: { type: 'string' },
    today: { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(`seed: ${message}`);
  process.exit(2);
}

const config = loadConfig(process.env);
if (!config.ok) fail(config.error);
const today = values.today ?? new Date().toISOString().slice(0, 10);
if (!isIsoDate(today)) fail('--today must be a date like 2026-11-24');
const options = { ...defaultSeedOptions(today), mfaKey: config.value.mfaKey };
if (values.students !== undefined) {
  const n = Number(values.students);
  if (!Number.isInteger(n) || n < 100 || n > 100_000) fail('--students must be a whole number from 100 to 100000');
  options.students = n;
}
if (values.seed !== undefined) {
  const n = Number(values.seed);
  if (!Number.isInteger(n)) fail('--seed must be a whole number');
  options.seed = n;
}

const store = await openStore(config.value);
try {
  await migrate(store);
  if (await dropDistrict(store, options.slug)) console.log(`Removed the previous ${options.name}.`);
  const started = performance.now();
  const summary = await seedDistrict(store, options);
  const seconds = (performance.now() - started) / 1000;
  const total = Object.values(summary.rows).reduce((sum, n) => sum + n, 0);
  console.log(`Seeded ${options.name} (${options.students} students, seed ${options.seed}, today ${today}) on ${store.kind}:`);
  console.log(`  ${total.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s (${Math.round(total / seconds).toLocaleString('en-US')} rows/s)`);
} finally {
  await store.close();
}
