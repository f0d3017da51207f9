/**
 * The BDD functions @web/test-runner's Mocha puts on `window`, typed, so test files
 * import them instead of the project declaring test globals everywhere.
 */
/** `this` lets a slow test or hook raise its own time limit: `this.timeout(30_000)`. */
type Body = (this: { timeout(ms: number): void }) => void | Promise<unknown>;

interface MochaGlobals {
  describe(title: string, suite: () => void): void;
  it(title: string, test: Body): void;
  before(hook: Body): void;
  after(hook: Body): void;
  beforeEach(hook: Body): void;
  afterEach(hook: Body): void;
}

export const { describe, it, before, after, beforeEach, afterEach } = window as unknown as MochaGlobals;
