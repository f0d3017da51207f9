import type { HashLane } from './passwords.ts';

/** Throttles count events per key in a 15-minute sliding window. */
export const THROTTLE_WINDOW_MS = 15 * 60_000;
/** Stale keys are swept every this many events, so made-up keys cannot grow memory for ever. */
const SWEEP_EVERY = 1000;

/**
 * Events (failed sign-ins, bad keys, reset requests) per key in a sliding window. Per server
 * instance; a key is usually a client address.
 */
export class AddressThrottle {
  private readonly events = new Map<string, number[]>();
  private sinceSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: () => Date,
  ) {}

  private recent(key: string): number[] {
    const since = this.clock().getTime() - this.windowMs;
    const kept = (this.events.get(key) ?? []).filter((at) => at > since);
    if (kept.length > 0) this.events.set(key, kept);
    else this.events.delete(key);
    return kept;
  }

  /** Seconds until the key may try again, or 0 when it may try now. */
  retryAfter(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.limit) return 0;
    return Math.max(1, Math.ceil((recent[recent.length - this.limit]! + this.windowMs - this.clock().getTime()) / 1000));
  }

  /** Events of the key in the window. */
  count(key: string): number {
    return this.recent(key).length;
  }

  fail(key: string): void {
    this.events.set(key, [...this.recent(key), this.clock().getTime()]);
    if (++this.sinceSweep >= SWEEP_EVERY) {
      this.sinceSweep = 0;
      for (const stale of [...this.events.keys()]) this.recent(stale);
    }
  }

  clear(key: string): void {
    this.events.delete(key);
  }
}

/**
 * Failed sign-ins, counted two ways. Per (address, username), so one student guessing behind a
 * school's single NAT address blocks only their own username from there; and per address with a
 * much higher ceiling, for one address spraying many usernames. A username's own failures never
 * keep another username out until the address reaches the ceiling.
 */
export class SignInThrottle {
  private readonly perUsername: AddressThrottle;
  private readonly perAddress: AddressThrottle;
  /** Addresses that asked for password work in the last 10 seconds. */
  private readonly askers: AddressThrottle;

  constructor(limits: { perUsername: number; perAddress: number }, clock: () => Date) {
    this.perUsername = new AddressThrottle(limits.perUsername, THROTTLE_WINDOW_MS, clock);
    this.perAddress = new AddressThrottle(limits.perAddress, THROTTLE_WINDOW_MS, clock);
    this.askers = new AddressThrottle(1, 10_000, clock);
  }

  private static key(address: string, username: string): string {
    return `${address}\n${username.normalize('NFKC').toLowerCase()}`;
  }

  /** Seconds until this address may try this username again, or 0. */
  retryAfter(address: string, username: string): number {
    return Math.max(this.perAddress.retryAfter(address), this.perUsername.retryAfter(SignInThrottle.key(address, username)));
  }

  fail(address: string, username: string): void {
    this.perAddress.fail(address);
    this.perUsername.fail(SignInThrottle.key(address, username));
  }

  /** The right password: that username's count starts again (the address's does not). */
  succeeded(address: string, username: string): void {
    this.perUsername.clear(SignInThrottle.key(address, username));
  }

  /**
   * Which line the address's password work joins, and notes that it asked: "first" when it has
   * not asked in the last 10 seconds and has failed fewer than 3 times in 15 minutes, so the
   * loops of a flood wait behind people signing in once.
   */
  laneFor(address: string): HashLane {
    const lane: HashLane = this.askers.count(address) === 0 && this.perAddress.count(address) < 3 ? 'first' : 'after';
    this.askers.fail(address);
    return lane;
  }

  /** Failed sign-ins from the address in the window. */
  failuresFrom(address: string): number {
    return this.perAddress.count(address);
  }
}
