/**
 * The `attendance` collection: attendance marks the user may see. Teachers write marks for
 * their sections on the device, online or not; the office writes excuse decisions. Writes go
 * to the server with the next push (replication.ts); refusals come back with a reason.
 */
import type { Observable } from 'rxjs';
import type { RxDocument } from 'rxdb';
import { attendanceSchema, type AttendanceDocument } from '../../server/contract/sync/attendance.ts';
import { pushedCollection } from './collection.ts';
import { deviceEditsWin } from './conflict-handler.ts';
import type { HomeroomDatabase } from './database.ts';

export type { AttendanceDocument } from '../../server/contract/sync/attendance.ts';

/**
 * What a teacher or the office changes (status, excuse, reason, minutes, comment) wins over
 * a server version changed meanwhile; a refusal from the server wins over the device.
 */
export const attendanceConflictHandler = deviceEditsWin<AttendanceDocument>({
  identity: ['studentId', 'date', 'sectionId'],
  edited: ['status', 'excuse', 'reasonCode', 'minutes', 'comment'],
});

export const attendanceCollection = pushedCollection<AttendanceDocument>(attendanceSchema, attendanceConflictHandler);

/** One class period's marks on one day (`sectionId` null: whole-day marks), by student. */
export function observeSectionAttendance(db: HomeroomDatabase, sectionId: string | null, date: string): Observable<Array<RxDocument<AttendanceDocument>>> {
  return db.attendance.find({ selector: { sectionId, date }, sort: [{ studentId: 'asc' }] }).$;
}

/** Every mark of one student, newest first. */
export function observeStudentAttendance(db: HomeroomDatabase, studentId: string): Observable<Array<RxDocument<AttendanceDocument>>> {
  return db.attendance.find({ selector: { studentId }, sort: [{ date: 'desc' }, { id: 'asc' }] }).$;
}

export type AttendanceMark = Pick<AttendanceDocument, 'studentId' | 'schoolId' | 'date' | 'sectionId' | 'status'> &
  Partial<Pick<AttendanceDocument, 'excuse' | 'reasonCode' | 'minutes' | 'comment'>>;

/**
 * Records a mark on the device; it is sent with the next push. A student has one mark per
 * section and day, so an existing one (pulled, or written earlier) is changed, not doubled.
 * Writing clears an earlier refusal: this is a new attempt.
 */
export async function recordAttendance(db: HomeroomDatabase, mark: AttendanceMark): Promise<RxDocument<AttendanceDocument>> {
  const existing = await db.attendance.findOne({ selector: { studentId: mark.studentId, date: mark.date, sectionId: mark.sectionId } }).exec();
  const fields = {
    status: mark.status,
    minutes: mark.minutes === undefined ? (existing?.minutes ?? null) : mark.minutes,
    comment: mark.comment ?? existing?.comment ?? '',
    excuse: mark.excuse ?? existing?.excuse ?? 'unknown',
    reasonCode: mark.reasonCode === undefined ? (existing?.reasonCode ?? null) : mark.reasonCode,
    syncError: null,
  } satisfies Partial<AttendanceDocument>;
  if (existing) return existing.incrementalPatch(fields);
  return db.attendance.insert({
    id: crypto.randomUUID(),
    studentId: mark.studentId,
    schoolId: mark.schoolId,
    date: mark.date,
    sectionId: mark.sectionId,
    periodId: null, // the server fills in the section's period
    ...fields,
  });
}
