import { expect } from 'chai';
import { scoreConflictHandler, scoreId, scoreSchema, type ScoreDocument } from '../../server/contract/sync/scores.ts';
import type { AssignmentDocument } from '../../server/contract/sync/assignments.ts';
import type { GradeDocument } from '../../server/contract/sync/grades.ts';
import { studentSchema } from '../../server/contract/sync/students.ts';
import { createRxDatabase } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import type { SyncCheckpoint } from '../../server/contract/sync/students.ts';
import { sectionSchema, type SectionDocument } from '../../server/contract/sync/sections.ts';
import { messageSchema, type MessageDocument } from '../../server/contract/sync/messages.ts';
import { preloadDataLayer, startSignedOut, useFreshAddress } from '../test/api.ts';
import { signInWithData, until } from '../test/sync.ts';
import { before, describe, it } from '../test/mocha.ts';
import { startLocalData } from './local-data.ts';
import { startSync } from './replication.ts';
import { getSyncState } from './sync-state.ts';
import { authorizedFetch } from './session.ts';
import { attendanceConflictHandler } from './attendance.ts';
import { checkCollectionCount, collectionNames, collections, createDatabase, createStorage, databaseName, MAX_COLLECTIONS, pushedCollectionNames } from './database.ts';
import { useOwnDistrict } from '../test/district.ts';

/** This file's own demo district (client/test/district.ts). */
const demo = useOwnDistrict('database');

describe('database', () => {
  it('stays within RxDB’s open-core collection limit, with room to spare', () => {
    expect(collectionNames.length).to.be.at.most(MAX_COLLECTIONS);
    expect(MAX_COLLECTIONS).to.equal(11);
    expect(() => checkCollectionCount(MAX_COLLECTIONS)).not.to.throw();
    expect(() => checkCollectionCount(MAX_COLLECTIONS + 1)).to.throw(RangeError);
  });

  it('holds the collections the server syncs, and pushes those the device writes with their own conflict handlers', () => {
    expect(collectionNames).to.deep.equal(['students', 'sections', 'attendance', 'assignments', 'scores', 'grades', 'health', 'fees', 'messages', 'requests', 'profile']);
    expect(pushedCollectionNames).to.deep.equal(['attendance', 'scores', 'messages', 'requests', 'profile']);
    expect(collections.attendance.conflictHandler).to.equal(attendanceConflictHandler);
    // Scores merge with the server contract's own handler, so both sides agree.
    expect(collections.scores.conflictHandler).to.equal(scoreConflictHandler);
  });

  it('builds each collection from the server’s contract schema, with a migration strategy per version', () => {
    expect(collections.students.schema).to.equal(studentSchema);
    for (const name of collectionNames) {
      const { schema, migrationStrategies = {} } = collections[name];
      const versions = Object.keys(migrationStrategies).map(Number).sort((a, b) => a - b);
      // Version n needs strategies 1…n, so a device on any older version can catch up.
      expect(versions, name).to.deep.equal(Array.from({ length: schema.version }, (_, index) => index + 1));
    }
  });

  it('names one database per account, so two people on one computer never share records', () => {
    expect(databaseName('D870746D-C976-819C-9894-5B89490B7FE7')).to.equal('homeroom-d870746d-c976-819c-9894-5b89490b7fe7');
    expect(databaseName('a')).not.to.equal(databaseName('b'));
  });

  it('opens in memory (kiosk mode) with every collection, validating what is written', async () => {
    const db = await createDatabase(await createStorage('memory'), { name: `homeroom-test-${Date.now()}`, multiInstance: false });
    try {
      expect(Object.keys(db.collections).sort()).to.deep.equal([...collectionNames].sort());
      const student = {
        id: '00000000-0000-4000-8000-000000000001',
        firstName: 'Ayaan',
        lastName: 'Warsame',
        preferredName: null,
        studentNumber: '100001',
        birthDate: '2015-03-02',
        gradeLevel: 5,
        homeLanguage: 'so',
        schoolId: null,
        schoolName: 'Riverbend Elementary',
        relation: 'guardian' as const,
      };
      await db.students.insert(student);
      expect((await db.students.findOne(student.id).exec())?.firstName).to.equal('Ayaan');
      let refused: unknown;
      await db.students.insert({ ...student, id: '00000000-0000-4000-8000-000000000002', gradeLevel: 40 }).catch((error: unknown) => (refused = error));
      expect(refused, 'grade 40 is refused by the schema').to.be.instanceOf(Error);
    } finally {
      await db.remove();
    }
  });
});

/** The sections schema as version 0 had it: no grading periods, at most 60 students. */
function sectionSchemaV0(): object {
  const { gradingPeriods: _added, ...properties } = sectionSchema.properties;
  return {
    ...sectionSchema,
    version: 0,
    properties: { ...properties, studentIds: { type: 'array', maxItems: 60, items: { type: 'string', maxLength: 36 } } },
    required: sectionSchema.required.filter((field) => field !== 'gradingPeriods'),
  };
}

/** The messages schema as version 0 had it: announcements named no school (version 1) and no grades (version 2). */
function messageSchemaV0(): object {
  const { schoolId: _id, schoolName: _name, grades: _grades, ...properties } = messageSchema.properties;
  return { ...messageSchema, version: 0, properties, required: messageSchema.required.filter((field) => field !== 'schoolId' && field !== 'schoolName' && field !== 'grades') };
}

/** The scores schema as version 1 had it: a UUID of the score's own as its key. */
function scoreSchemaV1(): object {
  return { ...scoreSchema, version: 1, primaryKey: 'id', properties: { ...scoreSchema.properties, id: { type: 'string', maxLength: 36 } } };
}

/** The scores schema as version 0 had it: no time of grading either. */
function scoreSchemaV0(): object {
  const { gradedAt: _added, ...properties } = (scoreSchemaV1() as typeof scoreSchema).properties;
  return { ...scoreSchemaV1(), version: 0, properties, required: scoreSchema.required.filter((field) => field !== 'gradedAt') };
}

/**
 * A score as an app before version 2 held it, under a UUID of its own: the server no longer sends
 * that UUID, so the old copy gets a new one (version 2 keys scores by assignment and student, and
 * its migration never reads the old key).
 */
function underOwnUuid<Doc extends { id?: string }>(document: Doc): Doc & { id: string } {
  return { ...document, id: crypto.randomUUID() };
}

/**
 * What an older app left on the device: database `name` holding `collection` under its version 0
 * schema, pulled to the end under the version 0 replication identifier (its checkpoint stored),
 * each document as `asVersion0` makes it from what the server sends today. Returned open.
 */
async function pulledByVersion0<Doc>(name: string, collection: 'sections' | 'messages' | 'scores', schema: object, version: number, asVersion0: (document: Doc) => object, oldVersion = 0) {
  const old = await createRxDatabase({ name, storage: await createStorage('indexeddb'), multiInstance: false });
  const identity = Object.fromEntries(Array.from({ length: oldVersion }, (_, index) => [index + 1, (document: unknown) => document]));
  await old.addCollections({ [collection]: { schema: schema as never, migrationStrategies: identity } });
  const oldPull = replicateRxCollection<object, SyncCheckpoint>({
    collection: old.collections[collection] as never,
    // As the old app named it (client/data/replication.ts).
    replicationIdentifier: oldVersion === 0 ? `homeroom-${collection}` : `homeroom-${collection}-v${oldVersion}`,
    live: false,
    pull: {
      async handler(checkpoint, limit) {
        const query = new URLSearchParams({ v: String(version), limit: String(limit) });
        if (checkpoint) query.set('seq', String(checkpoint.seq)), query.set('id', checkpoint.id);
        const body = (await (await authorizedFetch(`/api/sync/${collection}/pull?${query}`)).json()) as { documents: Array<Doc & { _deleted: boolean }>; checkpoint: SyncCheckpoint };
        return { checkpoint: body.checkpoint, documents: body.documents.map(({ _deleted, ...document }) => ({ ...asVersion0(document as Doc), _deleted })) };
      },
    },
  });
  await oldPull.awaitInitialReplication();
  await oldPull.cancel();
  return old;
}

describe('schema migration', () => {
  before(async function () {
    this.timeout(30_000);
    await preloadDataLayer();
    startLocalData();
  });

  it('migrates sections stored under version 0 in IndexedDB, then pulls them again to fill in what version 1 added', async function () {
    this.timeout(60_000);
    await startSignedOut();
    await useFreshAddress();
    const { layer } = await signInWithData(demo.teacher);
    const name = `homeroom-migrate-${Date.now()}`;
    try {
      // What an older app left on the device: demo-teacher's classes, as version 0 stored them.
      await until(async () => (await getSyncState(layer.db, 'sections')).lastSyncedAt !== null, 20_000, 'the account’s sections synced');
      const taught = (await layer.db.sections.find().exec()).map((doc) => doc.toJSON() as SectionDocument);
      expect(taught.length).to.be.greaterThan(0);
      expect(taught.some((section) => section.gradingPeriods.length > 0), 'the server sends grading periods').to.equal(true);
      // The old app pulled them to the end (its checkpoint is stored), from a server that sent no periods.
      const old = await pulledByVersion0(name, 'sections', sectionSchemaV0(), sectionSchema.version, ({ gradingPeriods: _new, ...section }: SectionDocument) => section);
      expect(await old.collections.sections!.count().exec()).to.equal(taught.length);
      await old.close();

      // The new app opens the same database: every document migrates, then sync pulls the collection
    // again from the start (under the old checkpoint it would get nothing) and brings the periods.
      const db = await createDatabase(await createStorage('indexeddb'), { name, multiInstance: false, only: ['sections'] });
      try {
        const migrated = (await db.sections.find().exec()).map((doc) => doc.toJSON() as SectionDocument);
        expect(migrated.map((section) => section.id).sort()).to.deep.equal(taught.map((section) => section.id).sort());
        expect(migrated.every((section) => Array.isArray(section.gradingPeriods) && section.gradingPeriods.length === 0)).to.equal(true);
        expect(migrated.find((section) => section.id === taught[0]!.id)?.courseName).to.equal(taught[0]!.courseName);
        const engine = startSync(db, { fetcher: authorizedFetch, stream: false });
        try {
          await until(async () => {
            const now = (await db.sections.find().exec()).map((doc) => doc.toJSON() as SectionDocument);
            return taught.every((section) => JSON.stringify(now.find((candidate) => candidate.id === section.id)?.gradingPeriods) === JSON.stringify(section.gradingPeriods));
          }, 20_000, 'the grading periods arrive on the migrated device');
        } finally {
          await engine.cancel();
        }
      } finally {
        await db.remove();
      }
    } finally {
      await startSignedOut();
    }
  });

  it('migrates a family’s scores stored under version 0 (a pushed collection she only reads): the grading times arrive and nothing is refused', async function () {
    this.timeout(90_000);
    await startSignedOut();
    await useFreshAddress();
    const { layer } = await signInWithData(demo.guardian);
    const name = `homeroom-migrate-scores-${Date.now()}`;
    try {
      await until(async () => (await getSyncState(layer.db, 'scores')).lastSyncedAt !== null, 20_000, 'the account’s scores synced');
      const current = (await layer.db.scores.find().exec()).map((doc) => doc.toJSON() as ScoreDocument);
      const graded = current.filter((score) => score.gradedAt !== null);
      expect(graded.length, 'graded scores').to.be.greaterThan(0);
      const old = await pulledByVersion0(name, 'scores', scoreSchemaV0(), scoreSchema.version, ({ gradedAt: _new, ...score }: ScoreDocument) => underOwnUuid(score));
      expect(await old.collections.scores!.count().exec()).to.equal(current.length);
      await old.close();

      const db = await createDatabase(await createStorage('indexeddb'), { name, multiInstance: false, only: ['scores'] });
      try {
        expect((await db.scores.findOne(graded[0]!.id).exec())?.gradedAt).to.equal(null);
        // Version 1's replication pushes every score held (its first push states no assumed state): the server
        // answers each with the stored score, whose time the conflict handler takes; she may not write scores, yet none is refused.
        const engine = startSync(db, { fetcher: authorizedFetch, stream: false });
        try {
          await until(async () => {
            const now = (await db.scores.find().exec()).map((doc) => doc.toJSON() as ScoreDocument);
            return graded.every((score) => now.find((candidate) => candidate.id === score.id)?.gradedAt === score.gradedAt);
          }, 60_000, 'the grading times arrive on the migrated device');
          await engine.replications.get('scores')!.awaitInSync();
          const refused = (await db.scores.find().exec()).filter((doc) => doc.syncError !== null).map((doc) => `${doc.id} ${doc.syncError}`);
          expect(refused).to.deep.equal([]);
        } finally {
          await engine.cancel();
        }
      } finally {
        await db.remove();
      }
    } finally {
      await startSignedOut();
    }
  });

  it('migrates a teacher’s scores stored under version 1 (a UUID key each) to version 2 (keyed by assignment and student): a score entered offline before the update reaches the server', async function () {
    this.timeout(120_000);
    await startSignedOut();
    await useFreshAddress();
    const { layer } = await signInWithData(demo.teacher);
    const name = `homeroom-migrate-scores-v1-${Date.now()}`;
    try {
      for (const collection of ['scores', 'assignments', 'grades'] as const) {
        await until(async () => (await getSyncState(layer.db, collection)).lastSyncedAt !== null, 30_000, `the account’s ${collection} synced`);
      }
      // Two graded scores of one student in a grading period still open (no posted term grade): one stays as pulled, one is regraded offline.
      const open = new Set((await layer.db.grades.find().exec()).map((doc) => doc.toJSON() as GradeDocument).filter((grade) => grade.status === 'in_progress').map((grade) => `${grade.sectionId}|${grade.studentId}|${grade.gradingPeriodId}`));
      const periodOf = new Map((await layer.db.assignments.find().exec()).map((doc) => [doc.id, (doc.toJSON() as AssignmentDocument).gradingPeriodId]));
      const scores = (await layer.db.scores.find().exec()).map((doc) => doc.toJSON() as ScoreDocument);
      const editable = scores.filter((score) => score.points !== null && score.points >= 1 && open.has(`${score.sectionId}|${score.studentId}|${periodOf.get(score.assignmentId)}`));
      const regraded = editable[0]!;
      const kept = editable.find((score) => score.id !== regraded.id)!;
      expect(regraded, 'a graded score in an open period').to.not.equal(undefined);
      expect(kept.id).to.equal(scoreId(kept.assignmentId, kept.studentId));

      // The version 1 app pulled the collection to the end under its own UUIDs, then the teacher regraded one score with no network.
      const old = await pulledByVersion0(name, 'scores', scoreSchemaV1(), scoreSchema.version, (score: ScoreDocument) => underOwnUuid(score), 1);
      const oldCopy = async (score: ScoreDocument) => old.collections.scores!.findOne({ selector: { assignmentId: score.assignmentId, studentId: score.studentId } }).exec();
      const points = regraded.points! - 1;
      await (await oldCopy(regraded))!.incrementalPatch({ points, comment: 'Regraded offline.' });
      expect((await oldCopy(kept))!.id).to.not.equal(kept.id);
      await old.close();

      const db = await createDatabase(await createStorage('indexeddb'), { name, multiInstance: false, only: ['scores'] });
      try {
        // Every score migrates to its pair's key; the offline regrade is still on the device, waiting.
        expect((await db.scores.count().exec())).to.equal(scores.length);
        expect((await db.scores.findOne(regraded.id).exec())?.toJSON()).to.include({ points, comment: 'Regraded offline.', assignmentId: regraded.assignmentId });
        expect((await db.scores.findOne(kept.id).exec())?.toJSON()).to.include({ points: kept.points, comment: kept.comment });
        const engine = startSync(db, { fetcher: authorizedFetch, stream: false });
        try {
          // Version 2's replication pushes every score held: the server finds each by its pair and takes the regrade.
          await until(async () => (await layer.db.scores.findOne(regraded.id).exec())?.points === points, 60_000, 'the offline regrade reaches the server (and the teacher’s other device)');
          await engine.replications.get('scores')!.awaitInSync();
          expect((await layer.db.scores.findOne(regraded.id).exec())?.comment).to.equal('Regraded offline.');
          expect((await db.scores.findOne(regraded.id).exec())?.toJSON()).to.include({ points, syncError: null });
          expect((await layer.db.scores.findOne(kept.id).exec())?.toJSON()).to.include({ points: kept.points, comment: kept.comment, gradedAt: kept.gradedAt });
          const refused = (await db.scores.find().exec()).filter((doc) => doc.syncError !== null).map((doc) => `${doc.id} ${doc.syncError}`);
          expect(refused).to.deep.equal([]);
        } finally {
          await engine.cancel();
        }
      } finally {
        await db.remove();
      }
    } finally {
      await startSignedOut();
    }
  });

  it('migrates a family’s messages stored under version 0 (a pushed collection): the schools arrive, nothing is refused, and a message read while the update waited stays read', async function () {
    this.timeout(60_000);
    await startSignedOut();
    await useFreshAddress();
    const { layer } = await signInWithData(demo.guardian);
    const name = `homeroom-migrate-messages-${Date.now()}`;
    try {
      await until(async () => (await getSyncState(layer.db, 'messages')).lastSyncedAt !== null, 20_000, 'the account’s messages synced');
      const current = (await layer.db.messages.find().exec()).map((doc) => doc.toJSON() as MessageDocument);
      const schoolPost = current.find((message) => message.kind === 'announcement' && message.schoolName !== '');
      const unread = current.find((message) => message.kind === 'message' && message.folder === 'inbox' && message.readAt === null);
      expect(schoolPost, 'a school’s announcement').to.not.equal(undefined);
      expect(unread, 'an unread message').to.not.equal(undefined);
      // The old app pulled its inbox to the end, then the message was read there while the new version waited.
      const old = await pulledByVersion0(name, 'messages', messageSchemaV0(), messageSchema.version, ({ schoolId: _id, schoolName: _name, grades: _grades, ...message }: MessageDocument) => message);
      const readAt = new Date().toISOString();
      await old.collections.messages!.findOne(unread!.id).incrementalPatch({ readAt });
      await old.close();

      const db = await createDatabase(await createStorage('indexeddb'), { name, multiInstance: false, only: ['messages'] });
      try {
        expect((await db.messages.findOne(schoolPost!.id).exec())?.schoolName).to.equal('');
        // Migrated through both versions: a post names no grades (every grade, as the old app showed it) until the server's arrive.
        expect((await db.messages.find().exec()).every((doc) => Array.isArray(doc.grades) && doc.grades.length === 0)).to.equal(true);
        const engine = startSync(db, { fetcher: authorizedFetch, stream: false });
        try {
          await until(async () => (await db.messages.findOne(schoolPost!.id).exec())?.schoolName === schoolPost!.schoolName, 20_000, 'the school’s name arrives on the migrated device');
          await until(async () => {
            const now = await db.messages.find().exec();
            return current.every((message) => JSON.stringify(now.find((doc) => doc.id === message.id)?.grades) === JSON.stringify(message.grades));
          }, 20_000, 'the grades of each post arrive on the migrated device');
          await until(async () => {
            const body = (await (await authorizedFetch(`/api/sync/messages/pull?v=${messageSchema.version}&limit=1000`)).json()) as { documents: MessageDocument[] };
            return body.documents.find((message) => message.id === unread!.id)?.readAt !== null;
          }, 20_000, 'the server holds the read mark made on the old version');
          const refused = (await db.messages.find().exec()).filter((doc) => doc.syncError !== null).map((doc) => `${doc.id} ${doc.syncError}`);
          expect(refused).to.deep.equal([]);
          expect((await db.messages.findOne(unread!.id).exec())?.readAt).to.not.equal(null);
        } finally {
          await engine.cancel();
        }
      } finally {
        await db.remove();
      }
    } finally {
      await startSignedOut();
    }
  });
});
