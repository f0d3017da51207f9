import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ShortestFirst } from './shortest-first.ts';

/** A task that takes `ms`, and says when it ends. */
function busy(ms: number, order: string[], name: string): () => Promise<string> {
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    order.push(name);
    return name;
  };
}

describe('statements run shortest expected first, one at a time', () => {
  it('runs a short statement asked while long ones wait before them, once it has learnt their times', async () => {
    const queue = new ShortestFirst();
    const learnt: string[] = [];
    // Each statement text once, so the queue knows what each costs.
    await queue.run('long', busy(30, learnt, 'long'));
    await queue.run('short', busy(1, learnt, 'short'));

    const order: string[] = [];
    const answers = Promise.all([
      queue.run('long', busy(30, order, 'long 1')),
      queue.run('long', busy(30, order, 'long 2')),
      queue.run('long', busy(30, order, 'long 3')),
      queue.run('short', busy(1, order, 'short')),
    ]);
    expect(await answers).toEqual(['long 1', 'long 2', 'long 3', 'short']);
    // Asked last, it runs before every long one that had not begun (in arrival order it ran last).
    expect(order.indexOf('short')).toBeLessThanOrEqual(1);
    expect(order.filter((name) => name !== 'short')).toEqual(['long 1', 'long 2', 'long 3']);
  });

  it('chooses among every statement asked by messages that have arrived, though each runs within its message\'s microtasks', async () => {
    // As on PGlite's thread: a statement is synchronous WebAssembly between awaits of settled
    // promises, and each message's handler and microtasks finish before the next message is read.
    const spin = (ms: number, order: string[], name: string) => async () => {
      await Promise.resolve();
      for (const end = performance.now() + ms; performance.now() < end; );
      order.push(name);
      return name;
    };
    const queue = new ShortestFirst();
    await queue.run('long', spin(10, [], 'long'));
    await queue.run('short', spin(0.5, [], 'short'));

    const order: string[] = [];
    const asked: Array<Promise<string>> = [];
    const { port1, port2 } = new MessageChannel();
    const arrived = new Promise<void>((resolve) =>
      port2.on('message', ([key, ms, name]: [string, number, string]) => {
        asked.push(queue.run(key, spin(ms, order, name)));
        if (asked.length === 4) resolve();
      }),
    );
    for (const message of [['long', 10, 'long 1'], ['long', 10, 'long 2'], ['long', 10, 'long 3'], ['short', 0.5, 'short']]) port1.postMessage(message);
    await arrived;
    await Promise.all(asked);
    port1.close();
    // Asked last, it runs first (chosen as each message arrived, it ran last).
    expect(order.indexOf('short')).toBe(0);
  });

  it('runs statements of equal cost in the order they were asked, and never two at once', async () => {
    const queue = new ShortestFirst();
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        queue.run('same', async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 2));
          order.push(i);
          running -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('lets a long statement that has waited past the limit go before newer short ones', async () => {
    const queue = new ShortestFirst({ maxWaitMs: 20 });
    const learnt: string[] = [];
    await queue.run('long', busy(15, learnt, 'long'));
    await queue.run('short', busy(8, learnt, 'short'));

    const order: string[] = [];
    const asked = [queue.run('short', busy(8, order, 'short 1')), queue.run('long', busy(15, order, 'long'))];
    // Short ones keep coming while the long one waits; after 20 ms of waiting it goes next.
    for (let i = 2; i <= 6; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 4));
      asked.push(queue.run('short', busy(8, order, `short ${i}`)));
    }
    await Promise.all(asked);
    expect(order.indexOf('long')).toBeGreaterThan(0);
    expect(order.indexOf('long')).toBeLessThan(order.length - 1);
  });

  it('passes a failure to its asker and goes on with the rest', async () => {
    const queue = new ShortestFirst();
    const failing = queue.run('bad', async () => {
      throw new Error('no such table');
    });
    const next = queue.run('good', async () => 'ok');
    await expect(failing).rejects.toThrow('no such table');
    expect(await next).toBe('ok');
  });
});
