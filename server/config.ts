import { parseProxyAddress } from './access/client-address.ts';
import { isLoopback } from './access/public-origin.ts';
import { DEVELOPMENT_MFA_KEY } from './access/second-factor.ts';

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
  /** SMTP server for e-mail; when absent, mail is written to `outboxDir`. */
  smtpUrl: string | null;
  mailFrom: string;
  outboxDir: string;
  /**
   * Origin of every mailed or printed link. Required unless HOST is a loopback address, where it
   * defaults to http://localhost:PORT; never taken from a request's Host header.
   */
  publicUrl: string;
  /**
   * Reverse proxies in front: a number of hops (`true` = 1, `false` = 0), or their addresses and
   * CIDR ranges. The client address is what the nearest trusted proxy saw in X-Forwarded-For.
   */
  trustProxy: number | string[];
  /** Failed sign-ins one address may make in 15 minutes, whatever the usernames (password spraying). */
  loginFailuresPerAddress: number;
  /**
   * 32 bytes that seal the second-factor (TOTP) secrets in the store. Required unless HOST is a
   * loopback address, where a development key anyone can derive stands in.
   */
  mfaKey: Uint8Array;
}

export type ConfigResult = { ok: true; value: Config } | { ok: false; error: string };

type Env = Record<string, string | undefined>;

function wholeNumber(raw: string, name: string, min: number, max: number): number | string {
  if (!/^\d+$/.test(raw.trim())) return `${name} must be a whole number from ${min} to ${max}, got "${raw}"`;
  const value = Number(raw);
  return value < min || value > max ? `${name} must be from ${min} to ${max}, got ${value}` : value;
}

/** MFA_KEY: 32 bytes in base64 (as `openssl rand -base64 32` prints them) or in 64 hex digits. */
function mfaKeySetting(raw: string): Uint8Array | string {
  const value = raw.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(value) ? Buffer.from(value, 'base64') : null;
  return bytes?.length === 32 ? new Uint8Array(bytes) : 'MFA_KEY must be 32 random bytes in base64 or hex, e.g. from `openssl rand -base64 32`';
}

/** TRUST_PROXY: true/false, a number of hops, or a comma list of proxy addresses and CIDR ranges. */
function proxySetting(raw: string): number | string[] | string {
  const value = raw.trim().toLowerCase();
  if (value === 'true') return 1;
  if (value === 'false' || value === '') return 0;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= 10 ? hops : `TRUST_PROXY must be at most 10 hops, got ${hops}`;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => parseProxyAddress(entry) !== null)) return entries;
  return `TRUST_PROXY must be true, false, a number of proxy hops, or a comma list of proxy addresses (e.g. 10.0.0.0/8,192.0.2.7), got "${raw}"`;
}

export function loadConfig(env: Env): ConfigResult {
  const port = wholeNumber(env.PORT ?? '8080', 'PORT', 1, 65535);
  if (typeof port === 'string') return { ok: false, error: port };
  const seedStudents = wholeNumber(env.SEED_STUDENTS ?? '1200', 'SEED_STUDENTS', 100, 100_000);
  if (typeof seedStudents === 'string') return { ok: false, error: seedStudents };
  const loginFailuresPerAddress = wholeNumber(env.LOGIN_FAILURES_PER_ADDRESS ?? '100', 'LOGIN_FAILURES_PER_ADDRESS', 10, 100_000);
  if (typeof loginFailuresPerAddress === 'string') return { ok: false, error: loginFailuresPerAddress };
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
  const flag = (name: string, fallback: string): boolean | string => {
    const value = (env[name] ?? fallback).toLowerCase();
    if (!['true', 'false', '1', '0'].includes(value)) return `${name} must be true or false`;
    return value === 'true' || value === '1';
  };
  const seedDemo = flag('SEED_DEMO', 'true');
  if (typeof seedDemo === 'string') return { ok: false, error: seedDemo };
  const trustProxy = proxySetting(env.TRUST_PROXY ?? 'false');
  if (typeof trustProxy === 'string') return { ok: false, error: trustProxy };
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) return { ok: false, error: 'SMTP_URL must start with smtp:// or smtps://' };
  const configuredUrl = env.PUBLIC_URL?.trim().replace(/\/$/, '') || null;
  if (configuredUrl && !/^https?:\/\/[^/]+$/.test(configuredUrl)) return { ok: false, error: 'PUBLIC_URL must be an origin like https://homeroom.example.org' };
  const host = env.HOST?.trim() || '127.0.0.1';
  if (!configuredUrl && !isLoopback(host)) {
    return { ok: false, error: `PUBLIC_URL must be set when HOST (${host}) is not a loopback address: reset links and letters are built from it, never from a request's Host header` };
  }
  const publicUrl = configuredUrl ?? `http://localhost:${port}`;
  const configuredKey = env.MFA_KEY?.trim() ? mfaKeySetting(env.MFA_KEY) : null;
  if (typeof configuredKey === 'string') return { ok: false, error: configuredKey };
  if (!configuredKey && !isLoopback(host)) {
    return { ok: false, error: `MFA_KEY must be set when HOST (${host}) is not a loopback address: it seals the second-factor secrets in the store` };
  }
  return {
    ok: true,
    value: {
      port,
      host,
      databaseUrl,
      dataDir: env.DATA_DIR?.trim() || './data',
      seedStudents,
      seedDemo,
      smtpUrl,
      mailFrom: env.MAIL_FROM?.trim() || 'Homeroom <no-reply@homeroom.invalid>',
      outboxDir: env.OUTBOX_DIR?.trim() || './outbox',
      publicUrl,
      trustProxy,
      loginFailuresPerAddress,
      mfaKey: configuredKey ?? DEVELOPMENT_MFA_KEY,
    },
  };
}
