import { randomUUID } from 'node:crypto';
import { createRxDatabase } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { describe, expect, it } from 'vitest';
import { freshCollection } from '../../test/rx-collection.ts';
import { assignmentSchema } from './assignments.ts';
import { scoreId, scoreSchema, type ScoreDocument } from './scores.ts';
import { compactDocument, documentFromWire, longUuid, shortUuid } from './wire.ts';

const score = (fields: Partial<ScoreDocument & { _deleted: boolean }> = {}): ScoreDocument & { _deleted: boolean } => {
  const assignmentId = randomUUID();
  const studentId = randomUUID();
  return {
    id: scoreId(assignmentId, studentId), assignmentId, studentId, sectionId: randomUUID(), points: 8.5, missing: false, late: true, exempt: false,
    incomplete: false, dropped: false, comment: '', gradedAt: '2026-09-06T21:57:00.000Z', syncError: null, _deleted: false, ...fields,
  };
};

describe('the compact wire form', () => {
  it('writes a UUID in 22 base64url characters and reads it back', () => {
    for (const uuid of [...Array.from({ length: 200 }, () => randomUUID()), '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff']) {
      expect(shortUuid(uuid)).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(longUuid(shortUuid(uuid))).toBe(uuid);
      // The same text as base64url of the UUID's 16 bytes, by Node's own encoder.
      expect(shortUuid(uuid)).toBe(Buffer.from(uuid.replaceAll('-', ''), 'hex').toString('base64url'));
    }
  });

  it('leaves out the key and blank fields, keeps what is set, and the device reads back the same document', () => {
    const doc = score();
    const wired = compactDocument(scoreSchema)(doc);
    expect(wired).toEqual({ _deleted: false, assignmentId: shortUuid(doc.assignmentId), studentId: shortUuid(doc.studentId), sectionId: shortUuid(doc.sectionId), points: 8.5, late: true, gradedAt: doc.gradedAt });
    expect(documentFromWire(scoreSchema)(wired)).toEqual(doc);
    // Zero points and a null time are values too: zero is a score, null is blank.
    const zero = score({ points: 0, gradedAt: null, late: false });
    expect(compactDocument(scoreSchema)(zero)).toMatchObject({ points: 0 });
    expect(documentFromWire(scoreSchema)(compactDocument(scoreSchema)(zero))).toEqual(zero);
  });

  it('sends a tombstone as its ids alone', () => {
    const doc = score({ sectionId: '', points: null, late: false, gradedAt: null, _deleted: true });
    expect(compactDocument(scoreSchema)(doc)).toEqual({ _deleted: true, assignmentId: shortUuid(doc.assignmentId), studentId: shortUuid(doc.studentId) });
    expect(documentFromWire(scoreSchema)(compactDocument(scoreSchema)(doc))).toEqual(doc);
  });

  it('leaves a full document as it is (a pull without wire=compact), and text that is no UUID', () => {
    const assignment = {
      id: randomUUID(), sectionId: randomUUID(), categoryId: randomUUID(), categoryName: 'Homework', categoryWeight: 0, categoryDropLowest: 0, gradingPeriodId: randomUUID(),
      name: 'Abcdefghijklmnopqrstuv', description: '', pointsPossible: 10, assignedOn: '2026-09-01', dueOn: '2026-09-02', published: true, _deleted: false,
    };
    expect(documentFromWire(assignmentSchema)(assignment)).toEqual(assignment);
    expect(documentFromWire(assignmentSchema)(compactDocument(assignmentSchema)(assignment))).toEqual(assignment);
  });

  it('sends and reads back as it is an id field whose text is no UUID, or only looks like a shortened one', () => {
    const assignment = {
      id: randomUUID(), sectionId: 'Section-1', categoryId: 'A'.repeat(36), categoryName: 'Homework', categoryWeight: 0, categoryDropLowest: 0,
      gradingPeriodId: 'ABCDEFGHIJKLMNOPQRSTUV', name: 'Essay', description: '', pointsPossible: 10, assignedOn: '2026-09-01', dueOn: '2026-09-02', published: true, _deleted: false,
    };
    const wired = compactDocument(assignmentSchema)(assignment);
    expect(wired).toMatchObject({ id: shortUuid(assignment.id), sectionId: 'Section-1', categoryId: 'A'.repeat(36), gradingPeriodId: 'ABCDEFGHIJKLMNOPQRSTUV' });
    expect(documentFromWire(assignmentSchema)(wired)).toEqual(assignment);
    expect(() => shortUuid('A'.repeat(36))).toThrow();
    expect(() => longUuid('ABCDEFGHIJKLMNOPQRSTUV')).toThrow();
  });

  it('keeps a field the schema does not name, on both sides', () => {
    const doc = { ...score(), note: 'kept' };
    const wired = compactDocument(scoreSchema)(doc);
    expect(wired.note).toBe('kept');
    expect(documentFromWire(scoreSchema)(wired)).toEqual(doc);
  });

  it('reads by a collection’s schema as RxDB holds it (with _rev, _meta…) without adding RxDB’s own fields', async () => {
    const db = await createRxDatabase({ name: `wire-${randomUUID()}`, storage: getRxStorageMemory(), multiInstance: false });
    try {
      const { scores } = await db.addCollections({ scores: freshCollection(scoreSchema as never) });
      const normalized = scores!.schema.jsonSchema;
      expect(normalized.required).toContain('_rev');
      const doc = score();
      const { id: _key, ...pulled } = doc;
      expect(documentFromWire(normalized as never)(compactDocument(scoreSchema)(pulled))).toEqual(doc);
    } finally {
      await db.remove();
    }
  });
});
