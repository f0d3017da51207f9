import { expect } from 'chai';
import { describe, it } from '../test/mocha.ts';
import { warmIntl } from './intl-warm.ts';

describe('warmIntl', () => {
  it('runs its worker in each language, Somali (English patterns) included', async () => {
    for (const language of ['en', 'es', 'so', 'vi']) expect(await warmIntl(language), language).to.equal(true);
  });

  it('answers false, not an error, when the worker cannot format (a tag Intl refuses)', async () => {
    expect(await warmIntl('not a language tag')).to.equal(false);
  });
});
