/**
 * The `grades` collection: the term grades (a percent and a mark per grading task) and the
 * standards marks (a proficiency level per standard) the user may see, in progress and posted:
 * what a report card and a family's portal show. Pull only.
 */
import type { DocumentOf, FromSchema } from './document.ts';
export const GRADES_SCHEMA_VERSION = 0;

export const GRADE_KINDS = ['term', 'standard'] as const;
export const GRADE_STATUSES = ['in_progress', 'posted'] as const;

export const gradeSchema = {
  title: 'grades',
  version: GRADES_SCHEMA_VERSION,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    kind: { type: 'string', enum: [...GRADE_KINDS] },
    sectionId: { type: 'string', maxLength: 36 },
    studentId: { type: 'string', maxLength: 36 },
    gradingPeriodId: { type: 'string', maxLength: 36 },
    /** Term grades: which grade of the course this is (quarter, semester…). Null for standards marks. */
    gradingTaskId: { type: ['string', 'null'], maxLength: 36 },
    gradingTaskName: { type: ['string', 'null'], maxLength: 200 },
    /** Standards marks: the standard. Null for term grades. */
    standardId: { type: ['string', 'null'], maxLength: 36 },
    standardCode: { type: ['string', 'null'], maxLength: 40 },
    standardDescription: { type: ['string', 'null'], maxLength: 1000 },
    percent: { type: ['number', 'null'], minimum: 0, maximum: 200 },
    mark: { type: ['string', 'null'], maxLength: 8 },
    /** 1 beginning, 2 approaching, 3 meeting, 4 exceeding. */
    proficiency: { type: ['integer', 'null'], minimum: 1, maximum: 4 },
    status: { type: 'string', enum: [...GRADE_STATUSES] },
    postedAt: { type: ['string', 'null'], maxLength: 30 },
    comment: { type: 'string', maxLength: 2000 },
  },
  required: ['id', 'kind', 'sectionId', 'studentId', 'gradingPeriodId', 'gradingTaskId', 'gradingTaskName', 'standardId', 'standardCode', 'standardDescription', 'percent', 'mark', 'proficiency', 'status', 'postedAt', 'comment'],
  additionalProperties: false,
} as const;

export type GradeDocument = DocumentOf<FromSchema<typeof gradeSchema>>;
