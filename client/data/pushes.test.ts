/**
 * The other collections the device writes (scores, messages, profile), pushed by the app's
 * data layer to the real API (client/test/api-server.mjs). What the server took is checked
 * by a second, fresh device of the same account pulling it back.
 */
import { expect } from 'chai';
import { filter, firstValueFrom, timeout } from 'rxjs';
import en from '../../locales/en/sync.json';
import { t } from '../app/i18n.ts';
import { describe, it } from '../test/mocha.ts';
import { signInWithData, until, useDataLayerAgainstApi } from '../test/sync.ts';
import { createDatabase, createStorage, type CollectionName, type HomeroomDatabase } from './database.ts';
import { markMessageRead } from './messages.ts';
import { submitAbsenceNote } from './portal-queries.ts';
import { getOutbox, observeOutbox, refusalKey, refusalOf } from './outbox.ts';
import { startSync } from './replication.ts';
import { authorizedFetch } from './session.ts';
import { getSyncState } from './sync-state.ts';
import { useOwnDistrict } from '../test/district.ts';

/** This file's own demo district (client/test/district.ts), on a school day: its tests need classes today. */
const demo = useOwnDistrict('pushes', { day: 'school-day' });

async function synced(db: HomeroomDatabase, collection: CollectionName): Promise<void> {
  await until(async () => (await getSyncState(db, collection)).lastSyncedAt !== null, 10_000, `${collection} syncs`);
}

/**
 * Runs `write`, and resolves once document `id` has waited to be sent and then no longer
 * waits: watched on the outbox's every version, as the screens see it, not by polling.
 */
async function writeAndSend(db: HomeroomDatabase, collection: CollectionName, id: string, write: () => Promise<unknown>): Promise<void> {
  let waited = false;
  const sent = firstValueFrom(
    observeOutbox(db, collection).pipe(
      filter((outbox) => {
        if (outbox.pending.includes(id)) waited = true;
        return waited && !outbox.pending.includes(id);
      }),
      timeout(8000),
    ),
  );
  await write();
  const outbox = await sent;
  expect(refusalOf(outbox, id), `${collection} ${id} refused`).to.equal(undefined);
}

/**
 * What a new device of the signed-in account pulls of `collection`: a second database in this
 * tab, of that collection only (a tab opens at most 13 collections, the account's 11 included).
 */
async function onAnotherDevice<T>(collection: CollectionName, read: (db: HomeroomDatabase) => Promise<T>): Promise<T> {
  const db = await createDatabase(await createStorage('memory'), { name: `homeroom-other-${Date.now()}`, multiInstance: false, only: [collection] });
  const engine = startSync(db, { fetcher: authorizedFetch, stream: false });
  try {
    await synced(db, collection);
    return await read(db);
  } finally {
    await engine.cancel();
    await db.remove();
  }
}

describe('pushing scores, messages and profiles', () => {
  useDataLayerAgainstApi();

  it('sends a teacher’s score change, which a fresh device of hers then pulls', async function () {
    this.timeout(30_000);
    const { layer } = await signInWithData(demo.teacher);
    const { db } = layer;
    for (const name of ['assignments', 'scores', 'grades'] as const) await synced(db, name);
    // A score whose term grade is still in progress (posted grades change through the office).
    const open = new Set((await db.grades.find({ selector: { kind: 'term', status: 'in_progress' } }).exec()).map((grade) => `${grade.sectionId}|${grade.studentId}|${grade.gradingPeriodId}`));
    const assignments = new Map((await db.assignments.find().exec()).map((assignment) => [assignment.id, assignment]));
    const score = (await db.scores.find().exec()).find((candidate) => {
      const assignment = assignments.get(candidate.assignmentId);
      return assignment !== undefined && assignment.pointsPossible >= 2 && open.has(`${candidate.sectionId}|${candidate.studentId}|${assignment.gradingPeriodId}`);
    });
    expect(score, 'a score of a grade in progress').to.not.equal(undefined);
    const points = score!.points === 1 ? 2 : 1;

    await writeAndSend(db, 'scores', score!.id, () => score!.incrementalPatch({ points, comment: 'Retake counted.', syncError: null }));
    const there = await onAnotherDevice('scores', async (other) => (await other.scores.findOne(score!.id).exec())?.toJSON());
    expect(there).to.include({ points, comment: 'Retake counted.' });
  });

  it('sends a guardian’s “read” on a message, which a fresh device of hers then pulls', async function () {
    this.timeout(30_000);
    const { layer } = await signInWithData(demo.guardian);
    await synced(layer.db, 'messages');
    const message = await layer.db.messages.findOne({ selector: { folder: 'inbox', kind: 'message', readAt: null } }).exec();
    expect(message, 'an unread message').to.not.equal(null);

    await writeAndSend(layer.db, 'messages', message!.id, () => markMessageRead(layer.db, message!.id, true));
    const readAt = await onAnotherDevice('messages', async (other) => (await other.messages.findOne(message!.id).exec())?.readAt);
    expect(readAt).to.be.a('string');
    expect(Date.parse(readAt!)).to.equal(Date.parse((await layer.db.messages.findOne(message!.id).exec())!.readAt!));
  });

  it('sends a guardian’s own contact preference, and refuses her address change with the reason', async function () {
    this.timeout(30_000);
    const { session, layer } = await signInWithData(demo.guardian);
    await synced(layer.db, 'profile');
    const household = (await layer.db.profile.find().exec()).find((doc) => doc.contactPreferences.some((preference) => preference.personId === session.me.person.id));
    expect(household, 'her household').to.not.equal(undefined);

    const preferences = household!.contactPreferences.map((preference) =>
      preference.personId === session.me.person.id && preference.purpose === 'general' ? { ...preference, sms: !preference.sms } : preference,
    );
    const wanted = preferences.find((preference) => preference.personId === session.me.person.id && preference.purpose === 'general');
    await writeAndSend(layer.db, 'profile', household!.id, () => household!.incrementalPatch({ contactPreferences: preferences, syncError: null }));
    const there = await onAnotherDevice('profile', async (other) => (await other.profile.findOne(household!.id).exec())?.contactPreferences);
    expect(there).to.deep.include(wanted);

    // Addresses change through a request to the office: the device gets the server's back.
    const current = (await layer.db.profile.findOne(household!.id).exec())!;
    const addresses = current.addresses;
    expect(addresses.length).to.be.greaterThan(0);
    await current.incrementalPatch({ addresses: addresses.map((address, index) => (index === 0 ? { ...address, line1: '1 Somewhere Else' } : address)) });
    await until(async () => refusalOf(await getOutbox(layer.db, 'profile'), household!.id) !== undefined, 8000, 'the refusal arrives');
    // The outbox hears of the refusal first; the document takes the server's state just after.
    await until(async () => (await layer.db.profile.findOne(household!.id).exec())?.syncError === 'needs_request', 8000, 'the server’s state replaces the edit');
    const refused = (await layer.db.profile.findOne(household!.id).exec())!;
    expect(refused.addresses).to.deep.equal(addresses);
    expect(refused.syncError).to.equal('needs_request');
    expect(t(refusalKey(refused.syncError!))).to.equal(en.refused.needs_request);
  });

  it('sends a guardian’s absence note, and the device then shows when the school received it and from whom', async function () {
    this.timeout(30_000);
    const { session, layer } = await signInWithData(demo.guardian);
    await synced(layer.db, 'students');
    await synced(layer.db, 'requests');
    const child = (await layer.db.students.findOne({ selector: { relation: 'guardian' } }).exec())!.toJSON();
    const today = new Date().toISOString().slice(0, 10);
    const id = await submitAbsenceNote(layer.db, child, { date: today, endDate: null, reason: 'ILL', note: 'Fever overnight.', sectionIds: null });
    await until(async () => !(await getOutbox(layer.db, 'requests')).pending.includes(id), 10_000, 'the note is sent');
    expect(refusalOf(await getOutbox(layer.db, 'requests'), id)).to.equal(undefined);
    // The server's stamps reach this device's copy, not only a fresh device's.
    await until(async () => (await layer.db.requests.findOne(id).exec())?.submittedAt != null, 10_000, 'submittedAt arrives on the device');
    const note = (await layer.db.requests.findOne(id).exec())!;
    const name = session.me.person;
    expect(note.requestedByName).to.equal(`${name.preferredName || name.firstName} ${name.lastName}`);
    expect(note.status).to.equal('pending');
    // Withdrawn again, so the office's lists in other tests stay as they were.
    await writeAndSend(layer.db, 'requests', id, () => note.incrementalPatch({ status: 'withdrawn' }));
  });
});

