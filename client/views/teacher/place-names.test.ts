import { expect } from 'chai';
import { initI18n, loadNamespaces, setLanguage } from '../../app/i18n.ts';
import { after, before, describe, it } from '../../test/mocha.ts';
import { periodLabel, roomLabel } from './place-names.ts';

describe('period and room names', () => {
  before(async () => {
    await initI18n('en');
    await loadNamespaces(['teacher']);
  });
  after(() => setLanguage('en'));

  it('shows a district name that is already words as it is (no "Period Period 1", no "Room Room 100")', () => {
    expect(periodLabel('Period 1')).to.equal('Period 1');
    expect(periodLabel('Block 2')).to.equal('Block 2');
    expect(roomLabel('Room 100')).to.equal('Room 100');
    expect(roomLabel('Gym')).to.equal('Gym');
  });

  it('gives a bare number or code the reader’s word, in each language', async () => {
    const expected = { en: ['Period 3', 'Room 104B'], es: ['Período 3', 'Aula 104B'], so: ['Xiisadda 3', 'Qolka 104B'], vi: ['Tiết 3', 'Phòng 104B'] } as const;
    for (const [language, [period, room]] of Object.entries(expected)) {
      await setLanguage(language as keyof typeof expected);
      await loadNamespaces(['teacher']);
      expect(periodLabel('3'), language).to.equal(period);
      expect(roomLabel(' 104B '), language).to.equal(room);
    }
  });
});
