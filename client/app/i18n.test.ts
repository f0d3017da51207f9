import { expect } from 'chai';
import { describe, it } from '../test/mocha.ts';
import { currentLanguage, detectLanguage, hasTranslations, initI18n, loadNamespaces, matchLanguage, setLanguage, t } from './i18n.ts';

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

  it('loads the chosen language only, another one when chosen', async () => {
    await initI18n('en');
    expect(t('signin:submit')).to.equal('Sign in');
    expect(hasTranslations('es', 'signin')).to.equal(false);
    expect(hasTranslations('vi', 'common')).to.equal(false);

    await setLanguage('es');
    expect(hasTranslations('es', 'signin')).to.equal(true);
    expect(hasTranslations('es', 'common')).to.equal(true);
    expect(hasTranslations('vi', 'common')).to.equal(false);
    expect(currentLanguage()).to.equal('es');
    expect(document.documentElement.lang).to.equal('es');
    expect(document.documentElement.dir).to.equal('ltr');
    expect(localStorage.getItem('homeroom.lang')).to.equal('es');
    expect(t('signin:submit')).to.equal('Iniciar sesión');
    // A screen opened in Spanish brings its Spanish strings, not the English ones too.
    await loadNamespaces(['today']);
    expect(hasTranslations('es', 'today')).to.equal(true);
    expect(hasTranslations('en', 'today')).to.equal(false);

    await setLanguage('en');
    localStorage.removeItem('homeroom.lang');
  });
});
