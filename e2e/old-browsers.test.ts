/**
 * The built app runs on the oldest browsers Homeroom supports: package.json's `browserslist`
 * (iOS 14 Safari, Chrome 87, Edge 88, Firefox 78). es-check reads the same list and fails on
 * syntax (BigInt literals were once in a build that claimed Safari 13) and on APIs those browsers
 * lack (`Array.prototype.at` was in three screens). Features that only appear behind a check of
 * their own, in libraries, are allowed by name below, each with where and why.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { builtClient } from './client-build.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

/** Used only where present: each library tests for it first. */
const GUARDED = [
  // RxDB's document cache and Dexie's observers: `typeof WeakRef === 'function' ? … : …`.
  'WeakRef',
  'FinalizationRegistry',
  // Dexie's Promise.any: defined only when `typeof AggregateError !== 'undefined'`.
  'AggregateError',
  // tslib's generator helpers: `typeof Iterator === 'function' ? Iterator : Object`.
  'Iterator',
  // RxDB reads `Symbol.asyncDispose` as a method key; undefined there, the method is merely unnamed.
  'SymbolAsyncDispose',
];

describe('the built app on old browsers', () => {
  it('uses only syntax and APIs that the browserslist’s oldest browsers have', async () => {
    const browsers = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { browserslist: string[] }).browserslist;
    expect(browsers).toEqual(expect.arrayContaining(['iOS >= 14', 'Chrome >= 87', 'Firefox >= 78']));
    const dist = await builtClient();
    const check = run(
      process.execPath,
      [`${root}node_modules/es-check/lib/cli/index.js`, 'checkBrowser', `${dist}/**/*.js`, '--module', '--checkFeatures', `--ignore=${GUARDED.join(',')}`, '--noColor'],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
    );
    const outcome = await check.then(
      ({ stdout }) => ({ ok: true, output: stdout }),
      (error: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );
    const found = outcome.output.split('\n').filter((line) => /erroring file|Unsupported features|error:/.test(line));
    expect(found, outcome.output.slice(-2000)).toEqual([]);
    expect(outcome.ok, outcome.output.slice(-2000)).toBe(true);
  }, 240_000);
});
