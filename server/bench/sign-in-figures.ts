/**
 * Real sign-ins beside a flood of unauthenticated password hashing (issue 10, hole 3): 40 loops of
 * bogus activation-key claims and 40 of wrong-password sign-ins run on a thread of their own,
 * while 20 family members sign in one after another. Used by `npm run bench -- --only signin`
 * (the p50 and p95 figures) and by the load test (that every real sign-in is answered).
 */
import { Worker } from 'node:worker_threads';
import { DEMO_PASSWORD } from '../seed/generate.ts';

/**
 * The attacker's loops, on a thread of their own: their own requests must not queue on the
 * server's event loop. Each loop waits 50 ms after a refusal (429, 503): an attacker ignoring
 * Retry-After, but not spinning this machine's HTTP parser, which is not what is measured.
 */
const ATTACKER = `
const { workerData, parentPort } = require('node:worker_threads');
const { base, claims, signIns } = workerData;
let running = true;
parentPort.on('message', () => { running = false; });
const counts = {};
async function loop(kind, address) {
  for (let n = 0; running && n < 2000; n++) {
    const body = kind === 'claim'
      ? { key: 'BOGU-SKEY-' + Math.random().toString(36).slice(2, 6).toUpperCase(), username: 'bogus.claim.' + n, password: 'a long enough new password' }
      : { username: 'sprayed-' + address + '-' + n, password: 'Winter2026!' };
    try {
      const response = await fetch(base + (kind === 'claim' ? '/api/auth/claim' : '/api/auth/login'), {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify(body),
        signal: AbortSignal.timeout(10000),
      });
      await response.arrayBuffer();
      const key = kind + ' ' + response.status;
      counts[key] = (counts[key] || 0) + 1;
      if (response.status === 429 || response.status === 503) await new Promise((resolve) => setTimeout(resolve, 50));
    } catch {
      counts[kind + ' no answer'] = (counts[kind + ' no answer'] || 0) + 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
Promise.all([
  ...Array.from({ length: claims }, (_, i) => loop('claim', '198.18.1.' + i)),
  ...Array.from({ length: signIns }, (_, i) => loop('login', '198.18.2.' + i)),
]).then(() => parentPort.postMessage(counts));
`;

export interface SignInsUnderAttack {
  /** Milliseconds to each real sign-in's 200; Infinity when it was refused or not answered in time. */
  times: number[];
  statuses: number[];
  /** The attackers' answers by kind and status. */
  attack: Record<string, number>;
}

/** Runs the flood against the server at `base`, lets it settle for `settleMs`, then signs in 20 times as demo-guardian. */
export async function signInsUnderAttack(base: string, options: { settleMs?: number; timeoutMs?: number } = {}): Promise<SignInsUnderAttack> {
  const attacker = new Worker(ATTACKER, { eval: true, workerData: { base, claims: 40, signIns: 40 } });
  const attackCounts = new Promise<Record<string, number>>((resolve) => attacker.once('message', resolve));
  try {
    // Let the flood settle: each attacking address's first try joins the first lane (it could
    // be anyone's first sign-in), then all its others wait in the after lane.
    await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 10_000));
    const times: number[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      let status = 0;
      try {
        const response = await fetch(`${base}/api/auth/login`, {
          method: 'POST',
          // A family member each, from an address no other sign-in here has used.
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `100.64.0.${i + 1}` },
          body: JSON.stringify({ username: 'demo-guardian', password: DEMO_PASSWORD }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
        await response.arrayBuffer();
        status = response.status;
      } catch {
        status = 0; // no answer in time
      }
      statuses.push(status);
      times.push(status === 200 ? performance.now() - started : Infinity);
    }
    attacker.postMessage('stop');
    return { times, statuses, attack: await attackCounts };
  } finally {
    await attacker.terminate();
  }
}

/** The p-th percentile (0–100) of `times`. */
export function percentile(times: readonly number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((sorted.length * p) / 100) - 1)]!;
}
