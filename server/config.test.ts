import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_MFA_KEY } from './access/second-factor.ts';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('defaults to the embedded store in ./data on port 8080', () => {
    expect(loadConfig({})).toEqual({
      ok: true,
      value: {
        port: 8080, host: '127.0.0.1', databaseUrl: null, dataDir: './data', seedStudents: 1200, seedDemo: true,
        smtpUrl: null, mailFrom: 'Homeroom <no-reply@homeroom.invalid>', outboxDir: './outbox', publicUrl: 'http://localhost:8080', trustProxy: 0, loginFailuresPerAddress: 100,
        mfaKey: DEVELOPMENT_MFA_KEY,
      },
    });
  });

  it('takes PORT, DATABASE_URL and the seed size from the environment', () => {
    const result = loadConfig({ PORT: '9000', DATABASE_URL: 'postgres://app@db.internal:5432/homeroom', SEED_STUDENTS: '5000' });
    expect(result).toMatchObject({ ok: true, value: { port: 9000, databaseUrl: 'postgres://app@db.internal:5432/homeroom', seedStudents: 5000 } });
  });

  it.each([
    [{ HOST: '127.0.0.1', PORT: '9000' }, 'http://localhost:9000'],
    [{ HOST: '::1' }, 'http://localhost:8080'],
    [{ HOST: 'localhost' }, 'http://localhost:8080'],
    [{ HOST: '0.0.0.0', PUBLIC_URL: 'https://homeroom.example.org/', MFA_KEY: 'q'.repeat(43) + '=' }, 'https://homeroom.example.org'],
    [{ PUBLIC_URL: 'http://localhost:5173' }, 'http://localhost:5173'],
  ])('takes links from PUBLIC_URL, or from a loopback listener: %o → %s', (env, publicUrl) => {
    expect(loadConfig(env)).toMatchObject({ ok: true, value: { publicUrl } });
  });

  it.each([['0.0.0.0'], ['192.0.2.10'], ['::'], ['homeroom.internal']])('refuses HOST=%s without PUBLIC_URL', (host) => {
    const result = loadConfig({ HOST: host });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^PUBLIC_URL must be set when HOST \(.*\) is not a loopback address/) });
  });

  it('takes MFA_KEY as 32 bytes in base64 or hex, and requires it beyond loopback', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    expect(loadConfig({ MFA_KEY: key.toString('base64') })).toMatchObject({ ok: true, value: { mfaKey: new Uint8Array(key) } });
    expect(loadConfig({ MFA_KEY: key.toString('hex') })).toMatchObject({ ok: true, value: { mfaKey: new Uint8Array(key) } });
    expect(loadConfig({ HOST: '0.0.0.0', PUBLIC_URL: 'https://homeroom.example.org' })).toEqual({ ok: false, error: expect.stringMatching(/^MFA_KEY must be set when HOST \(0\.0\.0\.0\) is not a loopback address/) });
  });

  it.each([
    ['true', 1],
    ['1', 1],
    ['false', 0],
    ['2', 2],
    ['10.0.0.0/8, 192.0.2.7,fd00::/8', ['10.0.0.0/8', '192.0.2.7', 'fd00::/8']],
  ])('reads TRUST_PROXY=%s as %o (hops, or proxy addresses)', (raw, trustProxy) => {
    expect(loadConfig({ TRUST_PROXY: raw })).toMatchObject({ ok: true, value: { trustProxy } });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be from 1 to 65535/],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL is not a URL/],
    [{ DATABASE_URL: 'mysql://root@localhost/test' }, /must start with postgres:\/\//],
    [{ DATABASE_URL: 'postgres://localhost' }, /needs a host and a database name/],
    [{ SEED_STUDENTS: '12' }, /SEED_STUDENTS must be from 100/],
    [{ SMTP_URL: 'mail.example.org' }, /SMTP_URL must start with smtp:\/\//],
    [{ PUBLIC_URL: 'homeroom.example.org/app' }, /PUBLIC_URL must be an origin/],
    [{ TRUST_PROXY: 'yes' }, /TRUST_PROXY must be true, false, a number of proxy hops, or a comma list/],
    [{ TRUST_PROXY: '11' }, /TRUST_PROXY must be at most 10 hops/],
    [{ LOGIN_FAILURES_PER_ADDRESS: '5' }, /LOGIN_FAILURES_PER_ADDRESS must be from 10/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY must be true, false/],
    [{ MFA_KEY: 'too short' }, /MFA_KEY must be 32 random bytes/],
    [{ MFA_KEY: Buffer.alloc(31).toString('base64') }, /MFA_KEY must be 32 random bytes/],
  ])('refuses %o with one clear line', (env, message) => {
    const result = loadConfig(env);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});

describe('server/main.ts start-up errors', () => {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
  const start = (env: Record<string, string>) => spawnSync(tsx, [main], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });

  it('stops with one line and a non-zero exit on a bad PORT', () => {
    const run = start({ PORT: 'abc' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual(['homeroom: PORT must be a whole number from 1 to 65535, got "abc"']);
  });

  it('stops with one line when it would listen beyond loopback without PUBLIC_URL', () => {
    const run = start({ HOST: '0.0.0.0', PUBLIC_URL: '' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      "homeroom: PUBLIC_URL must be set when HOST (0.0.0.0) is not a loopback address: reset links and letters are built from it, never from a request's Host header",
    ]);
  });

  it('stops with one line and no stack trace when DATABASE_URL does not answer', () => {
    const run = start({ DATABASE_URL: 'postgres://nobody@127.0.0.1:9/homeroom' });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^homeroom: cannot reach the database at DATABASE_URL/);
  });
});
