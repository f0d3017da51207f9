/**
 * The `students` collection: the student records a user may see, one document per student.
 * Isomorphic: the client builds its RxDB collection from this schema.
 */
import type { DocumentOf, FromSchema } from './document.ts';
export const STUDENTS_SCHEMA_VERSION = 0;

export const studentSchema = {
  title: 'students',
  version: STUDENTS_SCHEMA_VERSION,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    firstName: { type: 'string', maxLength: 100 },
    lastName: { type: 'string', maxLength: 100 },
    preferredName: { type: ['string', 'null'], maxLength: 100 },
    studentNumber: { type: 'string', maxLength: 12 },
    birthDate: { type: ['string', 'null'], maxLength: 10 },
    gradeLevel: { type: 'integer', minimum: -1, maximum: 12, multipleOf: 1 },
    homeLanguage: { type: 'string', maxLength: 2 },
    schoolId: { type: ['string', 'null'], maxLength: 36 },
    schoolName: { type: 'string', maxLength: 200 },
    /** How the user is related to this student: guardian, self, teacher, counselor, school. */
    relation: { type: 'string', maxLength: 16 },
  },
  required: ['id', 'firstName', 'lastName', 'preferredName', 'studentNumber', 'birthDate', 'gradeLevel', 'homeLanguage', 'schoolId', 'schoolName', 'relation'],
  additionalProperties: false,
} as const;

/** How the user is related to the student, which says what the device shows. */
export type StudentRelation = 'guardian' | 'self' | 'teacher' | 'counselor' | 'school';

export type StudentDocument = DocumentOf<FromSchema<typeof studentSchema>, { relation: StudentRelation }>;

/** Pull checkpoint: flat, because RxDB merges checkpoints with Object.assign. */
export interface SyncCheckpoint {
  seq: number;
  id: string;
  /**
   * Set by the server on a device's first pull of a collection: the district's last committed
   * seq then. Documents hidden from the user whose seq is at or below it were never on the
   * device, so no tombstone is sent for them (server/sync/pager.ts). Absent or 0: none skipped.
   */
  base?: number;
}

export interface PullResponse<Doc> {
  documents: Array<Doc & { _deleted: boolean }>;
  checkpoint: SyncCheckpoint | null;
}
