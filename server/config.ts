/** Configuration, parsed once from the environment; a bad value stops start-up with one clear line. */
export interface Config {
  port: number;
  host: string;
  /** PostgreSQL connection string; when absent the embedded PGlite store in `dataDir` is used. */
  databaseUrl: string | null;
  dataDir: string;
  /** Students in the demo district seeded on first start. */
  seedStudents: number;
  /** Set to false to start with an empty store. */
  seedDemo: boolean;
}

export type ConfigResult = { ok: true; value: Config } | { ok: false; error: string };

type Env = Record<string, string | undefined>;

function wholeNumber(raw: string, name: string, min: number, max: number): number | string {
  if (!/^\d+$/.test(raw.trim())) return `${name} must be a whole number from ${min} to ${max}, got "${raw}"`;
  const value = Number(raw);
  return value < min || value > max ? `${name} must be from ${min} to ${max}, got ${value}` : value;
}

export function loadConfig(env: Env): ConfigResult {
  const port = wholeNumber(env.PORT ?? '8080', 'PORT', 1, 65535);
  if (typeof port === 'string') return { ok: false, error: port };
  const seedStudents = wholeNumber(env.SEED_STUDENTS ?? '1200', 'SEED_STUDENTS', 100, 100_000);
  if (typeof seedStudents === 'string') return { ok: false, error: seedStudents };
  let databaseUrl: string | null = null;
  if (env.DATABASE_URL !== undefined && env.DATABASE_URL.trim() !== '') {
    let url: URL;
    try {
      url = new URL(env.DATABASE_URL);
    } catch {
      return { ok: false, error: 'DATABASE_URL is not a URL; expected postgres://user@host:5432/database' };
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      return { ok: false, error: `DATABASE_URL must start with postgres:// or postgresql://, got ${url.protocol}//` };
    }
    if (!url.hostname || url.pathname.length <= 1) {
      return { ok: false, error: 'DATABASE_URL needs a host and a database name, e.g. postgres://user@localhost:5432/homeroom' };
    }
    databaseUrl = env.DATABASE_URL;
  }
  const seedDemo = (env.SEED_DEMO ?? 'true').toLowerCase();
  if (!['true', 'false', '1', '0'].includes(seedDemo)) return { ok: false, error: 'SEED_DEMO must be true or false' };
  return {
    ok: true,
    value: {
      port,
      host: env.HOST?.trim() || '127.0.0.1',
      databaseUrl,
      dataDir: env.DATA_DIR?.trim() || './data',
      seedStudents,
      seedDemo: seedDemo === 'true' || seedDemo === '1',
    },
  };
}
