import { expect } from 'chai';
import { describe, it } from '../test/mocha.ts';
import { formatDate, formatList, formatMoney, formatNumber } from './format.ts';

describe('format', () => {
  const date = new Date(2026, 10, 24, 12);

  it('writes dates in the reader’s language', () => {
    expect(formatDate(date, 'en')).to.equal('November 24, 2026');
    expect(formatDate(date, 'es')).to.equal('24 de noviembre de 2026');
    expect(formatDate(date, 'vi')).to.match(/24 tháng 11,? 2026/);
    expect(formatDate(date, 'en', { weekday: 'long' })).to.equal('Tuesday');
  });

  it('writes Somali dates even where the browser has no Somali calendar (CLDR names)', () => {
    const afternoon = new Date(2026, 10, 24, 17, 6);
    const morning = new Date(2026, 0, 3, 9, 5);
    const dateTime: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
    expect(formatDate(afternoon, 'so', dateTime)).to.equal('Nof 24, 2026 ee 5:06 GD');
    expect(formatDate(morning, 'so', dateTime)).to.equal('Jan 3, 2026 ee 9:05 GH');
    expect(formatDate(afternoon, 'so')).to.equal('Noofeembar 24, 2026');
    expect(formatDate(afternoon, 'so', { weekday: 'long' })).to.equal('Talaado');
  });

  it('writes numbers with the local separators', () => {
    expect(formatNumber(1234.5, 'en')).to.equal('1,234.5');
    expect(formatNumber(1234.5, 'vi')).to.equal('1.234,5');
    expect(formatNumber(0.875, 'en', { style: 'percent' })).to.equal('88%');
  });

  it('turns minor units into money, whatever the currency’s decimals', () => {
    expect(formatMoney(123456, 'USD', 'en')).to.equal('$1,234.56');
    expect(formatMoney(2500, 'USD', 'es')).to.match(/^25,00\s?US\$$/);
    expect(formatMoney(500, 'JPY', 'en')).to.equal('¥500');
    expect(formatMoney(-1999, 'USD', 'en')).to.equal('-$19.99');
  });

  it('joins lists as the language does', () => {
    expect(formatList(['MMR', 'Polio', 'DTaP'], 'en')).to.equal('MMR, Polio, and DTaP');
    expect(formatList(['MMR', 'Polio'], 'es')).to.equal('MMR y Polio');
    expect(formatList(['Grade 9', 'Grade 10'], 'en', { style: 'short', type: 'unit' })).to.equal('Grade 9, Grade 10');
  });

  it('keeps each language and option apart when it reuses formatters', () => {
    // Formatters are made once per language and options: asking in turn must not mix them up.
    for (let round = 0; round < 2; round += 1) {
      expect(formatDate(date, 'en')).to.equal('November 24, 2026');
      expect(formatDate(date, 'en', { month: 'short', day: 'numeric' })).to.equal('Nov 24');
      expect(formatDate(date, 'es')).to.equal('24 de noviembre de 2026');
      expect(formatDate(date, 'so')).to.equal('Noofeembar 24, 2026');
      expect(formatNumber(0.5, 'en', { style: 'percent' })).to.equal('50%');
      expect(formatNumber(0.5, 'en')).to.equal('0.5');
      expect(formatMoney(2500, 'USD', 'en')).to.equal('$25.00');
      expect(formatMoney(2500, 'JPY', 'en')).to.equal('¥2,500');
    }
  });
});
