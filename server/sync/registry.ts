/**
 * Every synced collection the server offers, in one list: its schema version, how to pull it
 * for a user, how to apply pushed rows (when users may write it), which tables can change it
 * (for the change stream) and which students a document is about (for the access log).
 *
 * Adding a collection: write `server/contract/sync/<name>.ts` (schema, document type,
 * version) and `server/sync/<name>.ts` (pull, push), then add one entry below.
 */
import type { Principal } from '../access/principal.ts';
import { attendanceSchema } from '../contract/sync/attendance.ts';
import { sectionSchema } from '../contract/sync/sections.ts';
import { studentSchema, type SyncCheckpoint } from '../contract/sync/students.ts';
import { healthSchema } from '../contract/sync/health.ts';
import { feeSchema } from '../contract/sync/fees.ts';
import { messageSchema } from '../contract/sync/messages.ts';
import type { Queryable, Store } from '../db/store.ts';
import { pullMessages, pushMessages } from './messages.ts';
import { pullFees } from './fees.ts';
import { pullHealth } from './health.ts';
import { pullAttendance, pushAttendance } from './attendance.ts';
import { assignmentSchema } from '../contract/sync/assignments.ts';
import { pullAssignments } from './assignments.ts';
import { gradeSchema } from '../contract/sync/grades.ts';
import { pullGrades } from './grades.ts';
import { scoreSchema } from '../contract/sync/scores.ts';
import { compactDocument } from '../contract/sync/wire.ts';
import { pullScores, pushScores, scoreOnTheWire } from './scores.ts';
import { pullSections } from './sections.ts';
import { pullStudents } from './students.ts';
import { requestSchema } from '../contract/sync/requests.ts';
import { pullRequests, pushRequests } from './requests.ts';
import { profileSchema } from '../contract/sync/profile.ts';
import { pullProfile, pushProfile } from './profile.ts';
import type { Pulled } from './pulled-document.ts';

/** Documents changed for this user after `checkpoint`, ordered by (seq, id), at most `limit`. */
export type Puller<Doc> = (db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number) => Promise<{ documents: Array<Pulled<Doc>>; checkpoint: SyncCheckpoint | null }>;

/**
 * Applies pushed RxDB rows in one transaction. Returns the server state of every row not
 * taken (a stale assumption, or a refusal carrying `syncError`), never throws for a refusal,
 * and the documents it wrote.
 */
export type Pusher<Doc> = (store: Store, principal: Principal, today: string, rows: unknown[], now: Date) => Promise<{ conflicts: Array<Pulled<Doc>>; written: Array<Pulled<Doc>> }>;

export interface SyncCollection<Doc extends { id: string } = { id: string }> {
  name: string;
  version: number;
  pull: Puller<Doc>;
  push?: Pusher<Doc>;
  /**
   * Tables whose changes can add, change or remove documents of this collection for someone: the
   * change stream wakes devices by them, and an in-sync pull asks only whether one changed
   * (pull-gate.ts). Every table the puller reads must be here (pull-gate.test.ts checks it).
   */
  tables: readonly string[];
  /** The students a document is about: one access-log entry per student per pull or push. Empty for non-student records. */
  studentsOf: (doc: Doc) => string[];
  /** Households a document is about: their students' records count as read too (household-change requests). */
  householdsOf?: (doc: Doc) => string[];
  /** What a pull sends of a document, when the device derives some of it (a composite key); else the document. */
  wire?: (doc: Pulled<Doc>) => object;
  /** What a pull sends of a document to a device that asks for the compact form (server/contract/sync/wire.ts). */
  compact?: (doc: Pulled<Doc>) => object;
}

/** A collection's name and version are its schema's (server/contract/sync/), so the two cannot disagree. */
function collection<Doc extends { id: string }>({ schema, ...definition }: Omit<SyncCollection<Doc>, 'name' | 'version'> & { schema: { title: string; version: number } }): SyncCollection {
  return { name: schema.title, version: schema.version, ...definition } as unknown as SyncCollection;
}

export const SYNC_COLLECTIONS: readonly SyncCollection[] = [
  collection({
    schema: studentSchema,
    pull: pullStudents,
    tables: ['students', 'people', 'enrollments', 'schools', 'access_grants'],
    studentsOf: (d) => [d.id],
  }),
  collection({
    schema: sectionSchema,
    pull: pullSections,
    tables: ['sections', 'courses', 'terms', 'grading_periods', 'periods', 'rooms', 'section_staff', 'section_enrollments', 'staff', 'people', 'access_grants'],
    // Sections are schedules, not student records: no per-student read is logged for them.
    studentsOf: () => [],
  }),
  collection({
    schema: attendanceSchema,
    pull: pullAttendance,
    push: pushAttendance,
    tables: ['attendance', 'attendance_reasons', 'schools', 'access_grants'],
    studentsOf: (d) => [d.studentId],
  }),
  collection({
    schema: assignmentSchema,
    pull: pullAssignments,
    compact: compactDocument(assignmentSchema),
    tables: ['assignments', 'assignment_categories', 'section_enrollments', 'access_grants'],
    // Coursework of a section, not a student record: no per-student read is logged for it.
    studentsOf: () => [],
  }),
  collection({
    schema: scoreSchema,
    pull: pullScores,
    push: pushScores,
    tables: ['scores', 'assignments', 'section_enrollments', 'access_grants'],
    studentsOf: (d) => [d.studentId],
    wire: scoreOnTheWire,
    compact: compactDocument(scoreSchema),
  }),
  collection({
    schema: gradeSchema,
    pull: pullGrades,
    tables: ['term_grades', 'standard_marks', 'grading_tasks', 'standards', 'access_grants'],
    studentsOf: (d) => [d.studentId],
  }),
  collection({
    schema: healthSchema,
    pull: pullHealth,
    tables: ['immunizations', 'immunization_requirements', 'students', 'access_grants'],
    studentsOf: (d) => [d.studentId],
  }),
  collection({
    schema: requestSchema,
    pull: pullRequests,
    push: pushRequests,
    tables: ['requests', 'people', 'household_members', 'students', 'schools', 'access_grants'],
    // An absence note is its student's record; a household change (addresses, phones) is a record of every student in the household.
    studentsOf: (d) => (d.studentId ? [d.studentId] : []),
    householdsOf: (d) => (d.householdId ? [d.householdId] : []),
  }),
  collection({
    schema: profileSchema,
    pull: pullProfile,
    push: pushProfile,
    tables: ['households', 'household_members', 'people', 'students', 'addresses', 'phones', 'contact_preferences', 'guardianships'],
    // A household's contact record: the students in it are the records read.
    studentsOf: (d) => d.members.flatMap((m) => (m.studentId ? [m.studentId] : [])),
  }),
  collection({
    schema: feeSchema,
    pull: pullFees,
    tables: ['fees', 'payments', 'schools', 'students', 'access_grants'],
    studentsOf: (d) => [d.studentId],
  }),
  collection({
    schema: messageSchema,
    pull: pullMessages,
    push: pushMessages,
    tables: ['messages', 'message_recipients', 'announcements', 'people', 'staff', 'access_grants', 'enrollments', 'sections', 'section_enrollments', 'staff_locations', 'section_staff', 'schools'],
    // A message about a student is that student's record; announcements and class messages are not.
    studentsOf: (d) => (d.aboutStudentId ? [d.aboutStudentId] : []),
  }),
];
