/**
 * Issue 10, hole 3 under load: unauthenticated password hashing must not starve real sign-ins.
 * Every real sign-in beside the flood is answered, and answered yes; how fast is a benchmark
 * figure (`npm run bench -- --only signin`, docs/benchmarks.md), not a test's: a timed assertion
 * measures whatever else the machine runs. It runs in the `load` project, alone after the other
 * server files (vite.config.ts), so the flood does not slow them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInsUnderAttack, percentile } from '../bench/sign-in-figures.ts';
import { appFixture, listen, type AppFixture } from '../test/app-fixture.ts';

let f: AppFixture;

beforeAll(async () => {
  f = await appFixture();
});
afterAll(async () => {
  await f.close();
});

describe('hole 3 under load', () => {
  it('with 40 bogus claims and 40 wrong-password sign-ins running, every real sign-in is answered and let in', async () => {
    const server = await listen(f.app);
    try {
      const { times, statuses, attack } = await signInsUnderAttack(server.base, { timeoutMs: 15_000 });
      console.log(`real sign-ins under attack: p50 ${Math.round(percentile(times, 50))} ms, p95 ${Math.round(percentile(times, 95))} ms, answers ${statuses.join(' ')}; attack answers ${JSON.stringify(attack)}`);
      expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
      // The flood was real: the attackers were answered, and turned away.
      expect(Object.entries(attack).some(([kind, n]) => /^(claim|login) (401|429|503)$/.test(kind) && n > 0)).toBe(true);
    } finally {
      await server.close();
    }
  }, 240_000);
});
