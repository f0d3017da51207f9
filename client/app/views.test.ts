import { expect } from 'chai';
import { describe, it } from '../test/mocha.ts';
import { loadView, viewFromHash } from './views.ts';

describe('views', () => {
  it('reads the view from the hash and falls back to sign-in', () => {
    expect(viewFromHash('')).to.equal('sign-in');
    expect(viewFromHash('#/sign-in')).to.equal('sign-in');
    expect(viewFromHash('#/sign-in?next=%2Fgrades')).to.equal('sign-in');
    expect(viewFromHash('#main')).to.equal('sign-in');
    expect(viewFromHash('#/constructor')).to.equal('sign-in');
    expect(viewFromHash('#/not-yet-built')).to.equal('sign-in');
  });

  it('loads a view once, with its element defined', async () => {
    const first = loadView('sign-in');
    expect(loadView('sign-in')).to.equal(first);
    const view = await first;
    expect(customElements.get(view.tag)).to.not.equal(undefined);
  });
});
