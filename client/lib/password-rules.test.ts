import { expect } from 'chai';
import { describe, it } from '../test/mocha.ts';
import { checkConfirmation, checkNewPassword } from './password-rules.ts';

describe('password rules', () => {
  it('ask only for a length: no composition rules', () => {
    expect(checkNewPassword('')).to.equal('required');
    expect(checkNewPassword('seven77')).to.equal('password_too_short');
    expect(checkNewPassword('eightchr')).to.equal(undefined);
    expect(checkNewPassword('all lower case words')).to.equal(undefined);
    expect(checkNewPassword('x'.repeat(129))).to.equal('password_too_long');
  });

  it('count characters as people do', () => {
    // Eight characters, more UTF-16 code units than that.
    expect(checkNewPassword('🦁🦁🦁🦁🦁🦁🦁🦁')).to.equal(undefined);
    expect(checkNewPassword('mật khẩu')).to.equal(undefined);
  });

  it('need the same password twice', () => {
    expect(checkConfirmation('a long password', '')).to.equal('required');
    expect(checkConfirmation('a long password', 'a long passwort')).to.equal('confirm_mismatch');
    expect(checkConfirmation('a long password', 'a long password')).to.equal(undefined);
  });
});
