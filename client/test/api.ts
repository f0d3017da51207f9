/**
 * Browser-test helpers for the real API that client/test/api-server.mjs serves: the test-only
 * /__test/ endpoints, and a clean signed-out start for each test.
 */
import axe from 'axe-core';
import { expect } from 'chai';
import { forgetSession, signOut } from '../data/session.ts';

export const demoPassword = 'homeroom-demo';

async function helper<T>(name: string, body: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`/__test/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`/__test/${name} answered ${response.status}`);
  return (await response.json()) as T;
}

/** The API sees requests from a new client address, so earlier failed sign-ins do not throttle. */
export function useFreshAddress(): Promise<{ address: string }> {
  return helper('address');
}

/** A new active account (no roles, with an e-mail address) that signs in with `password`. */
export function createAccount(
  password: string,
  language: 'en' | 'es' | 'so' | 'vi' = 'en',
): Promise<{ username: string; email: string; firstName: string }> {
  return helper('account', { password, language });
}

/** An activation key planted for a random unclaimed guardian (or student) account. */
export function plantActivationKey(options: { student?: boolean; expired?: boolean } = {}): Promise<{
  key: string;
  firstName: string;
  studentNumber?: string;
  birthDate?: string;
}> {
  return helper('activation-key', options);
}

/** The token from the newest password-reset e-mail sent to `email`, or null. */
export async function readResetToken(email: string): Promise<string | null> {
  return (await helper<{ token: string | null }>('reset-token', { email })).token;
}

/** Signs out on the server and here (clearing the refresh cookie), so the next test starts fresh. */
export async function startSignedOut(): Promise<void> {
  await signOut();
  forgetSession();
}

export async function expectNoAxeViolations(context: Element = document.documentElement): Promise<void> {
  const results = await axe.run(context, {
    rules: { 'target-size': { enabled: true } },
    resultTypes: ['violations'],
  });
  const summary = results.violations.map(
    (violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
  );
  expect(summary).to.deep.equal([]);
}
