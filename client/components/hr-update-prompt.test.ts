import { expect } from 'chai';
import es from '../../locales/es/common.json';
import { initI18n } from '../app/i18n.ts';
import { mount, textOf, unmountAll } from '../test/dom.ts';
import { afterEach, before, describe, it } from '../test/mocha.ts';
import './hr-update-prompt.ts';

describe('hr-update-prompt', () => {
  before(() => initI18n('es'));
  afterEach(unmountAll);

  it('offers a translated reload and reports the choice', async () => {
    const prompt = await mount('hr-update-prompt');
    const root = prompt.shadowRoot!;
    expect(textOf(root.querySelector('[role="status"] p'))).to.equal(es.update.ready);

    const [later, reload] = [...root.querySelectorAll('button')];
    expect(textOf(reload)).to.equal(es.update.reload);
    expect(textOf(later)).to.equal(es.update.later);

    let accepted = 0;
    prompt.addEventListener('hr-update-accept', () => accepted++);
    reload!.click();
    expect(accepted).to.equal(1);

    later!.click();
    expect(prompt.isConnected).to.equal(false);
  });
});
