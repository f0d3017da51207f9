import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.ts';
import { hashPassword, PasswordHasher, verifyPassword } from './passwords.ts';

/** Work that runs until the test lets it finish, and says when it started. */
function gated(log: string[], name: string) {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { work: async () => { log.push(name); await done; return name; }, finish };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PasswordHasher', () => {
  it('runs at most `concurrency` at once, keeps one slot for the first lane, and refuses beyond the waiting line with 503', async () => {
    const hasher = new PasswordHasher({ concurrency: 2, waitingLine: 1 });
    const log: string[] = [];
    const a1 = gated(log, 'after 1');
    const a2 = gated(log, 'after 2');
    const f1 = gated(log, 'first 1');
    const f2 = gated(log, 'first 2');
    const runs = [hasher.run('after', a1.work), hasher.run('after', a2.work)];
    // The flood's third job finds the after-line full.
    await expect(hasher.run('after', async () => 'after 3')).rejects.toMatchObject({ status: 503, code: 'server_busy' });
    await tick();
    expect(log).toEqual(['after 1']);
    // The kept slot: a first-lane job starts at once.
    runs.push(hasher.run('first', f1.work));
    await tick();
    expect(log).toEqual(['after 1', 'first 1']);
    runs.push(hasher.run('first', f2.work));
    const refused = await hasher.run('first', async () => 'first 3').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).details?.retryAfter).toBeGreaterThan(0);
    // A freed slot goes to the first lane before the after lane.
    a1.finish();
    await tick();
    await tick();
    expect(log).toEqual(['after 1', 'first 1', 'first 2']);
    f1.finish();
    f2.finish();
    await tick();
    await tick();
    expect(log).toEqual(['after 1', 'first 1', 'first 2', 'after 2']);
    a2.finish();
    expect(await Promise.all(runs)).toEqual(['after 1', 'after 2', 'first 1', 'first 2']);
  });

  it('counts the after lane’s quarter against its own jobs only: first-lane work does not hold it back', async () => {
    const hasher = new PasswordHasher({ concurrency: 4, waitingLine: 2 });
    const log: string[] = [];
    const f1 = gated(log, 'first 1');
    const a1 = gated(log, 'after 1');
    const a2 = gated(log, 'after 2');
    const runs = [hasher.run('first', f1.work), hasher.run('after', a1.work), hasher.run('after', a2.work)];
    await tick();
    expect(log).toEqual(['first 1', 'after 1']);
    a1.finish();
    await tick();
    await tick();
    expect(log).toEqual(['first 1', 'after 1', 'after 2']);
    f1.finish();
    a2.finish();
    expect(await Promise.all(runs)).toEqual(['first 1', 'after 1', 'after 2']);
  });

  it('hashes and checks passwords, an unknown user’s too', async () => {
    const hasher = new PasswordHasher();
    const stored = await hasher.hash('correct horse battery', 'first');
    expect(await hasher.verify('correct horse battery', stored, 'first')).toBe(true);
    expect(await hasher.verify('wrong', stored, 'after')).toBe(false);
    expect(await hasher.verify('anything', null, 'after')).toBe(false);
    expect(await verifyPassword('x', await hashPassword('x'))).toBe(true);
  });
});
