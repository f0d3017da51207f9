/**
 * The `sections` collection: the classes on the user's schedule (taught, attended by their
 * children, or in their school), with course, term, period, room and teachers. Pull only.
 */
import type { Observable } from 'rxjs';
import type { RxDocument } from 'rxdb';
import { sectionSchema, type SectionDocument } from '../../server/contract/sync/sections.ts';
import { pulledCollection } from './collection.ts';
import type { HomeroomDatabase } from './database.ts';

export type { SectionDocument } from '../../server/contract/sync/sections.ts';

export const sectionsCollection = pulledCollection<SectionDocument>(sectionSchema, {
  // Version 1 added the term's grading periods: empty until the collection is pulled again
  // (the replication's identifier names the version, so it starts from the beginning).
  1: (document: Omit<SectionDocument, 'gradingPeriods'>): SectionDocument => ({ ...document, gradingPeriods: [] }),
});

/** The sections of the term running on `date` (YYYY-MM-DD), in the order of the school day. */
export function observeSectionsOn(db: HomeroomDatabase, date: string): Observable<Array<RxDocument<SectionDocument>>> {
  return db.sections.find({
    selector: { termStart: { $lte: date }, termEnd: { $gte: date } },
    sort: [{ periodSequence: 'asc' }, { courseName: 'asc' }, { id: 'asc' }],
  }).$;
}

/** The sections a student is in (for a family or the student themself). */
export function observeStudentSections(db: HomeroomDatabase, studentId: string): Observable<Array<RxDocument<SectionDocument>>> {
  return db.sections.find({ selector: { studentIds: { $elemMatch: { $eq: studentId } } }, sort: [{ termStart: 'desc' }, { periodSequence: 'asc' }, { id: 'asc' }] }).$;
}
