import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { ApiError } from '../errors.ts';

/** scrypt, memory-hard (32 MiB at N=2^15, r=8): Node 20 has no argon2 in node:crypto. */
export const SCRYPT_DEFAULTS = { N: 2 ** 15, r: 8, p: 3 } as const;
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r * 2 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash`, base64; the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string, salt: Buffer = randomBytes(16), params = SCRYPT_DEFAULTS): Promise<string> {
  const key = await scryptAsync(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** A hash that no password matches: an account that exists but has no usable password. */
export const UNUSABLE_PASSWORD = '!';

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? '').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    // Spend the same time as a real check, so response time does not tell which accounts exist.
    await hashPassword(password);
    return false;
  }
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Who waits less for password work: "first" for people who have not just asked (a fresh address,
 * a signed-in user), "after" for addresses that keep asking or keep failing.
 */
export type HashLane = 'first' | 'after';

/**
 * Every password hash and check goes through here: at most `concurrency` at once (2 × cores by
 * default), a short waiting line per lane, then 503 `server_busy` with Retry-After, so a flood of
 * made-up sign-ins cannot queue real ones behind minutes of scrypt. The "after" lane (addresses
 * that keep asking or failing) may fill only a quarter of the slots, so people signing in once
 * find the rest free, and half the cores.
 */
export class PasswordHasher {
  readonly concurrency: number;
  readonly waitingLine: number;
  private running = 0;
  /** Of those running, the after lane's. */
  private runningAfter = 0;
  private readonly waiting: Record<HashLane, Array<() => void>> = { first: [], after: [] };
  private averageMs = 300;

  constructor(options: { concurrency?: number; waitingLine?: number } = {}) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 2 * availableParallelism()));
    this.waitingLine = Math.max(0, Math.floor(options.waitingLine ?? 2 * this.concurrency));
  }

  hash(password: string, lane: HashLane): Promise<string> {
    return this.run(lane, () => hashPassword(password));
  }

  /** Also for unknown usernames (stored = null): the same work, through the same line. */
  verify(password: string, stored: string | null, lane: HashLane): Promise<boolean> {
    return this.run(lane, () => verifyPassword(password, stored));
  }

  /** Whether a job of the lane may take a slot now: the after lane fills at most a quarter of them (half the cores). */
  private hasRoom(lane: HashLane): boolean {
    if (this.running >= this.concurrency) return false;
    return lane === 'first' || this.runningAfter < Math.max(1, Math.floor(this.concurrency / 4));
  }

  private mayStart(lane: HashLane): boolean {
    return this.hasRoom(lane) && this.waiting[lane].length === 0 && (lane === 'after' || this.waiting.first.length === 0);
  }

  private take(lane: HashLane): void {
    this.running += 1;
    if (lane === 'after') this.runningAfter += 1;
  }

  /** Seconds until the line has likely moved on: the work ahead, spread over the slots. */
  private retryAfter(): number {
    const ahead = this.running + this.waiting.first.length + this.waiting.after.length;
    return Math.max(1, Math.ceil((this.averageMs * (ahead / this.concurrency + 1)) / 1000));
  }

  private dispatch(): void {
    for (;;) {
      const lane: HashLane | null = this.waiting.first.length > 0 && this.hasRoom('first') ? 'first' : this.waiting.after.length > 0 && this.hasRoom('after') ? 'after' : null;
      if (!lane) return;
      this.take(lane);
      this.waiting[lane].shift()!();
    }
  }

  /** Runs password work (a hash or a check) when a slot is free, or refuses with 503. */
  async run<T>(lane: HashLane, work: () => Promise<T>): Promise<T> {
    if (this.mayStart(lane)) this.take(lane);
    else if (this.waiting[lane].length < this.waitingLine) await new Promise<void>((resolve) => this.waiting[lane].push(resolve));
    else throw new ApiError(503, 'server_busy', { retryAfter: this.retryAfter() });
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.averageMs = 0.8 * this.averageMs + 0.2 * (performance.now() - started);
      this.running -= 1;
      if (lane === 'after') this.runningAfter -= 1;
      this.dispatch();
    }
  }
}
