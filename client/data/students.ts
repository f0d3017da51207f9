/**
 * The `students` collection: the student records this user may see, pulled from the server.
 * The schema is the server's (server/contract/sync/students.ts), so both sides validate alike.
 */
import type { Observable } from 'rxjs';
import type { RxDocument } from 'rxdb';
import { studentSchema, type StudentDocument } from '../../server/contract/sync/students.ts';
import { pulledCollection } from './collection.ts';
import type { HomeroomDatabase } from './database.ts';

export type { StudentDocument } from '../../server/contract/sync/students.ts';

/** Pull only: student records change at the office. No migration strategies while at version 0. */
export const studentsCollection = pulledCollection<StudentDocument>(studentSchema);

/** Every student this user may see, in the order schools list them: by grade, then name. */
export function observeStudents(db: HomeroomDatabase): Observable<Array<RxDocument<StudentDocument>>> {
  return db.students.find({ sort: [{ gradeLevel: 'asc' }, { lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }] }).$;
}

/** The name a student goes by: their preferred first name when they have one. */
export function studentDisplayName(student: Pick<StudentDocument, 'firstName' | 'lastName' | 'preferredName'>): string {
  return `${student.preferredName || student.firstName} ${student.lastName}`;
}
