/**
 * The `scores` collection: students' results on assignments. Teachers enter them on the
 * device, online or not; families and students read them. The conflict handler is the
 * server contract's own (server/contract/sync/scores.ts), so both sides merge alike.
 */
import type { Observable } from 'rxjs';
import type { RxDocument } from 'rxdb';
import { scoreConflictHandler, scoreId, scoreSchema, type ScoreDocument } from '../../server/contract/sync/scores.ts';
import { pushedCollection } from './collection.ts';
import type { HomeroomDatabase } from './database.ts';

export type { ScoreDocument } from '../../server/contract/sync/scores.ts';

export const scoresCollection = pushedCollection<ScoreDocument>(scoreSchema, scoreConflictHandler, {
  // Version 1 says when each score was graded. Migrated documents wait for it: the new version's
  // replication pulls the collection again, and the server answers the device's first push of each
  // score it held with the stored one (server/sync/scores.ts), whose gradedAt the handler takes.
  1: (document: Omit<ScoreDocument, 'gradedAt'>): ScoreDocument => ({ ...document, gradedAt: null }),
  // Version 2 keys a score by its assignment and student, not by a UUID of its own. A score waiting to be
  // sent keeps its edit: the new version's replication pushes every score held, and the server finds the
  // stored one by the pair. A tombstone that kept no ids (the server blanked them) names no score: dropped.
  2: (document: ScoreDocument): ScoreDocument | null =>
    document.assignmentId && document.studentId ? { ...document, id: scoreId(document.assignmentId, document.studentId) } : null,
});

/** Every score of one student in one section. */
export function observeStudentScores(db: HomeroomDatabase, studentId: string, sectionId: string): Observable<Array<RxDocument<ScoreDocument>>> {
  return db.scores.find({ selector: { studentId, sectionId }, sort: [{ assignmentId: 'asc' }] }).$;
}
