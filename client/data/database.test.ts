import { expect } from 'chai';
import { scoreConflictHandler } from '../../server/contract/sync/scores.ts';
import { studentSchema } from '../../server/contract/sync/students.ts';
import { describe, it } from '../test/mocha.ts';
import { attendanceConflictHandler } from './attendance.ts';
import { checkCollectionCount, collectionNames, collections, createDatabase, createStorage, databaseName, MAX_COLLECTIONS, pushedCollectionNames } from './database.ts';

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
