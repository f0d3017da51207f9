/**
 * The `sections` collection: the classes on a user's schedule (or taught, or in their school).
 * Version 1 added the term's grading periods and room for a large class's roster (a device on
 * version 0 migrates, then pulls the collection again).
 */
import type { DocumentOf, FromSchema } from './document.ts';
export const SECTIONS_SCHEMA_VERSION = 1;

export const sectionSchema = {
  title: 'sections',
  version: SECTIONS_SCHEMA_VERSION,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    schoolId: { type: 'string', maxLength: 36 },
    termId: { type: 'string', maxLength: 36 },
    termName: { type: 'string', maxLength: 100 },
    termStart: { type: 'string', maxLength: 10 },
    termEnd: { type: 'string', maxLength: 10 },
    courseCode: { type: 'string', maxLength: 40 },
    courseName: { type: 'string', maxLength: 200 },
    subject: { type: 'string', maxLength: 100 },
    sectionNumber: { type: 'string', maxLength: 20 },
    periodName: { type: ['string', 'null'], maxLength: 40 },
    periodSequence: { type: ['integer', 'null'], minimum: 0, maximum: 20 },
    startTime: { type: ['string', 'null'], maxLength: 5 },
    endTime: { type: ['string', 'null'], maxLength: 5 },
    roomName: { type: ['string', 'null'], maxLength: 100 },
    gradingMethod: { type: 'string', maxLength: 10 },
    teachers: {
      type: 'array',
      maxItems: 10,
      items: {
        type: 'object',
        properties: { name: { type: 'string', maxLength: 200 }, email: { type: ['string', 'null'], maxLength: 200 }, role: { type: 'string', maxLength: 20 } },
        required: ['name', 'email', 'role'],
        additionalProperties: false,
      },
    },
    /** Students of this user in the section: a guardian's children, the student themself, a teacher's roster. */
    studentIds: { type: 'array', maxItems: 400, items: { type: 'string', maxLength: 36 } },
    /** The grading periods of the section's term, in order. */
    gradingPeriods: {
      type: 'array',
      maxItems: 12,
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', maxLength: 36 },
          name: { type: 'string', maxLength: 100 },
          sequence: { type: 'integer', minimum: 1, maximum: 12 },
          start: { type: 'string', maxLength: 10 },
          end: { type: 'string', maxLength: 10 },
        },
        required: ['id', 'name', 'sequence', 'start', 'end'],
        additionalProperties: false,
      },
    },
  },
  required: ['id', 'schoolId', 'termId', 'termName', 'termStart', 'termEnd', 'courseCode', 'courseName', 'subject', 'sectionNumber', 'periodName', 'periodSequence', 'startTime', 'endTime', 'roomName', 'gradingMethod', 'teachers', 'studentIds', 'gradingPeriods'],
  additionalProperties: false,
} as const;

export type SectionDocument = DocumentOf<FromSchema<typeof sectionSchema>>;

export type GradingPeriod = SectionDocument['gradingPeriods'][number];
