/**
 * Access tokens: a verified token is remembered (a device sends the same one with every pull), but
 * only for as long as verifying it again would accept it; forged and altered tokens never pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_SECONDS } from '../contract/auth.ts';
import type { Store } from '../db/store.ts';
import { migratedPglite } from '../test/stores.ts';
import { KeyRing } from './tokens.ts';

let store: Store;
beforeAll(async () => {
  store = await migratedPglite();
});
afterAll(() => store.close());

describe('access tokens', () => {
  it('verify while valid, from memory after the first time, and stop at their expiry', async () => {
    const now = { value: new Date('2026-12-03T10:00:00Z') };
    const keys = new KeyRing(store, () => now.value);
    const claims = { sub: '11111111-1111-4111-8111-111111111111', sid: '22222222-2222-4222-8222-222222222222', dst: '33333333-3333-4333-8333-333333333333' };
    const token = await keys.sign(claims);
    expect(await keys.verify(token)).toEqual(claims);
    expect(await keys.verify(token)).toEqual(claims);
    now.value = new Date(now.value.getTime() + (ACCESS_TOKEN_SECONDS - 1) * 1000);
    expect(await keys.verify(token)).toEqual(claims);
    now.value = new Date(now.value.getTime() + 2000);
    expect(await keys.verify(token)).toBeNull();
    // Before it was issued (a clock set back) it is not taken from memory either.
    now.value = new Date('2026-12-03T09:00:00Z');
    expect(await keys.verify(token)).toBeNull();
  });

  it('checks the signature once for a token that several requests send at once (a first sync pulls every collection side by side)', async () => {
    const now = { value: new Date('2026-12-03T10:00:00Z') };
    const keys = new KeyRing(store, () => now.value);
    const claims = { sub: '11111111-1111-4111-8111-111111111111', sid: '22222222-2222-4222-8222-222222222222', dst: '33333333-3333-4333-8333-333333333333' };
    const token = await keys.sign(claims);
    const before = keys.signatureChecks;
    expect(await Promise.all(Array.from({ length: 11 }, () => keys.verify(token)))).toEqual(Array.from({ length: 11 }, () => claims));
    expect(keys.signatureChecks - before).toBe(1);
    // A forged one side by side with it is refused for every request.
    const [header, payload] = token.split('.') as [string, string, string];
    const forged = `${header}.${payload}.${'A'.repeat(86)}`;
    expect(await Promise.all(Array.from({ length: 3 }, () => keys.verify(forged)))).toEqual([null, null, null]);
  });

  it('never pass altered or forged', async () => {
    const now = { value: new Date('2026-12-03T10:00:00Z') };
    const keys = new KeyRing(store, () => now.value);
    const claims = { sub: '11111111-1111-4111-8111-111111111111', sid: '22222222-2222-4222-8222-222222222222', dst: '33333333-3333-4333-8333-333333333333' };
    const token = await keys.sign(claims);
    expect(await keys.verify(token)).toEqual(claims);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const other = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: '44444444-4444-4444-8444-444444444444' })).toString('base64url');
    expect(await keys.verify(`${header}.${other}.${signature}`)).toBeNull();
    // One character of the signature changed where every bit counts (its last ones carry padding).
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    expect(await keys.verify(`${header}.${payload}.${flipped}`)).toBeNull();
    expect(await keys.verify(`${token}x`)).toBeNull();
  });
});
