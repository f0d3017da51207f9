import { expect } from 'chai';
import { describe, it } from '../test/mocha.ts';
import { hashParams, loadView, redirectFor, viewFromHash, viewNames } from './views.ts';

describe('views', () => {
  it('reads the view from the hash and falls back to sign-in', () => {
    expect(viewFromHash('')).to.equal('sign-in');
    expect(viewFromHash('#/sign-in')).to.equal('sign-in');
    expect(viewFromHash('#/sign-in?next=%2Fgrades')).to.equal('sign-in');
    expect(viewFromHash('#/reset?token=abc')).to.equal('reset');
    expect(viewFromHash('#/access-log')).to.equal('access-log');
    expect(viewFromHash('#main')).to.equal('sign-in');
    expect(viewFromHash('#/constructor')).to.equal('sign-in');
    expect(viewFromHash('#/not-yet-built')).to.equal('sign-in');
  });

  it('reads a route’s query', () => {
    expect(hashParams('#/reset?token=a-b_c').get('token')).to.equal('a-b_c');
    expect(hashParams('#/reset').get('token')).to.equal(null);
  });

  it('guards signed-in views and sends the signed in past sign-in', () => {
    expect(redirectFor('account', false)).to.equal('sign-in');
    expect(redirectFor('access-log', false)).to.equal('sign-in');
    expect(redirectFor('home', false)).to.equal('sign-in');
    expect(redirectFor('account', true)).to.equal(undefined);
    expect(redirectFor('sign-in', true)).to.equal('today');
    expect(redirectFor('sign-in', false)).to.equal(undefined);
    for (const open of ['claim', 'forgot', 'reset'] as const) {
      expect(redirectFor(open, false)).to.equal(undefined);
      expect(redirectFor(open, true)).to.equal(undefined);
    }
  });

  it('loads a view once, with its element defined', async () => {
    const first = loadView('sign-in');
    expect(loadView('sign-in')).to.equal(first);
    const view = await first;
    expect(customElements.get(view.tag)).to.not.equal(undefined);
  });

  it('loads every view in the map', async () => {
    for (const name of viewNames) {
      const view = await loadView(name);
      expect(customElements.get(view.tag), name).to.not.equal(undefined);
    }
  });
});
