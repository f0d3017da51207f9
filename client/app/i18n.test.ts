import { expect } from 'chai';
import i18next from 'i18next';
import { describe, it } from '../test/mocha.ts';
import { currentLanguage, detectLanguage, initI18n, matchLanguage, setLanguage, t } from './i18n.ts';

describe('i18n', () => {
  it('matches browser preferences to a supported language', () => {
    expect(matchLanguage(['so-SO', 'en-US'])).to.equal('so');
    expect(matchLanguage(['fr-FR', 'es-419', 'en'])).to.equal('es');
    expect(matchLanguage(['VI'])).to.equal('vi');
    expect(matchLanguage(['fr', 'de'])).to.equal(undefined);
  });

  it('prefers the language saved on this device', () => {
    localStorage.setItem('homeroom.lang', 'vi');
    expect(detectLanguage()).to.equal('vi');
    localStorage.setItem('homeroom.lang', 'xx');
    expect(detectLanguage()).to.equal(matchLanguage(navigator.languages) ?? 'en');
    localStorage.removeItem('homeroom.lang');
  });

  it('starts with English bundled and loads another language only when chosen', async () => {
    await initI18n('en');
    expect(t('signin:submit')).to.equal('Sign in');
    expect(i18next.hasResourceBundle('es', 'signin')).to.equal(false);
    expect(i18next.hasResourceBundle('vi', 'common')).to.equal(false);

    await setLanguage('es');
    expect(i18next.hasResourceBundle('es', 'signin')).to.equal(true);
    expect(i18next.hasResourceBundle('es', 'common')).to.equal(true);
    expect(i18next.hasResourceBundle('vi', 'common')).to.equal(false);
    expect(currentLanguage()).to.equal('es');
    expect(document.documentElement.lang).to.equal('es');
    expect(document.documentElement.dir).to.equal('ltr');
    expect(localStorage.getItem('homeroom.lang')).to.equal('es');
    expect(t('signin:submit')).to.equal('Iniciar sesión');

    await setLanguage('en');
    localStorage.removeItem('homeroom.lang');
  });
});
