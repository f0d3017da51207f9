import { expect } from 'chai';
import { describe, it } from '../test/mocha.ts';
import { backoffDelay } from './backoff.ts';

describe('backoff', () => {
  it('doubles up to the ceiling, with jitter in the upper half', () => {
    const backoff = { initialMs: 1000, maxMs: 8000 };
    expect([1, 2, 3, 4, 5, 9].map((failures) => backoffDelay(failures, backoff, () => 1))).to.deep.equal([1000, 2000, 4000, 8000, 8000, 8000]);
    expect([1, 2, 3].map((failures) => backoffDelay(failures, backoff, () => 0))).to.deep.equal([500, 1000, 2000]);
  });
});
