/**
 * The header on every signed-in screen: who is signed in (and, for a family, which child the
 * tabs show), and Sign out one tap away, on a 320-pixel phone in all four languages.
 */
import { setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import en from '../../locales/en/shell.json';
import es from '../../locales/es/shell.json';
import so from '../../locales/so/shell.json';
import vi from '../../locales/vi/shell.json';
import { selectStudent } from '../data/selected-student.ts';
import { currentMe, isSignedIn } from '../data/session.ts';
import { demoPassword, expectNoAxeViolations } from '../test/api.ts';
import { mountApp, signInThroughApp, useAppAgainstApi, viewOf } from '../test/app.ts';
import { useOwnDistrict } from '../test/district.ts';
import { textOf, waitFor } from '../test/dom.ts';
import { describe, it } from '../test/mocha.ts';
import type { HrApp } from './hr-app.ts';
import { setLanguage, type Language } from './i18n.ts';

const demo = useOwnDistrict('hr-app-session');
const shell: Record<Language, { session: typeof en.session }> = { en, es, so, vi };

const sessionBar = (app: HrApp) => app.shadowRoot!.querySelector<HTMLElement>('header .session');

describe('who is signed in, and Sign out', () => {
  useAppAgainstApi(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  it('names the parent and the child her tabs show, with Sign out within reach on a 320-pixel phone, in every language', async function () {
    this.timeout(60_000);
    const app = await mountApp('#/sign-in');
    expect(sessionBar(app), 'nobody signed in yet').to.equal(null);
    await signInThroughApp(app, demo.guardian, demoPassword);
    await viewOf(app, 'hr-today', 15_000);
    const me = currentMe()!;
    const [, second] = me.students;
    selectStudent(second!.id);
    await setViewport({ width: 320, height: 640 });
    for (const language of ['es', 'so', 'vi', 'en'] as const) {
      await setLanguage(language);
      await app.updateComplete;
      const bar = await waitFor(() => sessionBar(app));
      expect(textOf(bar.querySelector('.who'))).to.include(shell[language].session.signedIn);
      expect(textOf(bar.querySelector('.name'))).to.equal(`${me.person.preferredName || me.person.firstName} ${me.person.lastName}`);
      expect(textOf(bar.querySelector('.child'))).to.equal(`${second!.firstName} ${second!.lastName}`);
      const signOut = bar.querySelector<HTMLButtonElement>('button.sign-out')!;
      expect(textOf(signOut)).to.equal(shell[language].session.signOut);
      const box = signOut.getBoundingClientRect();
      expect(box.right, `${language}: Sign out inside the screen`).to.be.at.most(320);
      expect(box.height, `${language}: a 44-pixel target`).to.be.at.least(44);
      expect(document.documentElement.scrollWidth, `${language}: no sideways scrolling`).to.be.at.most(320);
      await expectNoAxeViolations();
    }

    // One tap: signed out, on the sign-in screen, nothing of hers in the header.
    sessionBar(app)!.querySelector<HTMLButtonElement>('button.sign-out')!.click();
    await viewOf(app, 'hr-sign-in', 10_000);
    expect(isSignedIn()).to.equal(false);
    await waitFor(() => sessionBar(app) === null);
  });

  it('names staff on their workspace too', async function () {
    this.timeout(60_000);
    const app = await mountApp('#/sign-in');
    await signInThroughApp(app, demo.teacher, demoPassword);
    await viewOf(app, 'hr-teacher', 15_000);
    const bar = await waitFor(() => sessionBar(app));
    const me = currentMe()!;
    expect(textOf(bar.querySelector('.name'))).to.equal(`${me.person.preferredName || me.person.firstName} ${me.person.lastName}`);
    expect(bar.querySelector('.child'), 'no child for staff').to.equal(null);
    await expectNoAxeViolations();
  });
});
