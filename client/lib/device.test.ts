import { expect } from 'chai';
import { describe, it } from '../test/mocha.ts';
import { describeDevice } from './device.ts';

describe('describeDevice', () => {
  it('names common browsers and systems', () => {
    expect(
      describeDevice('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'),
    ).to.deep.equal({ browser: 'Safari', system: 'iPhone' });
    expect(
      describeDevice('Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36'),
    ).to.deep.equal({ browser: 'Chrome', system: 'Android' });
    expect(
      describeDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0'),
    ).to.deep.equal({ browser: 'Edge', system: 'Windows' });
    expect(describeDevice('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0')).to.deep.equal({
      browser: 'Firefox',
      system: 'Linux',
    });
  });

  it('says nothing it does not know', () => {
    expect(describeDevice('')).to.deep.equal({ browser: undefined, system: undefined });
    expect(describeDevice('curl/8.5.0')).to.deep.equal({ browser: undefined, system: undefined });
  });
});
