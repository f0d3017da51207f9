import { setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import en from '../../../locales/en/admin.json';
import type { DistrictWords } from '../../../server/contract/district-words.ts';
import { translateDemoName } from '../../../server/seed/district-words.ts';
import { setLanguage } from '../../app/i18n.ts';
import { districtWord } from '../../data/district-words.ts';
import { authorizedFetch, currentMe } from '../../data/session.ts';
import { expectNoAxeViolations } from '../../test/api.ts';
import { expectFitsPhone, part, signInAndOpen, useAppAgainstApi } from '../../test/app.ts';
import { textOf, waitFor, waitForAsync } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import { useOwnDistrict } from '../../test/district.ts';
import type { HrDistrictWords } from './hr-district-words.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-district-words');

const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
const shownNames = (view: HrDistrictWords) => [...view.shadowRoot!.querySelectorAll('.name h2')].map((heading) => textOf(heading));

async function wordsFor(lang: string): Promise<DistrictWords['words']> {
  return ((await (await authorizedFetch(`/api/district/words?lang=${lang}`)).json()) as DistrictWords).words;
}

describe('hr-district-words', () => {
  useAppAgainstApi();

  it('lets district staff find a name and change its Somali translation, which families read at once', async function () {
    this.timeout(60_000);
    const view = await signInAndOpen(demo.admin, '#/district-words', 'hr-district-words');
    await waitFor(() => shownNames(view).length > 0, 15_000);
    // The demo district has every name in all three languages.
    const missingOnly = part<HTMLInputElement>(view, 'input.missing-only');
    missingOnly.click();
    await waitFor(() => textOf(view.shadowRoot!.querySelector('.none')) === en.words.none).catch(() => {
      throw new Error(`names missing a translation: ${shownNames(view).join(', ')}`);
    });
    missingOnly.click();

    const search = part<HTMLInputElement>(view, '#search');
    search.value = 'biolog';
    search.dispatchEvent(new Event('input'));
    await waitFor(() => shownNames(view).length === 1);
    expect(shownNames(view)).to.deep.equal(['Biology']);
    expect(textOf(part(view, '.kinds'))).to.equal(en.words.kinds.course);
    const somali = part<HTMLInputElement>(view, 'input[name="so"]');
    expect(somali.value).to.equal(translateDemoName('Biology')!.so);
    expect(somali.getAttribute('lang')).to.equal('so');
    await expectNoAxeViolations();

    somali.value = 'Cilmiga Noolaha';
    const save = part<HTMLButtonElement>(view, 'button.save');
    expect(save.getAttribute('aria-label')).to.equal(fill(en.words.saveFor, { name: 'Biology' }));
    save.click();
    await waitFor(() => textOf(view.shadowRoot!.querySelector('.words-status .good')) === fill(en.words.saved, { name: 'Biology' }), 15_000);
    expect((await wordsFor('so')).Biology).to.equal('Cilmiga Noolaha');

    // Emptying a language removes it: the name shows as written in that language again.
    part<HTMLInputElement>(view, 'input[name="so"]').value = '';
    part<HTMLButtonElement>(view, 'button.save').click();
    await waitForAsync(async () => (await wordsFor('so')).Biology === undefined, 15_000);
    await waitFor(() => textOf(view.shadowRoot!.querySelector('.missing')).includes('Soomaali'));
    part<HTMLInputElement>(view, 'input[name="so"]').value = translateDemoName('Biology')!.so;
    part<HTMLButtonElement>(view, 'button.save').click();
    await waitForAsync(async () => (await wordsFor('so')).Biology === translateDemoName('Biology')!.so, 15_000);

    await setViewport({ width: 320, height: 640 });
    try {
      await expectFitsPhone(view);
    } finally {
      await setViewport({ width: 1280, height: 800 });
    }
  });

  it('tells a principal, whose announcements right is her school’s, that she cannot translate district names', async function () {
    this.timeout(60_000);
    const view = await signInAndOpen(demo.principal, '#/district-words', 'hr-district-words');
    await waitFor(() => textOf(view.shadowRoot!.querySelector('.problem')) === en.words.forbidden, 15_000);
    expect(view.shadowRoot!.querySelector('input')).to.equal(null);
    await expectNoAxeViolations();
  });

  it('shows a family the names in its language, and keeps them for an offline start', async function () {
    this.timeout(60_000);
    const schedule = await signInAndOpen(demo.guardian, '#/schedule', 'hr-schedule');
    /** The course names in the schedule's rows, without their codes. */
    const courseCells = () => [...schedule.shadowRoot!.querySelectorAll('tbody .course')].map((cell) => textOf(cell).replace(textOf(cell.querySelector('.course-code')), '').trim());
    const english = await waitFor(() => courseCells().length > 0 && courseCells(), 15_000);
    expect(districtWord('Quarter 2')).to.equal('Quarter 2');
    await setLanguage('vi');
    try {
      await waitFor(() => districtWord('Quarter 2') === translateDemoName('Quarter 2')!.vi, 15_000);
      // The screen already open shows them once they arrive.
      await waitFor(() => courseCells().join('|') === english.map((name) => translateDemoName(name)!.vi).join('|'), 15_000);
      // Periods of the day too ("Block 1" → "Khối giờ 1").
      const periods = [...schedule.shadowRoot!.querySelectorAll('tbody th.period')].map((cell) => textOf(cell));
      expect(periods.length).to.be.greaterThan(0);
      for (const period of periods) expect(period).to.match(/^(Khối giờ|Tiết) \d+$/);
      expect(districtWord('Chromebook protection plan')).to.equal(translateDemoName('Chromebook protection plan')!.vi);
      expect(districtWord('A name nobody translated')).to.equal('A name nobody translated');
      // On her own device the list is kept with the district it belongs to.
      const kept = JSON.parse(localStorage.getItem('homeroom.districtWords') ?? 'null') as { districtId: string; lang: string } | null;
      expect(kept && { districtId: kept.districtId, lang: kept.lang }).to.deep.equal({ districtId: currentMe()!.districtId, lang: 'vi' });
    } finally {
      await setLanguage('en');
      await waitFor(() => currentMe()?.account.language === 'en');
    }
    expect(districtWord('Quarter 2')).to.equal('Quarter 2');
  });
});
