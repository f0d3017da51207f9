import { expect } from 'chai';
import { describe, it } from '../test/mocha.ts';
import { formatActivationKey, formattedCaret, normalizeActivationKey } from './activation-key.ts';

describe('activation keys', () => {
  it('ignore case, spaces and dashes', () => {
    expect(normalizeActivationKey(' abcd-efgh jklm ')).to.equal('ABCDEFGHJKLM');
    expect(normalizeActivationKey('ab–cd')).to.equal('ABCD'); // an en dash pasted from a letter
  });

  it('are shown grouped in fours, as printed', () => {
    expect(formatActivationKey('abcdefghjklm')).to.equal('ABCD-EFGH-JKLM');
    expect(formatActivationKey('abcd efgh-jk')).to.equal('ABCD-EFGH-JK');
    expect(formatActivationKey('abcd')).to.equal('ABCD');
    expect(formatActivationKey('')).to.equal('');
  });

  it('keep the caret after the character just typed', () => {
    // Typing the fifth character: "ABCDE|" becomes "ABCD-E|".
    expect(formattedCaret('ABCDE', 5)).to.equal(6);
    // Typing in the middle: "AB|CD-EFGH" with X → "ABX|CDEFGH" → "ABXC-DEFG-H", caret after X.
    expect(formattedCaret('ABXCD-EFGH', 3)).to.equal(3);
    expect(formattedCaret('ABCD-EFGHX', 10)).to.equal(11);
    expect(formattedCaret('', 0)).to.equal(0);
  });
});
