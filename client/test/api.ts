/**
 * Browser-test helpers for the real API that client/test/api-server.mjs serves: the test-only
 * /__test/ endpoints, and a clean signed-out start for each test.
 */
import axe from 'axe-core';
import { expect } from 'chai';
import type { ApiResult } from '../data/api.ts';
import { isSecondFactorChallenge, signIn, verifySecondFactor, type Credentials, type SessionResponse } from '../data/auth.ts';
import { forgetSession, signOut } from '../data/session.ts';

export const demoPassword = 'homeroom-demo';

/** This test file's own district (client/test/district.ts), which every test-only endpoint works in. */
let testDistrictId: string | null = null;

export function setTestDistrict(id: string): void {
  testDistrictId = id;
}

/** Calls one of the API server's test-only endpoints (`/__test/<name>`) in this file's district, and answers its JSON. */
export async function testEndpoint<T>(name: string, body: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`/__test/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ district: testDistrictId, ...body }),
  });
  if (!response.ok) throw new Error(`/__test/${name} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * The code a demo staff account's authenticator app shows now, on the API's clock (its secret
 * derives from the seed and the account: server/seed/generate.ts demoTotpSecret).
 */
export async function currentTotpCode(username: string): Promise<string> {
  return (await testEndpoint<{ code: string }>('totp', { username })).code;
}

/**
 * Signs in as the data layer's `signIn` does, and, when the account shows a second factor
 * (demo staff holding tool rights), answers it with the current code: a session, or why not.
 */
export async function signInWithCode(credentials: Credentials): Promise<ApiResult<SessionResponse>> {
  const result = await signIn(credentials);
  if (!result.ok || !isSecondFactorChallenge(result.body)) return result as ApiResult<SessionResponse>;
  if (result.body.secondFactor !== 'code') throw new Error(`${credentials.username} must enrol a second factor first`);
  const code = await currentTotpCode(credentials.username);
  return verifySecondFactor({ challenge: result.body.challenge, code, ...(credentials.sharedDevice ? { sharedDevice: true } : {}) });
}

/** A staff member with a tool right and no second factor, who signs in with `password` (and reads `language`) and must enrol. */
export async function staffWithoutSecondFactor(password: string, language: 'en' | 'es' | 'so' | 'vi' = 'en'): Promise<{ username: string; staffId: string; schoolId: string }> {
  return testEndpoint('staff-without-second-factor', { password, language });
}

/** The API sees requests from a new client address, so earlier failed sign-ins do not throttle. */
export function useFreshAddress(): Promise<{ address: string }> {
  return testEndpoint('address');
}

/** A new active account (no roles, with an e-mail address) that signs in with `password`. */
export function createAccount(
  password: string,
  language: 'en' | 'es' | 'so' | 'vi' = 'en',
): Promise<{ username: string; email: string; firstName: string }> {
  return testEndpoint('account', { password, language });
}

/** An activation key planted for a random unclaimed guardian (or student) account. */
export function plantActivationKey(options: { student?: boolean; expired?: boolean } = {}): Promise<{
  key: string;
  firstName: string;
  studentNumber?: string;
  birthDate?: string;
}> {
  return testEndpoint('activation-key', options);
}

/** The token from the newest password-reset e-mail sent to `email`, waiting up to `timeoutMs` for it; null if none came. */
export async function readResetToken(email: string, timeoutMs = 10_000): Promise<string | null> {
  // The server mails the link after it has answered (the same answer, as fast, for an unknown
  // account: server/routes/auth.ts), so on a busy machine the mail may come a moment later.
  const until = performance.now() + timeoutMs;
  for (;;) {
    const { token } = await testEndpoint<{ token: string | null }>('reset-token', { email });
    if (token !== null || performance.now() > until) return token;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sets (or clears, with null) a student's preferred name on the server, as the office would. */
export async function setPreferredName(studentId: string, preferredName: string | null): Promise<void> {
  const { updated } = await testEndpoint<{ updated: number }>('student-preferred-name', { studentId, preferredName });
  if (updated !== 1) throw new Error(`no student ${studentId}`);
}

/** Gives or takes away a guardian's portal access to one child, on the server. */
export async function setPortalAccess(username: string, studentId: string, access: boolean): Promise<void> {
  const { updated } = await testEndpoint<{ updated: number }>('portal-access', { username, studentId, access });
  if (updated !== 1) throw new Error(`${username} is not a guardian of ${studentId}`);
}

/** From now on the server sees pulls of these collections as coming from an outdated app ([] ends it). */
export async function pretendOutdated(collections: string[]): Promise<void> {
  await testEndpoint('sync-outdated', { collections });
}

/** How many sync streams the server is serving right now. */
export async function openSyncStreams(): Promise<number> {
  return (await testEndpoint<{ open: number }>('sync-streams')).open;
}

/** Names of this origin's IndexedDB databases that hold Homeroom records. */
export async function homeroomIndexedDbs(): Promise<string[]> {
  return (await indexedDB.databases())
    .map((info) => info.name ?? '')
    .filter((name) => name.startsWith('rxdb-dexie-homeroom-'))
    .sort();
}

/**
 * Loads the data layer ahead of tests that sign in: unbundled in the test server, RxDB takes
 * seconds to load the first time, and sign-out waits for it to open before removing it.
 */
export async function preloadDataLayer(): Promise<void> {
  await import('../data/data-layer.ts');
}

/** Signs out on the server and here (clearing the refresh cookie), so the next test starts fresh. */
export async function startSignedOut(): Promise<void> {
  await signOut();
  forgetSession();
}

/**
 * axe-core finds no violation. A page caught mid-render (a view swapping in, a list
 * re-rendering) can show one for a moment, so a violation is checked once more after the page
 * has settled, and only what is still there fails: a real violation stays.
 */
export async function expectNoAxeViolations(context: Element = document.documentElement): Promise<void> {
  const violations = async () => {
    const results = await axe.run(context, {
      rules: { 'target-size': { enabled: true } },
      resultTypes: ['violations'],
    });
    return results.violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
  };
  let summary = await violations();
  if (summary.length > 0) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await new Promise((resolve) => requestAnimationFrame(resolve));
    summary = await violations();
  }
  expect(summary).to.deep.equal([]);
}
