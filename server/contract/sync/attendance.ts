/**
 * The `attendance` collection: attendance marks the user may see, one document per mark
 * (a whole day when sectionId is null, else one class period). Teachers push marks for their
 * own sections; office staff with the attendance right push excuse decisions.
 */
import type { SyncRefusal } from './refusals.ts';
import type { DocumentOf, FromSchema } from './document.ts';

export { type PushRow, SYNC_REFUSALS, type SyncRefusal } from './refusals.ts';

export const ATTENDANCE_SCHEMA_VERSION = 0;

export const ATTENDANCE_STATUSES = ['present', 'absent', 'tardy', 'early_release'] as const;
export const EXCUSES = ['excused', 'unexcused', 'unknown'] as const;

export const attendanceSchema = {
  title: 'attendance',
  version: ATTENDANCE_SCHEMA_VERSION,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    studentId: { type: 'string', maxLength: 36 },
    schoolId: { type: 'string', maxLength: 36 },
    date: { type: 'string', maxLength: 10 },
    sectionId: { type: ['string', 'null'], maxLength: 36 },
    periodId: { type: ['string', 'null'], maxLength: 36 },
    status: { type: 'string', enum: [...ATTENDANCE_STATUSES] },
    excuse: { type: 'string', enum: [...EXCUSES] },
    reasonCode: { type: ['string', 'null'], maxLength: 6 },
    minutes: { type: ['integer', 'null'], minimum: 0, maximum: 600 },
    comment: { type: 'string', maxLength: 2000 },
    /** Set only on documents the server sends back to refuse a write. */
    syncError: { type: ['string', 'null'], maxLength: 40 },
  },
  required: ['id', 'studentId', 'schoolId', 'date', 'sectionId', 'periodId', 'status', 'excuse', 'reasonCode', 'minutes', 'comment', 'syncError'],
  additionalProperties: false,
} as const;

export type AttendanceDocument = DocumentOf<FromSchema<typeof attendanceSchema>>;
