import { expect } from 'chai';
import en from '../../../locales/en/messages.json';
import vi from '../../../locales/vi/messages.json';
import type { MessageDocument } from '../../../server/contract/sync/messages.ts';
import { setLanguage } from '../../app/i18n.ts';
import { getOutbox } from '../../data/outbox.ts';
import { currentMe } from '../../data/session.ts';
import { expectNoAxeViolations } from '../../test/api.ts';
import { part, useAppAgainstApi, viewOf } from '../../test/app.ts';
import { textOf, waitFor } from '../../test/dom.ts';
import { describe, it } from '../../test/mocha.ts';
import { until, untilServerHolds } from '../../test/sync.ts';
import { expectFitsPhone, serverDocuments, signInAndSync } from '../today/today-test-helpers.ts';
import type { HrMessages } from './hr-messages.ts';
import { useOwnDistrict } from '../../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('hr-messages');

const items = (view: HrMessages) => [...view.shadowRoot!.querySelectorAll<HTMLLIElement>('.inbox > li')];
const itemOf = (view: HrMessages, id: string) => view.shadowRoot!.querySelector<HTMLLIElement>(`.inbox > li[data-id="${id}"]`);

describe('hr-messages', () => {
  useAppAgainstApi();

  it('lists the inbox newest first with unread messages marked; opening one marks it read, and it stays read after sync', async function () {
    this.timeout(40_000);
    const { app, db, layer } = await signInAndSync(demo.guardian, ['messages', 'students']);
    location.hash = '#/messages';
    const view = await viewOf(app, 'hr-messages');
    expect(document.title).to.equal(en.title);
    const inbox = (await db.messages.find({ selector: { folder: 'inbox' } }).exec()).map((doc) => doc.toJSON() as MessageDocument);
    await waitFor(() => items(view).length === inbox.length, 5000);
    const arrived = (m: MessageDocument) => m.sentAt ?? `${m.startsOn}T00:00:00`;
    const shownOrder = items(view).map((li) => arrived(inbox.find((m) => m.id === li.dataset.id)!));
    expect([...shownOrder].sort().reverse()).to.deep.equal(shownOrder);

    const unread = inbox.filter((m) => m.kind === 'message' && m.readAt === null);
    expect(unread.length, 'demo-guardian has unread messages').to.be.greaterThan(0);
    expect(textOf(part(view, '.unread-count'))).to.equal((unread.length === 1 ? en.unreadCount_one : en.unreadCount_other).replace('{{count}}', String(unread.length)));
    const message = unread[0]!;
    const item = itemOf(view, message.id)!;
    expect(item.classList.contains('unread')).to.equal(true);
    expect(textOf(item.querySelector('.visually-hidden'))).to.include(en.unread);

    // Opened by keyboard: the button toggles, the body shows, the message is read at once on the device.
    const toggle = item.querySelector<HTMLButtonElement>('.toggle')!;
    toggle.focus();
    expect(view.shadowRoot!.activeElement).to.equal(toggle);
    toggle.click();
    await waitFor(() => toggle.getAttribute('aria-expanded') === 'true');
    await until(async () => (await db.messages.findOne(message.id).exec())?.readAt !== null, 5000, 'read on the device');
    await waitFor(() => !itemOf(view, message.id)!.classList.contains('unread'), 5000);
    expect(itemOf(view, message.id)!.querySelector('.body')!.textContent).to.equal(message.body.en);
    await expectNoAxeViolations();
    await expectFitsPhone(view);

    // Sent, taken by the server, and still read after a fresh pull.
    await untilServerHolds<MessageDocument>(demo.guardian, 'messages', (messages) => typeof messages.find((m) => m.id === message.id)?.readAt === 'string', 20_000, 'the read mark on the server');
    await until(async () => (await getOutbox(db, 'messages')).pending.length === 0, 10_000, 'the read mark leaves the outbox');
    layer.sync.reSync(['messages']);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await db.messages.findOne(message.id).exec())?.readAt).to.be.a('string');
    expect(itemOf(view, message.id)!.classList.contains('unread')).to.equal(false);
    expect((await getOutbox(db, 'messages')).refused).to.deep.equal([]);

    // Marked unread again, so the next run of this test starts alike.
    part<HTMLButtonElement>(view, `.inbox > li[data-id="${message.id}"] .mark-unread`).click();
    await waitFor(() => itemOf(view, message.id)!.classList.contains('unread'), 5000);
    await untilServerHolds<MessageDocument>(demo.guardian, 'messages', (messages) => messages.find((m) => m.id === message.id)?.readAt === null, 20_000, 'the unread mark on the server');
  });

  it('shows announcements in the reader’s language, with English where no translation exists', async function () {
    this.timeout(30_000);
    const { app, db } = await signInAndSync(demo.guardian, ['messages']);
    location.hash = '#/messages';
    const view = await viewOf(app, 'hr-messages');
    await waitFor(() => items(view).length > 0, 5000);
    await setLanguage('vi');
    await view.updateComplete;
    expect(textOf(part(view, 'h1'))).to.equal(vi.title);
    const announcements = (await db.messages.find({ selector: { kind: 'announcement' } }).exec()).map((doc) => doc.toJSON() as MessageDocument);
    expect(announcements.length).to.be.greaterThan(0);
    for (const announcement of announcements) {
      const subject = itemOf(view, announcement.id)!.querySelector('.subject')!;
      expect(textOf(subject)).to.include(announcement.title.vi ?? announcement.title.en);
      expect(subject.getAttribute('lang')).to.equal(announcement.title.vi ? 'vi' : 'en');
    }
    await expectNoAxeViolations();
    await setLanguage('en');
    await waitFor(() => currentMe()?.account.language === 'en');
  });
});
