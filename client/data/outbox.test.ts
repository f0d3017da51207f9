import { expect } from 'chai';
import { SYNC_REFUSALS } from '../../server/contract/sync/refusals.ts';
import en from '../../locales/en/sync.json';
import es from '../../locales/es/sync.json';
import so from '../../locales/so/sync.json';
import vi from '../../locales/vi/sync.json';
import { describe, it } from '../test/mocha.ts';
import { createDatabase, createStorage } from './database.ts';
import { dismissRefusal, getOutbox, markPending, markRefused, markRejected, markSent, markSettled, MAX_REFUSED, refusalKey } from './outbox.ts';

describe('outbox', () => {
  it('has every refusal code of the server translated in every language', () => {
    for (const [language, messages] of Object.entries({ en, es, so, vi })) {
      const refused = messages.refused as Record<string, string>;
      for (const code of SYNC_REFUSALS) expect(refused[code], `${language}: refused.${code}`).to.be.a('string').and.not.equal('');
      expect(Object.keys(refused).sort(), language).to.deep.equal([...SYNC_REFUSALS].sort());
    }
    expect(refusalKey('not_allowed')).to.equal('sync:refused.not_allowed');
    expect(refusalKey('a_code_from_a_newer_server')).to.equal('sync:status.refusedOther');
  });

  it('keeps pending and refused writes per collection, newest refusal first, bounded', async () => {
    const db = await createDatabase(await createStorage('memory'), { name: `homeroom-outbox-${Date.now()}`, multiInstance: false });
    try {
      expect(await getOutbox(db, 'attendance')).to.deep.equal({ pending: [], refused: [], rejectedStatus: null });
      await markPending(db, 'attendance', ['a', 'b']);
      await markPending(db, 'attendance', ['b', 'c']);
      expect((await getOutbox(db, 'attendance')).pending).to.deep.equal(['a', 'b', 'c']);
      await markRefused(db, 'attendance', [{ id: 'b', code: 'not_allowed', at: 1, document: { id: 'b' } }]);
      await markSent(db, 'attendance', ['a']);
      expect(await getOutbox(db, 'attendance')).to.deep.equal({ pending: ['c'], refused: [{ id: 'b', code: 'not_allowed', at: 1, document: { id: 'b' } }], rejectedStatus: null });
      // Taken later (written again, then accepted): the old refusal no longer stands.
      await markSent(db, 'attendance', ['b']);
      expect((await getOutbox(db, 'attendance')).refused).to.deep.equal([]);

      // The idle check settles a waiting list read before a refusal arrived: the refusal stays to be read
      // (a clean-clone run lost a guardian's refusal this way when the check used markSent).
      await markPending(db, 'attendance', ['d']);
      const stale = (await getOutbox(db, 'attendance')).pending;
      await markRefused(db, 'attendance', [{ id: 'd', code: 'not_allowed', at: 2, document: { id: 'd' } }]);
      await markSettled(db, 'attendance', stale);
      expect(await getOutbox(db, 'attendance')).to.deep.include({ pending: [], refused: [{ id: 'd', code: 'not_allowed', at: 2, document: { id: 'd' } }] });
      await dismissRefusal(db, 'attendance', 'd');

      const many = Array.from({ length: MAX_REFUSED + 5 }, (_, index) => ({ id: `r${index}`, code: 'invalid', at: index, document: {} }));
      for (const refusal of many) await markRefused(db, 'attendance', [refusal]);
      const { refused } = await getOutbox(db, 'attendance');
      expect(refused).to.have.length(MAX_REFUSED);
      expect(refused[0]!.id).to.equal(`r${MAX_REFUSED + 4}`);
      await dismissRefusal(db, 'attendance', refused[0]!.id);
      expect((await getOutbox(db, 'attendance')).refused).to.have.length(MAX_REFUSED - 1);
      expect((await getOutbox(db, 'students')).pending).to.deep.equal([]);
      await markRejected(db, 'attendance', 400);
      expect((await getOutbox(db, 'attendance')).rejectedStatus).to.equal(400);
      await markRejected(db, 'attendance', null);
      expect((await getOutbox(db, 'attendance')).rejectedStatus).to.equal(null);
    } finally {
      await db.remove();
    }
  });

  it('holds a write as waiting from the moment it is stored, before any push has started', async () => {
    // The office's excuse, a teacher's mark, a family's note: no screen may read one as at the
    // school while nothing has been sent (the office's day showed an excuse as saved, and the
    // server did not have it yet).
    const db = await createDatabase(await createStorage('memory'), { name: `homeroom-outbox-waiting-${Date.now()}`, multiInstance: false, only: ['attendance'] });
    try {
      const id = crypto.randomUUID();
      const mark = await db.attendance.insert({
        id, studentId: crypto.randomUUID(), schoolId: crypto.randomUUID(), date: '2026-11-24', sectionId: null, periodId: null,
        status: 'absent', excuse: 'unknown', reasonCode: null, minutes: null, comment: '', syncError: null,
      });
      expect((await getOutbox(db, 'attendance')).pending, 'after the insert').to.deep.equal([id]);
      await markSent(db, 'attendance', [id]);
      await mark.incrementalPatch({ excuse: 'excused', reasonCode: 'MED' });
      expect((await getOutbox(db, 'attendance')).pending, 'after an edit').to.deep.equal([id]);
      await markSent(db, 'attendance', [id]);
      await (await db.attendance.findOne(id).exec())!.remove();
      expect((await getOutbox(db, 'attendance')).pending, 'after a removal').to.deep.equal([id]);
    } finally {
      await db.remove();
    }
  });
});
