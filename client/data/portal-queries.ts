/**
 * What the family portal's attendance, health and fees tabs read and write on the device:
 * plain documents (not RxDocuments), so views keep no handles on the database.
 */
import { markPending } from './outbox.ts';
import { map, type Observable } from 'rxjs';
import type { AttendanceDocument } from '../../server/contract/sync/attendance.ts';
import type { FeeDocument } from '../../server/contract/sync/fees.ts';
import type { HealthDocument } from '../../server/contract/sync/health.ts';
import type { AbsenceNotePayload, RequestDocument } from '../../server/contract/sync/requests.ts';
import type { SectionDocument } from '../../server/contract/sync/sections.ts';
import type { HomeroomDatabase } from './database.ts';

/** Every mark that is not plain "present" (absences, tardies, early releases), newest first. */
export function observeAttendanceExceptions(db: HomeroomDatabase): Observable<AttendanceDocument[]> {
  return db.attendance
    .find({ selector: { status: { $ne: 'present' } }, sort: [{ date: 'desc' }, { id: 'asc' }] })
    .$.pipe(map((docs) => docs.map((doc) => doc.toJSON() as AttendanceDocument)));
}

/** Every section on the device, for course names, periods and terms. */
export function observeAllSections(db: HomeroomDatabase): Observable<SectionDocument[]> {
  return db.sections.find().$.pipe(map((docs) => docs.map((doc) => doc.toJSON() as SectionDocument)));
}

/** The absence notes on the device (the family's own, sent or waiting). */
export function observeAbsenceNotes(db: HomeroomDatabase): Observable<RequestDocument[]> {
  return db.requests.find({ selector: { kind: 'absence_note' } }).$.pipe(map((docs) => docs.map((doc) => doc.toJSON() as RequestDocument)));
}

/**
 * Writes an absence note on the device; the data layer sends it with the next push, and the
 * server stamps when it arrived and which school decides.
 */
export async function submitAbsenceNote(db: HomeroomDatabase, student: { id: string; schoolId: string | null }, payload: AbsenceNotePayload): Promise<string> {
  const id = crypto.randomUUID();
  // Waiting from the first moment: the data layer would list it a moment after the write.
  await markPending(db, 'requests', [id]);
  await db.requests.insert({
    id,
    kind: 'absence_note',
    householdId: null,
    studentId: student.id,
    schoolId: student.schoolId,
    payload,
    status: 'pending',
    submittedAt: null,
    decidedAt: null,
    decisionNote: '',
    requestedByName: '',
    syncError: null,
  });
  return id;
}

/** One health record per student the user may see. */
export function observeHealthRecords(db: HomeroomDatabase): Observable<HealthDocument[]> {
  return db.health.find().$.pipe(map((docs) => docs.map((doc) => doc.toJSON() as HealthDocument)));
}

/** Every fee the user may see, latest due date first. */
export function observeFees(db: HomeroomDatabase): Observable<FeeDocument[]> {
  return db.fees.find({ sort: [{ dueOn: 'desc' }, { id: 'asc' }] }).$.pipe(map((docs) => docs.map((doc) => doc.toJSON() as FeeDocument)));
}
