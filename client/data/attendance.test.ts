/**
 * Attendance from the device to the server and back, against the real API
 * (client/test/api-server.mjs): the app's own data layer on IndexedDB in Chromium, pushing
 * through authorizedFetch; the network dropped and pushes turned down by the test server.
 */
import { expect } from 'chai';
import { filter, firstValueFrom, timeout } from 'rxjs';
import en from '../../locales/en/sync.json';
import { t } from '../app/i18n.ts';
import { homeroomIndexedDbs, pretendOutdated } from '../test/api.ts';
import { describe, it } from '../test/mocha.ts';
import { answerPushesWith, pause, pushesOf, pushesReceived, serverMark, serverToday, setNetwork, setServerComment, signInWithData, teacherRoster, until, untilServerMark, useDataLayerAgainstApi } from '../test/sync.ts';
import { recordAttendance } from './attendance.ts';
import { collectionNames, collections, type HomeroomDatabase } from './database.ts';
import { currentDataLayer } from './local-data.ts';
import { dismissRefusal, getOutbox, observeOutbox, refusalKey, refusalOf } from './outbox.ts';
import { signOut } from './session.ts';
import { getSyncState, observeSyncSummary } from './sync-state.ts';
import { useOwnDistrict } from '../test/district.ts';

/** This file's own demo district (client/test/district.ts), on a school day: its tests need classes today. */
const demo = useOwnDistrict('attendance', { day: 'school-day' });

async function pending(db: HomeroomDatabase): Promise<string[]> {
  return (await getOutbox(db, 'attendance')).pending;
}

/** Waits until every collection has pulled once, so the writes below meet a synced device. */
async function firstSync(db: HomeroomDatabase): Promise<void> {
  await until(async () => (await Promise.all(collectionNames.map((name) => getSyncState(db, name)))).every((state) => state.lastSyncedAt !== null), 10_000, 'every collection synced');
}

describe('attendance sync from the device', () => {
  useDataLayerAgainstApi(async () => {
    await setNetwork(true);
    await answerPushesWith(null);
    await pretendOutdated([]);
  });

  it('brings demo-teacher’s sections, and the marks of those sections only, on first sync', async function () {
    this.timeout(20_000);
    const { layer } = await signInWithData(demo.teacher);
    await firstSync(layer.db);
    const sections = await layer.db.sections.find().exec();
    const marks = await layer.db.attendance.find().exec();
    expect(sections.length).to.be.greaterThan(0);
    expect(marks.length).to.be.greaterThan(0);
    const taught = new Set(sections.map((section) => section.id));
    expect(marks.filter((mark) => mark.sectionId === null || !taught.has(mark.sectionId)).map((mark) => mark.id)).to.deep.equal([]);
    expect(sections.every((section) => section.teachers.length > 0)).to.equal(true);
    const summary = await firstValueFrom(observeSyncSummary(layer.db));
    expect(summary).to.include({ updateRequired: false, pushRejected: false, pending: 0, refused: 0 });
    expect(summary.lastSyncedAt).to.be.a('number');
  });

  it('shows a mark written offline as waiting, sends it when the network is back, and the server takes it', async function () {
    this.timeout(20_000);
    const { layer } = await signInWithData(demo.teacher);
    await firstSync(layer.db);
    const today = serverToday();
    const roster = await teacherRoster(demo.teacher, today);
    const sent = await pushesReceived('attendance');

    await setNetwork(false);
    const mark = await recordAttendance(layer.db, { ...roster, date: today, status: 'tardy', minutes: 7, comment: 'The bus was late.' });
    await until(async () => (await pending(layer.db)).includes(mark.id), 5000, 'the mark waits to be sent');
    expect((await firstValueFrom(observeSyncSummary(layer.db))).pending).to.equal(1);
    await pause(300);
    expect(await serverMark(mark.id)).to.equal(null);
    expect(await pending(layer.db)).to.deep.equal([mark.id]);
    expect(await pushesReceived('attendance')).to.equal(sent); // none got through

    await setNetwork(true);
    await until(async () => (await pending(layer.db)).length === 0, 10_000, 'the mark is sent after reconnecting');
    expect(await serverMark(mark.id)).to.deep.include({ status: 'tardy', minutes: 7, comment: 'The bus was late.', deleted: false, recorded: true });
    const stored = await layer.db.attendance.findOne(mark.id).exec();
    expect(stored?.toJSON()).to.include({ status: 'tardy', syncError: null });
    expect((await getOutbox(layer.db, 'attendance')).refused).to.deep.equal([]);
  });

  it('ends a guardian’s refused mark with the server’s answer and the reason in her language, sent once', async () => {
    const { layer } = await signInWithData(demo.guardian);
    await until(async () => (await layer.db.students.count().exec()) === 3, 5000, 'the children arrive');
    await until(async () => (await getSyncState(layer.db, 'attendance')).lastSyncedAt !== null);
    const [child] = await layer.db.students.find({ sort: [{ gradeLevel: 'asc' }] }).exec();

    const mark = await recordAttendance(layer.db, { studentId: child!.id, schoolId: child!.schoolId!, sectionId: null, date: serverToday(), status: 'absent', comment: 'A fever since last night.' });
    await until(async () => refusalOf(await getOutbox(layer.db, 'attendance'), mark.id) !== undefined, 5000, 'the refusal arrives');
    const refusal = refusalOf(await getOutbox(layer.db, 'attendance'), mark.id)!;
    expect(refusal.code).to.equal('not_allowed');
    expect(t(refusalKey(refusal.code))).to.equal(en.refused.not_allowed);
    expect(t('sync:status.refused', { reason: t(refusalKey(refusal.code)) })).to.equal(`Not saved: ${en.refused.not_allowed}`);
    // The server has no such mark: the device keeps none either, and no longer waits to send it.
    expect(refusal.document).to.include({ id: mark.id, _deleted: true, syncError: 'not_allowed' });
    // RxDB applies the server's answer to its copy just after the refusal is recorded: wait for it.
    await until(async () => (await layer.db.attendance.findOne(mark.id).exec()) === null, 5000, 'the refused mark leaves the device');
    expect(await pending(layer.db)).to.deep.equal([]);
    expect(await serverMark(mark.id)).to.equal(null);

    // Sent once, and not again: not on a resync, not later.
    expect(await pushesOf(mark.id)).to.equal(1);
    layer.sync.reSync();
    await pause(600);
    expect(await pushesOf(mark.id)).to.equal(1);
    expect((await firstValueFrom(observeSyncSummary(layer.db))).refused).to.equal(1);

    await dismissRefusal(layer.db, 'attendance', mark.id);
    expect((await getOutbox(layer.db, 'attendance')).refused).to.deep.equal([]);
  });

  it('puts a mark back to the server’s state with the reason when a teacher’s excuse decision is refused', async function () {
    this.timeout(20_000);
    const { layer } = await signInWithData(demo.teacher);
    await firstSync(layer.db);
    // Her own absence of today, in a class she teaches today: one she may write, whose excuse is the office's to decide.
    const today = serverToday();
    const roster = await teacherRoster(demo.teacher, today);
    const recorded = await recordAttendance(layer.db, { ...roster, date: today, status: 'absent', comment: '' });
    await untilServerMark(recorded.id, (mark) => mark.status === 'absent' && mark.excuse === 'unknown', 10_000);
    await until(async () => (await pending(layer.db)).length === 0, 10_000, 'the absence is no longer waiting');
    const absence = await layer.db.attendance.findOne(recorded.id).exec();
    expect(absence?.toJSON()).to.include({ status: 'absent', excuse: 'unknown', syncError: null });
    const sent = await pushesReceived('attendance');

    await recordAttendance(layer.db, { ...absence!.toJSON(), excuse: 'excused' });
    await until(async () => refusalOf(await getOutbox(layer.db, 'attendance'), absence!.id) !== undefined, 5000, 'the refusal arrives');
    const stored = await layer.db.attendance.findOne(absence!.id).exec();
    expect(stored?.toJSON()).to.include({ excuse: 'unknown', status: 'absent', syncError: 'excuse_needs_office' });
    expect(t(refusalKey(stored!.syncError!))).to.equal(en.refused.excuse_needs_office);
    expect(await serverMark(absence!.id)).to.include({ excuse: 'unknown' });
    expect(await pending(layer.db)).to.deep.equal([]);

    layer.sync.reSync();
    await pause(600);
    expect((await pushesReceived('attendance')) - sent).to.equal(1);
  });

  it('keeps both the teacher’s offline change and the office’s change made meanwhile', async function () {
    this.timeout(20_000);
    const { layer } = await signInWithData(demo.teacher);
    await firstSync(layer.db);
    const today = serverToday();
    const roster = await teacherRoster(demo.teacher, today);
    const mark = await recordAttendance(layer.db, { ...roster, date: today, status: 'absent' });
    await until(async () => (await serverMark(mark.id)) !== null && (await pending(layer.db)).length === 0, 5000, 'the first version is taken');

    await setNetwork(false);
    await recordAttendance(layer.db, { ...roster, date: today, status: 'present' });
    await until(async () => (await pending(layer.db)).includes(mark.id), 5000, 'the change waits');
    await setServerComment(mark.id, 'Mother called: the doctor’s at nine.');
    await setNetwork(true);

    await until(async () => (await serverMark(mark.id))?.status === 'present', 10_000, 'the teacher’s change reaches the server');
    expect(await serverMark(mark.id)).to.include({ status: 'present', comment: 'Mother called: the doctor’s at nine.' });
    await until(async () => (await pending(layer.db)).length === 0, 5000, 'nothing waits');
    await until(async () => (await layer.db.attendance.findOne(mark.id).exec())?.comment === 'Mother called: the doctor’s at nine.', 5000, 'the office’s comment arrives');
    expect((await layer.db.attendance.findOne(mark.id).exec())?.toJSON()).to.include({ status: 'present', syncError: null });
    expect((await getOutbox(layer.db, 'attendance')).refused).to.deep.equal([]);
  });

  it('no longer shows a mark as waiting once the teacher puts back what the server has', async function () {
    this.timeout(20_000);
    const { layer } = await signInWithData(demo.teacher);
    await firstSync(layer.db);
    const mark = await layer.db.attendance.findOne({ selector: { status: 'present', date: { $lte: serverToday() } } }).exec();
    expect(mark, 'a pulled mark').to.not.equal(null);

    // Changed and changed back offline: RxDB may still send the first state, then the second.
    await setNetwork(false);
    await recordAttendance(layer.db, { ...mark!.toJSON(), status: 'absent' });
    await until(async () => (await pending(layer.db)).includes(mark!.id), 5000, 'the change waits');
    await recordAttendance(layer.db, { ...mark!.toJSON(), status: 'present' });
    await setNetwork(true);
    await until(async () => (await pending(layer.db)).length === 0, 10_000, 'nothing waits');
    expect(await serverMark(mark!.id)).to.include({ status: 'present' });

    // Counted per document, once RxDB has finished sending the states it queued while offline
    // (the first and the second may each still go out after nothing waits): quiet for a second.
    let before = await pushesOf(mark!.id);
    for (let quiet = 0; quiet < 4; ) {
      await pause(300);
      const now = await pushesOf(mark!.id);
      quiet = now === before ? quiet + 1 : 0;
      before = now;
    }
    // Saved again as it is: nothing to send, so nothing waits (and nothing is sent).
    let waited = false;
    const settled = firstValueFrom(
      observeOutbox(layer.db, 'attendance').pipe(
        filter((outbox) => {
          if (outbox.pending.includes(mark!.id)) waited = true;
          return waited && outbox.pending.length === 0;
        }),
        timeout(5000),
      ),
    );
    await recordAttendance(layer.db, { ...mark!.toJSON(), status: 'present' });
    await settled;
    expect(await pushesOf(mark!.id)).to.equal(before);
  });

  it('marks a push the server turns down as a whole as refused, once, and says so', async function () {
    this.timeout(20_000);
    const { layer } = await signInWithData(demo.teacher);
    await firstSync(layer.db);
    const today = serverToday();
    const roster = await teacherRoster(demo.teacher, today);
    await answerPushesWith(400);
    const sent = await pushesReceived('attendance');

    const mark = await recordAttendance(layer.db, { ...roster, date: today, status: 'absent' });
    await until(async () => refusalOf(await getOutbox(layer.db, 'attendance'), mark.id)?.code === 'invalid', 5000, 'the batch is refused');
    expect((await getOutbox(layer.db, 'attendance')).rejectedStatus).to.equal(400);
    expect((await firstValueFrom(observeSyncSummary(layer.db))).pushRejected).to.equal(true);
    // The device keeps what the teacher wrote, marked with the refusal, and does not loop.
    expect((await layer.db.attendance.findOne(mark.id).exec())?.toJSON()).to.include({ status: 'absent', syncError: 'invalid' });
    layer.sync.reSync();
    await pause(1500);
    expect((await pushesReceived('attendance')) - sent).to.equal(1);
    expect(await serverMark(mark.id)).to.equal(null);

    // A server error is different: sent again until the server takes it.
    await answerPushesWith(503);
    const retried = await recordAttendance(layer.db, { ...roster, date: today, status: 'tardy', minutes: 4 });
    await until(async () => (await pushesReceived('attendance')) - sent >= 3, 8000, 'a 503 is retried');
    expect(await pending(layer.db)).to.include(retried.id);
    await answerPushesWith(null);
    await until(async () => (await serverMark(retried.id))?.status === 'tardy', 10_000, 'taken once the server is back');
    await until(async () => (await getOutbox(layer.db, 'attendance')).rejectedStatus === null);
  });

  it('stops sending and says an update is required when the server answers a push with 426', async () => {
    const { layer } = await signInWithData(demo.teacher);
    await until(async () => (await getSyncState(layer.db, 'attendance')).lastSyncedAt !== null);
    const roster = await teacherRoster(demo.teacher, serverToday());
    await pretendOutdated(['attendance/push']);
    const sent = await pushesReceived('attendance');

    const mark = await recordAttendance(layer.db, { ...roster, date: serverToday(), status: 'absent' });
    await until(async () => (await getSyncState(layer.db, 'attendance')).updateRequired, 5000, 'update required is recorded');
    await until(() => layer.sync.replications.get('attendance')!.isStopped(), 5000, 'the replication stops');
    await pause(300);
    expect((await pushesReceived('attendance')) - sent).to.equal(1);
    // The mark is kept, waiting for the updated app to send it; so is one written after the stop.
    expect(await pending(layer.db)).to.deep.equal([mark.id]);
    expect(await serverMark(mark.id)).to.equal(null);
    const later = await recordAttendance(layer.db, { ...roster, date: '2026-01-05', status: 'present' });
    await until(async () => (await pending(layer.db)).includes(later.id), 5000, 'a later mark waits too');
    expect((await pushesReceived('attendance')) - sent).to.equal(1);
  });

  it('signing out, even offline with a mark still waiting, deletes every collection and the outbox', async function () {
    this.timeout(20_000);
    const { layer } = await signInWithData(demo.teacher);
    await firstSync(layer.db);
    const stored = await homeroomIndexedDbs();
    // Dexie names each collection's store by its schema version.
    for (const name of collectionNames) expect(stored).to.include(`rxdb-dexie-${layer.db.name}--${collections[name].schema.version}--${name}`);
    const roster = await teacherRoster(demo.teacher, serverToday());
    await setNetwork(false);
    const mark = await recordAttendance(layer.db, { ...roster, date: serverToday(), status: 'absent', comment: 'Not seen since the morning.' });
    await until(async () => (await pending(layer.db)).includes(mark.id));

    await signOut();
    expect(await homeroomIndexedDbs()).to.deep.equal([]);
    expect(layer.db.closed).to.equal(true);
    expect(await currentDataLayer()).to.equal(undefined);
    await setNetwork(true);
    expect(await serverMark(mark.id)).to.equal(null);
  });
});
