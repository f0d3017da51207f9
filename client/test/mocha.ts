/**
 * The BDD functions @web/test-runner's Mocha puts on `window`, typed, so test files
 * import them instead of the project declaring test globals everywhere.
 */
/** `this` lets a slow test or hook raise its own time limit: `this.timeout(30_000)`. */
type Body = (this: { timeout(ms: number): void; currentTest?: { err?: Record<string, unknown> } }) => void | Promise<unknown>;

interface MochaGlobals {
  describe(title: string, suite: () => void): void;
  it(title: string, test: Body): void;
  before(hook: Body): void;
  after(hook: Body): void;
  beforeEach(hook: Body): void;
  afterEach(hook: Body): void;
}

export const { describe, it, before, after, beforeEach, afterEach } = window as unknown as MochaGlobals;

/**
 * A failed assertion whose `actual` or `expected` is a live object (an RxDB document holds its
 * whole database) cannot be sent to the runner: the file then ends only with "did not finish
 * within 600000ms", its failure unseen (CI, 2026-12-06). After every test of every file, the
 * values of a failure are kept as plain JSON text.
 */
afterEach(function () {
  const error = this.currentTest?.err;
  if (!error || typeof error !== 'object') return;
  for (const key of ['actual', 'expected'] as const) {
    const value = error[key];
    if (value === null || typeof value !== 'object') continue;
    try {
      error[key] = JSON.stringify(value, null, 2)?.slice(0, 4000) ?? String(value);
    } catch {
      error[key] = Object.prototype.toString.call(value);
    }
  }
});
