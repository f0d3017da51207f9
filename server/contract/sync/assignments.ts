/**
 * The `assignments` collection: the coursework of the sections a user may see, one document
 * per assignment, carrying its category (name, weight, drop rule) so a family's device can
 * show a gradebook and compute the in-progress grade without another collection.
 * Families and students see published work only. Pull only for now.
 */
import type { DocumentOf, FromSchema } from './document.ts';
export const ASSIGNMENTS_SCHEMA_VERSION = 0;

export const assignmentSchema = {
  title: 'assignments',
  version: ASSIGNMENTS_SCHEMA_VERSION,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    sectionId: { type: 'string', maxLength: 36 },
    categoryId: { type: 'string', maxLength: 36 },
    categoryName: { type: 'string', maxLength: 200 },
    /** Percent of the grade in weighted sections (0 in points sections). */
    categoryWeight: { type: 'number', minimum: 0, maximum: 100 },
    categoryDropLowest: { type: 'integer', minimum: 0, maximum: 10 },
    gradingPeriodId: { type: 'string', maxLength: 36 },
    name: { type: 'string', maxLength: 200 },
    description: { type: 'string', maxLength: 4000 },
    pointsPossible: { type: 'number', minimum: 0, maximum: 9999.99 },
    assignedOn: { type: 'string', maxLength: 10 },
    dueOn: { type: 'string', maxLength: 10 },
    published: { type: 'boolean' },
  },
  required: ['id', 'sectionId', 'categoryId', 'categoryName', 'categoryWeight', 'categoryDropLowest', 'gradingPeriodId', 'name', 'description', 'pointsPossible', 'assignedOn', 'dueOn', 'published'],
  additionalProperties: false,
} as const;

export type AssignmentDocument = DocumentOf<FromSchema<typeof assignmentSchema>>;
