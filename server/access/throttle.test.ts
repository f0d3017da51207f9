import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './throttle.ts';

describe('SignInThrottle', () => {
  const at = { value: new Date('2026-11-24T15:00:00Z') };
  const clock = () => at.value;

  it('blocks one username from one address, not the address’s other usernames', () => {
    const throttle = new SignInThrottle({ perUsername: 3, perAddress: 100 }, clock);
    for (let i = 0; i < 3; i++) throttle.fail('192.0.2.1', 'Amina');
    expect(throttle.retryAfter('192.0.2.1', 'amina')).toBeGreaterThan(0);
    expect(throttle.retryAfter('192.0.2.1', 'someone-else')).toBe(0);
    expect(throttle.retryAfter('192.0.2.2', 'amina')).toBe(0);
  });

  it('blocks an address at the ceiling whatever the username, for the rest of the 15 minutes', () => {
    const throttle = new SignInThrottle({ perUsername: 10, perAddress: 100 }, clock);
    for (let i = 0; i < 99; i++) throttle.fail('192.0.2.3', `user-${i}`);
    expect(throttle.retryAfter('192.0.2.3', 'demo-guardian')).toBe(0);
    throttle.fail('192.0.2.3', 'user-99');
    expect(throttle.retryAfter('192.0.2.3', 'demo-guardian')).toBe(15 * 60);
    at.value = new Date(at.value.getTime() + 15 * 60_000 + 1);
    expect(throttle.retryAfter('192.0.2.3', 'demo-guardian')).toBe(0);
  });

  it('starts a username’s count again after the right password', () => {
    const throttle = new SignInThrottle({ perUsername: 3, perAddress: 100 }, clock);
    throttle.fail('192.0.2.4', 'amina');
    throttle.fail('192.0.2.4', 'amina');
    throttle.succeeded('192.0.2.4', 'amina');
    throttle.fail('192.0.2.4', 'amina');
    expect(throttle.retryAfter('192.0.2.4', 'amina')).toBe(0);
    expect(throttle.failuresFrom('192.0.2.4')).toBe(3);
  });
});
